"""The page plan: every page of the site in every language, decided before anything renders.

Phase two of the build. From validated items and the site's data it decides which pages exist
(items, listings per type, topic/audience/locality pages, home), their URLs in each language,
pagination, related items and the language-switcher targets. It knows nothing of MkDocs; the
adapter turns each `PageSpec` into a page and each template reads what it needs from it.

Cost is linear in the number of items: items are indexed once per language, no page embeds a
list of all items, and related items come from a bounded neighbourhood.
"""

from __future__ import annotations

import bisect
import hashlib
import posixpath
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from ..common.cache import dumps_linked, loads_linked
from ..common.problems import Problems
from ..figures.progress import Progress
from ..figures.reports import report_periods
from ..model.content import Item, Memory, nearest
from ..model.events import UpcomingFirst, is_over
from ..model.i18n import Localizer
from ..model.markup import never_published
from ..model.schema import HOME_PAGE, LISTED_TYPES, TYPES_BY_FOLDER, ContentType
from ..model.site import SiteConfig, Term

RELATED_COUNT = 4
RELATED_WINDOW = 8  # neighbours looked at on each side in each shared topic
HOME_LATEST = 6
HOME_GUIDES = 4
HOME_EVENTS = 3
ITEM_TAXONOMIES = ("topics", "audiences", "localities")


@dataclass(frozen=True, eq=False)
class Entry:
    """An item as it appears in one language of the site (possibly untranslated)."""

    item: Item
    lang: str
    url: str

    @property
    def fallback(self) -> bool:
        return self.item.lang != self.lang


@dataclass
class Pager:
    number: int  # 1-based
    urls: list[str]

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    WINDOW = 2  # pages linked on each side of the current one

    @property
    def window(self) -> list[tuple[int, str] | None]:
        """(number, URL) of the first, last and nearby pages, None where pages are left out:
        a listing of 300 pages links a handful of them, not all 300 from each."""
        shown = {1, self.count, *range(self.number - self.WINDOW, self.number + self.WINDOW + 1)}
        window: list[tuple[int, str] | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.count):
            if window and window[-1] is not None and number > window[-1][0] + 1:
                window.append(None)
            window.append((number, self.urls[number - 1]))
        return window


@dataclass(eq=False)
class PageSpec:
    lang: str
    url: str  # site-relative directory URL: "" (home), "huong-dan/", "en/guides/x/"
    kind: str  # home | item | page | listing | terms | term
    template: str
    title: str
    src_uri: str  # where MkDocs believes the page comes from (relative links resolve from it)
    identity: tuple[Any, ...]  # the same page across languages
    section: str = ""  # the menu entry this page belongs to
    description: str = ""
    body: str = ""
    entry: Entry | None = None
    entries: list[Entry] = field(default_factory=list)
    pager: Pager | None = None
    content_type: ContentType | None = None
    taxonomy: str | None = None
    term: Term | None = None
    terms: list[tuple[Term, int]] = field(default_factory=list)  # (term, number of items)
    blocks: dict[str, list[Entry]] = field(default_factory=dict)  # home page sections
    related: list[Entry] = field(default_factory=list)
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> url of the same page
    nav_order: int | None = None  # in the menu when set
    in_footer: bool = False
    subject: str | None = None  # the indicator or reporting period a data page is about


@dataclass(frozen=True)
class Output:
    """Something a build writes, for the address check: a page, a published content file, a
    feed, a generated folder."""

    path: str  # in the site: "huong-dan/x/index.html"; ending in "/": a folder it fills
    source: str | tuple[str, str]  # who writes it: a file, or a generator (vi, en)
    entry: Entry | None = None  # an item's page: its address is the editor's choice
    url: str = ""  # a page's address (its folder)
    label: tuple[str, str] | None = None  # what it is, when not its source (a page's feed)


@dataclass
class Plan:
    pages: list[PageSpec]
    entries: dict[str, list[Entry]]  # per language, newest first
    problems: Problems
    key: str = ""  # what it was made from (build_plan): kept under it by keep_plan
    # what is worked out from it once, kept with it (the feeds and calendars: plan/feeds.py)
    worked_out: dict[str, Any] = field(default_factory=dict)

    def outputs(self) -> Iterator[Output]:
        """Every page's file, for the address check."""
        for spec in self.pages:
            # a home page's address is fixed; every other item's is the editor's choice
            entry = spec.entry if spec.kind != "home" else None
            yield Output(f"{spec.url}index.html", entry.item.source if entry else
                         (f"trang '{spec.title}'", f"the page '{spec.title}'"), entry, spec.url)

    @cached_property
    def targets(self) -> dict[str, str]:
        """Content path -> page URL, for links written to Markdown files."""
        return {spec.src_uri: spec.url for spec in self.pages}

    def nav(self, lang: str) -> list[PageSpec]:
        return self._menus.get(lang, [])

    def footer(self, lang: str) -> list[PageSpec]:
        return self._menus.get(f"footer:{lang}", [])

    @cached_property
    def _menus(self) -> dict[str, list[PageSpec]]:
        menus: dict[str, list[PageSpec]] = defaultdict(list)
        for spec in self.pages:
            if spec.nav_order is not None:
                menus[spec.lang].append(spec)
            if spec.in_footer:
                menus[f"footer:{spec.lang}"].append(spec)
        return {key: sorted(menu, key=lambda p: (p.nav_order or 0, p.url))
                for key, menu in menus.items()}


