"""The progress data as the pages show it, in one language: cards, charts, tables, reports.

`Progress` computes; this module words and formats (dates, numbers, statuses in the page's
language) and draws the charts, so templates only lay things out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup

from . import cards, charts, reports
from .i18n import Localizer
from .progress import Indicator, Period, Progress, Standing, Task
from .reports import ReportPeriod

CHART_ROWS = 25


@dataclass(frozen=True)
class Row:
    """One line of a table (and of a chart) with every number already written out."""

    name: str
    value: str
    target: str
    expected: str
    status: str  # met | on-track | behind | no-data | no-target
    status_text: str
    detail: str = ""  # "12 / 14 localities reported", numerator/denominator


@dataclass(frozen=True)
class ReportLine:
    """One indicator in a period's report."""

    indicator: Indicator
    row: Row
    change: str  # against the previous period of the same kind, "–" when not comparable
    as_of: str  # the last day of the last reported month the figure runs to
    missing: list[str]  # localities that have not reported
    behind: list[str]
    source: str  # the indicator's source, as data/indicators.yml states it
    reported_by: list[str]  # the `source` column of the figures used


@dataclass(frozen=True)
class PeriodReport:
    name: str  # "quý 3/2026"
    unit: str  # "Tỉnh Tuyên Quang"
    as_of: str  # the date the latest figures run to
    unfinished: str  # that date again while the period is not over, else ""
    lines: list[ReportLine]


