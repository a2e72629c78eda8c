"""Feeds for radio staff and other portals, written: RSS 2.0 and Atom (feedgen), a
plain-text radio feed, JSON Feed 1.1 and iCalendar (icalendar), for every feed and calendar
of the plan (plan/feeds.py says which, where and with what).

Entry ids never change when an item is edited or the site is rebuilt: they come from the
item's file (its translation key and language), not from the build, its title or its date.
Dates are in Vietnam time (+07:00); addresses are absolute under `site_url` (with its
sub-path). A radio feed reads a video by its summary (its transcript describes pictures), a
document by its number, issuer and summary, and document numbers as words ("số 76 kế hoạch
Ủy ban nhân dân").
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import markdown
from feedgen.feed import FeedGenerator
from lxml import etree
from lxml import html as lxml_html

from ..common.cache import Store
from ..model.content import Item
from ..model.dates import start_of_day
from ..model.events import Timing, calendar_rule, when
from ..model.schema import AUDIO_TYPES
from ..plan.feeds import Feeds, FeedSpec
from ..plan.pages import Entry

if TYPE_CHECKING:
    from icalendar import Event

FEED_TTL = 60  # minutes: readers need not ask more often (the site changes when rebuilt)
HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")
_LINK = re.compile(r'(href|src)="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"')
_URL = re.compile(r"\(?(?:https?://|www\.)[^\s)]*\)?")
# Read-aloud text from HTML: what is a line of its own, and what a listener cannot use
_BLOCKS = frozenset(("p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                    "blockquote", "pre", "div", "details", "summary", "caption", "section",
                    "table", "ul", "ol", "dl"))
_SENTENCES = frozenset(("li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "summary",
                        "caption"))
_UNSPOKEN = frozenset(("img", "picture", "figure", "svg", "script", "style", "audio", "video",
                       "iframe", "object", "template"))
_END = re.compile(r"[.!?:;…]$")
_SPACE_BEFORE_MARK = re.compile(r"\s+([.,;:!?…])")  # left where a picture or address was

_FEEDS_AT_A_TIME = 32  # feeds made and cached together: memory stays flat


def illustrative(item: Item) -> bool:
    """An item marked `illustrative: true` (invented people, places or figures)."""
    return bool(item.meta.get("illustrative"))


def _no_tags(text: str) -> str:
    """Plain text for an RSS <description>, which readers show as HTML: '<' and '>' as
    character references, so that no text can become a tag; the rest stays plain text
    (line breaks and '&' as written) for readers that show it as it is."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


@functools.cache
def _vietnam_timezone() -> str:
    """The VTIMEZONE of Asia/Ho_Chi_Minh (UTC+7 since 1975), made once."""
    from icalendar import Timezone  # see FeedFiles._calendar

    return Timezone.from_tzinfo(HO_CHI_MINH).to_ical().decode("utf-8")


def _sentence(text: str) -> str:
    """A line that ends like a sentence, so the reader pauses."""
    text = " ".join(text.split())
    return text if not text or _END.search(text) else f"{text}."


def speakable(html: str) -> str:
    """Converted HTML as lines to read aloud: the words of links kept, addresses, pictures
    and markup dropped, list items, headings and table rows each a sentence of their own."""
    if not html.strip():
        return ""
    lines: list[str] = []
    words: list[str] = []

    def end_line(sentence: bool) -> None:
        text = _SPACE_BEFORE_MARK.sub(r"\1", " ".join(_URL.sub("", "".join(words)).split()))
        text = text.strip(" ,")
        if text:
            lines.append(_sentence(text) if sentence else text)
        words.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _UNSPOKEN:
            block = tag in _BLOCKS
            if block:
                end_line(False)
            words.append(element.text or "")
            for child in element:
                walk(child)
            if tag in ("td", "th"):
                words.append(", ")
            elif tag == "br":
                words.append(" ")
            if block:
                end_line(tag in _SENTENCES)
        words.append(element.tail or "")

    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for child in [root.text or "", *root]:
        if isinstance(child, str):
            words.append(child)
        else:
            walk(child)
    end_line(False)
    return "\n".join(lines)


