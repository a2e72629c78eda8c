"""Help near you: the places and people a resident can go to (issue 17, point 1).

`data/help-points.yml` lists help points (a commune's one-stop desk, a post office, a library)
and `data/community-teams.yml` the community digital teams of villages (tổ công nghệ số cộng
đồng). Both are lists read and checked here, each problem with its file, line and field;
pages show them through `Help` (a locality's own, and the nearest: its own then its parent
units'). A team is named by its role, never by a person: a person's name needs their consent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError

from ..common.problems import Problems
from .content import nearest
from .dates import DateProblem, parse_date
from .site import ID_PATTERN, Localized, SiteConfig, tel_link
from .sources import YamlDoc, load_yaml_file
from .values import PHONE

POINTS_FILE, TEAMS_FILE = "help-points.yml", "community-teams.yml"
COMMON_FIELDS = ("id", "locality", "hours", "phone", "topics", "languages", "last_checked",
                 "illustrative")
POINT_FIELDS = (*COMMON_FIELDS[:2], "name", "address", *COMMON_FIELDS[2:], "step_free",
                "coordinates")
TEAM_FIELDS = (*COMMON_FIELDS[:2], "village", "role", *COMMON_FIELDS[2:])
# Fields that would name a person: refused on a team (consent), the role stands instead.
PERSON_FIELDS = ("name", "person", "leader", "contact", "ho_ten")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STALE_DAYS = 365  # a point not checked for a year may have moved or closed
_TIME = r"([01]?\d|2[0-3])[:h.]([0-5]\d)"
_TIMES = re.compile(rf"\s*{_TIME}\s*[-–]\s*{_TIME}\s*")
# BCP 47 as written on the web: language, optional script, optional region ("vi", "hmn",
# "zh-Hant", "vi-VN").
_BCP47 = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?")


@dataclass(frozen=True)
class Hours:
    """Opening hours of some days: `days` Monday = 0, a run ("mon-fri") or a list, and the
    times of each day ("7:30-11:30", "13:30-17:00")."""

    days: tuple[int, ...]
    times: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HelpEntry:
    """A help point or a community team: where, when and how to reach them."""

    id: str
    locality: str
    title: Localized  # a point's name; a team's village
    role: Localized  # a team's role ("Tổ trưởng"); empty for a point
    address: Localized
    hours: tuple[Hours, ...]
    phone: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    last_checked: date | None
    illustrative: bool
    step_free: bool | None = None
    coordinates: tuple[float, float] | None = None
    team: bool = False

    @property
    def tel(self) -> str:
        return tel_link(self.phone) if self.phone else ""

    def geo(self, label: str) -> str:
        """Directions in the phone's own map app (RFC 5870 geo: URI with a label)."""
        if self.coordinates is None:
            return ""
        lat, lon = self.coordinates
        return f"geo:{lat},{lon}?q={lat},{lon}({quote(label, safe='')})"


@dataclass
class Help:
    """Every help point and team, by locality."""

    entries: list[HelpEntry] = field(default_factory=list)
    parents: dict[str, str | None] = field(default_factory=dict)

    def at(self, code: str) -> tuple[HelpEntry, ...]:
        """A locality's own points, then its teams."""
        return self._by_locality.get(code, ())

    @cached_property
    def _by_locality(self) -> dict[str, tuple[HelpEntry, ...]]:
        """Entries by locality, points before teams: every guide's page asks (read once)."""
        grouped: dict[str, list[HelpEntry]] = {}
        for entry in sorted(self.entries, key=lambda e: e.team):
            grouped.setdefault(entry.locality, []).append(entry)
        return {code: tuple(entries) for code, entries in grouped.items()}

    def chain(self, code: str) -> list[str]:
        """The locality and the units above it, nearest first."""
        codes: list[str] = []
        current: str | None = code
        while current and current not in codes:
            codes.append(current)
            current = self.parents.get(current)
        return codes

    def nearest(self, code: str) -> list[tuple[str, tuple[HelpEntry, ...]]]:
        """(locality, its entries) for the locality and each unit above that has any."""
        return [(unit, entries) for unit in self.chain(code) if (entries := self.at(unit))]

    @cached_property
    def localities(self) -> tuple[str, ...]:
        """Localities with help of their own or above them: each gets a help page."""
        return tuple(code for code in self.parents if self.nearest(code))

    @property
    def illustrative(self) -> bool:
        return any(entry.illustrative for entry in self.entries)


def load_help(site: SiteConfig, data: Path, data_rel: str, problems: Problems,
              today: date) -> Help:
    localities = site.taxonomies.get("localities", {})
    reader = _Reader(site, problems, today)
    entries = [*reader.read(data / POINTS_FILE, f"{data_rel}/{POINTS_FILE}", team=False),
               *reader.read(data / TEAMS_FILE, f"{data_rel}/{TEAMS_FILE}", team=True)]
    return Help(entries, {code: term.extra.get("parent") for code, term in localities.items()})


