"""When an event happens, one owner for pages, feeds, calendars and the radio: a start that
has no time is a whole day (never "00:00"), a range of days is shown as one range, a
repeating class (an RFC 5545 RRULE in `repeat:`) is said in words and written as RRULE, and
an event is upcoming, happening or over on a given day (the build's publishing day).

The rule is read by icalendar (its parts, to describe and to write back) and dateutil (its
dates): neither is reimplemented here. Times are Vietnam local times, as editors write them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.rrule import rrule, rrulestr

from .dates import VIETNAM, start_of_day

if TYPE_CHECKING:
    from icalendar import vRecur

    from .content import Item
    from .i18n import Localizer

# The parts of a rule a listing can say in words; others are refused by the check.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
RULE_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "UNTIL", "COUNT")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Babel's day numbers 0-6
UPCOMING, HAPPENING, PAST = "upcoming", "happening", "past"


def _rule_parts(text: str) -> vRecur:
    """icalendar's reading of a rule (its parts). icalendar is loaded on the first rule a
    build reads: a site whose events do not repeat, or a rebuild whose calendars did not
    change, never waits for its modules (0.08 s of every build)."""
    from icalendar import vRecur

    return vRecur.from_ical(text)


class RepeatProblem(ValueError):
    """Why a `repeat:` rule cannot be used: code is a problems.MESSAGES key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_repeat(text: str, start: datetime) -> vRecur:
    """The rule's parts, checked: readable by dateutil from `start`, only parts a listing
    can say, and at least one date on or after the start."""
    text = _rule_text(text)
    try:
        rule = _rule_parts(text)
        _dates(text, start.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError):
        raise RepeatProblem("bad_repeat") from None
    if any(part not in RULE_PARTS for part in rule) or rule.get("FREQ", [""])[0] \
            not in FREQUENCIES or ("UNTIL" in rule and "COUNT" in rule):
        raise RepeatProblem("bad_repeat")
    if _dates(text, start.replace(tzinfo=None)).after(datetime.min, inc=True) is None:
        raise RepeatProblem("repeat_ends_before_start")
    return rule


def _rule_text(text: str) -> str:
    return text.strip().removeprefix("RRULE:").upper()


@functools.lru_cache(maxsize=256)
def _dates(text: str, start: datetime) -> rrule:
    """dateutil's rule from a naive local start. A date-only UNTIL counts its whole day: a
    class "until 31/12" held at 18:00 on the 31st is part of it."""
    rule = _rule_parts(text)
    until = rule.get("UNTIL", [None])[0]
    if isinstance(until, datetime):
        rule["UNTIL"] = [until.astimezone(VIETNAM).replace(tzinfo=None) if until.tzinfo
                         else until]
    elif isinstance(until, date):
        rule["UNTIL"] = [datetime.combine(until, time(23, 59, 59))]
    return rrulestr(rule.to_ical().decode("ascii"), dtstart=start)


@dataclass(frozen=True)
class Timing:
    """An event's start, end and repeat rule, as validated."""

    start: datetime
    end: datetime | None
    repeat: str | None

    @classmethod
    def of(cls, item: Item) -> Timing:
        meta = item.meta
        return cls(meta["start"], meta.get("end"), meta.get("repeat"))

    @property
    def whole_days(self) -> bool:
        """No time of day given: the start at 00:00, the end at 00:00 or 23:59."""
        def no_time(moment: datetime | None, ends: tuple[tuple[int, int], ...]) -> bool:
            return moment is None or (moment.hour, moment.minute) in ends

        return no_time(self.start, ((0, 0),)) and no_time(self.end, ((0, 0), (23, 59)))

    @property
    def length(self) -> timedelta:
        """How long one occurrence lasts (a whole day ends at the next midnight)."""
        if self.whole_days:
            last = (self.end or self.start).date()
            return start_of_day(last + timedelta(days=1)) - self.start
        return (self.end - self.start) if self.end else timedelta(0)

    @property
    def rule(self) -> rrule | None:
        return _dates(self.repeat, self._local(self.start)) if self.repeat else None

    @staticmethod
    def _local(moment: datetime) -> datetime:
        return moment.astimezone(VIETNAM).replace(tzinfo=None)

    def last_end(self) -> datetime | None:
        """When the last occurrence ends; None for a rule without an end."""
        rule = self.rule
        if rule is None:
            return self.start + self.length
        parts = _rule_parts(_rule_text(str(self.repeat)))
        if "UNTIL" not in parts and "COUNT" not in parts:
            return None
        last = rule[-1]
        return last.replace(tzinfo=VIETNAM) + self.length

    def next_start(self, day: date) -> datetime:
        """The first occurrence not over on `day` (the start itself when none is left)."""
        rule = self.rule
        if rule is None:
            return self.start
        found = rule.after(self._local(start_of_day(day) - self.length), inc=True)
        return found.replace(tzinfo=VIETNAM) if found else self.start

    def state(self, day: date) -> str:
        """upcoming, happening (started before `day` and not over) or past (over before
        `day` began: a class held yesterday is not news today)."""
        morning = start_of_day(day)
        last = self.last_end()
        if last is not None and last <= morning:
            return PAST
        return UPCOMING if self.start >= morning else HAPPENING