@dataclass(frozen=True)
class Readings:
    """How the radio says short forms in one language: abbreviations (the unit's
    data/abbreviations.yml and the item's own, which win), the codes in document numbers
    ("KH": "kế hoạch", from the locale's radio.codes) and the words around a number."""

    words: dict[str, str]
    codes: dict[str, str]
    number: str = "{number}"  # "số {number}"
    year: str = "{year}"  # "năm {year}"

    def document_number(self, match: re.Match[str]) -> str:
        """ "76/KH-UBND" -> "số 76 kế hoạch Ủy ban nhân dân"; "13/2023/NĐ-CP" -> "số 13 năm
        2023 nghị định Chính phủ"; a number not yet given ("…/KH-UBND") is not read."""
        number, year, codes = match.group("number", "year", "codes")
        parts = [] if number in ("…", "...") else [self.number.format(number=number)]
        if year:
            parts.append(self.year.format(year=year))
        parts += [self.words.get(code) or self.codes.get(code, code)
                  for code in re.split(r"[-/]", codes)]
        return " ".join(parts)


def spell_out(text: str, readings: Readings) -> str:
    """Abbreviations and document numbers as words. An abbreviation inside a document
    number is read as part of it; a reading is not said twice where the text already says
    its first word ("mã OTP" -> "mã xác thực một lần", "Kế hoạch số 76/KH-UBND" -> "Kế hoạch
    số 76 kế hoạch Ủy ban nhân dân"), and "Ủy ban nhân dân (UBND)" is read once."""
    words = {short: full for short, full in readings.words.items()
             if full.strip() and full != short}
    spoken: list[str] = []
    last = 0
    for match in _abbreviation_finder(tuple(sorted(words))).finditer(text):
        head = text[last:match.start()]
        if match.group("echo"):  # "(UBND)"
            full = words[match.group("echo")]
            if text[:match.start()].rstrip().lower().endswith(full.lower()):
                spoken.append(head.rstrip())
            else:
                spoken.append(f"{head}({full})")
        else:
            full = readings.document_number(match) if match.group("codes") \
                else words[match.group("short")]
            if head[-1:].isalnum():  # "Kế hoạch…/KH-UBND": the number said apart
                head += " "
            said = _LAST_WORD.search(head[-40:])
            if full and said and said.group(1).lower() == full.split()[0].lower():
                head = head[:len(head) - len(said.group(0))]
                full = full[0].upper() + full[1:] if said.group(1)[0].isupper() else full
            spoken.append(head + full)
        last = match.end()
    spoken.append(text[last:])
    return "".join(spoken)


_LAST_WORD = re.compile(r"(\w+)\s+$")
# A document's number and symbol: 76/KH-UBND, 13/2023/NĐ-CP, 57-NQ/TW, …/KH-UBND
# ("…" where the number is not known yet, maybe joined to the word before it by speakable)
_DOCUMENT_NUMBER = (r"(?P<number>(?<![\w/.…-])\d+|(?<![/.-])(?:…|\.\.\.))"
                    r"(?:/(?P<year>\d{4}))?[/-]"
                    r"(?P<codes>[A-ZĐ][A-Za-zĐđ]*(?:[-/][A-ZĐ][A-Za-zĐđ]*)*)(?![\w/-])")


