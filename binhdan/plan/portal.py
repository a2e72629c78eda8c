"""One build of the portal, engine-agnostic: load everything, check it, plan the pages.

`load_portal` is what both the MkDocs plugin and `binhdan check` call, so the command line and
the build can never disagree about what is wrong. `PortalView` is what templates see.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.core import get_global
from markupsafe import Markup

from ..common.cache import Store, tree_digest
from ..common.problems import Problems
from ..figures.dashboard import DataView
from ..figures.progress import Progress, load_progress, plan_documents
from ..media import images, qr
from ..model import mkdocs_yml
from ..model.content import Item, Memory, check_files, file_uses, load_content, regular_files
from ..model.dates import today
from ..model.events import PAST, Timing, when
from ..model.helppoints import Help, HelpEntry, autonym, hours_text, load_help
from ..model.i18n import Localizer, load_labels
from ..model.markup import never_published
from ..model.site import SiteConfig, Term, load_site, tel_link
from .feeds import FEED_FORMATS, Feeds
from .pages import Entry, Output, PageSpec, Plan, Urls, build_plan, check_addresses, is_published

# Where the adapter writes generated files; the address check reserves the same places.
ROBOTS_TXT = "robots.txt"
SITEMAP_XML = "sitemap.xml"
SEARCH_FOLDER = "search-index/"
CARDS_FOLDER = "og/"
OPEN_DATA_FOLDER = "open-data/"
EDITOR_FOLDER = "admin"  # the web editor (cms.py)


def open_data_file(name: str, extension: str) -> str:
    """A download of the open data: "open-data/targets.csv"."""
    return f"{OPEN_DATA_FOLDER}{name}.{extension}"


def search_index(lang: str) -> str:
    """The folder of one language's search index: "search-index/vi/"."""
    return f"{SEARCH_FOLDER}{lang}/"