class Urls:
    """URL scheme of one language: "" + "huong-dan/slug/" for Vietnamese, "en/guides/slug/"."""

    def __init__(self, localizer: Localizer, default_lang: str) -> None:
        self.t = localizer
        self.prefix = "" if localizer.lang == default_lang else f"{localizer.lang}/"

    def home(self) -> str:
        return self.prefix

    def item(self, item: Item) -> str:
        if item.type.key == "page":
            return self.home() if posixpath.basename(item.key) == HOME_PAGE \
                else f"{self.prefix}{item.slug}/"
        return f"{self.prefix}{self.t.path(item.type.key)}/{item.slug}/"

    def easy_read(self, item: Item) -> str:
        """The easy-read version's page, under the item's: "huong-dan/x/de-doc/"."""
        return f"{self.item(item)}{self.t.t('languages.easy_path')}/"

    def section(self, key: str, number: int = 1) -> str:
        base = f"{self.prefix}{self.t.path(key)}/"
        return base if number == 1 else f"{base}{self.t.path('page')}/{number}/"

    def taxonomy(self, taxonomy: str) -> str:
        """The index of a taxonomy's terms: "chu-de/"."""
        return f"{self.prefix}{self.t.path(taxonomy)}/"

    def term(self, taxonomy: str, term_id: str, number: int = 1) -> str:
        base = f"{self.taxonomy(taxonomy)}{term_id}/"
        return base if number == 1 else f"{base}{self.t.path('page')}/{number}/"

    def help(self, locality: str = "") -> str:
        """The help points of every commune ("diem-ho-tro/"), or of one ("diem-ho-tro/na-hang/")."""
        base = f"{self.prefix}{self.t.t('help_points.path')}/"
        return f"{base}{locality}/" if locality else base

    def calendar(self, page: str) -> str:
        """The calendar file beside a page: "su-kien/lich.ics" for the events listing."""
        return f"{page}{self.t.path('calendar')}.ics"

    # the progress pages: "du-lieu/" and the pages under it
    def data(self) -> str:
        return self.section("data")

    def indicator(self, indicator_id: str) -> str:
        return f"{self.data()}{indicator_id}/"

    def tasks(self) -> str:
        return f"{self.data()}{self.t.path('tasks')}/"

    def reports(self) -> str:
        return f"{self.data()}{self.t.path('report')}/"

    def report(self, period_label: str) -> str:
        return f"{self.reports()}{period_label}/"

    def open_data(self) -> str:
        return f"{self.data()}{self.t.path('open_data')}/"


def build_plan(site: SiteConfig, items: list[Item], localizers: dict[str, Localizer],
               today: date, content_files: set[str] | None = None,
               progress: Progress | None = None, rejected: list[Item] | None = None,
               help_localities: Collection[str] = (), memory: Memory | None = None,
               context: str = "") -> Plan:
    """Decide every page of every language. `rejected` items (with errors) get no page, but
    their bodies are checked with the rest, as are drafts' and scheduled items'.
    `help_localities`: the localities that get a page of help points (helppoints.py);
    `memory` keeps the related items of the last build (Memory.related) and, given a
    `context` that changes whenever anything else the plan reads does (data/), the plan
    itself (Memory.plan, see keep_plan): a rebuild after an edit of items' titles,
    summaries or bodies takes it and sets those texts again (0.5 s of 0.8 at 10,000 x 2)."""
    problems = Problems()
    published = [i for i in items if is_published(i, today)]
    key = _plan_key(context, today, items, rejected or [], help_localities) \
        if memory is not None and context else ""
    stored = memory.plan.get(key) if memory is not None else None
    kept = _kept_plan(stored, site, published) if stored is not None else None
    if stored is not None and kept is None and memory is not None:
        memory.plan = {}  # it could not be read: keep_plan keeps this build's
    if kept is not None:
        plan = Plan(*kept[:2], problems, key, kept[2])
    else:
        plan = Plan(*_made_plan(site, published, localizers, today, progress,
                                help_localities, memory), problems, key)
    _check_paths(site, {item.key for item in [*items, *(rejected or [])]},
                 {item.key for item in published}, {item.key for item in rejected or []},
                 problems)
    unpublished = [i for i in items if not is_published(i, today)] + (rejected or [])
    for item in items:  # 02/03/2062 for 02/03/2026 would hide an item for 36 years
        if item.date and (item.date - today).days > 366 and not item.draft:
            problems.add("date_far_ahead", item.source, item.line("date"), "date",
                         warning=True, value=item.date.strftime("%d/%m/%Y"))
    _check_bodies(plan, unpublished, content_files or set(), problems)
    return plan


