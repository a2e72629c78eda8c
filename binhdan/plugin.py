"""MkDocs adapter: the only module that imports MkDocs.

It translates: MkDocs' settings go to the core (load_portal, outputs.Pipeline), the page plan
becomes MkDocs pages with their language's template context, every file the core's outputs
yield becomes a MkDocs file, and a build with errors in content or data stops with the
editor-facing report. Moving to another engine means rewriting this file, not the product.

Hook order: on_startup (once) → on_config (the core reads, checks, plans, converts) →
on_files (planned pages and the core's outputs replace editors' files) → per page hooks →
on_post_build (dirty: drop what is gone) → on_shutdown (`mkdocs build`: switch the site to
the staged release if the build finished and nothing failed; let the next build in).

A full disk or a folder the build may not write becomes one bilingual line and a non-zero
exit (MkDocs would print a traceback for any exception but its own), see on_build_error.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import pass_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .content import Memory
from .outputs import Pipeline, Settings, link_or_copy, start
from .portal import Portal, PortalView
from .publish import PublishError, StagedSite, build_summary, storage_error

log = logging.getLogger("mkdocs.plugins.binhdan")


class PortalConfig(Config):
    data_dir = c.Type(str, default="data")
    # Converted HTML and page fingerprints kept between builds (relative to mkdocs.yml);
    # empty to disable.
    cache_dir = c.Type(str, default=".cache/binhdan")
    # Seconds a build waits for another build of the same output folder to finish (CI runs
    # builds back to back; a 10,000-item site takes about three minutes).
    lock_timeout = c.Type(int, default=1800)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the 'Bình dân học vụ số' portal from content/ and data/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.specs: dict[str, Any] = {}
        self.generated: list[str] = []  # files we generated besides pages (search index...)
        self.dirty = False
        self.locking = False  # `mkdocs build`: one build at a time per output folder
        self.atomic = False  # and unless --dirty, a staging folder switched in on success
        self.output: StagedSite | None = None
        self.mkdocs_config: MkDocsConfig | None = None
        self.failed = self.finished = False  # finished: on_post_build ran to its end
        self.started = time.monotonic()
        self.warnings = 0
        # Kept across the rebuilds of one `mkdocs serve` (this instance lives as long as the
        # server because it handles on_startup): reading and checking of unchanged files.
        self.memory = Memory()

    @property
    def portal(self) -> Portal:
        assert self.pipeline is not None, "on_config starts the pipeline"
        return self.pipeline.portal

    def on_startup(self, command: str, dirty: bool) -> None:
        self.dirty = dirty
        # A clean `mkdocs build` is staged and switched in; a dirty one rewrites a few pages
        # in place (copying a large site would cost more than the build). `mkdocs serve`
        # builds into a temporary folder of its own: it never touches the published one.
        self.locking = command in ("build", "gh-deploy")
        self.atomic = self.locking and not dirty
        self.started = time.monotonic()
        self.failed = self.finished = False
        if dirty:  # MkDocs warns that a dirty build may leave navigation stale; ours are
            # exact (every page that shows an edited item is rebuilt): it would only mislead
            logging.getLogger("mkdocs.commands.build").addFilter(
                lambda record: not record.getMessage().startswith("A 'dirty' build is being"))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.mkdocs_config = config
        if _served(config):  # `mkdocs serve --clean` starts plugins as `build` does
            self.locking = self.atomic = False
        # Before anything is read: the build after a wait sees the latest content. Kept
        # across the rebuilds of `mkdocs serve --clean` (one lock per process, not per build).
        if self.locking and self.output is None:
            self.output = StagedSite(Path(config.site_dir))
            try:
                self.output.lock(self.config.lock_timeout, log.info)
            except PublishError as error:
                raise PluginError(str(error)) from None
            self.started = time.monotonic()  # the summary tells the build's time, not the wait
        root = Path(config.config_file_path).parent
        custom_dir = config.theme.custom_dir
        self.pipeline, problems = start(Settings(
            Path(config.config_file_path), Path(config.docs_dir), self.config.data_dir,
            config.site_url or "", list(config.markdown_extensions),
            dict(config.mdx_configs or {}), Path(custom_dir) if custom_dir else None,
            Path(config.theme.dirs[0]) if config.theme.dirs else None,
            root / self.config.cache_dir if self.config.cache_dir else None),
            self.memory, log.info)
        self.warnings = len(problems.warnings)
        if self.pipeline is None:
            raise PluginError("\n" + problems.report())
        # the Markdown is converted: MkDocs builds no converter of its own for each page
        config.markdown_extensions = []
        config.mdx_configs = {}
        self.pipeline.track(self.output.releases if self.output else Path(config.site_dir))
        if self.atomic and self.output is not None:
            config.site_dir = str(self.output.stage())
        # MkDocs' own navigation stays empty (our menu holds sections only): a nav listing
        # every item would make every page carry every other page and the build quadratic.
        config.nav = []
        # The sitemap comes from the page plan (see on_files), not from the theme; the
        # service worker is a template (it lists the versioned assets to keep offline).
        config.theme.static_templates.discard("sitemap.xml")
        config.theme.static_templates.add("sw.js")
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches content/ and overrides/ itself; data/ is ours to add."""
        server.watch(str(Path(config.config_file_path).parent / self.config.data_dir))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Replace editors' Markdown files with the planned pages and the files the core's
        outputs yield; keep only the content files the core publishes as they are and our
        own static files of the theme (mkdocs-material's CSS/JS are not used)."""
        assert self.pipeline is not None
        own = str(Path(config.theme.custom_dir).resolve()) if config.theme.custom_dir else None
        docs = str(Path(config.docs_dir).resolve())
        for file in list(files):
            if not file.abs_src_path or file.abs_src_path.startswith(docs):  # editors' files
                if file.is_documentation_page() or not self.pipeline.publishes_as_is(
                        file.src_uri):
                    files.remove(file)
            elif own is None or not file.abs_src_path.startswith(own):
                files.remove(file)  # the theme's own static files are not used
            elif (text := self.pipeline.theme_file(file.src_uri, file.content_bytes)
                  ) is not None:
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=text))
        # A dirty rebuild (`make serve` after an edit) leaves pages whose fingerprint did not
        # change out of the build entirely: their files are already up to date.
        unchanged = self.pipeline.unchanged_pages(Path(config.site_dir)) \
            if self.dirty else set()
        self.specs = {}
        for spec in self.portal.plan.pages:
            page_file = File.generated(config, spec.src_uri, content="")
            page_file.dest_uri = f"{spec.url}index.html"
            if spec.url in unchanged:
                page_file.inclusion = InclusionLevel.EXCLUDED
            files.append(page_file)
            self.specs[spec.src_uri] = spec
        for output in self.pipeline.files():
            files.append(File.generated(config, output.address, content=output.content)
                         if output.source is None else _CachedFile.generated(
                             config, output.address, abs_src_path=str(output.source)))
        self.generated = [f.dest_uri for f in files
                          if f.generated_by and not f.is_documentation_page()]
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        spec = self.specs[page.file.src_uri]
        page.meta.update(self.portal.page_meta(spec))
        # MkDocs stamps pages with the build date; use the content's own date so that the
        # same commit always builds to the same bytes.
        page.update_date = page.meta["lastmod"]
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """The HTML converted up front (see outputs.Pipeline.prepare)."""
        return self.portal.html(self.specs[page.file.src_uri])

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        env.autoescape = _own_templates(config).__contains__
        mkdocs_url = env.filters["url"]

        @pass_context
        def url(context: Any, value: str) -> str:
            """Links from the page's depth ("../../tin-tuc/"), the same for every page at that
            depth, so cards and menus can be rendered once and reused."""
            view = context.get("portal")
            return view.link(value) if view is not None else mkdocs_url(context, value)

        env.filters["url"] = url
        self.portal.render_fragment = lambda name, values: env.get_template(name).render(values)
        return env

    # Late, so that our page context is what the templates see whatever other plugins do.
    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        context["portal"] = PortalView(self.portal, self.specs[page.file.src_uri])
        return context

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if self.pipeline is None:
            return context
        if template_name == "sw.js":
            context["portal"] = self.portal.worker_view()
        if template_name == "404.html":
            context["portal"] = PortalView(self.portal, self.portal.not_found_page())
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.pipeline is not None  # remember what was written; dirty: drop what is gone
        if self.dirty:
            self.pipeline.drop_stale(Path(config.site_dir), self.generated)
        if not self.atomic:  # `mkdocs serve` and dirty builds write in place
            self.pipeline.remember(self.generated)
        self.finished = True

    def on_build_error(self, error: Exception) -> None:
        """MkDocs re-raises every exception but its own, and Click prints the traceback. A
        full disk or a folder we may not write (in our hooks or in MkDocs writing a page) is
        told in one line instead: `Abort` is how MkDocs itself ends a build cleanly."""
        self.failed = True
        if isinstance(error, OSError):
            raise Abort(str(self._storage_error(error))) from None

    def _storage_error(self, error: OSError) -> PublishError:
        return self.output.storage_error(error) if self.output else storage_error(error)

    def on_shutdown(self) -> None:
        """After `mkdocs build` (strict-mode warnings abort only after on_post_build): publish
        the staged site if it was finished and nothing failed, otherwise leave the previous
        site untouched; then let the next build in. MkDocs calls this even when the build
        was interrupted (Ctrl+C, a killed CI job: no on_build_error then), hence
        `finished`."""
        output = self.output
        if output is None:
            return
        try:
            if self.atomic:
                self._publish(output)
        finally:
            output.release()
            self.output = None

    def _publish(self, output: StagedSite) -> None:
        unchanged = ("Bản dựng lỗi: %s không thay đổi. / The build failed: %s is unchanged.",
                     output.target, output.target)
        if self.failed or not self.finished:
            log.error(*unchanged)
            return
        assert self.pipeline is not None
        try:
            output.publish()
        except OSError as error:
            log.error(*unchanged)
            raise Abort(str(self._storage_error(error))) from None
        if self.mkdocs_config is not None:  # `mkdocs gh-deploy` reads the site from here
            self.mkdocs_config.site_dir = str(output.target)
        log.info(build_summary(self.portal.plan, output.target, self.warnings,
                               time.monotonic() - self.started))
        try:
            self.pipeline.remember(self.generated)
        except OSError as error:
            raise Abort(str(self._storage_error(error))) from None


class _CachedFile(File):
    """A file the core yields from its build cache: linked, not copied (link_or_copy)."""

    def copy_file(self, dirty: bool = False) -> None:
        if not dirty or self.is_modified():
            assert self.abs_src_path is not None
            link_or_copy(Path(self.abs_src_path), Path(self.abs_dest_path))


def _served(config: MkDocsConfig) -> bool:
    """Whether this build is for `mkdocs serve`: it writes its own address into site_url
    (a published site_url is never the development address). Such builds go to a temporary
    folder the server reads as it is written: nothing to stage, nothing to publish."""
    host, port = config.dev_addr
    return urlsplit(config.site_url or "").netloc == f"{host}:{port}"


def _own_templates(config: MkDocsConfig) -> set[str]:
    """Our templates: every value in them is escaped (editors' text is never trusted as
    HTML) while the theme's own, written for an unescaped environment, keep working."""
    custom_dir = config.theme.custom_dir
    return {p.relative_to(custom_dir).as_posix() for p in Path(custom_dir).rglob("*")
            if p.suffix in (".html", ".xml")} if custom_dir else set()