@dataclass
class Portal:
    site: SiteConfig
    items: list[Item]
    localizers: dict[str, Localizer]
    plan: Plan
    today: date
    progress: Progress
    content_dir: Path
    images: images.Results
    # The regular files under content/ (no links, no special files): all that may be published
    content_files: frozenset[str] = frozenset()
    content_rel: str = "content"
    theme_dir: Path | None = None  # our theme: its templates and static files
    theme_files: frozenset[str] = frozenset()  # the theme's files published as they are
    # Static files under their cache-busting names ("assets/portal.css?v=1a2b3c4d"), set by
    # the engine adapter that knows where they live.
    assets: dict[str, str] = field(default_factory=dict)
    _entries_by_key: dict[str, dict[str, Entry]] = field(default_factory=dict)
    code_version: str = ""  # of the code building it, its Python and libraries (pipeline)
    global_digest: str = ""  # code, templates, data and settings (set by pipeline.Pipeline)
    # page URL -> its preview image; card key -> image (set by pipeline.Cards once drawn)
    card_urls: dict[str, str] = field(default_factory=dict)
    card_files: dict[str, str] = field(default_factory=dict)
    # HTML of each page's Markdown (body, then step texts) by page URL, see render.py,
    # and the cache key of each (it covers the pages that page links to).
    rendered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    render_keys: dict[str, str] = field(default_factory=dict)
    # Renders a template fragment (set by pipeline.Pipeline, see layout.py); the same card or
    # menu is rendered once per language and page depth and reused on every page showing it.
    render_fragment: Callable[[str, dict[str, Any]], str] | None = None
    site_url: str = ""  # the published address ("https://.../binh-dan-hoc-vu-so/")
    fragments: dict[tuple[Any, ...], Markup] = field(default_factory=dict)
    qr_codes: dict[str, str] = field(default_factory=dict)  # page address -> QR code SVG
    help: Help = field(default_factory=Help)  # help points and community teams

    @property
    def base_path(self) -> str:
        """The site's folder on its host ("/binh-dan-hoc-vu-so/"): how a page served at any
        address (the 404 page, the offline page) reaches the site's files and pages."""
        path = urlsplit(self.site_url or "/").path
        return path if path.endswith("/") else path + "/"

    @property
    def printed_pages(self) -> list[str]:
        """The addresses, under site_url, of the pages printed as handouts (guides): their
        print carries a QR code back to them."""
        if not self.site_url:
            return []
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return [base + spec.url for spec in self.plan.pages
                if spec.kind == "item" and spec.entry and spec.entry.item.type.key == "guide"]

    @cached_property
    def published_files(self) -> frozenset[str]:
        """Content files some published page uses: only these (and the variants of these
        pictures) reach the site. A draft's photos, a stray spreadsheet of names and phone
        numbers, a Word backup file never do."""
        items = {id(e.item): e.item for entries in self.plan.entries.values()
                 for e in entries}
        return frozenset(path for item in items.values() for version in item.versions
                         for path in version.files
                         if path in self.content_files and not never_published(path))

    def outputs(self) -> Iterator[Output]:
        """Everything a build writes, by who writes it (see pages.check_addresses): pages,
        published content files, picture variants, feeds and calendars (each belongs to the
        page it follows), open data, the search index, share cards, the web editor, the
        theme's files and the site's own root files."""
        pages = list(self.plan.outputs())
        yield from pages
        for path in sorted(self.published_files):  # items and photos become pages, variants
            if not path.endswith(".md") and not path.lower().endswith(images.RASTER):
                yield Output(path, f"{self.content_rel}/{path}")
        for path in self.published_variants():
            yield Output(path, ("ảnh thu nhỏ của trang", "the site's resized pictures"))
        page_sources = {output.url: output.source for output in pages}
        feeds = self.feeds  # the addresses do not depend on site_url
        for lang in self.site.site_language_codes:
            paths = [*feeds.calendar_events(lang), *(
                path for key in feeds.specs(lang) for path in _feed_paths(feeds, lang, key)
                .values())]
            for path in paths:  # each in the folder of the page it follows
                yield Output(path, page_sources.get(posixpath.dirname(path) + "/"
                                                    if "/" in path else "", "feeds"),
                             label=("một nguồn tin hoặc lịch", "a feed or calendar"))
        yield Output(OPEN_DATA_FOLDER, ("dữ liệu mở", "open data"))
        for path in sorted(self.theme_files):  # in the same order in every process
            yield Output(path, ("tệp giao diện", "the theme's files"))
        yield Output(self.not_found_page().template, ("trang lỗi 404", "the 404 page"))
        yield Output(SERVICE_WORKER, ("tệp giao diện", "the theme's files"))
        yield Output(ROBOTS_TXT, ("tệp cho máy tìm kiếm", "a file for search engines"))
        yield Output(SITEMAP_XML, ("tệp cho máy tìm kiếm", "a file for search engines"))
        yield Output(SEARCH_FOLDER, ("chỉ mục tìm kiếm", "the search index"))
        yield Output(CARDS_FOLDER, ("ảnh xem trước khi chia sẻ", "the share preview images"))
        yield Output(f"{EDITOR_FOLDER}/", ("trình soạn bài trên web", "the web editor"))

    def published_variants(self) -> dict[str, Path]:
        """Site path -> cached file of every picture variant a published page shows."""
        return {variant.url: self.images.files[variant.url]
                for path in sorted(self.published_files)
                if (picture := self.images.pictures.get(path))
                for variant in picture.variants}

    def html(self, spec: PageSpec, part: int = 0) -> str:
        """The page's body (part 0) or a guide step's text (part n) as HTML, its images as
        <picture> with variants."""
        texts = self.rendered.get(spec.url, ())
        if part >= len(texts):
            return ""
        return self.with_pictures(texts[part], spec.url, PortalView(self, spec).link)

    @cached_property
    def picture_keys(self) -> dict[str, str]:
        """Item key and language -> the variants of the images it shows (for fingerprints:
        replacing a photo under the same name changes the pages that show it)."""
        keys = {}
        for item in self.items:
            found = [self.images.pictures.get(path) for version in item.versions
                     for path in item_images(version)]
            keys[f"{item.key}.{item.lang}"] = " ".join(
                p.variants[0].url for p in found if p is not None)
        return keys

    @cached_property
    def computed_digest(self) -> str:
        """What figures take from content/ rather than data/: the figures the site counts
        from its items (computed.py) and the plan documents targets cite (their number and
        date), for the fingerprints of the pages and the open data that show them."""
        progress = self.progress
        return hashlib.sha256(repr([
            [(o.indicator, o.locality, o.period.label, o.value, o.note)
             for o in progress.observations if progress.indicators[o.indicator].computed],
            sorted(progress.plans.items())]).encode()).hexdigest()

    def with_pictures(self, html: str, page_url: str, link: Callable[[str], str],
                      simple: bool = False) -> str:
        def content_path(src: str) -> str | None:
            return posixpath.normpath(posixpath.join(page_url, src)) if "://" not in src \
                else None

        return images.rewrite_images(html, content_path, self.images.pictures, link, simple)

    def urls(self, lang: str) -> Urls:
        return Urls(self.localizers[lang], self.site.default_language)

    def page_meta(self, spec: PageSpec) -> dict[str, Any]:
        """Front matter MkDocs reads: template, title, description, language, date."""
        return {
            "template": spec.template,
            "title": spec.title,
            "description": spec.description,
            "lang": spec.lang,
            "lastmod": self.last_changed(spec).isoformat(),
        }

    def last_changed(self, spec: PageSpec) -> date:
        """When the page's content last changed: from content dates, never the build time,
        so the same commit builds to the same bytes."""
        if spec.entry is not None and spec.kind != "home":
            item = spec.entry.item
            return item.meta.get("updated") or item.date or self.newest
        shown = [*spec.entries, *(e for block in spec.blocks.values() for e in block)]
        dates = [e.item.meta.get("updated") or e.item.date for e in shown]
        return max((d for d in dates if d), default=self.newest)

    @cached_property
    def newest(self) -> date:
        dates = [i.meta.get("updated") or i.date for i in self.items if i.date]
        return max(dates, default=date(2025, 1, 1))

    def not_found_page(self) -> PageSpec:
        """The site's single 404 page, in the first language with links to every home."""
        lang = self.site.default_language
        return PageSpec(lang, "", "notfound", "404.html",
                        self.localizers[lang].t("ui.not_found_title"), "404.md", ("404",),
                        alternates={code: self.urls(code).home()
                                    for code in self.site.site_language_codes})

    def entries_by_key(self, lang: str) -> dict[str, Entry]:
        if lang not in self._entries_by_key:
            self._entries_by_key[lang] = {e.item.key: e for e in self.plan.entries[lang]}
        return self._entries_by_key[lang]

    @cached_property
    def feeds(self) -> Feeds:
        """Every feed's and calendar's address and entries (needs `site_url`)."""
        return Feeds(self.site, self.plan, self.localizers, self.site_url, self.today)

    def worker_view(self) -> PortalView:
        """What the service worker template sees (it lives at the site root)."""
        return PortalView(self, self.not_found_page(), prefix="")