def _made_plan(site: SiteConfig, published: list[Item], localizers: dict[str, Localizer],
               today: date, progress: Progress | None, help_localities: Collection[str],
               memory: Memory | None) -> tuple[list[PageSpec], dict[str, list[Entry]]]:
    known = memory.related if memory is not None else {}
    used: dict[str, tuple[tuple[str, ...], ...]] = {}

    def related_urls(entries: list[Entry]) -> tuple[tuple[str, ...], ...]:
        key = hashlib.sha256("\n".join(f"{e.url} {e.item.relatedness_key}"
                                        for e in entries).encode()).hexdigest()
        used[key] = known[key] if key in known else _related_urls(_features(entries))
        return used[key]
    groups: dict[str, dict[str, Item]] = defaultdict(dict)
    for item in published:
        groups[item.key][item.lang] = item
    pages: list[PageSpec] = []
    entries_by_lang: dict[str, list[Entry]] = {}
    for lang in site.language_codes:
        builder = _LanguagePlan(site, localizers[lang], groups, today, progress,
                                help_localities, related_urls)
        pages.extend(builder.pages())
        entries_by_lang[lang] = builder.entries
    if memory is not None:
        memory.related = used
    _link_alternates(pages)
    return pages, entries_by_lang


def _plan_key(context: str, today: date, items: list[Item], rejected: list[Item],
              help_localities: Collection[str]) -> str:
    """What the plan is made from besides data/ (`context`): the day, the help points'
    localities and every item but its shown texts (Item.plan_key), its easy-read
    version's too. The figures the plan lists come from these and data/ alone."""
    return hashlib.sha256("\n".join([
        context, today.isoformat(), " ".join(help_localities),
        *(f"{item.plan_key} {item.easy_read.plan_key if item.easy_read else '-'}"
          for item in items), "rejected", *(item.plan_key for item in rejected)]
    ).encode()).hexdigest()


def keep_plan(plan: Plan, site: SiteConfig, memory: Memory) -> None:
    """Keep `plan` in `memory` (and so on the shelf) under what it was made from, with what
    was worked out from it by now (a build calls this once it has listed its outputs: the
    feeds are worked out then). A plan taken from `memory` is there already. Never raises:
    a plan that cannot be kept is made again by the next build."""
    if plan.key and plan.key not in memory.plan:
        try:
            memory.plan = {plan.key: _stored_plan(site, plan)}
        except Exception:  # a value pickle refuses: nothing is kept
            memory.plan = {}


def _stored_plan(site: SiteConfig, plan: Plan) -> bytes:
    """The plan pickled without the texts its item pages show (20,000 bodies: 54 MB), its
    items, terms and content types by name (see _kept_plan)."""
    terms = {id(term): ("term", taxonomy, term.id)
             for taxonomy, found in site.taxonomies.items() for term in found.values()}

    def name(obj: Any) -> tuple[str, ...] | None:
        if isinstance(obj, Item):
            return "item", obj.src_uri
        if isinstance(obj, ContentType):
            return "type", obj.folder
        return terms.get(id(obj)) if isinstance(obj, Term) else None
    return dumps_linked(([_without_texts(spec) if spec.entry is not None else spec
                          for spec in plan.pages], plan.entries, plan.worked_out), name)


def _without_texts(spec: PageSpec) -> PageSpec:
    """A copy of an item's page without the texts `_show_item` sets (the plan's own pages
    are not changed: processes may be reading them)."""
    copy = object.__new__(PageSpec)
    vars(copy).update(vars(spec))
    copy.description = copy.body = ""
    if _titled_by_item(copy):
        copy.title = ""
    return copy


def _kept_plan(stored: bytes, site: SiteConfig, published: list[Item]
               ) -> tuple[list[PageSpec], dict[str, list[Entry]], dict[str, Any]] | None:
    """The plan `_stored_plan` kept, on this build's items, terms and types, with the texts
    its item pages show set from them; None if it cannot be read (made again)."""
    by_file = {version.src_uri: version for item in published for version in item.versions}

    def find(name: tuple[str, ...]) -> Any:
        kind, *parts = name
        if kind == "item":
            return by_file[parts[0]]
        if kind == "type":
            return TYPES_BY_FOLDER[parts[0]]
        if kind == "term":
            return site.taxonomies[parts[0]][parts[1]]
        raise KeyError(name)
    try:
        pages, entries, worked_out = loads_linked(stored, find)
        if not (isinstance(pages, list) and isinstance(entries, dict)
                and isinstance(worked_out, dict)):
            raise TypeError("not a plan")
        for spec in pages:
            if not isinstance(spec, PageSpec):
                raise TypeError("not a page")
            if spec.entry is not None:
                _show_item(spec)
    except Exception:  # damaged, or from another shape of the plan: made again
        return None
    return pages, entries, worked_out


