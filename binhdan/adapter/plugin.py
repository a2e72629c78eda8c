"""MkDocs adapter: the only module that imports MkDocs. It translates and nothing else.

MkDocs' settings become the core's (`pipeline.Settings`); its events drive one `publish.Build`
(lock, read, check, plan and prepare; the files; publish or keep the old site); every file
the core yields (pages included: the core renders them) becomes a MkDocs file and MkDocs'
own list is dropped. Moving to another engine means rewriting this file, not the product.

Hook order: on_startup (once) → on_config (Build.start) → on_files (Build.files) →
on_post_build (Build.written) → on_shutdown (Build.finish: MkDocs calls it after a failure
and after Ctrl+C too). A problem with the output folder (locked, full, read-only) is one
bilingual line and a non-zero exit, never a traceback: `Abort` is how MkDocs ends cleanly.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from ..common.cache import CACHE_FOLDER
from ..model.content import Memory
from ..outputs.pipeline import Published, Settings, put
from ..publishing.publish import Build, PublishError, Stopped
from .watching import hear_at_once

log = logging.getLogger("mkdocs.plugins.binhdan")


class PortalConfig(Config):
    data_dir = c.Type(str, default="data")
    # What builds keep between them (relative to mkdocs.yml); empty to keep nothing.
    cache_dir = c.Type(str, default=CACHE_FOLDER)
    # Seconds a build waits for another build of the same output folder to finish.
    lock_timeout = c.Type(int, default=1800)


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the 'Bình dân học vụ số' portal from content/ and data/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command, self.dirty, self.failed = "build", False, False
        self.build: Build | None = None
        self.mkdocs_config: MkDocsConfig | None = None  # `gh-deploy` reads site_dir after
        self.memory = Memory()  # kept across the rebuilds of one `mkdocs serve`
        self.content_dir, self.no_docs = "", tempfile.TemporaryDirectory(prefix="binhdan-")

    def on_startup(self, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        if dirty:  # MkDocs warns that dirty builds may be stale; ours are exact
            logging.getLogger("mkdocs.commands.build").addFilter(
                lambda record: not record.getMessage().startswith("A 'dirty' build is being"))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `mkdocs serve` (even --clean, which starts plugins as `build` does) writes its own
        # temporary folder: nothing to lock, stage or publish.
        served = _served(config)
        locked = self.command in ("build", "gh-deploy") and not served
        self.failed, self.mkdocs_config = False, config
        self.build = Build(Path(config.site_dir), locked=locked, dirty=self.dirty,
                           lock_timeout=self.config.lock_timeout, report=log.info,
                           alarm=log.error, lasting=served)
        custom_dir, cache_dir = config.theme.custom_dir, self.config.cache_dir
        try:
            self.build.start(Settings(
                Path(config.config_file_path), Path(config.docs_dir), self.config.data_dir,
                config.site_url or "", list(config.markdown_extensions),
                dict(config.mdx_configs or {}), Path(custom_dir) if custom_dir else None,
                Path(config.config_file_path).parent / cache_dir if cache_dir else None),
                self.memory if served else None)
        except (PublishError, Stopped) as error:
            raise PluginError(str(error)) from None
        config.site_dir = str(self.build.site_dir)
        config.nav = []  # the core renders every page, the 404 page and the sitemap
        config.theme.static_templates.clear()
        # and has read content/ and publishes the theme's files: MkDocs need not list them
        # and mkdocs-material's 10,000 icons on every build (0.4 s at 10,000 items x 2)
        self.content_dir, config.docs_dir = config.docs_dir, self.no_docs.name
        config.theme.dirs[:] = [custom_dir] if custom_dir else []
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches mkdocs.yml itself; content/, data/ and the theme's
        templates and styles (without --watch-theme) are ours to add."""
        for folder in (self.content_dir, Path(config.config_file_path).parent
                       / self.config.data_dir, config.theme.custom_dir):
            if folder:
                server.watch(str(folder))
        hear_at_once(server)
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Exactly the files the core publishes, not MkDocs' own list."""
        assert self.build is not None
        return Files([_PublishedFile.generated(  # included whatever exclude_docs says
            config, published.address, abs_src_path=str(published.source),
            inclusion=InclusionLevel.INCLUDED).holding(published)
            for published in self.build.files()])

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.build is not None
        self.build.written()

    def on_build_error(self, error: Exception) -> None:
        """MkDocs re-raises every exception but its own (Click prints the traceback): a
        full disk, a folder we may not write, a worker out of memory are one line instead."""
        self.failed = True
        if self.build is not None and (told := self.build.told(error)) is not None:
            raise Abort(str(told)) from None

    def on_shutdown(self) -> None:
        build, self.build = self.build, None
        if build is None:
            return
        try:
            build.finish(self.failed)
        except PublishError as error:
            raise Abort(str(error)) from None
        if self.mkdocs_config is not None:  # the published folder, not the staging one
            self.mkdocs_config.site_dir = str(build.target)


class _PublishedFile(File):
    """A file the core yields, put in place by the core (a cached file linked, see put)."""

    published: Published

    def holding(self, published: Published) -> _PublishedFile:
        self.published = published
        return self

    def copy_file(self, dirty: bool = False) -> None:  # the core yields only what to write
        put(self.published, Path(self.abs_dest_path))


def _served(config: MkDocsConfig) -> bool:
    """Whether this build is for `mkdocs serve`: it writes its own address into site_url (a
    published site_url is never the development address)."""
    host, port = config.dev_addr
    return urlsplit(config.site_url or "").netloc == f"{host}:{port}"