def load_portal(root: Path, content_dir: Path, data_dir: str = "data",
                cache_dir: Path | None = None, memory: Memory | None = None,
                theme_dir: Path | None = None, site_url: str = "", check_outputs: bool = True
                ) -> tuple[Portal | None, Problems]:
    """Read data and content, validate everything, plan the pages. Never raises for bad
    content: every problem is in the returned list. `cache_dir` keeps parsed files; `memory`
    (kept by a long-running preview) reuses the previous build's reading and checking;
    `theme_dir` is the theme's own folder (by default mkdocs.yml's `custom_dir`);
    `site_url` the published address, if known (the feeds, planned once, need it).
    `check_outputs`: False leaves the check that no two outputs share an address to the
    caller when nothing else is wrong (a build makes it beside its search index and
    sitemap: `Pipeline.prepare`)."""
    problems = Problems()
    # Only regular files inside the project are read: links and special files are
    # reported, and data/ is not read at all while it has one.
    regular_files(root / data_dir, data_dir, problems)
    data_safe = not problems.errors
    content_rel = _relative(content_dir, root)
    content_files, refused = regular_files(content_dir, content_rel, problems)
    theme_dir = theme_dir or mkdocs_yml.theme_dir(root)
    theme_files = frozenset(
        path for path in regular_files(theme_dir, _relative(theme_dir, root), problems)[0]
        if _published_theme_file(path)) if theme_dir else frozenset()
    site = load_site(root, problems, data_dir) if data_safe else None
    if site is None:
        return None, problems
    labels = load_labels(site, root / data_dir, problems, data_dir)
    localizers = {code: Localizer(site, site.language(code), labels[code])
                  for code in site.language_codes}
    # What validation reads besides each file: data/ and which files exist (images, links).
    data_digest = tree_digest([root / data_dir])
    context = hashlib.sha256(data_digest.encode()
                             + "\0".join(sorted(content_files)).encode()).hexdigest()
    with Store(cache_dir / "parsed.sqlite" if cache_dir else None) as store:
        items, rejected = load_content(
            site, content_dir, problems, content_rel, store, memory, context,
            sorted(f for f in content_files if f.endswith(".md")))
    uses = file_uses([*items, *rejected])  # drafts' pictures are checked before their day
    check_files(content_dir, content_files, uses, problems, content_rel)
    pictures = images.process_all(
        content_dir, (path for path in uses if path in content_files),
        cache_dir / "images" if cache_dir else None,
        problems, content_rel, uses.get)
    publishing_day = today()
    progress = load_progress(site, root / data_dir, data_dir, problems, publishing_day,
                             plan_documents(items),
                             [item for item in items if is_published(item, publishing_day)],
                             memory, data_digest)
    # a link to a refused file is told once, on the file
    help_near = load_help(site, root / data_dir, data_dir, problems, publishing_day)
    plan = build_plan(site, items, localizers, publishing_day, content_files | refused,
                      progress, rejected, help_near.localities, memory, data_digest)
    problems.extend(plan.problems)
    portal = Portal(site, items, localizers, plan, publishing_day, progress, content_dir,
                    pictures, frozenset(content_files), content_rel, theme_dir, theme_files,
                    help=help_near)
    portal.site_url = site_url
    if check_outputs or problems.errors:  # a build that stops tells every problem at once
        check_addresses(portal.outputs(), problems)
    return portal, problems