def _titled_by_item(spec: PageSpec) -> bool:
    """Whether an item's page is titled by its item (the home page: by the site's name)."""
    return spec.kind != "home" or spec.identity[0] == "easy"


def _show_item(spec: PageSpec) -> None:
    """The texts an item's page shows, from its item: title, summary and body. The one
    place they are set, on a plan made and on one kept (an edit of them keeps the plan)."""
    assert spec.entry is not None
    item = spec.entry.item
    if _titled_by_item(spec):
        spec.title = item.title
    spec.description, spec.body = item.summary, item.body


def _check_paths(site: SiteConfig, existing: set[str], published: set[str],
                 rejected: set[str], problems: Problems) -> None:
    """Every step of an audience's `path` names an item of content/ by its key. A step not
    published yet (draft, scheduled) is left out until its day; one with errors is told on
    its own file."""
    for audience in site.taxonomies["audiences"].values():
        for step in audience.extra.get("path", ()):
            if step.key in published or step.key in rejected:
                continue
            name = (site.pick(audience.name, "vi"), site.pick(audience.name, "en"))
            if step.key in existing:
                problems.add("path_step_unpublished", "data/audiences.yml", step.line, "path",
                             warning=True, value=step.key, audience=name)
                continue
            near = nearest(step.key, existing)
            problems.add("unknown_path_step", "data/audiences.yml", step.line, "path",
                         value=step.key, audience=name, suggestion=(
                             f"Có phải là '{near[0]}'? ", f"Did you mean '{near[0]}'? ")
                         if near else ("", ""))


def is_published(item: Item, today: date) -> bool:
    """On the site: not a draft, and its day has come (a scheduled item waits for it)."""
    return not item.draft and (item.date is None or item.date <= today)