class _Reader:
    def __init__(self, site: SiteConfig, problems: Problems, today: date) -> None:
        self.site, self.problems, self.today = site, problems, today
        self.ids: dict[str, int] = {}

    def read(self, path: Path, rel: str, team: bool) -> list[HelpEntry]:
        if not path.exists():
            return []
        doc = load_yaml_file(path, rel, self.problems)
        if doc is None or doc.value is None:
            return []
        if not isinstance(doc.value, list):
            self.problems.add("wrong_type", rel, 1, None, expected_vi="một danh sách (mỗi mục "
                              "bắt đầu bằng '- ')", expected_en="a list (each entry starts "
                              "with '- ')", actual=type(doc.value).__name__)
            return []
        entries = []
        for index, row in enumerate(doc.value):
            if not isinstance(row, dict):
                self.problems.add("yaml_not_mapping", rel, doc.line(index))
                continue
            entry = _Row(self, doc, rel, index, row, team).entry()
            if entry is not None:
                entries.append(entry)
        return entries


class _Row:
    """One entry of either file, checked field by field; every problem is reported."""

    def __init__(self, reader: _Reader, doc: YamlDoc, rel: str, index: int,
                 row: dict[str, Any], team: bool) -> None:
        self.reader, self.doc, self.rel, self.index, self.row = reader, doc, rel, index, row
        self.team, self.ok = team, True
        self.site, self.problems = reader.site, reader.problems

    def line(self, key: str | None = None) -> int | None:
        return self.doc.line(self.index, key) if key in self.row else self.doc.line(self.index)

    def fail(self, code: str, key: str | None, **params: Any) -> None:
        self.problems.add(code, self.rel, self.line(key), key, **params)
        self.ok = False

    def entry(self) -> HelpEntry | None:
        allowed = TEAM_FIELDS if self.team else POINT_FIELDS
        for key in self.row:
            if self.team and key in PERSON_FIELDS:
                self.fail("help_person_name", str(key))
            elif key not in allowed:
                self.fail("unknown_field", str(key), type=self.rel.rsplit("/", 1)[-1],
                          allowed=", ".join(allowed))
        ident = self.ident()
        locality = self.ref("locality", "localities", required=True)
        title = self.localized("village" if self.team else "name", required=True)
        role = self.localized("role", required=self.team)
        address = self.localized("address", required=not self.team)
        hours = self.hours()
        phone = self.phone()
        topics = tuple(self.ref_list("topics", "topics"))
        languages = self.languages()
        checked = self.last_checked()
        illustrative = self.flag("illustrative")
        step_free = self.flag("step_free") if "step_free" in self.row else None
        coordinates = self.coordinates()
        if not self.ok or ident is None or locality is None:
            return None
        return HelpEntry(ident, locality, title, role, address, hours, phone, topics,
                         languages, checked, bool(illustrative), step_free, coordinates,
                         self.team)

    def ident(self) -> str | None:
        value = self.row.get("id")
        if value is None:
            self.fail("missing_field", "id", label_vi="mã", label_en="id")
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail("wrong_type", "id", expected_vi="mã chữ thường không dấu, nối bằng '-' "
                      "(vd. 'mot-cua-na-hang')", expected_en="a lowercase id joined by '-' "
                      "(e.g. 'mot-cua-na-hang')", actual=repr(value))
            return None
        if value in self.reader.ids:
            self.fail("duplicate_id", "id", value=value, other_line=self.reader.ids[value])
            return None
        self.reader.ids[value] = self.line("id") or 0
        return value

    def ref(self, key: str, taxonomy: str, required: bool = False,
            value: Any = None) -> str | None:
        value = self.row.get(key) if value is None else value
        if value is None:
            if required:
                self.fail("missing_field", key, label_vi=key, label_en=key)
            return None
        known = self.site.taxonomies.get(taxonomy, {})
        if isinstance(value, str) and value in known:
            return value
        close = nearest(str(value), known)
        self.fail("help_unknown_ref", key, value=value, source=f"data/{taxonomy}.yml",
                  suggestion=(f" Có phải là '{close[0]}'?", f" Did you mean '{close[0]}'?")
                  if close else ("", ""))
        return None

    def ref_list(self, key: str, taxonomy: str) -> list[str]:
        values = self.row.get(key) or []
        if not isinstance(values, list):
            values = [values]
        return [code for value in values
                if (code := self.ref(key, taxonomy, value=value)) is not None]

    def localized(self, key: str, required: bool) -> Localized:
        value = self.row.get(key)
        codes = self.site.language_codes
        if value is None:
            if required:
                self.fail("missing_field", key, label_vi=key, label_en=key)
            return {}
        if isinstance(value, str) and value.strip():
            return {codes[0]: value.strip()}
        if isinstance(value, dict) and value and all(
                code in codes and isinstance(text, str) and text.strip()
                for code, text in value.items()) and codes[0] in value:
            return {code: text.strip() for code, text in value.items()}
        self.fail("wrong_type", key, expected_vi=f"'{key}: {{vi: ..., en: ...}}' (tiếng "
                  "Việt bắt buộc)", expected_en=f"'{key}: {{vi: ..., en: ...}}' (Vietnamese "
                  "required)", actual=repr(value))
        return {}

    def hours(self) -> tuple[Hours, ...]:
        value = self.row.get("hours")
        if value is None:
            return ()
        rows = value if isinstance(value, list) else [value]
        result = []
        for row in rows:
            hours = _hours(row)
            if hours is None:
                self.fail("help_bad_hours", "hours", value=repr(row))
                return ()
            result.append(hours)
        return tuple(result)

    def phone(self) -> str:
        value = self.row.get("phone")
        if value is None:
            return ""
        value = str(value) if isinstance(value, int) else value
        if not PHONE.check(value, self.rel, self.line("phone"), "phone", self.problems):
            self.ok = False
            return ""
        return str(value)

    def languages(self) -> tuple[str, ...]:
        values = self.row.get("languages") or []
        codes = values if isinstance(values, list) else [values]
        for code in codes:
            if not (isinstance(code, str) and _BCP47.fullmatch(code)):
                self.fail("help_bad_language", "languages", value=repr(code))
        return tuple(code for code in codes if isinstance(code, str))

    def last_checked(self) -> date | None:
        value = self.row.get("last_checked")
        if value is None:
            self.fail("missing_field", "last_checked", label_vi="ngày kiểm tra lại",
                      label_en="date last checked")
            return None
        try:
            value = value if isinstance(value, date) else parse_date(value)
        except DateProblem as problem:
            self.fail(problem.code, "last_checked", **problem.params)
            return None
        age = (self.reader.today - value).days
        if age > STALE_DAYS:
            self.problems.add("help_stale", self.rel, self.line("last_checked"),
                              "last_checked", warning=True, value=value.strftime("%d/%m/%Y"),
                              months=age * 12 // 365)
        return value

    def flag(self, key: str) -> bool | None:
        value = self.row.get(key)
        if value is not None and not isinstance(value, bool):
            self.fail("wrong_type", key, expected_vi="true hoặc false",
                      expected_en="true or false", actual=repr(value))
        return value is True

    def coordinates(self) -> tuple[float, float] | None:
        value = self.row.get("coordinates")
        if value is None:
            return None
        lat = value.get("lat") if isinstance(value, dict) else None
        lon = value.get("lon") if isinstance(value, dict) else None
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in (lat, lon))
        if not numbers or not (-90 <= lat <= 90 and -180 <= lon <= 180):  # type: ignore
            self.fail("help_bad_coordinates", "coordinates", value=repr(value))
            return None
        return float(lat), float(lon)  # type: ignore[arg-type]


