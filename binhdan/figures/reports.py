"""Reports for every period the figures cover: each month, quarter, half-year and year.

The plans ask for a report every month, quarter, six months and year (Tuyên Quang VI.5.3.5
and VI.8). They are built from the figures as reported (monthly, sometimes quarterly), one rule
per kind of indicator:

- a percentage is recomputed from the numerators and denominators of the period's last
  reported month (`Progress.value` adds them up), never an average of months or localities;
- a running count (the default for counts: it adds up from January) takes that last month;
- a count made anew each month (`per: month`) adds up the period's months.

A period never spans two years, so a running count never restarts inside one.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ..model.i18n import Localizer
from .progress import Change, Indicator, Period, Progress, Value

KINDS = ("year", "half", "quarter", "month")  # the index lists the longest periods first
MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """A month, quarter, half-year or year; ordered by when it ends, the shortest first."""

    end: date
    months: int
    year: int
    number: int  # the month, quarter or half in the year; 1 for a year

    @classmethod
    def of(cls, kind: str, year: int, number: int) -> ReportPeriod:
        months = MONTHS[kind]
        last = number * months
        return cls(date(year, last, calendar.monthrange(year, last)[1]), months, year, number)

    @property
    def kind(self) -> str:
        return next(k for k, n in MONTHS.items() if n == self.months)

    @property
    def start(self) -> date:
        return date(self.year, self.end.month - self.months + 1, 1)

    @property
    def label(self) -> str:
        """The last part of its address (lowercase, like every address): 2026-10, 2026-q3,
        2026-h1, 2026."""
        return {"month": f"{self.year}-{self.number:02d}", "quarter": f"{self.year}-q{self.number}",
                "half": f"{self.year}-h{self.number}", "year": str(self.year)}[self.kind]

    def name(self, i18n: Localizer) -> str:
        """'tháng 10/2026', 'quý 3/2026', '6 tháng đầu năm 2026', 'năm 2026'."""
        key = f"data.half{self.number}" if self.kind == "half" else f"data.{self.kind}"
        return i18n.t(key, month=self.number, quarter=self.number, year=self.year)

    def covers(self, period: Period) -> bool:
        """Whether a reported month or quarter lies inside this period."""
        return self.start <= _start(period) and period.end <= self.end


def _start(period: Period) -> date:
    months = 3 if "Q" in period.label else 1
    return date(period.end.year, period.end.month - months + 1, 1)


def report_periods(progress: Progress) -> list[ReportPeriod]:
    """Every period at least one figure falls in (a quarter's figures make no month's report),
    oldest first."""
    found: set[ReportPeriod] = set()
    for period in progress.all_periods:
        month = period.end.month
        found.add(ReportPeriod.of("year", period.year, 1))
        found.add(ReportPeriod.of("half", period.year, (month - 1) // 6 + 1))
        found.add(ReportPeriod.of("quarter", period.year, (month - 1) // 3 + 1))
        if "Q" not in period.label:
            found.add(ReportPeriod.of("month", period.year, month))
    return sorted(found)


def runs_to(progress: Progress, period: ReportPeriod) -> date:
    """The last day the period's figures cover: before its end while it is not over."""
    return max(p.end for p in progress.all_periods if period.covers(p))


@dataclass(frozen=True)
class Figure:
    """The unit's figure on one indicator for a report period."""

    value: Value | None
    periods: list[Period]  # the reported months (or quarters) it is made of
    missing: list[str]  # localities that have not reported for one of them

    @property
    def as_of(self) -> Period | None:
        """The last reported month the figure runs to."""
        return self.periods[-1] if self.periods else None


def adds_up(indicator: Indicator) -> bool:
    """A count made anew each month: a longer period adds its months up."""
    return indicator.unit == "count" and indicator.per == "month"


def _used(progress: Progress, indicator: Indicator, period: ReportPeriod) -> list[Period]:
    """The reported months (or quarters) a period's figure is made of."""
    inside = [p for p in progress.periods(indicator.id) if period.covers(p)]
    return inside if adds_up(indicator) else inside[-1:]


def _whole(used: list[Period], period: ReportPeriod, flow: bool) -> bool:
    """Whether the figure runs to the period's end (and, added up, covers all its months)."""
    return bool(used) and used[-1].end == period.end and \
        (not flow or sum(p.months for p in used) == period.months)


def change(progress: Progress, indicator: Indicator, period: ReportPeriod,
           previous: ReportPeriod | None) -> Change | None:
    """Against the period of the same kind just before, like `Progress.change`: over the
    localities that reported in both, and only between whole consecutive periods (a quarter
    one month in is compared with nothing). A percentage or a running count compares the
    periods' last months (a running count restarts in January: then all of it was added); a
    count made anew each month adds up each locality's months first."""
    if previous is None or (period.start - previous.end).days != 1:
        return None
    flow = adds_up(indicator)
    now, before = _used(progress, indicator, period), _used(progress, indicator, previous)
    if not _whole(now, period, flow) or not _whole(before, previous, flow):
        return None
    if not flow:
        return progress.change(indicator.id, progress.unit, now[-1], before[-1])
    parts = progress.reporting_localities() or [progress.unit]
    amounts = []
    for code in parts:
        values = [progress.value(indicator.id, code, p) for p in now + before]
        if all(v is not None and v.complete for v in values):
            amounts.append(sum(v.value for v in values[:len(now)] if v)
                           - sum(v.value for v in values[len(now):] if v))
    return Change(sum(amounts), len(amounts), len(parts)) if amounts else None


def figure(progress: Progress, indicator: Indicator, period: ReportPeriod) -> Figure:
    used = _used(progress, indicator, period)
    unit = progress.unit
    missing = sorted({code for p in used for code in progress.missing_reporters(indicator.id, p)},
                     key=progress.reporting_localities().index)
    values = [v for p in used if (v := progress.value(indicator.id, unit, p)) is not None]
    if not values:
        return Figure(None, used, missing)
    if len(used) == 1:
        return Figure(values[0], used, missing)
    expected = len(progress.reporting_localities()) or 1
    total = Value(sum(v.value for v in values), reporting=expected - len(missing),
                  expected=expected)
    return Figure(total, used, missing)