SERVICE_WORKER = "sw.js"  # a template too: it lists the versioned files to keep offline


def _published_theme_file(path: str) -> bool:
    """A file of the theme published as it is: not a template (HTML, the service worker),
    and nothing MkDocs left out of a theme (hidden files, Python, read-me notes, Markdown,
    the theme's own settings)."""
    name = path.lower()
    return not (name.endswith(".html") or path == SERVICE_WORKER
                or name.startswith(".") or "/." in name
                or name.endswith((".py", ".pyc", ".md")) or "readme" in name
                or name.rsplit("/", 1)[-1] == "mkdocs_theme.yml")


def item_images(item: Item) -> list[str]:
    """Images an item shows: its image fields, its steps' pictures, its texts' images."""
    return [path for path in item.files if path.lower().endswith(images.RASTER)]


def _feed_paths(feeds: Feeds, lang: str, key: str) -> dict[str, str]:
    """Site paths of one feed in each format it has: rss, atom, radio, json."""
    spec = feeds.specs(lang)[key]
    found = {"rss": spec.path, "atom": spec.file("atom")}
    radio = feeds.radio_specs(lang).get(key)
    if radio:
        found["radio"] = radio.path
    if key == "all":
        found["json"] = spec.file("json")
    return found


FEED_TYPES = {**{kind: mime for kind, (_, mime) in FEED_FORMATS.items()}, "ics": "text/calendar"}
OPEN_DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicators": ("id", "name_vi", "name_en", "unit", "per", "audience", "topic", "source",
                   "plan", "illustrative"),
    "targets": ("indicator", "year", "value", "locality", "each", "per", "due", "milestones",
                "plan", "section", "source", "illustrative"),
    "observations": ("indicator", "locality", "period", "numerator", "denominator", "value",
                     "source", "note", "illustrative"),
    "tasks": ("id", "text_vi", "text_en", "lead", "deadline", "due", "locality", "status",
              "overdue", "evidence", "plan", "illustrative"),
}
# A text cell starting with one of these is run as a formula by spreadsheets (OWASP, "CSV
# injection"): =HYPERLINK(...) in a note would become a link, or worse, on an officer's PC.
# Runs in <head> before the first paint, so a reader who chose large text never sees the
# page jump. Kept tiny and constant: its hash goes into the Content-Security-Policy.
PREFERENCES_SCRIPT = ("(function(d){try{var s=localStorage,t=s.getItem('bd-text'),"
                      "c=s.getItem('bd-contrast');if(t)d.dataset.text=t;"
                      "if(c)d.dataset.contrast=c}catch(e){}})(document.documentElement)")
