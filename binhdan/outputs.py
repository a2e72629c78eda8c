"""The build's outputs, owned by the core: every file a build publishes besides its pages.

An `Output` reads the portal's state and yields the files it publishes (`Published`: an
address and either its content or a checked file in the build cache to link). `Pipeline`
prepares what pages and outputs share (converted Markdown, QR codes, the digest of code and
settings, page fingerprints) and runs the outputs in order. An engine adapter turns each
`Published` into its own kind of file: adding an output is adding a class to `OUTPUTS`, the
adapter does not change. What an output depends on is kept in its own cache (`Output.store`,
see cache.py), keyed by a digest of its inputs, so an unchanged feed, index shard or card is
not made again.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol
from xml.sax.saxutils import escape

import rcssmin
import rjsmin

from . import cards, cms, render
from .cache import Store
from .dashboard import DataView
from .incremental import Fingerprints, tree_digest
from .portal import CARDS_FOLDER, ROBOTS_TXT, SITEMAP_XML, Portal

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Published:
    """One published file: `content` made by this build, or `source`, a checked file in the
    build cache that is never rewritten in place (an engine may link it instead of copying)."""

    address: str
    content: str | bytes | None = None
    source: Path | None = None


@dataclass(frozen=True)
class Settings:
    """What the engine knows and the core needs."""

    site_url: str  # the published address: feeds, QR codes and share previews need it
    extensions: list[Any]  # Markdown extensions and their options
    extension_configs: dict[str, Any]
    # the settings file, data/ and the theme folder: a change there rebuilds every page
    inputs: tuple[Path, ...]


class Output(Protocol):
    """A kind of generated file. `store` names the cache it keeps between builds, if any."""

    store: ClassVar[str | None]

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]: ...


class SiteRoot:
    """robots.txt, and the sitemap (every page with its language versions and the date its
    content last changed, from the plan, so a partial rebuild still lists the whole site)."""

    store = None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        site_url = portal.site_url
        robots = ["User-agent: *", "Allow: /"]
        if site_url:
            robots.append(f"Sitemap: {site_url.rstrip('/')}/{SITEMAP_XML}")
        yield Published(ROBOTS_TXT, "\n".join(robots) + "\n")
        if not site_url:
            return
        base = site_url if site_url.endswith("/") else site_url + "/"
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                 'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for spec in portal.plan.pages:
            if spec.kind == "offline":
                continue
            lines += ["  <url>", f"    <loc>{escape(base + spec.url)}</loc>",
                      f"    <lastmod>{portal.last_changed(spec).isoformat()}</lastmod>"]
            lines += [f'    <xhtml:link rel="alternate" hreflang="{lang}" '
                      f'href="{escape(base + url)}"/>' for lang, url in spec.alternates.items()]
            lines.append("  </url>")
        lines.append("</urlset>")
        yield Published(SITEMAP_XML, "\n".join(lines) + "\n")


class Pictures:
    """The resized, stripped variants of every photo a published page shows (images.py keeps
    them in the build cache), and uploaded SVGs as their cleaned copies (svg.py)."""

    store = None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for url, path in sorted(portal.published_variants().items()):
            yield Published(url, source=path)
        for path, clean in sorted(portal.images.svgs.items()):
            if path in portal.published_files:
                yield Published(path, clean)


class Cards:
    """Every page's share preview and every data card, drawn or taken from the card cache.
    Pages name their preview, so this output runs before pages render: it sets which image
    each page and indicator shows (`Portal.card_urls`, `Portal.card_files`)."""

    store = None  # cards.render_all keeps its own folder of checked PNG files

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache_dir = cache_dir / "cards" if cache_dir else None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        by_page = portal.share_cards()
        data_cards = [card for lang in portal.site.site_language_codes
                      for indicator in portal.progress.indicators.values()
                      for card in DataView(portal.progress, portal.localizers[lang]
                                           ).data_cards(indicator)]
        drawn, count = cards.render_all([*by_page.values(), *data_cards], self.cache_dir)
        if count:
            report(f"binhdan: {count} share and data cards drawn, {len(drawn) - count} "
                   "from the cache")
        portal.card_files = {key: f"{CARDS_FOLDER}{key}.png" for key in drawn}
        portal.card_urls = {url: portal.card_files[card.key()] for url, card in by_page.items()}
        for key, path in drawn.items():
            yield Published(portal.card_files[key], source=path)


class OpenData:
    """CSV and JSON downloads of every indicator, target, observation and task."""

    store = None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for path, text in portal.open_data_files().items():
            yield Published(path, text)


class FeedsAndCalendars:
    """RSS, Atom, JSON Feed, the radio feed and calendars (feeds.py); an unchanged feed comes
    from the store."""

    store = "feeds.sqlite"

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for path, text in portal.feeds.files(store, portal.global_digest).items():
            yield Published(path, text)


class SearchIndex:
    """The static search index of every language that has search (search.py); the store
    keeps each document's words between builds."""

    store = "search.sqlite"

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for lang in portal.site.site_language_codes:
            for path, text in portal.search_files(lang, store).items():
                yield Published(path, text)


