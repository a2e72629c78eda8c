"""MkDocs adapter: the only module that imports MkDocs.

It reads the content and data once per build (core modules), turns the page plan into MkDocs
pages, gives each page its language's template context, and stops the build with
the editor-facing report when content or data has errors. Moving to another engine means
rewriting this file, not the product.
"""

from __future__ import annotations

import hashlib
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

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        portal, problems = load_portal(root, Path(config.docs_dir), self.config.data_dir)
        for warning in problems.warnings:
            log.info(warning.format())
        if portal is None or problems.errors:
            raise PluginError("\n" + problems.report())
        self.portal = portal
        # MkDocs' own navigation stays empty (our menu holds sections only): a nav listing
        # every item would make every page carry every other page and the build quadratic.
        config.nav = []
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches content/ and overrides/ itself; data/ is ours to add."""
        server.watch(str(Path(config.config_file_path).parent / self.config.data_dir))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Replace editors' Markdown files with the planned pages; keep media as they are;
        publish only our own static files of the theme (the theme's CSS/JS are not used)."""
        assert self.portal is not None
        own = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
        for file in list(files):
            from_theme = file.abs_src_path and not file.abs_src_path.startswith(
                str(Path(config.docs_dir).resolve()))
            if file.is_documentation_page() or (
                    from_theme and (own is None or not file.abs_src_path.startswith(str(own)))):
                files.remove(file)
            elif from_theme:
                self.portal.assets[file.src_uri] = _versioned(file)
        self.specs = {}
        for spec in self.portal.plan.pages:
            generated = File.generated(config, spec.src_uri, content=spec.body)
            generated.dest_uri = f"{spec.url}index.html"
            files.append(generated)
            self.specs[spec.src_uri] = spec
        files.append(File.generated(config, "robots.txt", content=self.portal.robots_txt(
            config.site_url or "")))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.portal is not None
        spec = self.specs[page.file.src_uri]
        page.meta.update(self.portal.page_meta(spec, config.site_url or ""))
        # MkDocs stamps pages (and the sitemap's gzip header) with the build date; use the
        # content's own date so that the same commit always builds to the same bytes.
        page.update_date = page.meta["lastmod"]
        return markdown

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        assert self.portal is not None
        env.filters["markdown"] = _markdown_filter(config, self.portal)
        env.autoescape = _autoescape_own_templates(config)
        return env

    # Late, so that our page context is what the templates see whatever other plugins do.
    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        assert self.portal is not None
        spec = self.specs[page.file.src_uri]
        context["portal"] = PortalView(self.portal, spec)
        return context

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if template_name == "404.html" and self.portal is not None:
            context["portal"] = PortalView(self.portal, self.portal.not_found_page())
        return context


def _versioned(file: File) -> str:
    """`assets/portal.css?v=<hash>`: browsers may cache it for ever; a change gets a new URL."""
    digest = hashlib.sha256(file.content_bytes).hexdigest()[:10]
    return f"{file.src_uri}?v={digest}"


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