class DataView:
    def __init__(self, progress: Progress, i18n: Localizer) -> None:
        self.progress, self.i18n = progress, i18n

    # Words
    def name(self, indicator: Indicator) -> str:
        return self.i18n.pick(indicator.name)

    def locality(self, code: str) -> str:
        return self.i18n.name(self.progress.site.term("localities", code))

    def period(self, period: Period) -> str:
        if "Q" in period.label:
            return self.i18n.t("data.quarter", quarter=period.label[-1], year=period.year)
        return self.i18n.t("data.month", month=period.end.month, year=period.year)

    def amount(self, indicator: Indicator, value: float | None) -> str:
        if value is None:
            return "–"
        return charts.formatter(self.i18n.number, indicator.unit == "percent")(value)

    def status(self, status: str) -> str:
        return self.i18n.t(f"data.status.{status}")

    # Data
    @property
    def indicators(self) -> list[Indicator]:
        return list(self.progress.indicators.values())

    def indicator(self, indicator_id: str) -> Indicator:
        return self.progress.indicators[indicator_id]

    def row(self, indicator: Indicator, standing: Standing, name: str) -> Row:
        value = standing.value
        detail = ""
        if value is not None and value.expected > 1:
            detail = self.i18n.t("data.reported", reporting=value.reporting,
                                 expected=value.expected)
        elif value is not None and value.denominator:
            detail = f"{self.i18n.number(value.numerator or 0, 0)} / " \
                     f"{self.i18n.number(value.denominator, 0)}"
        return Row(name, self.amount(indicator, value.value if value else None),
                   self.amount(indicator, standing.target),
                   self.amount(indicator, standing.expected), standing.status,
                   self.status(standing.status), detail)

    def card(self, indicator: Indicator) -> dict[str, Any]:
        """The unit's latest figure against its target, for the dashboard's overview."""
        period = self.progress.latest(indicator.id)
        if period is None:
            return {"indicator": indicator, "period": None, "row": None, "lagging": [],
                    "missing": []}
        ranking = self.progress.ranking(indicator.id, period)
        return {
            "indicator": indicator, "period": self.period(period),
            "row": self.row(indicator, self.progress.standing(
                indicator.id, self.progress.unit, period), self.locality(self.progress.unit)),
            "lagging": [self.locality(s.locality) for s in ranking if s.status == "behind"],
            "missing": [self.locality(s.locality) for s in ranking if s.status == "no-data"],
        }

    def localities(self, indicator: Indicator, period: Period | None = None) -> list[Row]:
        period = period or self.progress.latest(indicator.id)
        if period is None:
            return []
        return [self.row(indicator, s, self.locality(s.locality))
                for s in self.progress.ranking(indicator.id, period)]

    def trend(self, indicator: Indicator, locality: str | None = None) -> list[Row]:
        locality = locality or self.progress.unit
        rows = []
        for period, _ in self.progress.trend(indicator.id, locality):
            standing = self.progress.standing(indicator.id, locality, period)
            rows.append(self.row(indicator, standing, self.period(period)))
        return rows

    def targets(self, indicator: Indicator) -> list[tuple[int, str]]:
        return [(year, self.amount(indicator, value))
                for year, value in self.progress.target_years(indicator.id)]

    # Charts
    def trend_chart(self, indicator: Indicator, locality: str | None = None) -> Markup:
        locality = locality or self.progress.unit
        history = self.progress.trend(indicator.id, locality)
        points = [charts.Point(f"{p.end.month:02d}/{p.year % 100:02d}", v.value,
                               self.amount(indicator, v.value), p.year) for p, v in history]
        years = sorted({p.year for p, _ in history})
        targets = [(year, goal, self.i18n.t("data.target_year", year=year,
                                             value=self.amount(indicator, goal)))
                   for year in years
                   if (goal := self.progress.target(indicator.id, year, locality)) is not None]
        title = self.i18n.t("data.trend_title", indicator=self.name(indicator),
                            locality=self.locality(locality))
        if history:
            first, last = history[0], history[-1]
            summary = self.i18n.t("data.trend_summary", start=self.period(first[0]),
                                  first=self.amount(indicator, first[1].value),
                                  end=self.period(last[0]),
                                  last=self.amount(indicator, last[1].value))
        else:
            summary = self.i18n.t("data.no_data")
        return Markup(charts.trend(f"trend-{indicator.id}-{locality}", points, targets,
                                   indicator.unit == "percent", title, summary))

    def localities_chart(self, indicator: Indicator) -> Markup:
        period = self.progress.latest(indicator.id)
        if period is None:
            return Markup("")
        ranking = self.progress.ranking(indicator.id, period)
        # A province has up to ~170 communes: the chart shows those needing attention most
        # (the lowest); the table below it lists every one.
        standings = ranking if len(ranking) <= CHART_ROWS else sorted(
            ranking, key=lambda s: (s.value is not None, s.value.value if s.value else 0)
        )[:CHART_ROWS]
        bars = [charts.Bar(self.locality(s.locality), s.value.value if s.value else None,
                           f"{self.amount(indicator, s.value.value)} – {self.status(s.status)}"
                           if s.value else self.status(s.status), s.target,
                           s.status == "behind")
                for s in standings]
        behind = sum(1 for s in ranking if s.status == "behind")
        missing = sum(1 for s in ranking if s.status == "no-data")
        title = self.i18n.t("data.localities_title", indicator=self.name(indicator),
                            period=self.period(period))
        summary = self.i18n.t("data.localities_summary", count=len(ranking), behind=behind,
                              missing=missing)
        if len(standings) < len(ranking):
            summary += " " + self.i18n.t("data.lowest_shown", count=len(standings))
        return Markup(charts.bars(f"bars-{indicator.id}", bars, indicator.unit == "percent",
                                  title, summary, self.i18n.t("data.target_mark")))

    # Share-ready data cards
    def data_card(self, indicator: Indicator, locality: str | None = None
                  ) -> cards.DataCard | None:
        """The latest figure of a locality (the unit by default) as a card to share."""
        locality = locality or self.progress.unit
        period = self.progress.latest(indicator.id)
        if period is None:
            return None
        standing = self.progress.standing(indicator.id, locality, period)
        if standing.value is None:
            return None
        value = self.amount(indicator, standing.value.value)
        target = (self.i18n.t("data.target_year", year=period.year,
                              value=self.amount(indicator, standing.target))
                  + f" · {self.status(standing.status)}") if standing.target is not None \
            else self.status(standing.status)
        site = self.progress.site
        return cards.DataCard(
            value, self.i18n.t("data.card_sentence", locality=self.locality(locality),
                               value=value, indicator=self.name(indicator)),
            target, self.i18n.t("data.card_period", period=self.period(period)),
            f"{self.i18n.pick(site.name)} – {self.i18n.pick(site.unit_name)}",
            self.i18n.t("data.card_badge")
            if indicator.id in self.progress.illustrative_figures else "",
            standing.value.value / standing.target if standing.target else None, site.colours)

    def data_cards(self, indicator: Indicator) -> list[cards.DataCard]:
        """The unit's card, then each locality's with data in the latest period."""
        found = [self.data_card(indicator)]
        found += [self.data_card(indicator, code)
                  for code in self.progress.reporting_localities()]
        return [card for card in found if card is not None]

    # Tasks and reports
    def tasks(self) -> list[Task]:
        order = {"not-started": 1, "in-progress": 0, "done": 2}
        return sorted(self.progress.tasks, key=lambda t: (
            not t.overdue(self.progress.today), order[t.status],
            t.deadline or self.progress.today.replace(year=9999), t.id))

    def deadline(self, task: Task) -> str:
        return self.i18n.t("data.regular") if task.deadline is None \
            else self.i18n.date(task.deadline)

    def overdue(self, task: Task) -> bool:
        return task.overdue(self.progress.today)

    @property
    def overdue_count(self) -> int:
        return sum(1 for t in self.progress.tasks if t.overdue(self.progress.today))

    def locality_figures(self, code: str) -> list[Row]:
        """A locality's latest figure on every indicator, against its target."""
        rows = []
        for indicator in self.indicators:
            period = self.progress.latest(indicator.id)
            if period is None:
                continue
            standing = self.progress.standing(indicator.id, code, period)
            row = self.row(indicator, standing, self.name(indicator))
            rows.append(Row(row.name, row.value, row.target, row.expected, row.status,
                            row.status_text, self.period(period)))
        return rows

    @cached_property
    def leads(self) -> list[str]:
        return sorted({self.i18n.pick(t.lead) for t in self.progress.tasks})

    # Reports for every period (report pages)
    @cached_property
    def report_periods(self) -> list[ReportPeriod]:
        return reports.report_periods(self.progress)

    def report_index(self) -> list[tuple[str, list[tuple[ReportPeriod, str, str]]]]:
        """Every report by kind, years first, the newest first in each: the period, its
        name, and the date its figures run to while it is not over."""
        found = []
        for kind in reports.KINDS:
            periods = [p for p in reversed(self.report_periods) if p.kind == kind]
            found.append((kind, [(p, p.name(self.i18n), self._unfinished(p)) for p in periods]))
        return [(kind, periods) for kind, periods in found if periods]

    def _unfinished(self, period: ReportPeriod) -> str:
        runs_to = reports.runs_to(self.progress, period)
        return self.i18n.date(runs_to) if runs_to < period.end else ""

    def period_report(self, label: str) -> PeriodReport:
        """The unit's figure on every indicator for a report period, with what a signed
        report must state: the date the figures run to, their sources, who has not reported."""
        period = next(p for p in self.report_periods if p.label == label)
        kind = [p for p in self.report_periods if p.kind == period.kind]
        index = kind.index(period)
        previous = kind[index - 1] if index and \
            (kind[index - 1].end - period.start).days == -1 else None
        lines = []
        for indicator in self.indicators:
            now = reports.figure(self.progress, indicator, period)
            if now.as_of is None:
                continue
            # an unfinished period (a quarter with one month in) is compared with nothing
            before = reports.figure(self.progress, indicator, previous) \
                if previous and now.as_of.end == period.end else None
            lines.append(self._report_line(indicator, now, before))
        return PeriodReport(
            period.name(self.i18n), self.locality(self.progress.unit),
            self.i18n.date(reports.runs_to(self.progress, period)), self._unfinished(period),
            lines)

    def _report_line(self, indicator: Indicator, now: reports.Figure,
                     before: reports.Figure | None) -> ReportLine:
        assert now.as_of is not None  # only figures with a reported month make a line
        unit = self.progress.unit
        added_up = len(now.periods) > 1  # months added up: the year's path does not apply
        standing = Standing(unit, now.value, None, None, "no-target") if added_up \
            else self.progress.standing(indicator.id, unit, now.as_of)
        change = now.change(before)
        behind = [] if added_up else [
            self.locality(s.locality) for s in self.progress.ranking(indicator.id, now.as_of)
            if s.status == "behind"]
        used = {p.label for p in now.periods}
        reported_by = sorted({o.source for o in self.progress.observations_of(indicator.id)
                              if o.period.label in used and o.source})
        return ReportLine(
            indicator, self.row(indicator, standing, self.name(indicator)),
            "–" if change is None else
            ("+" if change >= 0 else "−") + self.amount(indicator, abs(change)),
            self.i18n.date(now.as_of.end), [self.locality(code) for code in now.missing], behind,
            self.i18n.pick(indicator.source), reported_by)