@functools.lru_cache(maxsize=64)  # a few per language; items may add their own
def _abbreviation_finder(shorts: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for document numbers and every abbreviation of a text's language,
    longest first; an abbreviation not after a letter, a slash or a hyphen, not before one."""
    alternatives = "|".join(re.escape(short) for short in sorted(shorts, key=len, reverse=True)
                            ) or "(?!)"  # no abbreviation: a group that never matches
    return re.compile(rf"{_DOCUMENT_NUMBER}|\(\s*(?P<echo>{alternatives})\s*\)"
                      rf"|(?<![\w/-])(?P<short>{alternatives})(?![\w/-])")


class FeedFiles(Feeds):
    """The plan's feeds and calendars (`planned`) as files. `html(entry, part)` gives an
    entry's body (part 0) or a step's text (part n) as converted; `fingerprint(entry)`
    changes whenever that HTML or the pictures in it change (it keys the feed cache)."""

    def __init__(self, planned: Feeds, html: Callable[[Entry, int], str],
                 content_dir: Path, fingerprint: Callable[[Entry], str],
                 pictures: Callable[[str, str], str] = lambda html, url: html) -> None:
        super().__init__(planned.site, planned.plan, planned.localizers, planned.base,
                         planned.today)
        self.planned = planned  # its feeds, worked out once for the pages and the files
        self.html, self.content_dir, self.fingerprint = html, content_dir, fingerprint
        self.pictures = pictures  # (HTML, page URL) -> HTML with published image variants
        host = urlsplit(self.base).hostname or "localhost"
        self.id_prefix = f"tag:{host},2025:"
        # An entry is in several feeds: its texts are made once, in caches of this object's
        # own (see Feeds.__init__: a cache on the class kept every build's for good)
        self._entry_print = functools.cache(self._entry_print)  # type: ignore[method-assign]
        self.content_html = functools.cache(self.content_html)  # type: ignore[method-assign]
        self.radio_text = functools.cache(self.radio_text)  # type: ignore[method-assign]
        self._event_ical = functools.cache(self._event_ical)  # type: ignore[method-assign]

    def specs(self, lang: str) -> dict[str, FeedSpec]:
        return self.planned.specs(lang)

    def radio_specs(self, lang: str) -> dict[str, FeedSpec]:
        return self.planned.radio_specs(lang)

    def calendar_events(self, lang: str) -> dict[str, tuple[str, list[Entry]]]:
        return self.planned.calendar_events(lang)

    # ------------------------------------------------------------------ files -------------
    def files(self, store: Store | None = None, salt: str = "",
              in_place: Callable[[str], list[str] | None] = lambda key: None
              ) -> Iterator[tuple[str, str | None, str]]:
        """Every feed and calendar file with the key it is kept under, a few feeds at a
        time (on a big site they add up to tens of MB). A feed whose entries did not change
        since the last build comes from `store`: its key is `salt` (code, templates, data,
        settings), its address and its entries' fingerprints, so an edit regenerates only
        the feeds it is in (and those of the pages that link to it). When the files made
        from a key are in place already (`in_place` names them), they come with no text."""
        jobs: list[tuple[str, FeedSpec | None, str]] = []
        for lang in self.site.site_language_codes:
            jobs += [("feed", spec, lang) for spec in self.specs(lang).values()]
            jobs += [("radio", spec, lang) for spec in self.radio_specs(lang).values()]
            jobs += [("json", self.specs(lang)["all"], lang), ("calendars", None, lang)]
        cache = store or Store(None)
        for start in range(0, len(jobs), _FEEDS_AT_A_TIME):
            batch = jobs[start:start + _FEEDS_AT_A_TIME]
            keys = [self._key(kind, spec, lang, salt) for kind, spec, lang in batch]
            placed = {key: paths for key in keys if (paths := in_place(key)) is not None}
            found: dict[str, dict[str, str | None]] = {
                key: dict.fromkeys(paths) for key, paths in placed.items()}
            found.update(cache.get(key for key in keys if key not in placed))
            fresh = {key: self._make(kind, spec, lang) for key, (kind, spec, lang)
                     in zip(keys, batch, strict=True) if key not in found}
            cache.put(fresh)
            found.update(fresh)
            for key in keys:
                for path, text in found[key].items():
                    yield path, text, key

    def _key(self, kind: str, spec: FeedSpec | None, lang: str, salt: str) -> str:
        entries = spec.entries if spec else self._events(lang)
        parts = [salt, kind, lang, self.base, spec.path if spec else "",
                 self.today.isoformat() if kind == "radio" else ""]
        for entry in entries:
            audio = self.audio(entry.item)
            parts.append(f"{entry.url} {entry.fallback:d} {self._entry_print(entry)} "
                         f"{audio[1] if audio else 0}")
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def _entry_print(self, entry: Entry) -> str:
        return f"{entry.item.digest} {self.fingerprint(entry)}"

    def _make(self, kind: str, spec: FeedSpec | None, lang: str) -> dict[str, str]:
        if kind == "calendars":
            return self.calendars(lang)
        assert spec is not None
        if kind == "json":
            return {spec.file("json"): self.json_feed(spec, lang)}
        rss, atom = self._feeds(spec, lang, radio=kind == "radio")
        made = {spec.path: rss}
        if kind == "feed":
            made[spec.file("atom")] = atom
        return made

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
        feed.ttl(FEED_TTL)
        newest = max((self._updated(e.item) for e in spec.entries), default=self._newest)
        feed.updated(newest)  # from content, not the clock: same commit, same bytes
        feed.lastBuildDate(newest)
        for entry in spec.entries:
            self._entry(feed.add_entry(order="append"), entry, lang, radio)
        rss = feed.rss_str(pretty=True).decode("utf-8")
        atom_path = spec.file("atom")
        feed.link([{"href": self.absolute(atom_path), "rel": "self"},
                   {"href": self.absolute(spec.page), "rel": "alternate"}], replace=True)
        return rss, self._atom_links(feed.atom_str(pretty=True), spec.entries, lang)

    def _atom_links(self, atom: bytes, entries: list[Entry], lang: str) -> str:
        """feedgen 1.0 drops rel/type/length on entry links in Atom (python-feedgen#135):
        put back rel="alternate" on each entry's page and the audio's enclosure; mark an
        untranslated entry's language."""
        namespace = "{http://www.w3.org/2005/Atom}"
        root = etree.fromstring(atom)
        root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
        for element, entry in zip(root.iter(f"{namespace}entry"), entries, strict=True):
            if entry.item.lang != lang:
                element.set("{http://www.w3.org/XML/1998/namespace}lang", entry.item.lang)
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

    def _updated(self, item: Item) -> datetime:
        updated = item.meta.get("updated")
        return start_of_day(updated) if updated else self._published(item)

    def author(self, item: Item, lang: str) -> str:
        """The issuing office of a document, else the item's author, else the publisher."""
        return (item.meta.get("issuer") or item.meta.get("author")
                or self.localizers[lang].pick(self.site.publisher))

    def _entry(self, fe: Any, entry: Entry, lang: str, radio: bool) -> None:
        item, t = entry.item, self.localizers[lang]
        url = self.absolute(entry.url)
        fe.id(self.entry_id(item))
        fe.guid(self.entry_id(item), permalink=False)
        fe.title(self.title(item, lang))
        fe.link(href=url)
        fe.published(self._published(item))
        fe.updated(self._updated(item))
        author = self.author(item, lang)
        fe.author({"name": author})
        fe.dc.dc_creator(author)
        fe.category(term=item.type.key, label=t.t(f"types.{item.type.key}"))
        for topic in item.topics:
            fe.category(term=topic, label=t.name(self.site.term("topics", topic)))
        if illustrative(item):
            fe.category(term="illustrative", label=t.t("illustrative.category"))
        if radio:
            fe.description(_no_tags(self.radio_text(entry, lang)))
        else:
            summary = self.summary(item, lang)
            fe.summary(summary)  # Atom: declared text; RSS: see _no_tags
            fe.description(_no_tags(summary))
            fe.content(self.content_html(entry, lang), type="html")
        audio = self.audio(item)
        if audio:
            fe.enclosure(*audio)

    # ------------------------------------------------------------------ texts -------------
    def title(self, item: Item, lang: str) -> str:
        """The title as every feed and calendar gives it: an invented item says so first,
        since readers and other portals often show nothing but the title."""
        if not illustrative(item):
            return item.title
        return self.localizers[lang].t("illustrative.title", title=item.title)

    def summary(self, item: Item, lang: str) -> str:
        """The summary, after the sentence that says an invented item is invented."""
        if not illustrative(item):
            return item.summary
        return f"{self.localizers[lang].t('ui.illustrative_item')}\n{item.summary}"

    def content_html(self, entry: Entry, lang: str) -> str:
        """The full item as HTML with absolute links, as a feed reader shows it."""
        item, t = entry.item, self.localizers[lang]
        parts = [f"<p><strong>{escape(t.t('ui.illustrative'))}.</strong> "
                 f"{escape(t.t('ui.illustrative_item'))}</p>"] if illustrative(item) else []
        parts.append(f"<p><strong>{escape(item.summary)}</strong></p>")
        if item.type.key == "event":
            parts.append(f"<p>{escape(t.t('event_time.when'))}: {escape(when(item, t))}. "
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

    def radio_text(self, entry: Entry, lang: str) -> str:
        """Plain text to read on air, made from the item as converted for the site: no
        markup, no addresses, no pictures; abbreviations spelt out in the text's language.
        An invented item is announced as such before anything else is read."""
        item, t = entry.item, self.localizers[lang]
        if item.meta.get("radio_text"):
            text = speakable(markdown.markdown(item.meta["radio_text"]))
        else:
            lines = [_sentence(item.title)]
            if item.type.key == "document":  # its number and issuer, not its whole text
                lines.append(t.t("radio.document", number=item.meta["number"],
                                 issuer=item.meta["issuer"], date=t.date(item.meta["issued"])))
            lines.append(_sentence(item.summary))
            if item.type.key == "event":
                lines.append(f"{t.t('event_time.when')}: {when(item, t)}. "
                             f"{t.t('event.place')}: {_sentence(item.meta['place'])}")
            for number, step in enumerate(item.meta.get("steps", []), 1):
                lines.append(f"{t.t('guide.step', number=number)}: "
                             f"{_sentence(step['title'])} "
                             f"{speakable(self.html(entry, number))}".strip())
            if item.type.key not in ("video", "document"):  # a transcript describes screens
                lines.append(speakable(self.html(entry, 0)))
            text = "\n".join(line for line in lines if line.strip())
        header = [t.date(item.date)] + [t.name(self.site.term("localities", code))
                                        for code in item.localities]
        words = {short: readings[item.lang]
                 for short, readings in self.site.abbreviations.items() if item.lang in readings}
        words.update({a["short"]: a["full"] for a in item.meta.get("abbreviations", [])})
        codes = {key.removeprefix("radio.codes."): value for key, value in t.labels.items()
                 if key.startswith("radio.codes.")}
        readings = Readings(words, codes, t.t("radio.number", number="{number}"),
                            t.t("radio.year", year="{year}"))
        spoken = f"{' – '.join(header)}.\n{spell_out(text, readings)}".strip()
        return f"{t.t('illustrative.radio')}\n{spoken}" if illustrative(item) else spoken

    def audio(self, item: Item) -> tuple[str, str, str] | None:
        """(absolute URL, size in bytes, MIME type) of the item's recording."""
        path = item.meta.get("audio")
        if not path:
            return None
        size = (self.content_dir / path).stat().st_size
        return self.absolute(path), str(size), AUDIO_TYPES[Path(path).suffix.lower()]

    # ------------------------------------------------------------------ JSON Feed ---------
    def json_feed(self, spec: FeedSpec, lang: str) -> str:
        t = self.localizers[lang]
        items = []
        for entry in spec.entries:
            item = entry.item
            record: dict[str, Any] = {
                "id": self.entry_id(item), "url": self.absolute(entry.url),
                "title": self.title(item, lang), "summary": self.summary(item, lang),
                "content_html": self.content_html(entry, lang),
                "date_published": self._published(item).isoformat(),
                "date_modified": self._updated(item).isoformat(),
                "authors": [{"name": self.author(item, lang)}],
                "tags": [t.t(f"types.{item.type.key}")] +
                        [t.name(self.site.term("topics", x)) for x in item.topics] +
                        ([t.t("illustrative.category")] if illustrative(item) else []),
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
            "feed_url": self.absolute(spec.file("json")),
            "description": t.t("feeds.description", name=t.pick(self.site.name),
                               unit=t.pick(self.site.unit_name)),
            "authors": [{"name": t.pick(self.site.publisher)}],
            "language": lang, "items": items}, ensure_ascii=False, indent=1)

    # ------------------------------------------------------------------ iCalendar ---------
    def calendars(self, lang: str) -> dict[str, str]:
        """Every calendar of `calendar_events` as an .ics file (RFC 5545); an event's own
        calendar is named by its title."""
        return {path: self._calendar(name or entries[0].item.title, entries)
                for path, (name, entries) in self.calendar_events(lang).items()}

    def _calendar(self, name: str, entries: Iterable[Entry]) -> str:
        """An event is in several calendars (all, its localities', its own): each VEVENT and
        the VTIMEZONE are serialised once and the files assembled from them. icalendar is
        loaded when a calendar is written (0.08 s): a rebuild whose calendars did not change
        never does."""
        from icalendar import Calendar, vText

        calendar = Calendar()
        calendar.add("prodid", "-//binhdan//Binh dan hoc vu so//VI")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", vText(name))  # escaped like SUMMARY (icalendar leaves
        # a property it does not know as it is: a line break in a title ended the line)
        calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
        frame = calendar.to_ical().decode("utf-8")
        end = "END:VCALENDAR\r\n"
        assert frame.endswith(end)
        events = "".join(self._event_ical(entry) for entry in entries)
        return frame[:-len(end)] + events + _vietnam_timezone() + end

    def _event_ical(self, entry: Entry) -> str:
        return self._event(entry).to_ical().decode("utf-8")

    def _event(self, entry: Entry) -> Event:
        from icalendar import Event  # see _calendar

        item = entry.item
        event = Event()
        event.add("uid", f"{item.key}@{urlsplit(self.base).hostname}")
        changed = self._updated(item).astimezone(ZoneInfo("UTC"))
        event.add("dtstamp", changed)  # from content: the same commit, the same bytes
        event.add("last-modified", changed)
        start = item.meta["start"].astimezone(HO_CHI_MINH)
        end = item.meta.get("end")
        timing = Timing.of(item)
        if timing.whole_days:  # a date without a time: the whole day(s)
            event.add("dtstart", start.date())
            event.add("dtend", (end or start).date() + timedelta(days=1))
        else:
            event.add("dtstart", start)
            event.add("dtend", (end or start + timedelta(hours=2)).astimezone(HO_CHI_MINH))
        rule = calendar_rule(item, timing.whole_days)
        if rule is not None:
            event.add("rrule", rule)
        event.add("summary", self.title(item, entry.lang))
        event.add("location", item.meta["place"])
        event.add("description",
                  f"{self.summary(item, entry.lang)}\n{self.absolute(entry.url)}")
        if illustrative(item):
            event.add("categories", [self.localizers[entry.lang].t("illustrative.category")])
        event.add("url", self.absolute(entry.url))
        return event