class _LanguagePlan:
    def __init__(self, site: SiteConfig, localizer: Localizer,
                 groups: dict[str, dict[str, Item]], today: date,
                 progress: Progress | None, help_localities: Collection[str] = (),
                 related_urls: Callable[[list[Entry]], tuple[tuple[str, ...], ...]]
                 = lambda entries: _related_urls(_features(entries))) -> None:
        self.site, self.t, self.lang, self.today = site, localizer, localizer.lang, today
        self.related_urls = related_urls
        self.progress, self.help_localities = progress, help_localities
        self.urls = Urls(localizer, site.default_language)
        self.entries: list[Entry] = []
        for key in sorted(groups):
            item = self._version(groups[key])
            if item is not None:
                self.entries.append(Entry(item, self.lang, self.urls.item(item)))
        self.entries.sort(key=lambda e: (-e.item.sort_time.timestamp(), e.item.key))
        self.listed = [e for e in self.entries if e.item.type.listed]
        self.by_key = {e.item.key: e for e in self.entries}
        self.upcoming_first = UpcomingFirst(self.listed, today)  # every list is of these

    def _version(self, versions: dict[str, Item]) -> Item | None:
        if self.lang in versions:
            return versions[self.lang]
        if self.site.untranslated != "fallback" or self.items_only:
            return None
        return next(versions[code] for code in self.site.language_codes if code in versions)

    @property
    def items_only(self) -> bool:
        return self.t.language.items_only

    def pages(self) -> list[PageSpec]:
        if self.items_only:  # a minority language: the items written in it, nothing else
            return self._items()
        pages = [*self._items(), *self._listings()]
        for taxonomy in ITEM_TAXONOMIES:
            pages.extend(self._taxonomy(taxonomy))
        pages.extend(self._tools())
        pages.extend(self._help())
        if self.progress is not None and not self.progress.empty:
            pages.extend(self._data())
        return pages

    def _data(self) -> list[PageSpec]:
        """Dashboard, a page per indicator, plan tasks, the reports (an index, and one for
        every month, quarter, half-year and year with figures), open data."""
        assert self.progress is not None
        urls = self.urls
        dashboard = self._spec(urls.data(), "dashboard", "dashboard.html", self.t.t("data.title"),
                               ("dashboard",), section="dashboard",
                               description=self.t.t("data.intro"))
        dashboard.nav_order = 24
        pages = [dashboard]
        for indicator in self.progress.indicators.values():
            pages.append(self._spec(urls.indicator(indicator.id), "indicator", "indicator.html",
                                    self.t.pick(indicator.name), ("indicator", indicator.id),
                                    section="dashboard", subject=indicator.id,
                                    description=self.t.pick(indicator.definition)))
        pages.append(self._spec(urls.tasks(), "tasks", "tasks.html",
                                self.t.t("data.tasks_title"), ("tasks",), section="dashboard",
                                description=self.t.t("data.tasks_intro")))
        pages.append(self._spec(urls.reports(), "reports", "reports.html",
                                self.t.t("data.reports"), ("reports",), section="dashboard",
                                description=self.t.t("data.reports_intro")))
        for period in report_periods(self.progress):
            pages.append(self._spec(
                urls.report(period.label), "report", "report.html",
                self.t.t("data.report_title", period=period.name(self.t)),
                ("report", period.label), section="dashboard", subject=period.label))
        pages.append(self._spec(urls.open_data(), "opendata",
                                "opendata.html", self.t.t("data.open_title"), ("opendata",),
                                section="dashboard", description=self.t.t("data.open_intro")))
        return pages

    def _tools(self) -> list[PageSpec]:
        """The search page and the page shown offline for a page never visited."""
        return [
            self._spec(self.urls.section("search"), "search", "search.html",
                       self.t.t("search.title"), ("search",), section="search",
                       description=self.t.t("search.intro")),
            self._spec(self.urls.section("offline"), "offline", "offline.html",
                       self.t.t("offline.title"), ("offline",), section="offline"),
            self._spec(self.urls.section("feeds"), "feeds", "feeds.html",
                       self.t.t("feeds.title"), ("feeds",), section="feeds",
                       description=self.t.t("feeds.intro"), in_footer=True),
            self._spec(self.urls.section("widget"), "widget", "widget.html",
                       self.t.t("widget.title"), ("widget",), section="widget"),
        ]

    def _help(self) -> list[PageSpec]:
        """Help near you: a page to choose the commune (in the footer) and a printable page
        for each locality with help of its own or above it."""
        if not self.help_localities:
            return []
        localities = self.site.taxonomies["localities"]
        pages = [self._spec(self.urls.help(), "help", "help.html",
                            self.t.t("help_points.title"), ("help",), section="help",
                            description=self.t.t("help_points.intro"), in_footer=True)]
        for code in self.help_localities:
            term = localities[code]
            pages.append(self._spec(
                self.urls.help(code), "help", "help.html",
                self.t.t("help_points.title_of", place=self.t.name(term)), ("help", code),
                section="help", term=term, taxonomy="localities",
                description=self.t.t("help_points.intro_of", place=self.t.name(term))))
        return pages

    def _spec(self, url: str, kind: str, template: str, title: str,
              identity: tuple[Any, ...], **extra: Any) -> PageSpec:
        return PageSpec(self.lang, url, kind, template, title, f"_portal/{url}index.md",
                        identity, **extra)

    def _items(self) -> list[PageSpec]:
        related = _related(self.listed, self.related_urls)
        pages = []
        home_entry = None
        for entry in self.entries:
            item = entry.item
            src_uri = item.src_uri if not entry.fallback else \
                f"{item.key}.{self.lang}.md"
            is_home = item.type.key == "page" and posixpath.basename(item.key) == HOME_PAGE
            spec = PageSpec(
                self.lang, entry.url, "home" if is_home else
                ("page" if item.type.key == "page" else "item"),
                "home.html" if is_home else ("page.html" if item.type.key == "page"
                                             else "item.html"),
                self.t.pick(self.site.name) if is_home else "", src_uri,
                ("item", item.key), section="home" if is_home else
                (f"page:{item.key}" if item.type.key == "page" else f"listing:{item.type.key}"),
                entry=entry, content_type=item.type, related=related.get(entry, []))
            _show_item(spec)
            if item.type.key == "page" and not is_home and item.meta.get("nav", True):
                spec.nav_order = 100 + item.meta.get("order", 0)
            spec.in_footer = bool(item.meta.get("footer"))
            if is_home:
                home_entry = spec
            pages.append(spec)
            if item.easy_read is not None and not entry.fallback:
                pages.append(self._easy_read(spec, item))
        if self.items_only:
            return pages
        if home_entry is None:  # a site without content/pages/home: still has a home page
            home_entry = self._spec(self.urls.home(), "home", "home.html",
                                    self.t.pick(self.site.name), ("item", "pages/home"),
                                    section="home")
            pages.append(home_entry)
        home_entry.nav_order = 0
        home_entry.blocks = self._home_blocks()
        home_entry.terms = [(term, 0) for term in self.site.taxonomies["audiences"].values()]
        return pages

    def _easy_read(self, spec: PageSpec, item: Item) -> PageSpec:
        """The page of the item's easy-read version, beside the item's `spec`: same language,
        same place in the menu, listed nowhere (listings show the item once, linking to it)."""
        easy = item.easy_read
        assert easy is not None
        entry = Entry(easy, self.lang, self.urls.easy_read(item))
        page = replace(spec, url=entry.url, src_uri=easy.src_uri, identity=("easy", easy.key),
                       entry=entry, nav_order=None, in_footer=False)
        _show_item(page)
        return page

    def _home_blocks(self) -> dict[str, list[Entry]]:
        by_type = self._by_type()
        upcoming = [e for e in self.upcoming_first(by_type.get("event", []))
                    if not is_over(e.item, self.today)]
        return {
            "latest": _translated_first(
                [e for e in self.listed if e.item.type.key not in ("event",)], HOME_LATEST),
            "guides": _translated_first(by_type.get("guide", []), HOME_GUIDES),
            "events": _translated_first(upcoming, HOME_EVENTS),
        }

    def _by_type(self) -> dict[str, list[Entry]]:
        by_type: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.listed:
            by_type[entry.item.type.key].append(entry)
        return by_type

    def _listings(self) -> list[PageSpec]:
        pages = []
        by_type = self._by_type()
        for order, content_type in enumerate(LISTED_TYPES, 1):
            title = self.t.t(f"types.{content_type.key}")
            specs = self._paginate(
                self.upcoming_first(by_type.get(content_type.key, [])),
                lambda n, key=content_type.key: self.urls.section(key, n),
                "listing", "listing.html", title, ("listing", content_type.key),
                content_type=content_type, section=f"listing:{content_type.key}",
                description=self.t.t(f"type_intro.{content_type.key}"))
            specs[0].nav_order = order
            pages.extend(specs)
        return pages

    def _paginate(self, entries: list[Entry], url_of: Any, kind: str, template: str,
                  title: str, identity: tuple[Any, ...], **extra: Any) -> list[PageSpec]:
        size = self.site.page_size
        chunks = [entries[i:i + size] for i in range(0, len(entries), size)] or [[]]
        urls = [url_of(n) for n in range(1, len(chunks) + 1)]
        specs = []
        for number, chunk in enumerate(chunks, 1):
            page_title = title if number == 1 else \
                f"{title} – {self.t.t('ui.page_of', number=number, count=len(chunks))}"
            specs.append(self._spec(urls[number - 1], kind, template, page_title,
                                    (*identity, number), entries=chunk,
                                    pager=Pager(number, urls), **extra))
        return specs

    def _taxonomy(self, taxonomy: str) -> list[PageSpec]:
        terms = self.site.taxonomies[taxonomy]
        by_term: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.listed:
            for term_id in getattr(entry.item, taxonomy):
                by_term[term_id].append(entry)
        title = self.t.t(f"taxonomies.{taxonomy}")
        index = self._spec(self.urls.taxonomy(taxonomy), "terms",
                           "terms.html", title, ("terms", taxonomy), taxonomy=taxonomy,
                           section=f"terms:{taxonomy}",
                           terms=[(term, len(by_term[term.id])) for term in terms.values()],
                           description=self.t.t(f"taxonomy_intro.{taxonomy}"))
        index.nav_order = 20 + ITEM_TAXONOMIES.index(taxonomy)
        pages = [index]
        for term in terms.values():
            path = self._path(term) if taxonomy == "audiences" else []
            entries = self.upcoming_first(by_term[term.id])
            specs = self._paginate(
                self._in_order_of_need(entries, path) if taxonomy == "audiences" else entries,
                lambda n, t=term.id: self.urls.term(taxonomy, t, n),
                "term", "term.html", self.t.name(term), ("term", taxonomy, term.id),
                taxonomy=taxonomy, section=f"terms:{taxonomy}", term=term,
                description=self.t.pick(term.description))
            if path:
                specs[0].blocks = {"path": path}
            pages.extend(specs)
        return pages

    def _path(self, audience: Term) -> list[Entry]:
        """The audience's "Start here" steps in this language, in the order data/audiences.yml
        gives (a step not published, or left out in this language, is skipped)."""
        return [self.by_key[step.key] for step in audience.extra.get("path", ())
                if step.key in self.by_key]

    @staticmethod
    def _in_order_of_need(entries: list[Entry], path: list[Entry]) -> list[Entry]:
        """An audience's items after its path: guides first, then the rest, each newest
        first; the path's own steps are not listed again."""
        steps = {id(entry) for entry in path}
        return sorted((e for e in entries if id(e) not in steps),
                      key=lambda e: e.item.type.key != "guide")


