"""The build's outputs, owned by the core: every file a build publishes, pages included.

An `Output` reads the portal's state and yields the files it publishes (`Published`: an
address and either its content or a file to copy or link). `Pipeline` prepares what pages
and outputs share (converted Markdown, QR codes, the digest of code and settings, page
fingerprints) and runs the outputs in order; `write_site` is a whole build without any
engine. An engine adapter turns each `Published` into its own kind of file: adding an output
is adding a class to `Pipeline.outputs`, the adapter does not change. What an output
depends on is kept in its own cache (`Output.store`, see cache.py), keyed by a digest of its
inputs, so an unchanged feed, index shard or card is not made again.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, Protocol
from xml.sax.saxutils import escape

import rcssmin
import rjsmin
from filelock import FileLock, Timeout

from .. import PACKAGE_DIR
from ..common import parallel
from ..common.cache import Shelf, Store, tree_digest, usable_folder
from ..common.folders import remove_later
from ..common.problems import Problems
from ..figures.dashboard import DataView
from ..media import cards, images, qr
from ..model.content import Item, Memory
from ..model.i18n import Localizer
from ..model.site_url import check_site_url
from ..plan.pages import Entry, PageSpec, check_addresses, keep_plan
from ..plan.portal import (
    CARDS_FOLDER,
    ROBOTS_TXT,
    SITEMAP_XML,
    Portal,
    load_portal,
    search_index,
)
from . import cms, layout, opendata, render, search
from .feeds import FeedFiles
from .incremental import Fingerprints, Manifest

SCRATCH_PREFIX = "binhdan-outputs-"  # a build's scratch folder in the cache (Pipeline.close)
_HELD = ".held"  # in a scratch folder: locked while its build runs
_SETTLING = 60  # seconds a new scratch folder may wait for its lock


@dataclass(frozen=True)
class Published:
    """One published file: `content` made by this build, or a `source` file to publish. A
    source in the build cache or its scratch folder is never rewritten in place, so an engine
    may link it instead of copying (`link`); an editor's or the theme's file is copied."""

    address: str
    content: str | bytes | None = None
    source: Path | None = None
    link: bool = True
    # what made `content` is known by, where that is cheaper than hashing it: the key a
    # store keeps it under, a digest of its inputs (feeds and open data: 40 MB to hash on
    # every saved edit at 1,000 items x 2). Its content changes only when this changes.
    made_from: str = ""
    # no content: the file the last build made (from `made_from`, if given) is in place (a
    # build in place does not read 120 MB of unchanged feeds from the store at 10,000 items
    # x 2, nor look at 23,500 cards three times)
    kept: bool = False


@dataclass(frozen=True)
class Settings:
    """What the engine knows and the core needs."""

    settings_file: Path  # mkdocs.yml: the project is its folder
    content_dir: Path
    data_dir: str
    site_url: str  # the published address: feeds, QR codes and share previews need it
    extensions: list[Any]  # Markdown extensions and their options
    extension_configs: dict[str, Any]
    theme_dir: Path | None = None  # our theme: its templates and files (else mkdocs.yml's)
    cache_dir: Path | None = None  # where the build caches should go, if anywhere

    @property
    def root(self) -> Path:
        return self.settings_file.parent



class Output(Protocol):
    """A kind of generated file. `store` names the cache it keeps between builds, if any."""

    store: ClassVar[str | None]

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]: ...


class ThemeFiles:
    """The theme's static files. CSS and JavaScript minified (rcssmin/rjsmin: maintained,
    dependency-free; the unit's colours end portal.css); every one gets its cache-busting
    address (`assets/portal.css?v=<hash>`, `Portal.assets`): browsers may keep it for ever,
    a change gets a new address. Runs first: pages and the web editor link these addresses."""

    store = None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        if portal.theme_dir is None:
            return
        for path in sorted(portal.theme_files):
            source = portal.theme_dir / path
            data = source.read_bytes()
            text = None
            if path.endswith(".css"):
                colours = portal.site.colours.css if path == "assets/portal.css" else ""
                text = rcssmin.cssmin(data.decode("utf-8-sig")) + colours
            elif path.endswith(".js"):
                text = rjsmin.jsmin(data.decode("utf-8-sig"))
            published = data if text is None else text.encode()
            portal.assets[path] = f"{path}?v={hashlib.sha256(published).hexdigest()[:10]}"
            yield Published(path, text) if text is not None else Published(
                path, source=source, link=False)


class ContentFiles:
    """Editors' files published as they are (PDFs, recordings, captions): only those a
    published page uses, and never a photo or SVG (published as their variants and cleaned
    copies, see `Pictures`)."""

    store = None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for path in sorted(portal.published_files):
            if not path.endswith(".md") and not path.lower().endswith(
                    (*images.RASTER, ".svg")):
                yield Published(path, source=portal.content_dir / path, link=False)


class SiteRoot:
    """robots.txt, and the sitemap (every page with its language versions and the date its
    content last changed, from the plan, so a partial rebuild still lists the whole site),
    made beside the build in a process of its own that yields the cores to the rest (see
    Pipeline.prepare); the last output, so that it need not wait for it."""

    store = None

    def __init__(self, sitemap: Callable[[], str]) -> None:
        self.sitemap = sitemap

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        site_url = portal.site_url
        robots = ["User-agent: *", "Allow: /"]
        if site_url:
            robots.append(f"Sitemap: {site_url.rstrip('/')}/{SITEMAP_XML}")
        yield Published(ROBOTS_TXT, "\n".join(robots) + "\n")
        if site_url:
            yield Published(SITEMAP_XML, self.sitemap())


def page_index(portal: Portal, in_place: Path | None = None
               ) -> tuple[dict[str, str], set[str]]:
    """Every page's fingerprint (incremental.py) and, for a build in place, the pages whose
    file is missing from that folder (one look at each: 28,000 at 10,000 items x 2). Like
    the sitemap, it reads only the plan and what is worked out before the Markdown is
    converted (its cache keys, picture keys, the computed figures' digest), so a build makes
    it in a process of its own while this one starts the cards and QR codes (a tenth of a
    one-edit rebuild at 10,000 items x 2, and the look a fortieth)."""
    prints = Fingerprints(portal.plan, portal.global_digest, portal.render_keys,
                          portal.today, portal.picture_keys, portal.computed_digest)
    pages = {spec.url: prints.page(spec) for spec in portal.plan.pages}
    return pages, set() if in_place is None else missing_pages(pages, in_place)


def missing_pages(urls: Iterable[str], folder: Path) -> set[str]:
    """The pages of `urls` whose file is not in `folder` (deleted by hand, say)."""
    site = f"{folder}{os.sep}"
    return {url for url in urls if not os.path.isfile(f"{site}{url}index.html")}


def sitemap(portal: Portal) -> str:
    """sitemap.xml: every page but the offline one, with its language versions."""
    base = portal.site_url if portal.site_url.endswith("/") else portal.site_url + "/"
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
    return "\n".join(lines) + "\n"


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
    Pages only need their preview's address (a digest of what it shows): `begin` sets those
    (`Portal.card_urls`, `Portal.card_files`) and starts drawing in the background at the
    start of the build; this output, near the end, yields the cards once drawn."""

    store = None  # cards.draw_all keeps its own folder of checked PNG files

    def __init__(self, cache_dir: Path | None, memory: Memory | None = None) -> None:
        self.cache_dir = cache_dir / "cards" if cache_dir else None
        self.drawing: cards.Drawing | None = None
        self.memory = memory
        self.in_place: str | None = None  # the site folder ("…/") a build in place rewrites

    def begin(self, portal: Portal) -> None:
        by_page = share_cards(portal)
        every = [*by_page.values(), *self.data_cards(portal)]
        portal.card_files = {card.key: f"{CARDS_FOLDER}{card.key}.png" for card in every}
        portal.card_urls = {url: portal.card_files[card.key] for url, card in by_page.items()}
        self.drawing = cards.draw_all(every, self.cache_dir)

    def data_cards(self, portal: Portal) -> list[cards.DataCard]:
        """Every indicator's cards in every language. They read only what the global and
        computed digests cover and the day: a preview keeps them while those are unchanged
        (3,700 cards at 1,000 items x 2, 70 ms of a saved edit)."""
        key = f"{portal.global_digest} {portal.computed_digest} {portal.today}"
        kept = self.memory.data_cards.get(key) if self.memory else None
        if kept is None:
            kept = [card for lang in portal.site.site_language_codes
                    for indicator in portal.progress.indicators.values()
                    for card in DataView(portal.progress, portal.localizers[lang]
                                         ).data_cards(indicator)]
            if self.memory:
                self.memory.data_cards = {key: kept}
        return kept

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        assert self.drawing is not None, "begin() first"
        drawing, self.drawing = self.drawing, None
        site = self.in_place
        try:  # on another disk (make serve's folder), cards are copied there, not linked
            if site is not None and os.stat(site).st_dev != os.stat(drawing.folder).st_dev:
                site = None
        except OSError:
            site = None
        for key, path in drawing.files(None if site is None else
                                       lambda key: site + portal.card_files[key]):
            # no file: linked there by an earlier build, and sound
            yield Published(portal.card_files[key], source=path, kept=path is None)
        if drawing.missing:
            report(f"binhdan: {drawing.missing} share and data cards drawn, "
                   f"{len(portal.card_files) - drawing.missing} from the cache")


def share_cards(portal: Portal) -> dict[str, cards.ShareCard | cards.DataCard]:
    """Page URL -> the image that previews it on Zalo or Facebook (site.yml
    `share_cards`: items = every item its own; sections = one per section; none = one
    per language)."""
    mode = portal.site.share_cards
    chosen: dict[str, cards.ShareCard | cards.DataCard] = {}
    by_identity: dict[tuple[Any, ...], cards.ShareCard | cards.DataCard] = {}
    homes: dict[str, cards.ShareCard | cards.DataCard] = {}
    # every language's, those of a few items too (Portal.localizers)
    makers = {lang: _CardMaker(portal, lang) for lang in portal.localizers}
    for spec in portal.plan.pages:  # items first, then listings, terms, data, tools
        card = makers[spec.lang].card(spec)
        by_identity[(spec.lang, *spec.identity)] = card
        if spec.kind == "home":
            homes[spec.lang] = card
    for spec in portal.plan.pages:
        identity = (*spec.identity[:-1], 1) if spec.pager else spec.identity
        card = by_identity[(spec.lang, *identity)]
        if mode == "none":
            card = homes.get(spec.lang, card)
        elif mode == "sections" and spec.kind == "item" and spec.content_type:
            card = by_identity.get((spec.lang, "listing", spec.content_type.key, 1), card)
        chosen[spec.url] = card
    return chosen


class _CardMaker:
    """The share cards of one language's pages; what every card of the language says is
    worked out once (28,000 pages at 10,000 items x 2)."""

    def __init__(self, portal: Portal, lang: str) -> None:
        self.portal = portal
        self.t = t = portal.localizers[lang]
        site = portal.site
        self.name, self.unit = t.pick(site.name), t.pick(site.unit_name)
        self.footer = f"{self.name} – {self.unit}"
        self.illustrative = t.t("illustrative.card")
        self.kinds: dict[str, str] = {}  # "types.guide" -> "Hướng dẫn"
        self.places: dict[str, str] = {}  # locality code -> its name

    def _label(self, key: str) -> str:
        if key not in self.kinds:
            self.kinds[key] = self.t.t(key)
        return self.kinds[key]

    def _place(self, code: str) -> str:
        if code not in self.places:
            self.places[code] = self.t.name(self.portal.site.term("localities", code))
        return self.places[code]

    def card(self, spec: PageSpec) -> cards.ShareCard | cards.DataCard:
        portal = self.portal
        if spec.kind == "indicator" and spec.subject:
            data = DataView(portal.progress, self.t)
            card = data.data_card(data.indicator(spec.subject))
            if card is not None:
                return card
        kicker = self.name
        detail, band = spec.description, ""
        if spec.kind == "indicator" and spec.subject in portal.progress.illustrative_figures:
            band = self.illustrative  # from another unit's plan, no figures yet
        if spec.entry is not None and spec.kind == "item":
            item = spec.entry.item
            kicker = self._label(f"types.{item.type.key}")
            detail = " · ".join([self._place(code) for code in item.localities]) or \
                item.summary
            band = self.illustrative if item.meta.get("illustrative") else ""
        elif spec.content_type is not None:
            kicker = self._label(f"types.{spec.content_type.key}")
        elif spec.taxonomy:
            kicker = self._label(f"taxonomies.{spec.taxonomy}")
        elif spec.section == "dashboard":
            kicker = self._label("data.title")
        return cards.ShareCard(kicker, spec.title if spec.kind != "home" else self.unit,
                               detail, self.footer, portal.site.colours, band)


class OpenData:
    """CSV and JSON downloads of every indicator, target, observation and task; the same
    data, figures and day give the same files, kept in the store (20,000 observations take
    a second to write out)."""

    store = "opendata.sqlite"

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        key = hashlib.sha256(f"{portal.global_digest} {portal.computed_digest} "
                             f"{portal.today.isoformat()}".encode()).hexdigest()
        kept = store.get(["open-data"]).get("open-data") if store else None
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key and isinstance(
                kept[1], dict):
            files = kept[1]
        else:  # one row, replaced: the store does not grow with every day or edit
            files = opendata.files(portal)
            if store:
                store.put({"open-data": (key, files)})
        for path, text in files.items():
            yield Published(path, text, made_from=key)


class FeedsAndCalendars:
    """RSS, Atom, JSON Feed, the radio feed and calendars (feeds.py); an unchanged feed comes
    from the store."""

    store = "feeds.sqlite"

    def __init__(self) -> None:
        # a key -> the files the last build made from it, if all are in place (see Pipeline)
        self.in_place: Callable[[str], list[str] | None] = lambda key: None

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for path, text, key in feed_files(portal).files(store, portal.global_digest,
                                                        self.in_place):
            yield Published(path, text, made_from=key, kept=text is None)


def feed_files(portal: Portal) -> FeedFiles:
    """The portal's feeds, written from its converted HTML with its published pictures."""
    def html(entry: Entry, part: int) -> str:
        texts = portal.rendered.get(entry.url, ())
        return texts[part] if part < len(texts) else ""

    def pictures(text: str, page_url: str) -> str:
        prefix = "../" * page_url.count("/")
        return portal.with_pictures(text, page_url, lambda url: prefix + url, simple=True)

    def fingerprint(entry: Entry) -> str:
        return (f"{portal.render_keys.get(entry.url, '')} "
                f"{portal.picture_keys.get(f'{entry.item.key}.{entry.item.lang}', '')}")

    return FeedFiles(portal.feeds, html, portal.content_dir, fingerprint, pictures)


class SearchIndex:
    """The static search index of every language that has search (search.py). It reads
    only the plan, so `begin` starts it in a process of its own at the start of the build,
    while this one prepares the pages and writes the other outputs (a third of a one-edit
    rebuild at 10,000 items x 2 was spent here, on one core). `search.sqlite` keeps each
    document's words between builds."""

    store = None  # its process opens its own

    def __init__(self, cache_dir: Path | None) -> None:
        self.words = cache_dir / "search.sqlite" if cache_dir else None
        self.pending: parallel.Background[dict[str, str]] | None = None

    def begin(self, portal: Portal) -> None:
        self.pending = parallel.in_background(_search_index, portal, self.words)

    def wait_for_cores(self) -> None:
        assert self.pending is not None, "begin() first"
        self.pending.wait_for_cores()

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        assert self.pending is not None, "begin() first"
        pending, self.pending = self.pending, None
        for path, text in pending().items():
            yield Published(path, text)


def _search_index(portal: Portal, words: Path | None) -> dict[str, str]:
    with Store(words) as store:
        return {path: text for lang in portal.site.site_language_codes
                for path, text in search_files(portal, lang, store).items()}


def search_files(portal: Portal, lang: str, store: Store | None = None) -> dict[str, str]:
    """The static search index of one language (see search.py) by site path, newest
    items first; `store` keeps each document's words between builds."""
    documents = []
    labels = portal.localizers[lang]
    urls = portal.urls(lang)
    pages = {spec.url: spec for spec in portal.plan.pages if spec.lang == lang}
    for entry in portal.plan.entries[lang]:
        spec = pages.get(entry.url)
        if spec is None or spec.kind == "home":
            continue
        documents.append(_search_document(entry.item, entry.url, labels, portal.code_version))
        easy, easy_url = entry.item.easy_read, urls.easy_read(entry.item)
        if easy is not None and easy_url in pages:  # its own result, said to be easy-read
            documents.append(_search_document(easy, easy_url, labels, portal.code_version))
    files = search.build_index(documents, portal.site.synonyms.get(lang, ()), store)
    return {f"{search_index(lang)}{path}": text for path, text in files.items()}


def _search_document(item: Item, url: str, labels: Localizer, code_version: str
                     ) -> search.Document:
    """An item as a search result, read by the code of `code_version`."""
    steps = item.meta.get("steps", [])
    requirements = item.meta.get("requirements", [])

    def texts() -> search.Texts:
        headings = [step.get("title", "") for step in steps] + [
            line.lstrip("# ") for line in item.body.splitlines() if line.startswith("#")]
        lead = [step.get("text", "") for step in steps] + requirements
        return search.Texts(headings=". ".join(headings), lead=". ".join(lead),
                            body=search.plain(item.body))

    kind = labels.t(f"types.{item.type.key}")
    if item.easy:
        kind = f"{kind} · {labels.t('languages.easy_badge')}"
    if item.meta.get("illustrative"):  # the result says so, as the card does
        kind = f"{kind} · {labels.t('ui.illustrative')}"
    return search.Document(
        url=url, title=item.title, kind=kind, summary=item.summary, texts=texts,
        # every text above is its file's (a translation's, with its original's inherited
        # fields) as the code reads it, whatever data/ says: the item's digest is theirs
        made_from=f"{code_version} {item.digest}",
        # an easy-read version weighs as an ordinary page: found, but after its item, which
        # the resident searching "vneid" expects first (and which links to it at the top)
        content_type="" if item.easy else item.type.key, name=item.meta.get("service", ""))


class WebEditor:
    """The web editor (/admin/): its page, config.yml and the vendored Decap bundle
    (cms.admin_files). Its page links our favicon by its versioned address: it runs after
    the theme's files (`ThemeFiles`)."""

    store = "editor.sqlite"

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        for address, made in cms.admin_files(portal, store):
            yield Published(address, made) if isinstance(made, str) else Published(
                address, source=made, link=False)


class Pages:
    """Every planned page, rendered from the theme's templates on every core (layout.py),
    then the 404 page and the service worker. `begin` starts the other cores as soon as
    the theme's versioned addresses are known (pages link them), while this process writes
    feeds and open data (13 s at 10,000 items x 2 with one core idle); `files`, last, takes
    this process's share and yields them all. A build in place leaves out the pages in
    `unchanged`."""

    store = None

    def __init__(self, scratch: Callable[[], Path]) -> None:
        self.scratch = scratch  # where rendered pages are written
        self.unchanged: set[str] = set()
        self.threshold = parallel.POOL_THRESHOLD  # this many pages are worth the workers
        self.rendering: parallel.Shared | None = None
        self.templates: layout.Layout | None = None  # the theme's, set by begin
        # reads the converted texts of these pages at once (render.Converted)
        self.prefetch: Callable[[Iterable[str]], None] = lambda urls: None

    def begin(self, portal: Portal) -> None:
        assert portal.theme_dir is not None, "pages need the theme's templates"
        self.templates = templates = layout.of_theme(portal.theme_dir, portal.global_digest)
        portal.render_fragment = templates.render
        for lang in portal.site.site_language_codes:  # what every page's feed links read,
            portal.feeds.specs(lang)                   # worked out once, before the fork
            portal.feeds.radio_specs(lang)
            portal.feeds.calendar_events(lang)
        specs = [spec for spec in portal.plan.pages if spec.url not in self.unchanged]
        self.prefetch(spec.url for spec in specs)  # their HTML, before the workers fork
        self.rendering = layout.start_pages(portal, templates, specs,
                                            self.scratch() / "pages", self.threshold)

    def files(self, portal: Portal, store: Store | None, report: Callable[[str], None]
              ) -> Iterator[Published]:
        if self.rendering is None:
            self.begin(portal)
        assert self.rendering is not None and self.templates is not None
        folder = self.scratch() / "pages"
        try:
            for address in self.rendering.results():
                yield Published(address, source=folder / address)
        finally:
            self.stop()
        for address, data in layout.special_pages(portal, self.templates):
            yield Published(address, data)

    def stop(self) -> None:
        """The pages are done, or the build failed before they were: the workers end, and
        nothing here keeps the build alive."""
        if self.rendering is not None:
            self.rendering.stop()
            self.rendering = None
            layout.pages_done()


def write_site(pipeline: Pipeline, folder: Path) -> None:
    """A whole build without an engine: every output's files written into `folder`."""
    for published in pipeline.files():
        put(published, folder / published.address)
    pipeline.close()


def put(published: Published, target: Path) -> None:
    """Write one file of `Pipeline.files` (each is handed on as a source) to the site."""
    assert published.source is not None
    if published.link:
        link_or_copy(published.source, target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(published.source, target)


def _in_place(published: Published, target: str) -> bool:
    """Whether a build in place may leave a source file's copy as it is: a cached file
    (cards, picture variants: 40,000 at 10,000 items x 2) linked there already, or any
    file no newer than its copy and the same size (MkDocs' own rule for a dirty build,
    with the size besides; a cache file is only ever replaced, so it is newer)."""
    assert published.source is not None
    try:  # os.stat of strings: pathlib's joins cost more than the system calls here
        source, there = os.stat(published.source), os.stat(target)
    except OSError:
        return False
    if published.link and os.path.samestat(source, there):
        return True  # else a copy: the cache on another disk (make serve writes to /tmp)
    return source.st_size == there.st_size and source.st_mtime_ns <= there.st_mtime_ns


def _copy(source: Path, target: Path) -> None:
    """Copy a file into the site. An error names the site's file (a full or read-only disk),
    unless the source itself could not be opened (deleted while `make serve` rebuilt): a
    failed copy names both files, the source first (shutil's sendfile)."""
    try:
        shutil.copyfile(source, target)
    except OSError as error:
        if error.filename == str(source) and not error.filename2:
            raise
        raise OSError(error.errno, error.strerror, str(target)) from None


def start(settings: Settings, memory: Memory | None = None,
          report: Callable[[str], None] = print, in_place: Path | None = None
          ) -> tuple[Pipeline | None, Problems]:
    """Read and check everything (load_portal), then prepare the pipeline; None with the
    problems when the build must stop. `memory` is kept by a long-running preview;
    `in_place`, the folder a build in place will rewrite (see Pipeline.leave_unchanged)."""
    _settle_memory()
    cache_dir = usable_folder(settings.cache_dir)
    code = _code_version()
    reading = memory if memory is not None else Memory()
    # Reading and preparing make a million objects (the shelf's, the items, the plan) that
    # live until the build ends, and hardly any garbage: the collector would only scan
    # them again and again (0.7 s of a one-edit rebuild at 10,000 items x 2). It is off
    # until they are frozen; pool workers turn their own back on (parallel).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if reading.shelf is None and cache_dir is not None:
            # what the shelf's values depend on besides the files they were read from
            content = os.path.relpath(settings.content_dir, settings.root)  # in messages
            reading.shelf = Shelf(cache_dir / "memory",
                                  f"{code}|{content}|{settings.data_dir}")
            reading.shelf.forget(reading.restore(reading.shelf.load()))
        try:
            return _read_and_prepare(settings, cache_dir, reading, report, code,
                                     memory is not None, in_place)
        finally:  # what this build read and checked, kept for the next (errors too)
            if reading.shelf is not None:
                reading.shelf.save(reading.kept())
            if memory is None:  # nothing reads them after this: not held while pages render
                reading.parsed, reading.validated, reading.stats = {}, {}, {}
    finally:
        gc.freeze()  # they live for the whole build (see _settle_memory)
        if collecting:
            gc.enable()


def _read_and_prepare(settings: Settings, cache_dir: Path | None, reading: Memory,
                      report: Callable[[str], None], code: str, lasting: bool,
                      in_place: Path | None) -> tuple[Pipeline | None, Problems]:
    portal, problems = load_portal(settings.root, settings.content_dir, settings.data_dir,
                                   cache_dir, reading, settings.theme_dir, settings.site_url,
                                   check_outputs=False)
    for warning in problems.warnings:
        report(warning.format())
    if portal is not None and portal.images.rendered:
        report(f"binhdan: {portal.images.rendered} images rendered, "
               f"{len(portal.images.pictures) - portal.images.rendered} from the cache")
    if portal is None or problems.errors:
        return None, problems
    # feeds, QR codes and share previews need absolute URLs; the server config its host
    site_url = Problems()
    if not check_site_url(settings.site_url, settings.settings_file, site_url):
        return None, site_url
    portal.code_version = code
    pipeline = Pipeline(portal, cache_dir, report, reading, lasting)
    pipeline.in_place = in_place
    if not pipeline.prepare(settings, problems):
        return None, problems
    keep_plan(portal.plan, portal.site, reading)  # with its feeds, listed by prepare
    return pipeline, problems


def _code_version() -> str:
    """What a shelf's values were made by: this package's code, the Python running it and
    the libraries it uses (a newer python-slugify may name a file's address otherwise)."""
    try:
        needed = [re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0]
                  for line in metadata.requires("binhdan") or [] if "extra ==" not in line]
        libraries = [f"{name}={metadata.version(name)}" for name in needed]
    except metadata.PackageNotFoundError:  # run from a folder, not installed
        libraries = []
    return hashlib.sha256(" ".join([tree_digest([PACKAGE_DIR]), sys.version, *libraries]
                                   ).encode()).hexdigest()


def _remove_abandoned_scratch(cache: Path) -> None:
    """Scratch folders of builds that were killed (out of memory, a cancelled CI job): their
    lock is free. Left there, each would keep a copy of a site in the cache for good. A
    folder younger than a minute is left alone: its build may not hold the lock yet."""
    for folder in cache.glob(f"{SCRATCH_PREFIX}*"):
        try:
            if time.time() - folder.stat().st_mtime < _SETTLING:
                continue
            if (folder / _HELD).is_file():
                lock = FileLock(folder / _HELD)
                lock.acquire(timeout=0)
                lock.release()
        except (Timeout, OSError):
            continue  # its build is running, it is being removed, or not ours to open
        remove_later(folder)


def link_or_copy(source: Path, target: Path) -> None:
    """Put a cached file (`Published.source`) into the site as a hard link, not a copy
    (hundreds of MB on a large site). Cache files are checked against their digest before
    use and only ever replaced by a rename, never rewritten in place, so a link can never
    change under a published page."""
    try:
        if os.path.samefile(source, target):
            return  # linked by the previous build in place: nothing to do
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        _copy(source, target)


_collecting = threading.Lock()
_builds = 0  # builds this process has started
_collected_after = -1  # the build after which the collector last ran, if the latest


def _settle_memory() -> None:
    """Python's cyclic collector rescans every live object again and again; on a big site
    (tens of thousands of items, pages and cached parses) that is a third of a rebuild.
    Each build starts from a collected heap (a new process's first: from the modules it
    imported), then freezes what stays alive (the previous build's caches); the next
    collection unfreezes it first, so nothing is kept longer than one build. After a build
    of a process that lives on, `_settle_later` has usually done it."""
    global _builds
    with _collecting:
        if _builds == 0:
            gc.freeze()  # a new process: what it holds is the modules it has just imported
        elif _collected_after != _builds:
            _collect()
        _builds += 1


def _settle_later(delay: float = 0.5) -> None:
    """Collect soon after this build, while the editor looks at the page, not at the start
    of the next rebuild of `mkdocs serve` (0.2 of its 1.8 s at 1,000 items x 2). A command
    that exits never waits for it."""
    timer = threading.Timer(delay, _settle, (_builds,))
    timer.daemon = True
    timer.start()


def _settle(build: int) -> None:
    """Collect after `build`, unless another build has started since or it is done."""
    global _collected_after
    with _collecting:
        if _builds == build and _collected_after != build:
            _collect()
            _collected_after = build


def _collect() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Pipeline:
    """One build after load_portal (see `start`): `prepare`, then `files` for every
    output, and `drop_stale` after a build in place (`leave_unchanged` before it)."""

    def __init__(self, portal: Portal, cache_dir: Path | None,
                 report: Callable[[str], None] = print, memory: Memory | None = None,
                 lasting: bool = False) -> None:
        self.portal = portal
        self.cache_dir = cache_dir
        # what this build reads and the next keeps (Memory); the stores' entries only in a
        # process that goes on after the build (a preview): a cold build's feeds are 100s of MB
        self.memory = memory
        self.lasting = lasting
        self.report = report  # progress lines for the person building
        self._index: parallel.Background[tuple[dict[str, str], set[str]]] | None = None
        self._indexed: dict[str, str] | None = None  # what page_index sent: fingerprints
        self._missing: set[str] = set()  # and the pages missing from `in_place`
        self._site_map: parallel.Background[str] | None = None  # made beside the build
        self.manifest: Manifest | None = None  # what the last build of this folder wrote
        self._scratch: Path | None = None  # see close()
        self._scratch_removal: weakref.finalize | None = None
        self._scratch_held: FileLock | None = None  # free once this build is gone
        self._closed = False
        self.written: dict[str, str] = {}  # every file but pages -> digest of what was made
        # (or of what it was made from, `Published.made_from`)
        self.in_place: Path | None = None  # the folder a build in place rewrites
        self.pages = Pages(self._scratch_folder)
        self.converted: render.Converted | None = None  # set by prepare
        self.cards = Cards(cache_dir, memory)
        self.search = SearchIndex(cache_dir)
        self.site_root = SiteRoot(self._sitemap)
        self.feeds = FeedsAndCalendars()
        self.outputs: list[Output] = [
            ThemeFiles(), ContentFiles(), Pictures(), OpenData(), self.feeds, self.search,
            WebEditor(), self.pages, self.cards, self.site_root]

    def _store(self, name: str | None) -> AbstractContextManager[Store | None]:
        return nullcontext() if name is None else self._open_store(name)

    def _open_store(self, name: str) -> Store:
        return Store(self.cache_dir / name if self.cache_dir else None,
                     self.memory.stores.setdefault(name, {})
                     if self.memory is not None and self.lasting else None)

    def prepare(self, settings: Settings, problems: Problems) -> bool:
        """Everything pages and outputs read besides the plan: QR codes, every page's
        Markdown converted up front (all cores, cached), and the fingerprints that tell a
        dirty build which pages an edit changes. First, no two outputs may share an address
        (load_portal's last check, left to here): False, with the problems, if two do. The
        search index, the fingerprints (page_index) and the sitemap start in processes of
        their own; share and data cards start drawing next, in the background (see Cards)."""
        portal = self.portal
        found = len(problems.items)
        checked = check_addresses(portal.outputs(), problems,
                                  self.memory.addresses if self.memory else "")
        if self.memory is not None:  # kept on the shelf: the next build's check is a digest
            self.memory.addresses = checked if len(problems.items) == found else ""
        if problems.errors:
            return False
        # besides the code, a change in any of these rebuilds every page
        project = tree_digest([settings.settings_file, settings.root / settings.data_dir,
                               *filter(None, [portal.theme_dir])])
        portal.global_digest = hashlib.sha256(
            f"{portal.code_version} {project}".encode()).hexdigest()
        self.search.begin(portal)
        todo = render.jobs(portal.plan, render.settings_fingerprint(
            settings.extensions, settings.extension_configs))
        portal.render_keys = {url: job.key for url, job in todo.items()}
        converted = self._open_store("html.sqlite")  # read from as pages ask (Converted)
        try:
            kept = converted.present(job.key for job in todo.values())
            missing = [job for job in todo.values() if job.key not in kept]
            self._index = parallel.in_background(page_index, portal, self.in_place)
            self._site_map = parallel.in_background(sitemap, portal) if portal.site_url \
                else parallel.Background(lambda: "")
            # A build that converts few pages (an edit) lets the processes whose results it
            # needs only in its second half wait for the cores. One that converts many lets
            # them finish: each holds the build as it was when forked, hundreds of MB at
            # 10,000 x 2.
            if len(missing) < parallel.POOL_THRESHOLD:
                self.search.wait_for_cores()
                self._site_map.wait_for_cores()
            self.cards.begin(portal)
            with self._store("qr.sqlite") as store:
                portal.qr_codes = qr.draw_all(portal.printed_pages, store)
            fresh = render.render_all(missing, settings.extensions, settings.extension_configs)
            converted.put(fresh)
            portal.rendered = self.converted = render.Converted(
                todo, fresh, converted, settings.extensions, settings.extension_configs)
            self.pages.prefetch = self.converted.fetch
        except BaseException:  # no pipeline is handed on to close it
            converted.close()
            raise
        return True

    @property
    def fingerprints(self) -> dict[str, str]:
        """Page URL -> what its HTML depends on (see page_index)."""
        if self._indexed is None:
            assert self._index is not None, "prepare() first"
            self._indexed, self._missing = self._index()
        return self._indexed

    def _sitemap(self) -> str:
        assert self._site_map is not None, "prepare() first"
        return self._site_map()

    def track(self, folder: Path) -> None:
        """Read what the last build of `folder` wrote (its releases folder when there is
        one: `site` itself is a link that changes with every build)."""
        self.manifest = Manifest(self.cache_dir, folder)

    def remember(self) -> None:
        """Keep this build's page fingerprints and other files for the next build."""
        assert self.manifest is not None, "track() first"
        self.manifest.save(self.fingerprints, self.written)

    def leave_unchanged(self, site_dir: Path) -> None:
        """A build in place (`make serve` after an edit) does not render the pages it wrote
        before whose fingerprint did not change, nor write again a file it made with the
        same bytes (feeds, search index, open data: thousands of files on every save)."""
        previous = self.manifest.previous if self.manifest else {}
        fingerprints = self.fingerprints
        missing = self._missing if site_dir == self.in_place else \
            missing_pages(fingerprints, site_dir)  # looked for beside the build, or here
        self.pages.unchanged = {url for url, fingerprint in fingerprints.items()
                                if previous.get(url) == fingerprint and url not in missing}
        self.in_place = site_dir
        if self.manifest is not None:  # a build stopped half-way leaves files the manifest
            self.manifest.forget()     # does not describe: the next one writes every file

    def files(self) -> Iterator[Published]:
        """Every output's files, in order: theme files first, pages after the feeds (made
        here while workers render the pages), the sitemap last (made beside the build).
        Made text is written to a scratch folder at once and handed on as a file, so a big
        site's pages, feeds and search index are never all held in memory."""
        try:
            yield from self._files()
        finally:  # a failed build (in `make serve` too) ends the page workers at once
            try:
                self.pages.stop()
            finally:  # every page and feed has its HTML by now
                if self.converted is not None:
                    self.converted.close()

    def _files(self) -> Iterator[Published]:
        pages = {f"{url}index.html" for url in self.fingerprints}
        before = self.manifest.previous_files if self.manifest and self.in_place else {}
        site = f"{self.in_place}{os.sep}" if self.in_place else ""
        self.written = {}
        made_by: dict[str, list[str]] = {}
        for address, made in before.items():
            if made.startswith("from "):
                made_by.setdefault(made[5:], []).append(address)
        self.feeds.in_place = lambda key: made_by[key] if key in made_by and all(
            os.path.isfile(site + address) for address in made_by[key]) else None
        self.cards.in_place = site or None
        for output in self.outputs:
            with self._store(output.store) as store:
                for published in output.files(self.portal, store, self.report):
                    if published.kept:  # as the last build wrote it, and in place
                        self.written[published.address] = \
                            f"from {published.made_from}" if published.made_from else ""
                        continue
                    data = published.content
                    if data is None:
                        if published.address not in pages:
                            self.written[published.address] = ""
                        if site and _in_place(published, site + published.address):
                            continue  # linked or copied there already by an earlier build
                        yield published
                        continue
                    if published.made_from:
                        made = f"from {published.made_from}"
                    else:
                        data = data.encode() if isinstance(data, str) else data
                        made = hashlib.sha256(data).hexdigest()
                    address = published.address
                    self.written[address] = made
                    if before.get(address) == made and site and os.path.isfile(site + address):
                        continue  # in place and the same bytes: nothing to write
                    data = data.encode() if isinstance(data, str) else data
                    spilled = self._scratch_folder() / "files" / address
                    spilled.parent.mkdir(parents=True, exist_ok=True)
                    spilled.write_bytes(data)
                    yield Published(address, source=spilled)
            if isinstance(output, ThemeFiles):  # the addresses pages link are known now
                self.pages.begin(self.portal)

    def _scratch_folder(self) -> Path:
        """This build's scratch folder in the cache (one file system: files are linked),
        held by a lock while the build runs."""
        if self._scratch is None:
            cache = usable_folder(self.cache_dir)
            if cache is not None:
                _remove_abandoned_scratch(cache)
            self._scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=cache))
            self._scratch_held = FileLock(self._scratch / _HELD)
            self._scratch_held.acquire()
            # removed with the pipeline if nobody calls close()
            self._scratch_removal = weakref.finalize(self, shutil.rmtree, self._scratch,
                                                     ignore_errors=True)
        return self._scratch

    def close(self, lasting: bool = False) -> None:
        """The engine has put every file in place: the scratch folder goes, in the
        background. Its files are linked into the site by now, and unlinking their names
        (the pages, feeds and search shards: tens of thousands at 10,000 items x 2) took 4 s
        at the end of every build. The collector runs soon after (`_settle_later`), or at
        once after the first build of a process that goes on (`lasting`: make serve), whose
        garbage is the largest: an editor saving at once would wait for it."""
        if self._closed:
            return
        self._closed = True
        try:
            self.pages.stop()
        finally:
            if self.converted is not None:
                self.converted.close()
        if lasting and _builds == 1:
            _settle(_builds)
        else:
            _settle_later()
        if self._scratch_held is not None:
            self._scratch_held.release()
        if self._scratch_removal is not None and self._scratch_removal.detach():
            remove_later(self._scratch)
        self._scratch_held = None
        self._scratch = self._scratch_removal = None

    def drop_stale(self, site_dir: Path) -> None:
        """A build in place (dirty) deletes the pages and other files the previous build
        wrote and this one did not."""
        previous = self.manifest
        if previous is None:
            return
        for url in set(previous.previous) - set(self.fingerprints):
            page = site_dir / url / "index.html"
            page.unlink(missing_ok=True)
            folder = page.parent
            while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        for name in set(previous.previous_files) - set(self.written):
            (site_dir / name).unlink(missing_ok=True)
