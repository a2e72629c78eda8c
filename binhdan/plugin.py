"""MkDocs adapter: the only module that imports MkDocs.

It reads the content and data once per build (core modules), turns the page plan into MkDocs
pages, gives each language its own navigation and template context, and stops the build with
the editor-facing report when content or data has errors. Moving to another engine means
rewriting this file, not the product.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .markup import FrontMatterMarkdown
from .portal import Portal, PortalView, load_portal

log = logging.getLogger("mkdocs.plugins.binhdan")


class PortalConfig(Config):
    data_dir = c.Type(str, default="data")


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the 'Bình dân học vụ số' portal from content/ and data/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.portal: Portal | None = None
        self.specs: dict[str, Any] = {}
        self.navs: dict[str, Navigation] = {}
        self.theme_languages: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        portal, problems = load_portal(root, Path(config.docs_dir), self.config.data_dir)
        for warning in problems.warnings:
            log.info(warning.format())
        if portal is None or problems.errors:
            raise PluginError("\n" + problems.report())
        self.portal = portal
        self.theme_languages = {
            path.stem for folder in config.theme.dirs
            for path in Path(folder, "partials", "languages").glob("*.html")}
        # The menu holds sections only (set in on_nav): a nav listing every item would make
        # every page carry every other page and the build grow quadratically.
        config.nav = []
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches content/ and overrides/ itself; data/ is ours to add."""
        server.watch(str(Path(config.config_file_path).parent / self.config.data_dir))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Replace editors' Markdown files with the planned pages; keep media as they are."""
        assert self.portal is not None
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        self.specs = {}
        for spec in self.portal.plan.pages:
            generated = File.generated(config, spec.src_uri, content=spec.body)
            generated.dest_uri = f"{spec.url}index.html"
            files.append(generated)
            self.specs[spec.src_uri] = spec
        files.append(File.generated(config, "robots.txt", content=self.portal.robots_txt(
            config.site_url or "")))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.portal is not None
        self.navs = {}
        for lang in self.portal.site.language_codes:
            pages: list[Page] = []
            for spec in self.portal.plan.nav(lang):
                page = files.get_file_from_path(spec.src_uri).page  # type: ignore[union-attr]
                assert page is not None
                pages.append(page)
            self.navs[lang] = Navigation(pages, pages)  # type: ignore[arg-type]
        return self.navs[self.portal.site.default_language]

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.portal is not None
        spec = self.specs[page.file.src_uri]
        page.meta.update(self.portal.page_meta(spec, config.site_url or ""))
        if page.meta["theme_language"] not in self.theme_languages:
            page.meta["theme_language"] = config.theme.language
        # MkDocs stamps pages (and the sitemap's gzip header) with the build date; use the
        # content's own date so that the same commit always builds to the same bytes.
        page.update_date = page.meta["lastmod"]
        return markdown

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        assert self.portal is not None
        env.filters["markdown"] = _markdown_filter(config, self.portal)
        env.autoescape = _autoescape_own_templates(config)
        return env

    # Late, so that other plugins' context changes do not override the language's own nav.
    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        assert self.portal is not None
        spec = self.specs[page.file.src_uri]
        context["nav"] = self.navs[spec.lang]
        context["portal"] = PortalView(self.portal, spec)
        return context

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if template_name == "404.html" and self.portal is not None:
            context["portal"] = PortalView(self.portal, self.portal.not_found_page())
            context["nav"] = self.navs[self.portal.site.default_language]
        return context


def _markdown_filter(config: MkDocsConfig, portal: Portal) -> Any:
    """Render Markdown held in front matter (a guide step's text) like page bodies, with
    links to content files turned into links to their pages."""
    renderer = FrontMatterMarkdown(config.markdown_extensions, config.mdx_configs or {})

    @pass_context
    def render(context: Any, text: str) -> Markup:
        spec = context["portal"].spec
        src_uri = spec.entry.item.src_uri if spec.entry else spec.src_uri
        return Markup(renderer.render(text, src_uri, spec.url, portal.plan.targets))

    return render


def _autoescape_own_templates(config: MkDocsConfig) -> Any:
    """Escape every value in our templates (editors' text is never trusted as HTML) while the
    theme's own templates, written for an unescaped environment, keep working."""
    custom_dir = config.theme.custom_dir
    own = {p.relative_to(custom_dir).as_posix() for p in Path(custom_dir).rglob("*")
           if p.suffix in (".html", ".xml")} if custom_dir else set()

    def should_escape(name: str | None) -> bool:
        return name in own

    return should_escape
