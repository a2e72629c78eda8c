"""MkDocs adapter: the only module that imports MkDocs.

It translates: MkDocs' settings go to the core (outputs.start: read, check, plan, convert),
every file the core's pipeline yields (pages included, rendered by the core) becomes a MkDocs
file and nothing else is published, and a build with errors in content or data stops with
the editor-facing report. Moving to another engine means rewriting this file, not the product.

Hook order: on_startup (once) → on_config (lock the output folder, start the pipeline) →
on_files (the core's files replace MkDocs' own) → on_post_build (dirty: drop what is gone)
→ on_shutdown (`mkdocs build`: switch the site to the staged release if the build finished
and nothing failed; let the next build in). A full disk or a folder the build may not write
is one bilingual line and a non-zero exit, not a traceback (on_build_error).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .content import Memory
from .outputs import Pipeline, Published, Settings, put, start
from .publish import PublishError, StagedSite, build_summary, storage_error

log = logging.getLogger("mkdocs.plugins.binhdan")


class PortalConfig(Config):
    data_dir = c.Type(str, default="data")
    # Converted HTML, cards, feeds and page fingerprints kept between builds (relative to
    # mkdocs.yml); empty to disable.
    cache_dir = c.Type(str, default=".cache/binhdan")
    # Seconds a build waits for another build of the same output folder to finish.
    lock_timeout = c.Type(int, default=1800)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the 'Bình dân học vụ số' portal from content/ and data/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.dirty = self.atomic = self.locking = False
        self.output: StagedSite | None = None  # `mkdocs build`: the locked output folder
        self.mkdocs_config: MkDocsConfig | None = None
        self.failed = self.finished = False  # finished: on_post_build ran to its end
        self.started = time.monotonic()
        self.warnings = 0
        self.memory = Memory()  # kept across the rebuilds of one `mkdocs serve`

    def on_startup(self, command: str, dirty: bool) -> None:
        # A clean `mkdocs build` is staged and switched in; a dirty one rewrites the changed
        # pages in place; `mkdocs serve` builds into a temporary folder of its own.
        self.dirty, self.locking = dirty, command in ("build", "gh-deploy")
        self.atomic = self.locking and not dirty
        self.started, self.failed, self.finished = time.monotonic(), False, False
        if dirty:  # ours are exact (every page that shows an edited item is rebuilt)
            logging.getLogger("mkdocs.commands.build").addFilter(
                lambda record: not record.getMessage().startswith("A 'dirty' build is being"))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.mkdocs_config = config
        if _served(config):  # `mkdocs serve --clean` starts plugins as `build` does
            self.locking = self.atomic = False
        if self.locking and self.output is None:  # before reading: the latest content
            self.output = StagedSite(Path(config.site_dir))
            try:
                self.output.lock(self.config.lock_timeout, log.info)
            except PublishError as error:
                raise PluginError(str(error)) from None
            self.started = time.monotonic()  # the summary tells the build's time, not the wait
        custom_dir, cache_dir = config.theme.custom_dir, self.config.cache_dir
        self.pipeline, problems = start(Settings(
            Path(config.config_file_path), Path(config.docs_dir), self.config.data_dir,
            config.site_url or "", list(config.markdown_extensions),
            dict(config.mdx_configs or {}), theme_dir=Path(custom_dir) if custom_dir else None,
            cache_dir=Path(config.config_file_path).parent / cache_dir if cache_dir else None),
            self.memory, log.info)
        self.warnings = len(problems.warnings)
        if self.pipeline is None:
            raise PluginError("\n" + problems.report())
        self.pipeline.track(self.output.releases if self.output else Path(config.site_dir))
        if self.atomic and self.output is not None:
            config.site_dir = str(self.output.stage())
        config.nav = []  # the core renders every page, the 404 page and the sitemap
        config.theme.static_templates.clear()
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches content/ and overrides/ itself; data/ is ours to add."""
        server.watch(str(Path(config.config_file_path).parent / self.config.data_dir))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Exactly the files the core publishes: MkDocs' own list (every editor's file, the
        theme's and mkdocs-material's) is not used."""
        assert self.pipeline is not None
        if self.dirty:  # `make serve` after an edit renders only the pages it changes
            self.pipeline.leave_unchanged(Path(config.site_dir))
        return Files([_PublishedFile.generated(config, published.address, abs_src_path=str(
            published.source)).holding(published) for published in self.pipeline.files()])

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.pipeline is not None  # remember what was written; dirty: drop what is gone
        if self.dirty:
            self.pipeline.drop_stale(Path(config.site_dir))
        if not self.atomic:  # `mkdocs serve` and dirty builds write in place
            self.pipeline.remember()
        self.finished = True

    def on_build_error(self, error: Exception) -> None:
        """MkDocs re-raises every exception but its own, and Click prints the traceback; a
        full disk or a folder we may not write is told in one line instead (`Abort`)."""
        self.failed = True
        if isinstance(error, OSError):
            raise Abort(str(self._storage_error(error))) from None

    def _storage_error(self, error: OSError) -> PublishError:
        return self.output.storage_error(error) if self.output else storage_error(error)

    def on_shutdown(self) -> None:
        """After `mkdocs build` (also after Ctrl+C or a strict-mode abort, hence `finished`):
        publish the staged site if it was finished and nothing failed, otherwise leave the
        previous site untouched; then let the next build in."""
        output, self.output = self.output, None
        if output is None:
            return
        try:
            if self.atomic:
                self._publish(output)
        finally:
            output.release()

    def _publish(self, output: StagedSite) -> None:
        if self.failed or not self.finished:
            log.error(output.unchanged())
            return
        assert self.pipeline is not None and self.mkdocs_config is not None
        try:
            output.publish()
        except OSError as error:
            log.error(output.unchanged())
            raise Abort(str(output.storage_error(error))) from None
        self.mkdocs_config.site_dir = str(output.target)  # `mkdocs gh-deploy` reads it here
        log.info(build_summary(self.pipeline.portal.plan, output.target, self.warnings,
                               time.monotonic() - self.started))
        try:
            self.pipeline.remember()
        except OSError as error:
            raise Abort(str(output.storage_error(error))) from None


class _PublishedFile(File):
    """A file the core yields, put in place by the core (a cached file linked, see put)."""

    published: Published

    def holding(self, published: Published) -> _PublishedFile:
        self.published = published
        return self

    def copy_file(self, dirty: bool = False) -> None:
        if not dirty or self.is_modified():
            put(self.published, Path(self.abs_dest_path))


def _served(config: MkDocsConfig) -> bool:
    """Whether this build is for `mkdocs serve`: it writes its own address into site_url (a
    published site_url is never the development address). Nothing to stage or publish."""
    host, port = config.dev_addr
    return urlsplit(config.site_url or "").netloc == f"{host}:{port}"