# Pages a web server or the service worker shows in place of another address: their links
# cannot be relative to where they were published.
SERVED_ANYWHERE = ("notfound", "offline")
# The service worker's cache of visited pages (sw.js), which the offline page lists.
PAGES_CACHE = "pages-1"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class PortalView:
    """What a template sees as `portal`: the page being built and helpers in its language."""

    def __init__(self, portal: Portal, spec: PageSpec, prefix: str | None = None) -> None:
        self.portal = portal
        self.spec = spec
        self.site = portal.site
        # The interface's language: a minority language's page (its content marked with its
        # own lang="") is framed by the first language's menus, labels, dates and numbers.
        self.lang = portal.site.interface_language(spec.lang)
        self.i18n = portal.localizers[self.lang]
        self.urls = portal.urls(self.lang)
        # How this page reaches the site root: "../../" from "huong-dan/x/". Pages served at
        # any address (404, offline) use the site's absolute base path instead.
        if prefix is None:
            prefix = portal.base_path if spec.kind in SERVED_ANYWHERE \
                else "../" * spec.url.count("/")
        self.prefix = prefix

    def link(self, target: str) -> str:
        """A site-relative path ("tin-tuc/") as a link from this page."""
        if not target or (not target.startswith(("#", "/")) and "://" not in target \
                and not target.startswith(("mailto:", "tel:", "geo:"))):
            return self.prefix + target or "./"
        return target

    def fragment(self, template: str, key: tuple[Any, ...], **values: Any) -> Markup:
        """A piece of HTML that is the same on every page of this language and depth."""
        cache_key = (template, self.lang, self.prefix, *key)
        html = self.portal.fragments.get(cache_key)
        if html is None:
            assert self.portal.render_fragment is not None
            html = Markup(self.portal.render_fragment(template, {"portal": self, **values}))
            self.portal.fragments[cache_key] = html
        return html

    def card(self, entry: Entry, heading: str) -> Markup:
        return self.fragment("partials/card.html", (id(entry), heading), entry=entry,
                             heading=heading)

    @property
    def footer_links(self) -> list[tuple[str, str]]:
        return [(spec.title, spec.url) for spec in self.portal.plan.footer(self.lang)]

    def menu_html(self) -> Markup:
        current = self.spec.url if any(s.url == self.spec.url
                                       for s in self.portal.plan.nav(self.lang)) else None
        return self.fragment("partials/menu.html", (current, self.spec.section),
                             menu=self.menu)

    # Text
    def t(self, key: str, **params: object) -> str:
        return self.i18n.t(key, **params)

    def pick(self, values: dict[str, str]) -> str:
        return self.i18n.pick(values)

    @property
    def site_name(self) -> str:
        return self.pick(self.site.name)

    @property
    def unit_name(self) -> str:
        return self.pick(self.site.unit_name)

    def date(self, value: Any) -> str:
        return self.i18n.date(value)

    def datetime(self, value: Any) -> str:
        return self.i18n.datetime(value)

    def number(self, value: float, decimals: int | None = None) -> str:
        return self.i18n.number(value, decimals)

    def choice(self, field: str, value: str) -> str:
        return self.i18n.choice(field, value)

    def language_name(self, code: str) -> str:
        return self.site.language(code).name

    # Taxonomies
    def term(self, taxonomy: str, term_id: str) -> Term:
        return self.site.term(taxonomy, term_id)

    def term_name(self, taxonomy: str, term_id: str) -> str:
        return self.i18n.name(self.term(taxonomy, term_id))

    def term_url(self, taxonomy: str, term_id: str) -> str:
        return self.urls.term(taxonomy, term_id)

    def taxonomy_url(self, taxonomy: str) -> str:
        return self.urls.taxonomy(taxonomy)

    def section_url(self, type_key: str) -> str:
        return self.urls.section(type_key)

    def open_data_file(self, name: str, extension: str) -> str:
        return open_data_file(name, extension)

    @property
    def search_index(self) -> str:
        return search_index(self.lang)

    # what the service worker leaves to the network
    editor_folder = f"{EDITOR_FOLDER}/"
    search_folder = SEARCH_FOLDER

    def children(self, taxonomy: str, term_id: str) -> list[Term]:
        return [t for t in self.site.taxonomies[taxonomy].values()
                if t.extra.get("parent") == term_id]

    @property
    def home_url(self) -> str:
        return self.urls.home()

    @property
    def content(self) -> Markup:
        """The page's own text as HTML (its Markdown body, converted up front)."""
        return Markup(self.portal.html(self.spec))

    @property
    def canonical_url(self) -> str | None:
        """The page's one address, for search engines; none for the 404 page (it is served
        at any address) or without the published address."""
        if not self.portal.site_url or self.spec.kind == "notfound":
            return None
        return self.absolute(self.spec.url)

    def step_html(self, index: int) -> Markup:
        return Markup(self.portal.html(self.spec, index + 1))

    def transcript_html(self) -> Markup:
        assert self.spec.entry is not None
        steps = self.spec.entry.item.meta.get("steps", [])
        return Markup(self.portal.html(self.spec, len(steps) + 1))

    def absolute(self, url: str) -> str:
        """A page's full address (hreflang and canonical links must be absolute)."""
        base = self.portal.site_url
        return (base if base.endswith("/") else base + "/") + url if base else self.link(url)

    def picture(self, path: str, alt: str, lazy: bool = True, css: str = "") -> Markup:
        """An image of the content at the size the screen needs."""
        picture = self.portal.images.pictures.get(path)
        if picture is None:  # SVG and other formats are published as they are
            return Markup(f'<img class="{html_escape(css)}" src="{html_escape(self.link(path))}" '
                          f'alt="{html_escape(alt)}">')
        return Markup(images.picture_html(picture, alt, self.link, lazy=lazy, css=css))

    def image_url(self, path: str, size: str = "medium") -> str:
        picture = self.portal.images.pictures.get(path)
        if picture is None:
            return path
        return picture.largest.url if size == "largest" else picture.medium.url

    def qr_svg(self) -> Markup:
        """A QR code that opens this page: printed handouts lead back online."""
        url = self.absolute(self.spec.url)
        svg = self.portal.qr_codes.get(url) or qr.qr_code(url)
        title = f"<title>{html_escape(self.t('print.qr', url=url))}</title>"
        return Markup(svg.replace(">", ">" + title, 1))

    @property
    def og_locale(self) -> str:
        """"vi_VN", "en_US": what Open Graph expects, from CLDR's likely subtags."""
        locale = self.site.language(self.lang).locale.replace("-", "_")
        likely = get_global("likely_subtags").get(locale, locale)
        parts = likely.split("_")
        return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else parts[0]

    @property
    def share_image(self) -> str | None:
        url = self.portal.card_urls.get(self.spec.url)
        return self.absolute(url) if url else None

    def data_card_links(self, indicator: Any) -> list[tuple[str, str]]:
        """(text alternative, site path) of an indicator's share-ready data cards."""
        return [(card.text, self.portal.card_files[card.key])
                for card in self.data.data_cards(indicator)
                if card.key in self.portal.card_files]

    def asset(self, path: str) -> str:
        return self.portal.assets.get(path, path)

    @property
    def menu(self) -> list[dict[str, Any]]:
        """The language's sections, with the current one marked."""
        entries = []
        for spec in self.portal.plan.nav(self.lang):
            title = self.t("ui.home") if spec.kind == "home" else spec.title
            entries.append({"title": title, "url": spec.url,
                            "current": spec.url == self.spec.url,
                            "in_section": spec.section == self.spec.section})
        return entries

    # Languages
    @property
    def switcher(self) -> list[dict[str, Any]]:
        """Every other language, named in its own language, with the URL of this page there,
        else that language's home. A language with a few items only has no home: it is
        offered on the pages it has, nowhere else."""
        links = []
        for language in self.site.languages:
            url = self.spec.alternates.get(language.code)
            if language.code == self.spec.lang or (url is None and language.items_only):
                continue
            links.append({"lang": language.code, "name": language.name,
                          "url": url if url is not None else self.portal.urls(
                              language.code).home(), "same_page": url is not None})
        return links

    def easy_read_url(self, entry: Entry) -> str | None:
        """The page of the item's easy-read version, if it has one in this language."""
        if entry.fallback or entry.item.easy_read is None:
            return None
        return self.portal.urls(entry.lang).easy_read(entry.item)

    @property
    def easy_read_switch(self) -> tuple[str, bool] | None:
        """The link between an item's page and its easy-read version's, both ways: (URL,
        whether it leads to the easy-read version)."""
        entry = self.spec.entry
        if entry is None:
            return None
        if entry.item.easy:
            return self.portal.entries_by_key(entry.lang)[entry.item.key].url, False
        url = self.easy_read_url(entry)
        return (url, True) if url else None

    def in_every_language(self) -> list[PortalView]:
        return [PortalView(self.portal, replace(self.spec, lang=code))
                for code in self.site.site_language_codes]

    # Feeds
    @property
    def feed_links(self) -> list[tuple[str, str, str]]:
        """(MIME type, title, absolute URL) of the feeds that follow this page: its own
        (a listing's, a topic's or a locality's, else the whole section's) in every format,
        and its calendar."""
        specs = self.portal.feeds.specs(self.lang)
        key = self._feed_key
        links = {**self.feeds_of(key), "ics": self.calendar_url}
        return [(FEED_TYPES[kind], f"{specs[key].title} – {self.t(f'feeds.{kind}')}", url)
                for kind, url in links.items() if url]

    @property
    def _feed_key(self) -> str:
        """This page's own feed: a listing's, a topic's or a locality's, else everything."""
        key = {"listing": f"type:{self.spec.content_type.key}" if self.spec.content_type
               else "", "term": f"{self.spec.taxonomy}:{self.spec.term.id}"
               if self.spec.term else ""}.get(self.spec.kind, "all")
        return key if key in self.portal.feeds.specs(self.lang) else "all"

    def feeds_of(self, key: str) -> dict[str, str]:
        """Absolute addresses of one feed in each format it has: rss, atom, radio, json."""
        feeds = self.portal.feeds
        return {kind: feeds.absolute(url)
                for kind, url in _feed_paths(feeds, self.lang, key).items()}

    @cached_property
    def calendar_path(self) -> str:
        """The calendar of this page (site path): a locality's own, an event's own, all
        events on the home page and the events listing; "" for none."""
        urls = self.urls
        event = self.spec.content_type is not None and self.spec.content_type.key == "event"
        if self.spec.taxonomy == "localities" and self.spec.term:
            path = urls.calendar(urls.term("localities", self.spec.term.id))
        elif event and self.spec.kind == "item":
            path = urls.calendar(self.spec.url)
        elif event or self.spec.kind == "home":
            path = urls.calendar(urls.section("event"))
        else:
            return ""
        return path if path in self.portal.feeds.calendar_events(self.lang) else ""

    @property
    def calendar_url(self) -> str:
        """The calendar's address under `site_url`, for <link rel="alternate">."""
        return self.portal.feeds.absolute(self.calendar_path) if self.calendar_path else ""

    @property
    def webcal_url(self) -> str:
        """webcal: (the calendar app subscribes and keeps it updated) from `site_url`, or ""
        without a host; calendar.js makes it from where the page is served, so a copy on
        another address subscribes to its own calendar."""
        if not self.calendar_path or not urlsplit(self.portal.site_url).hostname:
            return ""
        return "webcal:" + self.calendar_url.split(":", 1)[1]

    @property
    def subscribe_links(self) -> list[tuple[str, str]]:
        """(label, address) of the feeds a listing, topic or locality page offers under its
        title (its calendar: partials/item/calendar-links.html)."""
        feeds = self.feeds_of(self._feed_key)
        links = [(self.t("feeds.rss"), feeds["rss"])]
        if "radio" in feeds:
            links.append((self.t("feeds.radio_short"), feeds["radio"]))
        return links

    @property
    def feed_groups(self) -> list[tuple[str, list[dict[str, str]]]]:
        """For the feeds page: every feed of this language, grouped, with absolute URLs."""
        feeds = self.portal.feeds
        specs = feeds.specs(self.lang)
        calendars = feeds.calendar_events(self.lang)

        def row(key: str, title: str, calendar: str) -> dict[str, str]:
            links = {"name": title, **self.feeds_of(key)}
            if calendar in calendars:
                links["ics"] = feeds.absolute(calendar)
            return links

        groups = [("all", [row("all", self.site_name,
                               self.urls.calendar(self.urls.section("event")))])]
        for prefix in ("type", "topics", "localities"):
            rows = []
            for key in specs:
                if key.startswith(f"{prefix}:"):
                    ident = key.split(":", 1)[1]
                    title = self.t(f"types.{ident}") if prefix == "type" else \
                        self.term_name(prefix, ident)
                    calendar = self.urls.calendar(self.urls.term(prefix, ident)) \
                        if prefix == "localities" else ""
                    rows.append(row(key, title, calendar))
            groups.append((prefix, rows))
        return groups

    @property
    def widget_news(self) -> list[Entry]:
        return [e for e in self.portal.plan.entries[self.lang]
                if e.item.type.key == "news"][:5]

    @property
    def widget_figures(self) -> list[tuple[str, Any, str, bool]]:
        """The unit's latest figure on the plan's own indicators, with the period it is for
        and whether anything in it is illustrative."""
        if self.portal.progress.empty:
            return []
        cards = [self.data.card(i) for i in self.data.indicators if not i.illustrative]
        invented = self.portal.progress.illustrative_figures
        return [(self.data.name(c["indicator"]), c["row"], c["period"],
                 c["indicator"].id in invented) for c in cards if c["row"]][:6]

    # Progress data
    @cached_property
    def data(self) -> DataView:
        return DataView(self.portal.progress, self.i18n)

    @property
    def locality_figures(self) -> list[Any]:
        if self.spec.taxonomy != "localities" or self.spec.term is None \
                or self.portal.progress.empty:
            return []
        return self.data.locality_figures(self.spec.term.id)

    @property
    def open_data_schema(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(name, [(column, self.t(f"opendata.{name}.{column}")) for column in columns])
                for name, columns in OPEN_DATA_COLUMNS.items()]

    def item_url(self, key: str | None) -> str | None:
        """The page of a content item (by its key, "documents/ke-hoach-...") here."""
        entry = self.portal.entries_by_key(self.lang).get(key or "")
        return entry.url if entry else None

    def item_title(self, key: str) -> str:
        entry = self.portal.entries_by_key(self.lang)[key]
        return entry.item.title

    # Feedback
    @property
    def feedback_links(self) -> list[tuple[str, str]]:
        """(label, address) of each way to report a problem with this page, the page named
        in the portal's and the email's; none on pages shown in place of another address,
        whose own address would say nothing."""
        feedback = self.site.feedback
        if self.spec.kind in SERVED_ANYWHERE:
            return []
        url, title = self.absolute(self.spec.url), self.spec.title
        links = []
        if feedback.portal:
            links.append((self.t("feedback.portal"), feedback.portal_link(url, title)))
        if feedback.email:
            links.append((self.t("feedback.email"), feedback.mail_link(
                self.t("feedback.subject", title=title), self.t("feedback.body", url=url))))
        if feedback.phone:
            number = feedback.phone.replace(" ", "\u00a0")  # not split across two lines
            links.append((self.t("feedback.phone", phone=number), tel_link(feedback.phone)))
        if feedback.zalo:
            links.append((self.t("feedback.zalo"), feedback.zalo))
        return links

    # Help near you (helppoints.py)
    def help_url(self, locality: str = "") -> str:
        return self.urls.help(locality)

    @property
    def help_localities(self) -> list[Term]:
        """The localities with a help page, for the guides' box and the index."""
        localities = self.site.taxonomies["localities"]
        return [localities[code] for code in self.portal.help.localities]

    def help_nearest(self, locality: str) -> list[tuple[Term, tuple[HelpEntry, ...]]]:
        """The locality's own points and teams, then each unit's above it."""
        return [(self.term("localities", code), entries)
                for code, entries in self.portal.help.nearest(locality)]

    def help_at(self, locality: str) -> tuple[HelpEntry, ...]:
        return self.portal.help.at(locality)

    def help_for_item(self) -> list[Term]:
        """The help pages a guide's box links to without JavaScript: its localities' (those
        with help), else none (the box links to every commune's list)."""
        codes = set(self.portal.help.localities)
        return [self.term("localities", code) for code in self.spec.entry.item.localities
                if code in codes] if self.spec.entry else []

    def help_hours(self, entry: HelpEntry) -> list[str]:
        names = {day: name[:1].upper() + name[1:] for day, name in self.i18n.day_names().items()}
        return [hours_text(hours, names) for hours in entry.hours]

    def help_languages(self, entry: HelpEntry) -> list[tuple[str, str]]:
        """(name, the language it is written in): in its own language where known ("Tiếng
        Việt", lang vi), else in the page's ("tiếng Tày"), else the code."""
        own = {language.code: language.name for language in self.site.languages}
        names = []
        for code in entry.languages:
            name = own.get(code) or autonym(code)
            label = f"help_points.language_names.{code}"
            names.append((name, code) if name else
                         (self.t(label) if self.i18n.has(label) else code, self.lang))
        return names

    # Reading aids and search
    @property
    def preferences_script(self) -> Markup:
        return Markup(PREFERENCES_SCRIPT)

    @property
    def search_messages_json(self) -> str:
        keys = ("results_one", "results_many", "results_none", "searching", "more", "failed")
        return json.dumps({key: self.t(f"search.{key}") for key in keys}, ensure_ascii=False)

    # Offline support (sw.js)
    @property
    def assets_version(self) -> str:
        return hashlib.sha256("".join(sorted(self.portal.assets.values())).encode()
                              ).hexdigest()[:12]

    @property
    def offline_pages(self) -> list[tuple[str, str]]:
        """(URL prefix of a language, its offline page), most specific prefix first."""
        pages = [(self.portal.urls(code).prefix, self.portal.urls(code).section("offline"))
                 for code in self.site.site_language_codes]
        return sorted(pages, key=lambda pair: -len(pair[0]))

    @property
    def pages_cache(self) -> str:
        return PAGES_CACHE

    @property
    def offline_core(self) -> list[str]:
        """Kept from the first visit: offline pages, styles, scripts, icon."""
        return [url for _, url in self.offline_pages] + sorted(self.portal.assets.values())

    # Events
    def event_state(self, entry: Entry) -> str:
        """upcoming, happening or past on the publishing day."""
        return Timing.of(entry.item).state(self.portal.today)

    def event_when(self, entry: Entry) -> str:
        return when(entry.item, self.i18n)

    def next_session(self, entry: Entry) -> str:
        """A repeating class's next session ("Buổi tới: 18:00, 24/11/2026"), or ""."""
        timing = Timing.of(entry.item)
        if not timing.repeat or timing.state(self.portal.today) == PAST:
            return ""
        return self.t("event_time.next",
                      when=self.i18n.datetime(timing.next_start(self.portal.today)))

    def event_groups(self, entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
        """A page's entries under headings: events not over yet (the plan lists them
        first), then the rest. The events listing says "past events"; a topic or locality
        page says "other items". No headings when there is one kind only."""
        day = self.portal.today
        current = [e for e in entries if e.item.type.key == "event"
                   and Timing.of(e.item).state(day) != PAST]
        kind = self.spec.content_type
        listing = self.spec.kind == "listing" and kind is not None and kind.key == "event"
        if not entries or not (current or listing):
            return [("", entries)]
        chosen = {id(e) for e in current}
        rest = [e for e in entries if id(e) not in chosen]
        groups = [(self.t("event_time.upcoming_heading" if listing
                          else "event_time.upcoming_events"), current),
                  (self.t("event_time.past_heading" if listing else "event_time.other_items"),
                   rest)]
        return [(heading, group) for heading, group in groups if group]