def _translated_first(entries: list[Entry], count: int) -> list[Entry]:
    """Up to `count` entries, those written in the page's language first: an item shown in
    another language fills a place after them and never leads (none leads a list of only
    such items: the list is left out)."""
    chosen = sorted(entries, key=lambda e: e.fallback)[:count]
    return chosen if chosen and not chosen[0].fallback else []


def _related(entries: list[Entry],
             related_urls: Callable[[list[Entry]], tuple[tuple[str, ...], ...]]
             ) -> dict[Entry, list[Entry]]:
    """Up to RELATED_COUNT entries sharing topics, found among each topic's nearest
    neighbours in time, so the cost stays linear in the number of items. What decides it
    is each entry's address and its item's `relatedness`: a rebuild after a title or text
    edit reuses the last answer (`build_plan`'s memory, keyed by `relatedness_key`)."""
    by_url = {e.url: e for e in entries}
    return {entry: [by_url[url] for url in urls]
            for entry, urls in zip(entries, related_urls(entries), strict=True)}


# an entry's address, its topics (in order, and as a set), audiences, localities, type, time
Features = tuple[str, tuple[str, ...], frozenset[str], frozenset[str], frozenset[str], str,
                 float]


def _features(entries: list[Entry]) -> tuple[Features, ...]:
    return tuple((e.url, *e.item.relatedness) for e in entries)


