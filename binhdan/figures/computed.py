"""Figures the site computes itself: what it has published, counted per locality and period.

An indicator with a `computed:` rule in data/indicators.yml is counted, never typed (a row
for it in data/observations is an error, see progress.py):

- `from: items` counts the published items of the listed `types` (news, story, ...), each
  in the period of its publication date;
- `from: events` counts the published events whose `event_kind` is `kind` once they are
  held, each in the period of the day it starts.

Drafts never count, a scheduled item counts from its day, a translation is the same item.
Dates are Vietnam dates (an event's start is read in Vietnam time). Like every count
indicator (progress.py), a figure is a running total from 1 January; there is one for every
locality and every period from the first one with something counted to the one of the
publishing day, and a period with nothing published is 0, not "no data".

Localities: an item counts once for each locality it names and once for every locality
above those. An item that names no locality, or only the unit, counts for the unit only, not
for each commune. So the unit's figure is every counted item once, and the communes' figures
may add up to more (an item for two communes counts for both) or to less (items for the
whole unit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..common.problems import Problems
from ..model.content import Item
from ..model.dates import VIETNAM
from ..model.schema import EVENT, EVENT_KINDS, LISTED_TYPES
from ..model.site import Localized, Term

# What a computed figure gives as its source, on the indicator page and in the open data.
SOURCE: Localized = {"vi": "Cổng thông tin này (tự đếm những gì đã đăng)",
                     "en": "This portal (counted from what it has published)"}
# The note on the figures of the period still running (open data): they are not final.
SO_FAR: Localized = {"vi": "Tính đến ngày {day}", "en": "So far, on {day}"}
FROM = ("items", "events")
PER = ("month", "quarter")
KEYS = {"items": ("from", "types", "per"), "events": ("from", "kind", "per")}
COUNTABLE_TYPES = tuple(t.key for t in LISTED_TYPES)


@dataclass(frozen=True)
class Rule:
    """How an indicator is counted: `computed: {from: items, types: [news], per: month}`."""

    source: str  # items | events
    types: tuple[str, ...]  # items: the content types counted
    kind: str | None  # events: the event_kind counted
    per: str  # month | quarter

    def counts(self, item: Item) -> bool:
        if self.source == "events":
            return item.type is EVENT and item.meta.get("event_kind") == self.kind
        return item.type.key in self.types

    def day(self, item: Item) -> date:
        """The day an item counts from: an event's start, anything else's publication."""
        if self.source == "events":
            return item.meta["start"].astimezone(VIETNAM).date()
        return item.date  # type: ignore[return-value]  # every countable type has one

    def period(self, day: date) -> tuple[int, int]:
        """(year, month) or (year, quarter)."""
        return day.year, day.month if self.per == "month" else (day.month - 1) // 3 + 1

    def label(self, period: tuple[int, int]) -> str:
        """As data/observations writes periods: 2026-10, 2026-Q4."""
        year, number = period
        return f"{year}-{number:02d}" if self.per == "month" else f"{year}-Q{number}"


def parse_rule(value: Any, rel: str, line: int, problems: Problems) -> Rule | None:
    """The `computed:` field of an indicator, checked; None (with problems) when wrong."""
    def wrong(key: str, found: object, allowed: Iterable[str]) -> None:
        problems.add("computed_rule", rel, line, "computed", key=key,
                     value="" if found is None else str(found)[:100],
                     allowed=", ".join(allowed))

    if not isinstance(value, dict) or value.get("from") not in FROM:
        wrong("from", value.get("from") if isinstance(value, dict) else value, FROM)
        return None
    source = value["from"]
    ok = True
    for key in value:
        if key not in KEYS[source]:
            wrong(str(key), value[key], KEYS[source])
            ok = False
    per = value.get("per", "month")
    if per not in PER:
        wrong("per", per, PER)
        ok = False
    types: tuple[str, ...] = ()
    kind = None
    if source == "items":
        listed = value.get("types")
        types = tuple(listed) if isinstance(listed, list) else (listed,)
        bad = [t for t in types if t not in COUNTABLE_TYPES] or ([] if types else [None])
        if bad:
            wrong("types", ", ".join(map(str, bad)), COUNTABLE_TYPES)
            ok = False
    else:
        kind = value.get("kind")
        if kind not in EVENT_KINDS:
            wrong("kind", kind, EVENT_KINDS)
            ok = False
    return Rule(source, types, kind, per) if ok else None


def running_totals(rule: Rule, published: Iterable[Item], localities: Mapping[str, Term],
                   today: date) -> Iterator[tuple[str, str, int]]:
    """(locality, period, running total in the year) for every locality and period."""
    parents = {code: term.extra.get("parent") for code, term in localities.items()}
    counted: Counter[tuple[str, tuple[int, int]]] = Counter()
    seen: set[str] = set()
    for item in published:
        if item.key in seen or not rule.counts(item) or rule.day(item) > today:
            continue
        seen.add(item.key)
        period = rule.period(rule.day(item))
        for locality in _concerned(item.localities, parents):
            counted[locality, period] += 1
    first = min((period for _, period in counted), default=rule.period(today))
    totals: Counter[str] = Counter()
    for period in _periods(rule, first, rule.period(today)):
        if period[1] == 1:  # running totals restart each January
            totals.clear()
        for locality in localities:
            totals[locality] += counted[locality, period]
            yield locality, rule.label(period), totals[locality]


def _concerned(named: list[str], parents: Mapping[str, Any]) -> set[str]:
    """The localities an item counts for: those it names and all above them; the top of
    the tree (the unit) when it names none."""
    concerned: set[str] = set()
    for code in named:
        while code and code not in concerned:
            concerned.add(code)
            code = parents.get(code)
    return concerned or {code for code, parent in parents.items() if not parent}


def _periods(rule: Rule, first: tuple[int, int], last: tuple[int, int]
             ) -> Iterator[tuple[int, int]]:
    year, number = first
    last_number = 12 if rule.per == "month" else 4
    while (year, number) <= last:
        yield year, number
        year, number = (year + 1, 1) if number == last_number else (year, number + 1)