def is_over(item: Item, day: date) -> bool:
    return Timing.of(item).state(day) == PAST


class UpcomingFirst:
    """Orders lists of `entries` (carrying `.item`) for `day`: events not over first, the
    soonest first; then the rest in their order (a listing's newest first). Which events
    those are and when each starts next is worked out once, for the hundreds of lists (a
    site's term pages) drawn from the same entries."""

    def __init__(self, entries: Iterable[Any], day: date) -> None:
        self._soonest = {id(e): (Timing.of(e.item).next_start(day), e.item.key)
                         for e in entries
                         if e.item.type.key == "event" and not is_over(e.item, day)}

    def __call__(self, entries: Iterable[Any]) -> list[Any]:
        """`entries`, some of those given when made, in that order."""
        entries, soonest = list(entries), self._soonest
        current = [e for e in entries if id(e) in soonest]
        if not current:
            return entries
        current.sort(key=lambda e: soonest[id(e)])
        chosen = {id(e) for e in current}
        return current + [e for e in entries if id(e) not in chosen]


# ---------------------------------------------------------------------- words ----------
def when(item: Item, t: Localizer) -> str:
    """The event's time as readers say it: "05/12/2026, 08:00–10:30" is shown as
    "08:00–10:30, 05/12/2026" in Vietnamese, "01/11 – 30/11/2026" for days,
    "Thứ Ba, Thứ Năm hằng tuần, 18:00–20:00" for a class, with the dates it runs."""
    timing = Timing.of(item)
    if timing.repeat:
        return _repeating(timing, t)
    start, end = timing.start, timing.end
    if timing.whole_days:
        return days(start.date(), (end or start).date(), t)
    if end is None:
        return t.datetime(start)
    if end.date() == start.date():
        return t.t("event_time.same_day", start=t.time(start), end=t.time(end),
                   date=t.date(start))
    return t.t("event_time.range", start=t.datetime(start), end=t.datetime(end))


def days(first: date, last: date, t: Localizer) -> str:
    """One day, or a range that says its year once: "01/11 – 30/11/2026"."""
    if first == last:
        return t.date(first)
    if first.year == last.year:
        short = t.date(first, "event_time.day_month")
        return t.t("event_time.range", start=short, end=t.date(last))
    return t.t("event_time.range", start=t.date(first), end=t.date(last))


def _repeating(timing: Timing, t: Localizer) -> str:
    rule = _rule_parts(_rule_text(str(timing.repeat)))
    frequency = rule["FREQ"][0].lower()
    interval = int(rule.get("INTERVAL", [1])[0])
    names = t.day_names()
    byday = [str(d) for d in rule.get("BYDAY", [])]
    if frequency == "monthly":
        if byday:
            nth, code = byday[0][:-2] or "1", byday[0][-2:]
            what = t.t("event_time.nth_day", day=names[WEEKDAYS.index(code)],
                       nth=t.t(f"event_time.nth.{int(nth)}"))
        else:
            what = t.t("event_time.month_day", day=rule.get("BYMONTHDAY",
                                                             [timing.start.day])[0])
        words = t.t(f"event_time.{frequency}{'_n' if interval > 1 else ''}", what=what,
                    n=interval)
    else:
        codes = byday or [WEEKDAYS[timing.start.weekday()]]
        listed = ", ".join(names[WEEKDAYS.index(code[-2:])] for code in codes)
        words = t.t(f"event_time.{frequency}{'_n' if interval > 1 else ''}", days=listed,
                    n=interval)
    if not timing.whole_days:
        hours = t.time(timing.start)
        if timing.end and timing.end.date() == timing.start.date():
            hours = f"{hours}–{t.time(timing.end)}"
        words = f"{words}, {hours}"
    last = timing.last_end()
    first_day = timing.start.date()
    if last is None:
        span = t.t("event_time.from", start=t.date(first_day))
    else:
        last_day = (last - timedelta(seconds=1)).date()
        span = days(first_day, last_day, t)
    return f"{words} ({span})"


def calendar_rule(item: Item, whole_days: bool) -> vRecur | None:
    """The `repeat:` rule for a VEVENT: UNTIL of the same kind as DTSTART (RFC 5545 3.3.10):
    a date for whole days, else the last moment of the day in UTC."""
    text = item.meta.get("repeat")
    if not text:
        return None
    rule = _rule_parts(_rule_text(str(text)))
    until = rule.get("UNTIL", [None])[0]
    if until is not None:
        day = until.astimezone(VIETNAM).date() if isinstance(until, datetime) and \
            until.tzinfo else (until.date() if isinstance(until, datetime) else until)
        rule["UNTIL"] = [day if whole_days else datetime.combine(
            day, time(23, 59, 59), VIETNAM).astimezone(UTC)]
    return rule