def _related_urls(entries: tuple[Features, ...]) -> tuple[tuple[str, ...], ...]:
    by_topic: dict[str, list[int]] = defaultdict(list)
    for index, (_, topics, *_rest) in enumerate(entries):
        for topic in topics:
            by_topic[topic].append(index)
    position = {topic: {index: at for at, index in enumerate(members)}
                for topic, members in by_topic.items()}
    related = []
    for index, (_, topics, chosen, audiences, localities, kind, time) in enumerate(entries):
        candidates: set[int] = set()
        for topic in topics:
            members = by_topic[topic]
            at = position[topic][index]
            candidates.update(members[max(0, at - RELATED_WINDOW):at + RELATED_WINDOW + 1])
        candidates.discard(index)
        scored = []
        for other in candidates:
            url, _, o_topics, o_audiences, o_localities, o_kind, o_time = entries[other]
            shared = (2 * len(chosen & o_topics) + len(audiences & o_audiences)
                      + len(localities & o_localities) + (kind == o_kind))
            scored.append((-shared, abs(o_time - time), url))
        scored.sort()
        related.append(tuple(row[2] for row in scored[:RELATED_COUNT]))
    return tuple(related)


def check_addresses(outputs: Iterable[Output], problems: Problems, clean: str = ""
                    ) -> str:
    """Two sources must never make one address, or one would silently replace the other: two
    pages at one URL, an item whose address is a folder the site generates (its `slug: admin`
    would be hidden by the web editor), a published file where a feed or a page is written,
    a file where another output needs a folder. Paths are compared without case: on the
    Windows and macOS disks editors use, `Cafe/` and `cafe/` are one folder. The addresses
    come from what the build writes (`outputs`), not from a list kept by hand.
    Returns the digest of everything the check decides by; given back as `clean` after a
    check that found nothing, the same addresses are not checked again (a rebuild after an
    edit that moved no address: 0.15 s at 10,000 items x 2)."""
    outputs = list(outputs)
    checked = _addresses_digest(outputs)
    if checked == clean:
        return checked
    by_path: dict[str, list[Output]] = defaultdict(list)
    for output in outputs:
        by_path[output.path.casefold()].append(output)
    reported: set[tuple[Any, Any]] = set()

    def clash(one: Output, other: Output) -> None:
        culprit, rival = sorted((one, other), key=_blame)
        if (culprit.source, rival.source) in reported:
            return
        reported.add((culprit.source, rival.source))
        _report_clash(culprit, rival, problems)

    for same in by_path.values():  # one address, two sources
        for other in same[1:]:
            if other.source != same[0].source:
                clash(same[0], other)
    paths = sorted(by_path)
    for path in paths:
        output = by_path[path][0]
        # an item's page folder holding something another source writes, or a file where
        # another output needs a folder ("x" and "x/y")
        inside = output.url.casefold() if output.entry is not None and output.url else \
            (None if path.endswith("/") else path + "/")
        if inside is None:
            continue
        index = bisect.bisect_left(paths, inside)
        while index < len(paths) and paths[index].startswith(inside):
            other = next((o for o in by_path[paths[index]] if o.source != output.source
                          and not _easy_read_of(o, output)), None)
            if other is not None:
                clash(output, other)
                break
            index += 1
        # an item's page inside a folder a generator fills ("og/", "search-index/")
        if output.entry is not None:
            folders = [path[:end + 1] for end, char in enumerate(path) if char == "/"]
            for folder in folders:
                other = next((o for o in by_path.get(folder, ()) if o.source != output.source),
                             None)
                if other is not None:
                    clash(output, other)
                    break
    return checked