def _hours(row: Any) -> Hours | None:
    """{days: mon-fri, times: ["7:30-11:30", "13:30-17:00"]}, or days as a list."""
    if not isinstance(row, dict) or set(row) != {"days", "times"}:
        return None
    days = row["days"]
    if isinstance(days, str) and "-" in days:
        first, _, last = days.partition("-")
        if first.strip() not in DAYS or last.strip() not in DAYS:
            return None
        start, end = DAYS.index(first.strip()), DAYS.index(last.strip())
        chosen = tuple(range(start, end + 1)) if start <= end else ()
    else:
        names = days if isinstance(days, list) else [days]
        chosen = tuple(DAYS.index(d) for d in names if d in DAYS)
        if len(chosen) != len(names):
            return None
    times = row["times"] if isinstance(row["times"], list) else [row["times"]]
    spans = []
    for text in times:
        match = _TIMES.fullmatch(str(text))
        if match is None:
            return None
        start_time = (int(match[1]), int(match[2]))
        end_time = (int(match[3]), int(match[4]))
        if end_time <= start_time:
            return None
        spans.append((f"{match[1].lstrip('0') or '0'}:{match[2]}",
                      f"{match[3].lstrip('0') or '0'}:{match[4]}"))
    return Hours(chosen, tuple(spans)) if chosen and spans else None


def hours_text(hours: Hours, day_names: dict[int, str]) -> str:
    """"Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00" (a run of days joined by an en dash)."""
    days = hours.days
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        named = f"{day_names[days[0]]}–{day_names[days[-1]]}"
    else:
        named = ", ".join(day_names[day] for day in days)
    return f"{named} {', '.join(f'{start}–{end}' for start, end in hours.times)}"


def autonym(code: str) -> str:
    """A language's name in that language where Babel knows it ("Tiếng Việt"), else ""
    (most of Viet Nam's minority languages are not in CLDR)."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return ""
    return (name[:1].upper() + name[1:]) if name else ""
