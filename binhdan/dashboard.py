"""The progress data as the pages show it, in one language: cards, charts, tables, reports.

`Progress` computes; this module words and formats (dates, numbers, statuses in the page's
language) and draws the charts, so templates only lay things out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup

from . import cards, charts
from .i18n import Localizer
from .progress import Indicator, Period, Progress, Standing, Task

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

    def period_named(self, label: str) -> str:
        return next(self.period(p) for p in self.progress.all_periods if p.label == label)

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

    def report(self, label: str) -> list[dict[str, Any]]:
        """For a monthly report: each indicator's figure this period and the change."""
        rows = []
        for indicator in self.indicators:
            periods = self.progress.periods(indicator.id)
            period = next((p for p in periods if p.label == label), None)
            if period is None:
                continue
            index = periods.index(period)
            previous = periods[index - 1] if index else None
            unit = self.progress.unit
            now = self.progress.standing(indicator.id, unit, period)
            before = self.progress.value(indicator.id, unit, previous) if previous else None
            change = (now.value.value - before.value) if now.value and before else None
            ranking = self.progress.ranking(indicator.id, period)
            rows.append({
                "indicator": indicator, "row": self.row(indicator, now, self.name(indicator)),
                "change": "–" if change is None else
                ("+" if change >= 0 else "−") + self.amount(indicator, abs(change)),
                "behind": [self.locality(s.locality) for s in ranking if s.status == "behind"],
                "missing": [self.locality(s.locality) for s in ranking
                            if s.status == "no-data"],
            })
        return rows
