"""MkDocs adapter: the only module that imports MkDocs.

It reads the content and data once per build (core modules), turns the page plan into MkDocs
pages, gives each page its language's template context, and stops the build with the
editor-facing report when content or data has errors. Moving to another engine means
rewriting this file, not the product.

Hook order in a build: on_startup (once) → on_config (read, check, plan, convert Markdown)
→ on_files (planned pages replace editors' files) → on_page_content / on_page_context (per
page) → on_post_build (drop pages that no longer exist) → on_shutdown (`mkdocs build`: switch
the site to the staged release if the build finished and nothing failed, remember
fingerprints, print the summary; let the next build of the same folder in).

A full disk or a folder the build may not write becomes one bilingual line and a non-zero
exit (MkDocs would print a traceback for any exception but its own), see on_build_error.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import rcssmin
import rjsmin
from jinja2 import pass_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import cards, cms, images, render
from .cache import Store, usable_folder
from .content import Memory
from .dashboard import DataView
from .deploy import check_site_url
from .incremental import Fingerprints, Manifest, tree_digest
from .portal import (
    CARDS_FOLDER,
    ROBOTS_TXT,
    SITEMAP_XML,
    Portal,
    PortalView,
    load_portal,
)
from .problems import Problems
from .publish import PublishError, StagedSite, build_summary, storage_error

log = logging.getLogger("mkdocs.plugins.binhdan")
PACKAGE_DIR = Path(__file__).resolve().parent


class PortalConfig(Config):
    data_dir = c.Type(str, default="data")
    # Converted HTML and page fingerprints kept between builds (relative to mkdocs.yml);
    # empty to disable.
    cache_dir = c.Type(str, default=".cache/binhdan")
    # Seconds a build waits for another build of the same output folder to finish (CI runs
    # builds back to back; a 10,000-item site takes about three minutes).
    lock_timeout = c.Type(int, default=1800)


class _DirtyWarningFilter(logging.Filter):
    """MkDocs warns that dirty builds may leave navigation stale. Ours are exact (every page
    that shows an edited item is rebuilt), so the warning would only mislead editors."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class PortalPlugin(BasePlugin[PortalConfig]):
    """Builds the 'Bình dân học vụ số' portal from content/ and data/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.portal: Portal | None = None
        self.specs: dict[str, Any] = {}
        self.fingerprints: dict[str, str] = {}
        self.generated: list[str] = []  # files we generated besides pages (search index...)
        self.manifest: Manifest | None = None
        self.dirty = False
        self.locking = False  # `mkdocs build`: one build at a time per output folder
        self.atomic = False  # and unless --dirty, a staging folder switched in on success
        self.output: StagedSite | None = None
        self.mkdocs_config: MkDocsConfig | None = None
        self.failed = False
        self.finished = False  # every page written (on_post_build ran to its end)
        self.started = time.monotonic()
        self.warnings = 0
        self.cache_dir: Path | None = None
        # Kept across the rebuilds of one `mkdocs serve` (this instance lives as long as the
        # server because it handles on_startup): reading and checking of unchanged files.
        self.memory = Memory()

    def on_startup(self, command: str, dirty: bool) -> None:
        self.dirty = dirty
        # A clean `mkdocs build` is staged and switched in; a dirty one rewrites a few pages
        # in place (copying a large site would cost more than the build). `mkdocs serve`
        # builds into a temporary folder of its own: it never touches the published one.
        self.locking = command in ("build", "gh-deploy")
        self.atomic = self.locking and not dirty
        self.started = time.monotonic()
        self.failed = self.finished = False
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())

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
        _settle_memory()
        root = Path(config.config_file_path).parent
        cache_dir = usable_folder(root / self.config.cache_dir if self.config.cache_dir
                                  else None)
        portal, problems = load_portal(root, Path(config.docs_dir), self.config.data_dir,
                                       cache_dir, self.memory, _theme_dir(config))
        for warning in problems.warnings:
            log.info(warning.format())
        self.warnings = len(problems.warnings)
        if portal is not None and portal.images.rendered:
            log.info("binhdan: %d images rendered, %d from the cache", portal.images.rendered,
                     len(portal.images.pictures) - portal.images.rendered)
        if portal is None or problems.errors:
            raise PluginError("\n" + problems.report())
        # feeds, QR codes and share previews need absolute URLs; the server config its host
        site_url = Problems()
        if not check_site_url(config.site_url or "", Path(config.config_file_path), site_url):
            raise PluginError("\n" + site_url.report())
        self.portal = portal
        portal.site_url = config.site_url
        with Store(cache_dir / "qr.sqlite" if cache_dir else None) as store:
            portal.draw_qr_codes(store)
        render_keys = self._render_markdown(config, cache_dir)
        portal.render_keys = render_keys
        global_digest = tree_digest([PACKAGE_DIR, Path(config.config_file_path),
                                     root / self.config.data_dir,
                                     *(Path(d) for d in config.theme.dirs[:1])])
        portal.global_digest = global_digest
        self.cache_dir = cache_dir
        prints = Fingerprints(portal.plan, global_digest, render_keys, portal.today,
                              portal.picture_keys, portal.computed_digest)
        self.fingerprints = {spec.url: prints.page(spec) for spec in portal.plan.pages}
        # What was written where: keyed by the releases folder when there is one (`site`
        # itself is a link that changes with every build), by the folder itself otherwise.
        self.manifest = Manifest(cache_dir, self.output.releases if self.output
                                 else Path(config.site_dir))
        if self.atomic and self.output is not None:
            config.site_dir = str(self.output.stage())
        # MkDocs' own navigation stays empty (our menu holds sections only): a nav listing
        # every item would make every page carry every other page and the build quadratic.
        config.nav = []
        # The sitemap comes from the page plan (see on_files), not from the theme; the
        # service worker is a template (it lists the versioned assets to keep offline).
        config.theme.static_templates.discard("sitemap.xml")
        config.theme.static_templates.add("sw.js")
        gc.freeze()  # the plan lives for the whole build: keep the collector off it
        return config

    def _render_markdown(self, config: MkDocsConfig, cache_dir: Path | None) -> dict[str, str]:
        """Convert every page's Markdown up front (all cores, cached); MkDocs then only
        wraps the HTML in templates, with no converter of its own to build per page."""
        assert self.portal is not None
        extensions = list(config.markdown_extensions)
        configs = dict(config.mdx_configs or {})
        todo = render.jobs(self.portal.plan, render.settings_fingerprint(extensions, configs))
        with Store(cache_dir / "html.sqlite" if cache_dir else None) as cache:
            done = cache.get(job.key for job in todo.values())
            missing = [job for job in todo.values() if job.key not in done]
            fresh = render.render_all(missing, extensions, configs)
            cache.put(fresh)
        done.update(fresh)
        self.portal.rendered = {url: done[job.key] for url, job in todo.items()}
        log.debug("binhdan: %d pages converted, %d from cache", len(fresh),
                  len(done) - len(fresh))
        config.markdown_extensions = []
        config.mdx_configs = {}
        return {url: job.key for url, job in todo.items()}

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` watches content/ and overrides/ itself; data/ is ours to add."""
        server.watch(str(Path(config.config_file_path).parent / self.config.data_dir))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Replace editors' Markdown files with the planned pages; keep only the media that
        published pages use (pictures as their stripped variants, SVGs sanitised); publish
        only our own static files of the theme (the theme's CSS/JS are not used)."""
        assert self.portal is not None and self.manifest is not None
        own = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
        docs = str(Path(config.docs_dir).resolve())
        published = self.portal.published_files
        for file in list(files):
            from_theme = file.abs_src_path and not file.abs_src_path.startswith(docs)
            original_image = not from_theme and file.src_uri.lower().endswith(
                (*images.RASTER, ".svg"))
            unused = not from_theme and file.src_uri not in published
            if file.is_documentation_page() or original_image or unused or (
                    from_theme and (own is None or not file.abs_src_path.startswith(str(own)))):
                # photos are published as stripped variants only, SVGs as sanitised copies
                # (below); a file no published page uses (a draft's, a stray one) is not
                # published at all
                files.remove(file)
            elif from_theme:
                unit_colours = self.portal.site.colours.css \
                    if file.src_uri == "assets/portal.css" else ""
                minified = _minified(file, config, unit_colours)
                if minified is not file:
                    files.remove(file)
                    files.append(minified)
                self.portal.assets[file.src_uri] = _versioned(minified)
        self.specs = {}
        site_dir = config.site_dir
        for spec in self.portal.plan.pages:
            page_file = File.generated(config, spec.src_uri, content="")
            page_file.dest_uri = f"{spec.url}index.html"
            # A dirty rebuild (`make serve` after an edit) leaves pages whose fingerprint did
            # not change out of the build entirely: their files are already up to date.
            if (self.dirty and self.manifest.previous.get(spec.url) == self.fingerprints[spec.url]
                    and os.path.isfile(os.path.join(site_dir, page_file.dest_uri))):
                page_file.inclusion = InclusionLevel.EXCLUDED
            files.append(page_file)
            self.specs[spec.src_uri] = spec
        site_url = config.site_url or ""
        files.append(File.generated(config, ROBOTS_TXT,
                                    content=self.portal.robots_txt(site_url)))
        if site_url:
            files.append(File.generated(config, SITEMAP_XML,
                                        content=self.portal.sitemap_xml(site_url)))
        for url, path in sorted(self.portal.published_variants().items()):
            files.append(_CachedFile.generated(config, url, abs_src_path=str(path)))
        for path, clean in sorted(self.portal.images.svgs.items()):
            if path in published:
                files.append(File.generated(config, path, content=clean))
        self._share_cards(files, config)
        for path, text in self.portal.open_data_files().items():
            files.append(File.generated(config, path, content=text))
        with Store(self.cache_dir / "feeds.sqlite" if self.cache_dir else None) as store:
            feeds = self.portal.feeds.files(store, self.portal.global_digest)
        for path, text in feeds.items():
            files.append(File.generated(config, path, content=text))
        with Store(self.cache_dir / "search.sqlite" if self.cache_dir else None) as store:
            for lang in self.portal.site.site_language_codes:
                for path, text in self.portal.search_files(lang, store).items():
                    files.append(File.generated(config, path, content=text))
        self.generated = [f.dest_uri for f in files
                          if f.generated_by and not f.is_documentation_page()]
        return files

    def _share_cards(self, files: Files, config: MkDocsConfig) -> None:
        """Draw (or take from the cache) every page's preview image and every data card."""
        assert self.portal is not None
        portal = self.portal
        by_page = portal.share_cards()
        data_cards = [card for lang in portal.site.site_language_codes
                      for indicator in portal.progress.indicators.values()
                      for card in DataView(portal.progress, portal.localizers[lang]
                                           ).data_cards(indicator)]
        drawn, count = cards.render_all([*by_page.values(), *data_cards],
                                        self.cache_dir / "cards" if self.cache_dir else None)
        if count:
            log.info("binhdan: %d share and data cards drawn, %d from the cache", count,
                     len(drawn) - count)
        portal.card_files = {key: f"{CARDS_FOLDER}{key}.png" for key in drawn}
        portal.card_urls = {url: portal.card_files[card.key()] for url, card in by_page.items()}
        for key, path in drawn.items():
            files.append(_CachedFile.generated(config, portal.card_files[key],
                                                abs_src_path=str(path)))

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        assert self.portal is not None
        spec = self.specs[page.file.src_uri]
        page.meta.update(self.portal.page_meta(spec))
        # MkDocs stamps pages with the build date; use the content's own date so that the
        # same commit always builds to the same bytes.
        page.update_date = page.meta["lastmod"]
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """The HTML converted up front (see _render_markdown)."""
        assert self.portal is not None
        return self.portal.html(self.specs[page.file.src_uri])

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        assert self.portal is not None
        env.autoescape = _autoescape_own_templates(config)
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
        assert self.portal is not None
        context["portal"] = PortalView(self.portal, self.specs[page.file.src_uri])
        return context

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        if template_name == "sw.js" and self.portal is not None:
            context["portal"] = self.portal.worker_view()
        if template_name == "404.html" and self.portal is not None:
            context["portal"] = PortalView(self.portal, self.portal.not_found_page())
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the web editor (/admin/); remember what was written; in a dirty build,
        delete pages that are gone."""
        assert self.manifest is not None and self.portal is not None
        site_dir = Path(config.site_dir)
        cms.write_admin(self.portal, site_dir)
        if self.dirty:
            for url in set(self.manifest.previous) - set(self.fingerprints):
                _remove_page(site_dir, url)
            for name in set(self.manifest.previous_files) - set(self.generated):
                (site_dir / name).unlink(missing_ok=True)
        if not self.atomic:  # `mkdocs serve` and dirty builds write in place
            self.manifest.save(self.fingerprints, self.generated)
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
        assert self.manifest is not None and self.portal is not None
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
            self.manifest.save(self.fingerprints, self.generated)
        except OSError as error:
            raise Abort(str(self._storage_error(error))) from None


class _CachedFile(File):
    """An image variant or card from the build cache, hard-linked into the site instead of
    copied (hundreds of MB on a large site). Cache files are checked against their digest
    before use and only ever replaced by a rename, never rewritten in place, so a link can
    never change under a published page."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        output = Path(self.abs_dest_path)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.unlink(missing_ok=True)
        try:
            os.link(self.abs_src_path, output)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(self.abs_src_path, output)


def _theme_dir(config: MkDocsConfig) -> Path | None:
    """Our theme folder (overrides/): its files are published, so they are checked too."""
    return Path(config.theme.custom_dir) if config.theme.custom_dir else None


def _settle_memory() -> None:
    """Python's cyclic collector rescans every live object again and again; on a big site
    (tens of thousands of items, pages and cached parses) that is a third of a rebuild.
    Each build collects once, then freezes what stays alive (the previous build's caches);
    the next build unfreezes it first, so nothing is kept longer than one build."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _served(config: MkDocsConfig) -> bool:
    """Whether this build is for `mkdocs serve`: it writes its own address into site_url
    (a published site_url is never the development address). Such builds go to a temporary
    folder the server reads as it is written: nothing to stage, nothing to publish."""
    host, port = config.dev_addr
    return urlsplit(config.site_url or "").netloc == f"{host}:{port}"


def _remove_page(site_dir: Path, url: str) -> None:
    page = site_dir / url / "index.html"
    page.unlink(missing_ok=True)
    folder = page.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _minified(file: File, config: MkDocsConfig, extra_css: str = "") -> File:
    """Our CSS and JavaScript, minified (rcssmin/rjsmin: maintained, dependency-free);
    `extra_css` goes at the end of a stylesheet."""
    if file.src_uri.endswith(".css"):
        text = rcssmin.cssmin(file.content_string) + extra_css
    elif file.src_uri.endswith(".js"):
        text = rjsmin.jsmin(file.content_string)
    else:
        return file
    return File.generated(config, file.src_uri, content=text)


def _versioned(file: File) -> str:
    """`assets/portal.css?v=<hash>`: browsers may cache it for ever; a change gets a new URL."""
    digest = hashlib.sha256(file.content_bytes).hexdigest()[:10]
    return f"{file.src_uri}?v={digest}"


def _autoescape_own_templates(config: MkDocsConfig) -> Any:
    """Escape every value in our templates (editors' text is never trusted as HTML) while the
    theme's own templates, written for an unescaped environment, keep working."""
    custom_dir = config.theme.custom_dir
    own = {p.relative_to(custom_dir).as_posix() for p in Path(custom_dir).rglob("*")
           if p.suffix in (".html", ".xml")} if custom_dir else set()

    def should_escape(name: str | None) -> bool:
        return name in own

    return should_escape