def _addresses_digest(outputs: list[Output]) -> str:
    """What `check_addresses` decides by: each output's address, who writes it and, for a
    page, its folder and item (labels and slugs only shape the message of a clash)."""
    return hashlib.sha256(repr([
        (o.path, o.source, o.url) if o.entry is None else
        (o.path, o.source, o.url, o.entry.item.key, o.entry.lang, o.entry.item.easy)
        for o in outputs]).encode()).hexdigest()  # repr: no file name can fake a boundary


def _easy_read_of(inner: Output, outer: Output) -> bool:
    """Whether `inner` is the page of the easy-read version of `outer`'s item, which lives
    in its folder ("huong-dan/x/de-doc/")."""
    return inner.entry is not None and outer.entry is not None and inner.entry.item.easy \
        and inner.entry.item.key == outer.entry.item.key and inner.entry.lang == outer.entry.lang


def _report_clash(culprit: Output, rival: Output, problems: Problems) -> None:
    """Told on the file the editor can change: an item that chose its address with `slug:`,
    then an item, then a published file (a generated address is fixed)."""
    note = ("", "") if culprit.path.casefold() != rival.path.casefold() or \
        culprit.path == rival.path else (
        " Hai địa chỉ chỉ khác nhau ở chữ hoa, chữ thường: trên máy Windows, macOS và nhiều "
        "máy chủ, đó là một.",
        " The two differ only in capitals: on Windows, macOS and many servers they are one.")
    address = f"/{culprit.url or culprit.path}"
    if culprit.entry is not None:
        item = culprit.entry.item
        chosen = "slug" in item.meta  # else the address comes from the file name
        line, name = (item.line("slug"), "slug") if chosen else (None, None)
        if isinstance(rival.source, str) and rival.entry is not None:
            problems.add("duplicate_slug", item.source, line, name, url=address,
                         other=rival.source)
        else:
            problems.add("address_taken", item.source, line, name, url=address,
                         other=_named(rival), note=note)
    elif isinstance(culprit.source, str):
        problems.add("file_address_taken", culprit.source, url=address, other=_named(rival),
                     note=note)
    else:  # two generated pages: two sections given one word in data/locales
        problems.add("address_taken", "data/locales", url=address, other=_named(rival),
                     note=(f" ({culprit.source[0]})", f" ({culprit.source[1]})"))


def _named(output: Output) -> str | tuple[str, str]:
    """What writes `output`, for a message: its file, or the generator and its address."""
    name = output.label or output.source
    if isinstance(name, str):
        return name
    where = f" (/{output.url or output.path})"
    return name[0] + where, name[1] + where


def _blame(output: Output) -> int:
    if output.entry is not None:
        return 0 if "slug" in output.entry.item.meta and not output.entry.fallback else 1
    return 2 if isinstance(output.source, str) else 3


def _check_bodies(plan: Plan, unpublished: list[Item], content_files: set[str],
                  problems: Problems) -> None:
    """Every item's texts: raw HTML the sanitizer will remove, images without alt, and
    relative links. A published page may link only to published pages; an unpublished item
    (draft, scheduled or with errors) may also link to other unpublished items."""
    published = [spec.entry.item for spec in plan.pages
                 if spec.entry is not None and not spec.entry.fallback]
    for item in published:
        _check_texts(item, plan.targets, content_files, problems)
    someday = set(plan.targets) | {item.src_uri for item in unpublished}
    for item in unpublished:
        _check_texts(item, someday, content_files, problems)


def _check_texts(item: Item, pages: Collection[str], content_files: set[str],
                 problems: Problems) -> None:
    for code, line, warning, params in item.markup_findings:
        problems.add(code, item.source, line, None, warning=warning, **dict(params))
    for line, target, path, _ in item.links:
        if path == ".." or path.startswith("../"):
            problems.add("link_outside_content", item.source, line, None, value=target)
            continue
        if never_published(path):
            problems.add("hidden_file_link", item.source, line, None,
                         value=target, target=f"content/{path}")
            continue
        is_page = path.endswith(".md")
        if (path in pages) if is_page else (path in content_files):
            continue
        problems.add("broken_link" if is_page else "broken_file_link", item.source,
                     line, None, value=target, target=f"content/{path}")


def _link_alternates(pages: list[PageSpec]) -> None:
    by_identity: dict[tuple[Any, ...], dict[str, str]] = defaultdict(dict)
    for spec in pages:
        by_identity[spec.identity][spec.lang] = spec.url
    for spec in pages:
        alternates = dict(by_identity[spec.identity])
        if spec.identity[0] == "easy":  # where a language has no easy-read version: the item
            alternates = {**by_identity[("item", *spec.identity[1:])], **alternates}
        if spec.pager and spec.pager.number > 1:  # other language may have fewer pages
            first = by_identity[(*spec.identity[:-1], 1)]
            alternates = {**first, **alternates}
        spec.alternates = alternates
