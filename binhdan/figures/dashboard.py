"""The progress data as the pages show it, in one language: cards, charts, tables, reports.

`Progress` computes; this module words and formats (dates, numbers, statuses in the page's
language) and draws the charts, so templates only lay things out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from markupsafe import Markup

from ..media import cards
from ..model.i18n import Localizer
from . import charts, reports
from .progress import Change, Goal, Indicator, Period, Progress, Standing, Target, Task, Value
from .reports import ReportPeriod

CHART_ROWS = 25
LAGGING = ("behind", "missed")  # the statuses a page lists as lagging


@dataclass(frozen=True)
class Row:
    """One line of a table (and of a chart) with every number already written out."""

    name: str
    value: str
    target: str
    expected: str
    status: str  # met | on-track | behind | missed | not-enough-data | no-data | no-target
    status_text: str
    detail: str = ""  # "12 / 14 localities reported", numerator/denominator
    source: str = ""  # where the target comes from: "KH 76/KH-UBND, mục VI.5.3"


@dataclass(frozen=True)
class ReportLine:
    """One indicator in a period's report."""

    indicator: Indicator
    row: Row
    change: str  # against the previous period of the same kind, over the same localities
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

    def source(self, target: Target) -> str:
        """Where a target comes from, short: "KH 76/KH-UBND, mục VI.5.3", marked when
        illustrative."""
        plan = self.progress.plans.get(target.plan or "")
        if plan is None:  # only an illustrative target has none, and this says so
            return self.i18n.t("data.target_source.none")
        kind = self.i18n.t(f"data.target_source.kinds.{plan.kind}")
        text = self.i18n.t("data.target_source.numbered", kind=kind, number=plan.number) \
            if plan.numbered or plan.issued is None else \
            self.i18n.t("data.target_source.dated", kind=kind, date=self.i18n.date(plan.issued))
        if target.section:
            text += self.i18n.t("data.target_source.section", section=target.section)
        if self.progress.is_illustrative(target):
            text += self.i18n.t("data.target_source.illustrative")
        return text

    def goal_text(self, indicator: Indicator, goal: Goal | None) -> str:
        """A target as a level with its due date, or as a rate: "80,0% (hạn 30/06/2026)",
        "99 mỗi tháng"."""
        if goal is None:
            return "–"
        amount = self.amount(indicator, goal.value)
        target = goal.target
        if target.per:
            return self.i18n.t(f"data.target_per.{target.per}", value=amount)
        if target.due is None or target.due == target.deadline.replace(month=12, day=31):
            return amount
        return self.i18n.t("data.target_due", value=amount, due=self.i18n.date(target.due))

    # Data
    @property
    def indicators(self) -> list[Indicator]:
        return list(self.progress.indicators.values())

    def indicator(self, indicator_id: str) -> Indicator:
        return self.progress.indicators[indicator_id]

    def row(self, indicator: Indicator, standing: Standing, name: str) -> Row:
        goal = standing.goal
        if goal is not None:
            source = self.source(goal.target)
        else:  # no target to cite: an indicator from another plan still says so
            source = self.i18n.t("data.target_source.illustrative").strip() \
                if self.progress.is_illustrative(indicator) else ""
        return Row(name, self.amount(indicator, standing.value.value if standing.value else None),
                   self.goal_text(indicator, goal), self.amount(indicator, standing.expected),
                   standing.status, self.status(standing.status), self.detail(standing.value),
                   source)

    def detail(self, value: Value | None) -> str:
        """Who reported, and whose figure is carried forward; or numerator / denominator."""
        if value is None:
            return ""
        if value.expected > 1:
            detail = self.i18n.t("data.reported", reporting=value.reporting,
                                 expected=value.expected)
            if value.carried:
                detail += self.i18n.t("data.carried", names=", ".join(
                    f"{self.locality(code)} ({self.period(period)})"
                    for code, period in value.carried))
            return detail
        if value.denominator:
            return f"{self.i18n.number(value.numerator or 0, 0)} / " \
                   f"{self.i18n.number(value.denominator, 0)}"
        return ""

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
            "lagging": [self.locality(s.locality) for s in ranking if s.status in LAGGING],
            "missing": [self.locality(code)
                        for code in self.progress.missing_reporters(indicator.id, period)],
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

    def targets(self, indicator: Indicator) -> list[tuple[int, str, str]]:
        """The unit's target for each year: the level or rate, and where it comes from."""
        return [(year, self.goal_text(indicator, goal), self.source(goal.target))
                for year, goal in self.progress.target_years(indicator.id)]

    # Charts
    def trend_chart(self, indicator: Indicator, locality: str | None = None) -> Markup:
        locality = locality or self.progress.unit
        history = self.progress.trend(indicator.id, locality)
        points = [charts.Point(f"{p.end.month:02d}/{p.year % 100:02d}", v.value,
                               self.amount(indicator, v.value), p.year) for p, v in history]
        years = sorted({p.year for p, _ in history})
        targets = [(year, goal.value, self.i18n.t("data.target_year", year=year,
                                                   value=self.goal_text(indicator, goal)))
                   for year in years
                   if (goal := self.progress.goal(indicator.id, year, locality)) is not None
                   and not goal.target.per]  # a rate is no level to draw
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
        goal = standing.goal
        target = (self.i18n.t("data.target_year", year=period.year,
                              value=self.goal_text(indicator, goal))
                  + f" · {self.status(standing.status)}") if goal is not None \
            else self.status(standing.status)
        when = self.i18n.t("data.card_period", period=self.period(period))
        if goal is not None:
            when += f" · {self.source(goal.target)}"
        level = standing.expected if goal and goal.target.per else standing.target
        site = self.progress.site
        return cards.DataCard(
            value, self.i18n.t("data.card_sentence", locality=self.locality(locality),
                               value=value, indicator=self.name(indicator)),
            target, when, f"{self.i18n.pick(site.name)} – {self.i18n.pick(site.unit_name)}",
            self.i18n.t("data.card_badge")
            if indicator.id in self.progress.illustrative_figures else "",
            standing.value.value / level if level else None, site.colours)

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
            t.deadline.due or date.max, t.id))

    def deadline(self, task: Task) -> str:
        """As the plan wrote it: a date, tháng 10/2025, quý 3/2025, regular, or words."""
        deadline = task.deadline
        if deadline.kind == "regular":
            return self.i18n.t("data.regular")
        if deadline.kind == "text":
            return self.i18n.pick(deadline.text)
        assert deadline.due is not None
        if deadline.kind == "month":
            return self.i18n.t("data.month", month=deadline.due.month, year=deadline.due.year)
        if deadline.kind == "quarter":
            return self.i18n.t("data.quarter", quarter=deadline.due.month // 3,
                               year=deadline.due.year)
        return self.i18n.date(deadline.due)

    @cached_property
    def task_localities(self) -> list[tuple[str, str]]:
        """The localities that tasks belong to, (code, name), for the tasks filter."""
        codes = {t.locality for t in self.progress.tasks if t.locality}
        return sorted(((code, self.locality(code)) for code in codes), key=lambda c: c[1])

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
            rows.append(replace(self.row(indicator, standing, self.name(indicator)),
                                detail=self.period(period)))
        return rows

    @cached_property
    def leads(self) -> list[str]:
        return sorted({self.i18n.pick(t.lead) for t in self.progress.tasks})

    def change(self, indicator: Indicator, locality: str, period: Period) -> str:
        """Against the period before, over the same localities: "+87 (8/9 địa phương)"."""
        return self.change_text(indicator, self.progress.change(indicator.id, locality, period))

    def change_text(self, indicator: Indicator, change: Change | None) -> str:
        """A change as the pages write it, saying over how many localities when not all."""
        if change is None:
            return "–"
        text = ("+" if change.amount >= 0 else "−") + self.amount(indicator, abs(change.amount))
        if not change.complete:
            text += self.i18n.t("data.change_over", compared=change.compared,
                                expected=change.expected)
        return text

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
        previous = kind[index - 1] if index else None
        lines = []
        for indicator in self.indicators:
            now = reports.figure(self.progress, indicator, period)
            if now.as_of is None:
                continue
            change = reports.change(self.progress, indicator, period, previous)
            lines.append(self._report_line(indicator, now, change))
        return PeriodReport(
            period.name(self.i18n), self.locality(self.progress.unit),
            self.i18n.date(reports.runs_to(self.progress, period)), self._unfinished(period),
            lines)

    def _report_line(self, indicator: Indicator, now: reports.Figure,
                     change: Change | None) -> ReportLine:
        assert now.as_of is not None  # only figures with a reported month make a line
        unit = self.progress.unit
        added_up = len(now.periods) > 1  # months added up: the year's path does not apply
        standing = Standing(unit, now.value, None, None, "no-target") if added_up \
            else self.progress.standing(indicator.id, unit, now.as_of)
        behind = [] if added_up else [
            self.locality(s.locality) for s in self.progress.ranking(indicator.id, now.as_of)
            if s.status in LAGGING]
        used = {p.label for p in now.periods}
        reported_by = self.progress.sources(indicator.id, used)
        return ReportLine(
            indicator, self.row(indicator, standing, self.name(indicator)),
            self.change_text(indicator, change), self.i18n.date(now.as_of.end),
            [self.locality(code) for code in now.missing], behind,
            self.i18n.pick(indicator.source), reported_by)
