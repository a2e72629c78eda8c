"""Feeds for radio staff and other portals: RSS 2.0 and Atom (feedgen), a plain-text radio
feed, JSON Feed 1.1 and iCalendar (icalendar), per language, content type, topic and
locality.

Entry ids never change when an item is edited or the site is rebuilt: they come from the
item's file (its translation key and language), not from the build, its title or its date.
Dates are in Vietnam time (+07:00); addresses are absolute under `site_url` (with its
sub-path); drafts and items scheduled for later are never in the plan, so never here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, Timezone
from lxml import etree

from .cache import Store
from .content import Item
from .dates import start_of_day
from .i18n import Localizer
from .pages import Entry, Plan, Urls
from .site import SiteConfig

FEED_SIZE = 30  # newest entries per feed: enough for a week of a busy province
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")
_LINK = re.compile(r'(href|src)="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"')
_MD_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")
_MD_NOISE = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)|[*_`|]|<[^>]+>",
                       re.MULTILINE)
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class FeedSpec:
    """One feed: which entries, where it lives, what it is called."""

    path: str  # site-relative: "dia-phuong/na-hang/feed.xml"
    title: str
    page: str  # the page it follows (site-relative URL)
    entries: list[Entry]


class Feeds:
    """All feed files of a site, from the page plan. `html(entry)` gives an entry's page body
    as rendered for the site (links relative to the page)."""

    def __init__(self, site: SiteConfig, plan: Plan, localizers: dict[str, Localizer],
                 site_url: str, html: Callable[[Entry, int], str],
                 content_dir: Path, abbreviations: dict[str, str],
                 pictures: Callable[[str, str], str] = lambda html, url: html) -> None:
        self.site, self.plan, self.localizers = site, plan, localizers
        self.base = site_url if site_url.endswith("/") else site_url + "/"
        self.html, self.content_dir = html, content_dir
        self.abbreviations = abbreviations
        self.pictures = pictures  # (HTML, page URL) -> HTML with published image variants
        host = urlsplit(self.base).hostname or "localhost"
        self.id_prefix = f"tag:{host},2025:"

    # ------------------------------------------------------------------ what exists ------
    @functools.cache  # noqa: B019 (one Feeds per build; every page asks for its feeds)
    def specs(self, lang: str) -> dict[str, FeedSpec]:
        """Every feed of one language, by kind: "all", "type:guide", "topics:vneid"..."""
        t = self.localizers[lang]
        urls = _urls(self.localizers[lang], self.site.default_language)
        listed = [e for e in self.plan.entries[lang] if e.item.type.listed]
        name = t.pick(self.site.name)
        feeds = {"all": FeedSpec(f"{urls.home()}feed.xml",
                                 f"{name} – {t.pick(self.site.unit_name)}", urls.home(),
                                 listed[:FEED_SIZE])}
        by_type: dict[str, list[Entry]] = {}
        by_term: dict[tuple[str, str], list[Entry]] = {}
        for entry in listed:
            by_type.setdefault(entry.item.type.key, []).append(entry)
            for taxonomy in ("topics", "localities"):
                for term in getattr(entry.item, taxonomy):
                    by_term.setdefault((taxonomy, term), []).append(entry)
        for key, entries in by_type.items():
            section = urls.section(key)
            feeds[f"type:{key}"] = FeedSpec(f"{section}feed.xml",
                                            f"{t.t(f'types.{key}')} – {name}", section,
                                            entries[:FEED_SIZE])
        for (taxonomy, term_id), entries in sorted(by_term.items()):
            page = urls.term(taxonomy, term_id)
            term = t.name(self.site.term(taxonomy, term_id))
            feeds[f"{taxonomy}:{term_id}"] = FeedSpec(f"{page}feed.xml", f"{term} – {name}",
                                                      page, entries[:FEED_SIZE])
        return feeds

    @functools.cache  # noqa: B019
    def radio_specs(self, lang: str) -> dict[str, FeedSpec]:
        """Plain-text feeds for reading on the commune loudspeakers: all, and per locality."""
        t = self.localizers[lang]
        feeds = {}
        for key, spec in self.specs(lang).items():
            if key == "all" or key.startswith("localities:"):
                feeds[key] = FeedSpec(spec.path.replace("feed.xml", "radio.xml"),
                                      f"{t.t('feeds.radio')}: {spec.title}", spec.page,
                                      spec.entries)
        return feeds

    # ------------------------------------------------------------------ files ------------
    def files(self, store: Store | None = None, salt: str = "") -> dict[str, str]:
        """Every feed and calendar file. A feed whose entries did not change since the last
        build comes from `store`: its key is `salt` (code, templates, data, settings), its
        address and its entries' digests, so an edit regenerates only the feeds it is in."""
        jobs: list[tuple[str, FeedSpec | None, str]] = []
        for lang in self.site.language_codes:
            jobs += [("feed", spec, lang) for spec in self.specs(lang).values()]
            jobs += [("radio", spec, lang) for spec in self.radio_specs(lang).values()]
            jobs += [("json", self.specs(lang)["all"], lang), ("calendars", None, lang)]
        keys = [self._key(kind, spec, lang, salt) for kind, spec, lang in jobs]
        cache = store or Store(None)
        found: dict[str, dict[str, str]] = cache.get(keys)
        fresh = {key: self._make(kind, spec, lang) for key, (kind, spec, lang)
                 in zip(keys, jobs, strict=True) if key not in found}
        cache.put(fresh)
        found.update(fresh)
        return {path: text for key in keys for path, text in found[key].items()}

    def _key(self, kind: str, spec: FeedSpec | None, lang: str, salt: str) -> str:
        entries = spec.entries if spec else self._events(lang)
        parts = [salt, kind, lang, self.base, spec.path if spec else ""]
        for entry in entries:
            audio = entry.item.meta.get("audio")
            size = (self.content_dir / audio).stat().st_size if audio else 0
            parts.append(f"{entry.url} {entry.fallback:d} {entry.item.digest} {size}")
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def _make(self, kind: str, spec: FeedSpec | None, lang: str) -> dict[str, str]:
        if kind == "calendars":
            return self.calendars(lang)
        assert spec is not None
        if kind == "json":
            return {spec.path.replace("feed.xml", "feed.json"): self.json_feed(spec, lang)}
        rss, atom = self._feeds(spec, lang, radio=kind == "radio")
        made = {spec.path: rss}
        # Atom for the main, type and topic feeds; locality feeds are RSS (and radio) only
        if kind == "feed" and "/" + self.localizers[lang].path("localities") + "/" \
                not in "/" + spec.path:
            made[spec.path.replace("feed.xml", "atom.xml")] = atom
        return made

    def _events(self, lang: str) -> list[Entry]:
        return [e for e in self.plan.entries[lang] if e.item.type.key == "event"]

    def absolute(self, url: str) -> str:
        return self.base + url

    def entry_id(self, item: Item) -> str:
        """From the file, never from the build: tag:host,2025:guides/cai-dat-vneid.vi"""
        return f"{self.id_prefix}{item.key}.{item.lang}"

    def _feeds(self, spec: FeedSpec, lang: str, radio: bool) -> tuple[str, str]:
        t = self.localizers[lang]
        feed = FeedGenerator()
        feed.load_extension("dc")  # RSS authors without an e-mail address: dc:creator
        feed.id(self.absolute(spec.path))
        feed.title(spec.title)
        # feedgen writes RSS <link> from the last link given: the page comes last
        feed.link(href=self.absolute(spec.path), rel="self")
        feed.link(href=self.absolute(spec.page), rel="alternate")
        feed.description(t.t("feeds.description", name=t.pick(self.site.name),
                             unit=t.pick(self.site.unit_name)))
        feed.language(lang)
        feed.author({"name": t.pick(self.site.publisher)})
        feed.generator("binhdan")
        newest = max((self._updated(e.item) for e in spec.entries), default=self._newest)
        feed.updated(newest)  # from content, not the clock: same commit, same bytes
        feed.lastBuildDate(newest)
        for entry in spec.entries:
            self._entry(feed.add_entry(order="append"), entry, lang, radio)
        rss = feed.rss_str(pretty=True).decode("utf-8")
        atom_path = spec.path.replace("feed.xml", "atom.xml")
        feed.link([{"href": self.absolute(atom_path), "rel": "self"},
                   {"href": self.absolute(spec.page), "rel": "alternate"}], replace=True)
        return rss, self._atom_links(feed.atom_str(pretty=True), spec.entries)

    def _atom_links(self, atom: bytes, entries: list[Entry]) -> str:
        """feedgen 1.0 drops rel/type/length on entry links in Atom (python-feedgen#135):
        put back rel="alternate" on each entry's page and the audio's enclosure."""
        namespace = "{http://www.w3.org/2005/Atom}"
        root = etree.fromstring(atom)
        for element, entry in zip(root.iter(f"{namespace}entry"), entries, strict=True):
            links = element.findall(f"{namespace}link")
            links[0].set("rel", "alternate")
            links[0].set("type", "text/html")
            audio = self.audio(entry.item)
            if audio and len(links) > 1:
                links[1].set("rel", "enclosure")
                links[1].set("type", audio[2])
                links[1].set("length", audio[1])
        return etree.tostring(root, pretty_print=True, xml_declaration=True,
                              encoding="UTF-8").decode("utf-8")

    @functools.cached_property
    def _newest(self) -> datetime:
        """The newest content date: an empty feed's date (never the build's clock)."""
        dates = [self._updated(e.item) for entries in self.plan.entries.values()
                 for e in entries if e.item.date]
        return max(dates, default=start_of_day(date(2025, 1, 1)))

    @staticmethod
    def _published(item: Item) -> datetime:
        return start_of_day(item.date) if item.date else start_of_day(datetime(2025, 1, 1))

    def _updated(self, item: Item) -> datetime:
        updated = item.meta.get("updated")
        return start_of_day(updated) if updated else self._published(item)

    def _entry(self, fe: Any, entry: Entry, lang: str, radio: bool) -> None:
        item, t = entry.item, self.localizers[lang]
        url = self.absolute(entry.url)
        fe.id(self.entry_id(item))
        fe.guid(self.entry_id(item), permalink=False)
        fe.title(item.title)
        fe.link(href=url)
        fe.published(self._published(item))
        fe.updated(self._updated(item))
        author = item.meta.get("author") or t.pick(self.site.publisher)
        fe.author({"name": author})
        fe.dc.dc_creator(author)
        fe.category(term=item.type.key, label=t.t(f"types.{item.type.key}"))
        for topic in item.topics:
            fe.category(term=topic, label=t.name(self.site.term("topics", topic)))
        if radio:
            fe.description(self.radio_text(entry, lang))
        else:
            fe.summary(item.summary)
            fe.content(self.content_html(entry, lang), type="html")
        audio = self.audio(item)
        if audio:
            fe.enclosure(*audio)

    # ------------------------------------------------------------------ texts ------------
    @functools.cache  # noqa: B019 (an entry is in several feeds: make its text once)
    def content_html(self, entry: Entry, lang: str) -> str:
        """The full item as HTML with absolute links, as a feed reader shows it."""
        item, t = entry.item, self.localizers[lang]
        parts = [f"<p><strong>{escape(item.summary)}</strong></p>"]
        if item.type.key == "event":
            parts.append(f"<p>{escape(t.t('event.start'))}: "
                         f"{escape(t.datetime(item.meta['start']))}. "
                         f"{escape(t.t('event.place'))}: {escape(item.meta['place'])}</p>")
        steps = item.meta.get("steps", [])
        if steps:
            rows = []
            for number, step in enumerate(steps, 1):
                text = self.html(entry, number)
                rows.append(f"<li><strong>{escape(step['title'])}</strong>{text}</li>")
            parts.append(f"<ol>{''.join(rows)}</ol>")
        parts.append(self.html(entry, 0))
        page = self.absolute(entry.url)
        return _LINK.sub(lambda m: f'{m.group(1)}="{urljoin(page, m.group(2))}"',
                         self.pictures("".join(parts), entry.url))

    @functools.cache  # noqa: B019
    def radio_text(self, entry: Entry, lang: str) -> str:
        """Plain text to read on air: no Markdown, no addresses, abbreviations spelt out."""
        item, t = entry.item, self.localizers[lang]
        if item.meta.get("radio_text"):
            text = _plain(item.meta["radio_text"])
        else:
            lines = [f"{item.title}.", item.summary]
            if item.type.key == "event":
                lines.append(f"{t.t('event.start')}: {t.datetime(item.meta['start'])}. "
                             f"{t.t('event.place')}: {item.meta['place']}.")
            for number, step in enumerate(item.meta.get("steps", []), 1):
                lines.append(f"{t.t('guide.step', number=number)}: {step['title']}. "
                             f"{_plain(step.get('text', ''))}")
            lines.append(_plain(item.body))
            text = "\n".join(line for line in lines if line.strip())
        header = [t.date(item.date)] + [t.name(self.site.term("localities", code))
                                        for code in item.localities]
        expansions = {**self.abbreviations,
                      **{a["short"]: a["full"] for a in item.meta.get("abbreviations", [])}}
        for short in sorted(expansions, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", expansions[short], text)
        return f"{' – '.join(header)}.\n{text}".strip()

    def audio(self, item: Item) -> tuple[str, str, str] | None:
        """(absolute URL, size in bytes, MIME type) of the item's recording."""
        path = item.meta.get("audio")
        if not path:
            return None
        size = (self.content_dir / path).stat().st_size
        kind = mimetypes.guess_type(path)[0] or "audio/mpeg"
        return self.absolute(path), str(size), kind

    # ------------------------------------------------------------------ JSON Feed ---------
    def json_feed(self, spec: FeedSpec, lang: str) -> str:
        t = self.localizers[lang]
        items = []
        for entry in spec.entries:
            item = entry.item
            record: dict[str, Any] = {
                "id": self.entry_id(item), "url": self.absolute(entry.url),
                "title": item.title, "summary": item.summary,
                "content_html": self.content_html(entry, lang),
                "date_published": self._published(item).isoformat(),
                "date_modified": self._updated(item).isoformat(),
                "authors": [{"name": item.meta.get("author") or t.pick(self.site.publisher)}],
                "tags": [t.t(f"types.{item.type.key}")] +
                        [t.name(self.site.term("topics", x)) for x in item.topics],
                "language": item.lang,
            }
            audio = self.audio(item)
            if audio:
                record["attachments"] = [{"url": audio[0], "size_in_bytes": int(audio[1]),
                                          "mime_type": audio[2]}]
            items.append(record)
        return json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "title": spec.title,
            "home_page_url": self.absolute(spec.page),
            "feed_url": self.absolute(spec.path.replace("feed.xml", "feed.json")),
            "language": lang, "items": items}, ensure_ascii=False, indent=1)

    # ------------------------------------------------------------------ iCalendar ---------
    def calendar_events(self, lang: str) -> dict[str, list[Entry]]:
        """Each calendar file's path and its events: all events, and each locality's."""
        urls = _urls(self.localizers[lang], self.site.default_language)
        name = self.localizers[lang].path("calendar")
        events = self._events(lang)
        files = {f"{urls.section('event')}{name}.ics": events}
        for entry in events:
            for code in entry.item.localities:
                files.setdefault(f"{urls.term('localities', code)}{name}.ics", []).append(entry)
        return files

    def calendars(self, lang: str) -> dict[str, str]:
        """All events, and each locality's, as .ics files (RFC 5545)."""
        return {path: self._calendar(entries, lang)
                for path, entries in self.calendar_events(lang).items()}

    def _calendar(self, entries: Iterable[Entry], lang: str) -> str:
        t = self.localizers[lang]
        calendar = Calendar()
        calendar.add("prodid", "-//binhdan//Binh dan hoc vu so//VI")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"{t.t('types.event')} – {t.pick(self.site.name)}")
        calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
        for entry in sorted(entries, key=lambda e: e.item.meta["start"]):
            item = entry.item
            event = Event()
            event.add("uid", f"{item.key}@{urlsplit(self.base).hostname}")
            event.add("dtstamp", self._updated(item).astimezone(ZoneInfo("UTC")))
            start = item.meta["start"].astimezone(HO_CHI_MINH)
            end = (item.meta.get("end") or item.meta["start"] + timedelta(hours=2))
            event.add("dtstart", start)
            event.add("dtend", end.astimezone(HO_CHI_MINH))
            event.add("summary", item.title)
            event.add("location", item.meta["place"])
            event.add("description", f"{item.summary}\n{self.absolute(entry.url)}")
            event.add("url", self.absolute(entry.url))
            calendar.add_component(event)
        calendar.add_component(_vietnam_timezone())
        return calendar.to_ical().decode("utf-8")


@functools.cache
def _vietnam_timezone() -> Timezone:
    """The VTIMEZONE of Asia/Ho_Chi_Minh (UTC+7 since 1975), made once."""
    return Timezone.from_tzinfo(HO_CHI_MINH)


def _urls(localizer: Localizer, default_lang: str) -> Urls:
    return Urls(localizer, default_lang)


def _plain(markdown: str) -> str:
    """Markdown as sentences to read aloud: link text kept, addresses and markup dropped."""
    text = _MD_LINK.sub(lambda m: m.group(1) or "", markdown)
    text = _MD_NOISE.sub("", text)
    text = _URL.sub("", text)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n{2,}", "\n", text)).strip()


