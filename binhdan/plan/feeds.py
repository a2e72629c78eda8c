"""Feeds for radio staff and other portals, as the plan sees them: for each language, a feed
per content type, topic and locality (and one of everything), the radio feeds, and the
calendars, each with its address, its title and its entries. outputs/feeds.py writes them.

Entries are newest first by publication date. A locality's feeds carry what concerns it:
its own items, those of the units above and below it, and those for the whole unit (no
locality), so a commune's radio subscribes to one feed; of documents, only those of its own
unit and the units above it (a neighbour's or another province's plan is not its own).
The radio feeds are read on air on the day they are built: events already over are left
out. Drafts and items scheduled for later are never in the plan, so never here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from ..model.content import Item
from ..model.dates import start_of_day
from ..model.events import is_over
from ..model.i18n import Localizer
from ..model.site import SiteConfig
from .pages import Entry, Plan, Urls

Worked = TypeVar("Worked")

FEED_SIZE = 30  # newest entries per feed: enough for a week of a busy province


# Each format a feed comes in: its file, beside the page it follows, and its media type.
FEED_FORMATS = {"rss": ("feed.xml", "application/rss+xml"),
                "atom": ("atom.xml", "application/atom+xml"),
                "radio": ("radio.xml", "application/rss+xml"),
                "json": ("feed.json", "application/feed+json")}


def feed_file(page: str, kind: str = "rss") -> str:
    """The feed of a page in one format: "dia-phuong/na-hang/feed.xml"."""
    return f"{page}{FEED_FORMATS[kind][0]}"


@dataclass(frozen=True)
class FeedSpec:
    """One feed: which entries, where it lives, what it is called."""

    path: str  # site-relative: "dia-phuong/na-hang/feed.xml"
    title: str
    page: str  # the page it follows (site-relative URL)
    entries: list[Entry]

    def file(self, kind: str) -> str:
        """The same feed in another format, beside the same page."""
        return feed_file(self.page, kind)


class Feeds:
    """Every feed and calendar of a site, from the page plan: where each lives, what it is
    called and which entries it carries (outputs/feeds.py writes them)."""

    def __init__(self, site: SiteConfig, plan: Plan, localizers: dict[str, Localizer],
                 site_url: str, today: date | None = None) -> None:
        self.site, self.plan, self.localizers = site, plan, localizers
        self.today = today or date.today()  # the publishing day: which events are over
        self.base = site_url if site_url.endswith("/") else site_url + "/"

    def _once(self, name: str, lang: str, make: Callable[[str], Worked]) -> Worked:
        """Every page asks for its feeds and calendar: each answer is worked out once and
        kept with the plan it comes from (`Plan.worked_out`), so a build that keeps the plan
        (pages.keep_plan) keeps them too (0.2 s at 10,000 items x 2). A cache on the class
        (functools.cache on the method) kept every build's feeds, and so its whole portal,
        for as long as `mkdocs serve` ran: 20 MB more after each saved edit at 1,000 x 2."""
        found: dict[str, Any] = self.plan.worked_out
        key = f"{name}:{lang}"
        if key not in found:
            found[key] = make(lang)
        return found[key]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ what exists ------
    def specs(self, lang: str) -> dict[str, FeedSpec]:
        """Every feed of one language, by kind: "all", "type:guide", "topics:vneid"..."""
        return self._once("specs", lang, self._specs)

    def _specs(self, lang: str) -> dict[str, FeedSpec]:
        t = self.localizers[lang]
        urls = _urls(self.localizers[lang], self.site.default_language)
        listed = self._newest_first(e for e in self.plan.entries[lang] if e.item.type.listed)
        name = t.pick(self.site.name)
        feeds = {"all": FeedSpec(feed_file(urls.home()),
                                 f"{name} – {t.pick(self.site.unit_name)}", urls.home(),
                                 listed[:FEED_SIZE])}
        by_type: dict[str, list[Entry]] = {}
        by_topic: dict[str, list[Entry]] = {}
        for entry in listed:
            by_type.setdefault(entry.item.type.key, []).append(entry)
            for topic in entry.item.topics:
                by_topic.setdefault(topic, []).append(entry)
        for key, entries in by_type.items():
            section = urls.section(key)
            feeds[f"type:{key}"] = FeedSpec(feed_file(section),
                                            f"{t.t(f'types.{key}')} – {name}", section,
                                            entries[:FEED_SIZE])
        for topic, entries in sorted(by_topic.items()):
            feeds[f"topics:{topic}"] = self._term_feed(lang, "topics", topic, entries)
        for code, entries in self._concerning(listed, FEED_SIZE).items():
            feeds[f"localities:{code}"] = self._term_feed(lang, "localities", code, entries)
        return feeds

    def _term_feed(self, lang: str, taxonomy: str, term_id: str,
                   entries: list[Entry]) -> FeedSpec:
        t = self.localizers[lang]
        page = _urls(t, self.site.default_language).term(taxonomy, term_id)
        term = t.name(self.site.term(taxonomy, term_id))
        return FeedSpec(feed_file(page), f"{term} – {t.pick(self.site.name)}", page,
                        entries[:FEED_SIZE])

    def _newest_first(self, entries: Iterable[Entry]) -> list[Entry]:
        """By publication date (not an event's start or a document's issue date): what a
        subscriber has not seen yet is always at the top and never cut off."""
        return sorted(entries, key=lambda e: -self._published(e.item).timestamp())

    @functools.cached_property
    def _above(self) -> dict[str, list[str]]:
        """Each locality and the units above it, nearest first (parent: in localities.yml)."""
        parents = {code: term.extra.get("parent")
                   for code, term in self.site.taxonomies["localities"].items()}

        def chain(code: str) -> list[str]:
            found: list[str] = []
            while code in parents and code not in found:
                found.append(code)
                code = parents[code] or ""
            return found

        return {code: chain(code) for code in parents}

    @functools.cached_property
    def _related_places(self) -> dict[str, frozenset[str]]:
        """Each locality with the units above and below it."""
        related: dict[str, set[str]] = {code: set(line) for code, line in self._above.items()}
        for code, line in self._above.items():
            for above in line[1:]:
                related[above].add(code)
        return {code: frozenset(places) for code, places in related.items()}

    def _concerning(self, entries: list[Entry], limit: int | None = None
                    ) -> dict[str, list[Entry]]:
        """For each locality, the entries (in their order, at most `limit`) for it, for a
        unit above or below it, or for the whole unit. Linear: each locality's candidates
        come from an index, not from a scan of every entry."""
        positions: dict[str, list[int]] = {}
        documents: dict[str, list[int]] = {}  # own unit and above only
        everyone: list[int] = []
        for position, entry in enumerate(entries):
            document = entry.item.type.key == "document"
            if not entry.item.localities and not document:
                everyone.append(position)
            for code in entry.item.localities:
                (documents if document else positions).setdefault(code, []).append(position)
        found = {}
        for code, places in self._related_places.items():
            chosen = set(everyone[:limit])
            for place in places:
                chosen.update(positions.get(place, [])[:limit])
            for place in self._above[code]:
                chosen.update(documents.get(place, [])[:limit])
            if chosen:
                found[code] = [entries[position] for position in sorted(chosen)[:limit]]
        return found

    def radio_specs(self, lang: str) -> dict[str, FeedSpec]:
        """Plain-text feeds for reading on the commune loudspeakers: all, and per locality;
        without the events over before the publishing day."""
        return self._once("radio", lang, self._radio_specs)

    def _radio_specs(self, lang: str) -> dict[str, FeedSpec]:
        t = self.localizers[lang]
        feeds = {}
        for key, spec in self.specs(lang).items():
            if key == "all" or key.startswith("localities:"):
                entries = [e for e in spec.entries
                           if e.item.type.key != "event" or not is_over(e.item, self.today)]
                feeds[key] = FeedSpec(spec.file("radio"),
                                      f"{t.t('feeds.radio')}: {spec.title}", spec.page,
                                      entries)
        return feeds

    def _events(self, lang: str) -> list[Entry]:
        return [e for e in self.plan.entries[lang] if e.item.type.key == "event"]

    def absolute(self, url: str) -> str:
        return self.base + url

    @staticmethod
    def _published(item: Item) -> datetime:
        return start_of_day(item.date) if item.date else start_of_day(datetime(2025, 1, 1))

    def calendar_events(self, lang: str) -> dict[str, tuple[str, list[Entry]]]:
        """Each calendar file's path, its name and its events: all events, those that
        concern each locality (see `_concerning`), and each event on its own (named ""
        here: by its event's title, read when it is written, as what is worked out from a
        plan holds no item's texts; an edit of a title keeps the plan)."""
        return self._once("calendars", lang, self._calendar_events)

    def _calendar_events(self, lang: str) -> dict[str, tuple[str, list[Entry]]]:
        t = self.localizers[lang]
        urls = _urls(t, self.site.default_language)
        events = sorted(self._events(lang), key=lambda e: (e.item.meta["start"], e.item.key))
        kind, unit = t.t("types.event"), t.pick(self.site.unit_name)
        files = {urls.calendar(urls.section("event")):
                 (f"{kind} – {t.pick(self.site.name)} – {unit}", events)}
        for code, mine in self._concerning(events).items():
            files[urls.calendar(urls.term("localities", code))] = (
                f"{kind} – {t.name(self.site.term('localities', code))} – "
                f"{t.pick(self.site.name)}", mine)
        for entry in events:  # "add to my calendar" on the event's own page
            files[urls.calendar(entry.url)] = ("", [entry])
        return files


def _urls(localizer: Localizer, default_lang: str) -> Urls:
    return Urls(localizer, default_lang)