class Pipeline:
    """One build after load_portal: `prepare`, then `theme_file` for the theme's static files,
    `files` for every output, and `finish` once the pages are written."""

    def __init__(self, portal: Portal, cache_dir: Path | None,
                 report: Callable[[str], None] = print) -> None:
        self.portal = portal
        self.cache_dir = cache_dir
        self.report = report  # progress lines for the person building
        self.fingerprints: dict[str, str] = {}  # page URL -> what its HTML depends on
        self.outputs: list[Output] = [SiteRoot(), Pictures(), Cards(cache_dir), OpenData(),
                                      FeedsAndCalendars(), SearchIndex()]

    def _store(self, name: str | None) -> AbstractContextManager[Store | None]:
        if name is None:
            return nullcontext()
        return Store(self.cache_dir / name if self.cache_dir else None)

    def prepare(self, settings: Settings) -> None:
        """Everything pages and outputs read besides the plan: QR codes, every page's
        Markdown converted up front (all cores, cached), and the fingerprints that tell a
        dirty build which pages an edit changes."""
        portal = self.portal
        portal.site_url = settings.site_url
        with self._store("qr.sqlite") as store:
            portal.draw_qr_codes(store)
        todo = render.jobs(portal.plan, render.settings_fingerprint(
            settings.extensions, settings.extension_configs))
        with self._store("html.sqlite") as cache:
            done = cache.get(job.key for job in todo.values())
            missing = [job for job in todo.values() if job.key not in done]
            fresh = render.render_all(missing, settings.extensions, settings.extension_configs)
            cache.put(fresh)
        done.update(fresh)
        portal.rendered = {url: done[job.key] for url, job in todo.items()}
        portal.render_keys = {url: job.key for url, job in todo.items()}
        portal.global_digest = tree_digest([PACKAGE_DIR, *settings.inputs])
        prints = Fingerprints(portal.plan, portal.global_digest, portal.render_keys,
                              portal.today, portal.picture_keys, portal.computed_digest)
        self.fingerprints = {spec.url: prints.page(spec) for spec in portal.plan.pages}
        gc.freeze()  # the plan lives for the whole build: keep the collector off it

    def theme_file(self, path: str, data: bytes) -> str | None:
        """A static file of our theme: CSS and JavaScript minified (rcssmin/rjsmin:
        maintained, dependency-free; the unit's colours end portal.css), None when published
        as it is. Every one gets its cache-busting address (`assets/portal.css?v=<hash>`):
        browsers may keep it for ever, a change gets a new address."""
        text = None
        if path.endswith(".css"):
            colours = self.portal.site.colours.css if path == "assets/portal.css" else ""
            text = rcssmin.cssmin(data.decode("utf-8-sig")) + colours
        elif path.endswith(".js"):
            text = rjsmin.jsmin(data.decode("utf-8-sig"))
        published = data if text is None else text.encode()
        self.portal.assets[path] = f"{path}?v={hashlib.sha256(published).hexdigest()[:10]}"
        return text

    def files(self) -> Iterator[Published]:
        """Every output's files, in order (cards before pages render: pages name them)."""
        for output in self.outputs:
            with self._store(output.store) as store:
                yield from output.files(self.portal, store, self.report)

    def finish(self, site_dir: Path, gone_pages: Iterable[str] = (),
               gone_files: Iterable[str] = ()) -> None:
        """Write the web editor (/admin/) into the written site; in a dirty build, delete the
        pages and generated files the previous build wrote and this one does not."""
        cms.write_admin(self.portal, site_dir)
        for url in gone_pages:
            page = site_dir / url / "index.html"
            page.unlink(missing_ok=True)
            folder = page.parent
            while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        for name in gone_files:
            (site_dir / name).unlink(missing_ok=True)
