"""Progress data: indicators, targets, observations per locality and period, plan tasks.

Read from data/ (YAML for reference data, CSV or XLSX for observations), checked row by row
with messages naming file, row and column, then computed: values per locality and for the
whole unit (totals from numerators and denominators, never an average of percentages),
progress against each target, an "on track" judgement, lagging and missing-data flags.
Nothing here knows about pages or MkDocs.

The on-track rule (also on the dashboard and in both editor guides): a target is a level to
reach by its due date (31 December of its year unless `due` says otherwise), or a rate to
reach in each month or quarter (`per`). For a level, the path starts at the baseline at the
end of the previous year (a running count restarts at 0; a percentage starts from the
previous year's target, or `baseline`), runs straight to each milestone and on to the due
date. At or above the target is met; at or above the path is on track; below it is behind,
and from the due date on, missed. For a rate, what was added in the period is compared with
the rate: met or missed.

A total over localities is honest about who reported: a running count carries a missing
locality's last figure of the year forward (it cannot have fallen, so the total is a floor);
a percentage is computed over the localities that reported. While any locality is missing,
the verdict is "not enough data" unless the missing figures cannot change it (the floor of a
count already on track). A change against the previous period compares the same localities.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..common.problems import Problems
from ..model.content import Item, Memory
from ..model.dates import DateProblem, parse_date
from ..model.site import ID_PATTERN, Localized, SiteConfig
from ..model.sources import decode_text, load_yaml_file
from .computed import SO_FAR, Rule, parse_rule, running_totals
from .computed import SOURCE as COMPUTED_SOURCE

UNITS = ("percent", "count")
COUNTED_PER = ("month",)
TASK_STATUSES = ("not-started", "in-progress", "done")
COLUMNS = ("locality", "indicator", "period", "numerator", "denominator", "value", "source",
           "note")
TARGET_FIELDS = ("indicator", "year", "value", "locality", "each", "plan", "section", "due",
                 "milestones", "per", "baseline", "illustrative")
TASK_FIELDS = ("id", "text", "lead", "partners", "deadline", "output", "status", "evidence",
               "plan", "illustrative", "locality")
REQUIRED_COLUMNS = ("locality", "indicator", "period")
NUMBER_COLUMNS = ("numerator", "denominator", "value")
# Why a column cannot hold a percentage: (Vietnamese, English), by column or indicator unit.
NOT_PERCENT = {
    "numerator": ("tử số là số người đạt", "the numerator is a number of people"),
    "denominator": ("mẫu số là tổng số người", "the denominator is a number of people"),
    "count": ("chỉ tiêu này tính bằng số lượng, không phải tỷ lệ",
              "this indicator is counted, not a percentage"),
}
_PERIOD = re.compile(r"^(\d{4})-(?:(\d{1,2})|Q([1-4]))$")


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A month (2026-10) or a quarter (2026-Q3); ordered by when it ends."""

    end: date
    label: str = field(compare=False)

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def months(self) -> int:
        return 3 if "Q" in self.label else 1

    @property
    def previous(self) -> Period:
        """The month (or quarter) just before this one."""
        year, month = self.end.year, self.end.month - self.months
        if month < 1:
            year, month = year - 1, month + 12
        if self.months == 3:
            return _period_ending(year, month, f"{year}-Q{month // 3}")
        return _period_ending(year, month, f"{year}-{month:02d}")


@cache  # one object per month: reports ask for the same months many times
def _period_ending(year: int, month: int, label: str) -> Period:
    return Period(date(year, month, calendar.monthrange(year, month)[1]), label)


def parse_period(text: str) -> Period | None:
    match = _PERIOD.match(text.strip())
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        return _period_ending(year, month, f"{year}-{month:02d}")
    quarter = int(match.group(3))
    return _period_ending(year, quarter * 3, f"{year}-Q{quarter}")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Localized
    unit: str
    audience: str | None = None
    topic: str | None = None
    definition: Localized = field(default_factory=dict)
    source: Localized = field(default_factory=dict)
    plan: str | None = None  # content key of the plan document ("documents/ke-hoach-...")
    illustrative: bool = False
    per: str | None = None  # "month": counted anew each month, not a running total
    computed: Rule | None = None  # counted by the site itself (computed.py), never typed


@dataclass(frozen=True)
class PlanDocument:
    """A plan published on this site (a document item), as targets and tasks cite it."""

    key: str  # "documents/ke-hoach-tuyen-quang-2025"
    kind: str  # doc_kind: ke-hoach, quyet-dinh...
    number: str  # "76/KH-UBND", or "Không số"
    issued: date | None
    localities: tuple[str, ...]  # the units it is for
    illustrative: bool = False

    @property
    def numbered(self) -> bool:
        """Whether `number` identifies the plan ("76/KH-UBND", not "Không số" or "…/KH")."""
        return bool(re.match(r"\d", self.number))


def plan_documents(items: Iterable[Any]) -> dict[str, PlanDocument]:
    """The documents among content items (one per translation group), by content key."""
    plans = {}
    for item in items:
        if item.type.key == "document" and item.key not in plans:
            meta = item.meta
            plans[item.key] = PlanDocument(
                item.key, str(meta.get("doc_kind", "")), str(meta.get("number", "")),
                meta.get("issued"), tuple(meta.get("localities", ())),
                bool(meta.get("illustrative")))
    return plans


RATE_PERIODS = {"month": 1, "quarter": 3}


@dataclass(frozen=True)
class Target:
    indicator: str
    year: int
    value: float  # the level to reach by `due`, or with `per` the amount in each period
    locality: str | None  # None: the whole unit
    each: bool = False  # the value applies to each locality, not to the unit's total
    plan: str | None = None  # content key of the plan document that sets it
    section: str = ""  # where in the plan: "VI.5.3"
    due: date | None = None  # None: 31 December of `year`
    milestones: tuple[tuple[date, float], ...] = ()  # dates before `due`, in order
    per: str | None = None  # month | quarter: a rate, not a level
    baseline: float | None = None  # where the path starts on 1 January, if not the rule's
    illustrative: bool = False

    @property
    def deadline(self) -> date:
        return self.due or date(self.year, 12, 31)


@dataclass(frozen=True, slots=True)
class Goal:
    """A target as it applies to one locality, scaled: a count set for each locality adds up
    for the unit (`times` localities)."""

    target: Target
    times: int
    start: float  # the path's value at the end of the previous year

    @property
    def value(self) -> float:
        return self.target.value * self.times

    def amount(self, period: Period) -> float:
        """A rate target: what must be added in `period`."""
        per = RATE_PERIODS[self.target.per or "month"]
        return self.value * period.months / per

    def path(self, day: date) -> float:
        """Where the straight path through the milestones is on `day`."""
        points = [(date(self.target.year - 1, 12, 31), self.start),
                  *((when, value * self.times) for when, value in self.target.milestones),
                  (self.target.deadline, self.value)]
        for (start, low), (end, high) in pairwise(points):
            if day <= end:
                share = max(0, (day - start).days) / max(1, (end - start).days)
                return low + (high - low) * share
        return self.value


@dataclass(frozen=True, slots=True)
class Observation:
    indicator: str
    locality: str
    period: Period
    value: float  # percent (0-100) or count
    numerator: float | None
    denominator: float | None
    source: str
    note: str


@dataclass(frozen=True)
class Deadline:
    """A task's deadline as the plan writes it: a date, a month, a quarter, "regular", or
    words. Only the first three have a last day, and only they can make a task overdue."""

    kind: str  # date | month | quarter | regular | text
    due: date | None = None  # the last day: the date, or the month's or quarter's last day
    text: Localized = field(default_factory=dict)  # kind text: the plan's words


REGULAR_WORDS = ("regular", "thường xuyên")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_MONTH = re.compile(r"^(?:tháng\s*)?(\d{1,2})\s*[/-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(?:quý|q)\s*([IVX]+|\d+)\s*[/-]?\s*(\d{4})$", re.IGNORECASE)
_ISO_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")


def parse_deadline(value: object) -> Deadline:
    """2025-10-30 or 30/10/2025; 10/2025, tháng 10/2025 or 2025-10; Quý III/2025, Q3/2025 or
    2025-Q3; regular or thường xuyên. Raises DateProblem for a date, month or quarter that
    cannot be (31/02/2025, 13/2025, Quý V/2025); any other words are returned as text."""
    text = " ".join(str(value).split())
    folded = text.lower()
    if folded in REGULAR_WORDS:
        return Deadline("regular")
    if month := _MONTH.match(folded):
        return Deadline("month", _last_day(int(month[2]), int(month[1]), 1, text))
    if month := _ISO_MONTH.match(folded):
        return Deadline("month", _last_day(int(month[1]), int(month[2]), 1, text))
    if quarter := _QUARTER.match(folded.replace("quí", "quý")):
        mark = quarter[1].upper()
        number = int(mark) if mark.isdigit() else _ROMAN.get(mark, 0)
        return Deadline("quarter", _last_day(int(quarter[2]), number, 3, text))
    if quarter := _ISO_QUARTER.match(text):
        return Deadline("quarter", _last_day(int(quarter[1]), int(quarter[2]), 3, text))
    try:
        return Deadline("date", parse_date(value))
    except DateProblem as problem:
        if problem.code != "bad_date":
            raise
    if re.fullmatch(r"[\d/.\-\s]+", text):  # digits that look like a date but are none
        raise DateProblem("bad_deadline", value=text)
    return Deadline("text")


def _last_day(year: int, number: int, months: int, text: str) -> date:
    """The last day of month `number` (months=1) or quarter `number` (months=3)."""
    if not 1 <= number <= 12 // months:
        raise DateProblem("bad_deadline", value=text)
    month = number * months
    return parse_date(f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")


@dataclass(frozen=True)
class Task:
    id: str
    text: Localized
    lead: Localized
    partners: Localized
    deadline: Deadline
    output: Localized
    status: str
    evidence: str | None
    plan: str | None
    illustrative: bool
    locality: str | None = None  # the locality that carries it out; None: the whole unit

    def overdue(self, today: date) -> bool:
        due = self.deadline.due
        return due is not None and self.status != "done" and due < today


@dataclass(frozen=True, slots=True)
class Value:
    """A figure for one locality (or the unit) in one period."""

    value: float
    numerator: float | None = None
    denominator: float | None = None
    reporting: int = 1  # localities whose figures make it up
    expected: int = 1  # localities that should report
    # localities under it that did not report this period (at any depth), and among them
    # those whose last figure of the year is carried forward (a running count only)
    missing: tuple[str, ...] = ()
    carried: tuple[tuple[str, Period], ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class Change:
    """What changed since the previous period, over the localities that reported both; for a
    running count, what was added (all of it in January, when the count restarts)."""

    amount: float
    compared: int  # localities in the comparison
    expected: int  # localities that should report

    @property
    def complete(self) -> bool:
        return self.compared == self.expected


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a locality stands on an indicator in a period."""

    locality: str
    value: Value | None
    target: float | None  # the level, or with a rate what this period must add
    expected: float | None  # where the path is at the period's end (a rate: the level due)
    status: str  # met | on-track | behind | missed | not-enough-data | no-data | no-target
    goal: Goal | None = None


# ---------------------------------------------------------------- loading and checking ---

def load_progress(site: SiteConfig, data_dir: Path, data_rel: str, problems: Problems,
                  today: date, plans: dict[str, PlanDocument] | None = None,
                  published: Sequence[Item] = (), memory: Memory | None = None,
                  data_digest: str = "") -> Progress:
    """`plans`: the site's plan documents, which targets must name (`plan_documents`);
    None where content is not read (importing a sheet): targets' plans are then not checked.
    `published`: the items on the site, which computed indicators count (computed.py).
    `memory` (a long-running preview) keeps the sheets' reading while data/ is unchanged:
    `data_digest` is its digest (cache.tree_digest), already made by the caller."""
    reader = _Reader(site, data_rel, problems, today)
    indicators = reader.indicators(data_dir / "indicators.yml")
    targets = reader.targets(data_dir / "targets.yml", indicators, plans)
    kept = memory if data_digest else None
    observations = _sheets(site, data_dir, data_rel, indicators, problems, today, kept,
                           f"{data_digest}|{today}|{data_rel}")
    tasks = reader.tasks(data_dir / "tasks.yml")
    for indicator in indicators.values():
        if indicator.computed:
            observations.extend(_counted(site, indicator, indicator.computed, published, today))
    return Progress(site, indicators, targets, observations, tasks, today, plans)


def _sheets(site: SiteConfig, data_dir: Path, data_rel: str, indicators: dict[str, Indicator],
            problems: Problems, today: date, memory: Memory | None, key: str
            ) -> list[Observation]:
    """Every row of the sheets in data/observations/, as observations, with their problems.
    They depend on data/ only (the sheets, the indicators, the localities) and the day: `key`
    says both."""
    if memory is not None and key in memory.sheets:
        observations, found = memory.sheets[key]
        problems.items.extend(found)
        return list(observations)
    told = Problems()
    reader = _Reader(site, data_rel, told, today)
    observations: list[Observation] = []
    folder = data_dir / "observations"
    seen: dict[tuple[str, str, str], str] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".csv", ".xlsx"):
                observations.extend(reader.observations(path, indicators, seen))
    problems.extend(told)
    if memory is not None:
        memory.sheets = {key: (observations, told.items)}  # only the latest data/ is kept
    return list(observations)


def _counted(site: SiteConfig, indicator: Indicator, rule: Rule, published: Sequence[Item],
             today: date) -> Iterator[Observation]:
    """A computed indicator's figures, as observations like typed ones, the site as source."""
    source = site.pick(COMPUTED_SOURCE, site.default_language)
    so_far = site.pick(SO_FAR, site.default_language).format(day=today.strftime("%d/%m/%Y"))
    localities = site.taxonomies.get("localities", {})
    for locality, label, total in running_totals(rule, published, localities, today):
        period = parse_period(label)
        assert period is not None  # computed.py writes periods as observations do
        yield Observation(indicator.id, locality, period, float(total), None, None, source,
                          so_far if period.end >= today else "")


class _Reader:
    def __init__(self, site: SiteConfig, data_rel: str, problems: Problems, today: date):
        self.site, self.data_rel, self.problems, self.today = site, data_rel, problems, today

    def _rows(self, path: Path) -> tuple[str, list[tuple[int, dict[str, Any]]]] | None:
        rel = f"{self.data_rel}/{path.name}"
        if not path.exists():
            return None
        doc = load_yaml_file(path, rel, self.problems)
        if doc is None or doc.value is None:
            return None
        if not isinstance(doc.value, list):
            self.problems.add("yaml_not_mapping", rel, 1)
            return None
        rows = []
        for index, row in enumerate(doc.value):
            if not isinstance(row, dict):
                self.problems.add("yaml_not_mapping", rel, doc.line(index))
                continue
            rows.append((doc.line(index) or 0, row))
        return rel, rows

    def _unknown_fields(self, rel: str, line: int, row: dict[str, Any],
                        allowed: tuple[str, ...], kind: str) -> None:
        for key in row:
            if key not in allowed:
                self.problems.add("unknown_field", rel, line, str(key), type=kind,
                                  allowed=", ".join(allowed))

    def _localized(self, rel: str, line: int, row: dict[str, Any], key: str,
                   required: bool) -> Localized:
        value = row.get(key)
        if value is None or value == "":
            if required:
                self.problems.add("missing_field", rel, line, key, label_vi=key, label_en=key)
            return {}
        if isinstance(value, str):
            return {self.site.default_language: value}
        if isinstance(value, dict) and all(k in self.site.language_codes for k in value):
            return {str(k): str(v) for k, v in value.items()}
        self.problems.add("unknown_language_key", rel, line, key,
                          value=", ".join(map(str, value)) if isinstance(value, dict) else value,
                          allowed=", ".join(self.site.language_codes))
        return {}

    def _ref(self, rel: str, line: int, key: str, value: Any, taxonomy: str) -> str | None:
        if value is None:
            return None
        terms = self.site.taxonomies.get(taxonomy, {})
        if value not in terms:
            self.problems.add("unknown_ref", rel, line, key, value=value,
                              source=f"{self.data_rel}/{taxonomy}.yml",
                              allowed=", ".join(sorted(terms)[:15]) or "-")
            return None
        return str(value)

    def indicators(self, path: Path) -> dict[str, Indicator]:
        loaded = self._rows(path)
        if loaded is None:
            return {}
        rel, rows = loaded
        allowed = ("id", "name", "unit", "audience", "topic", "definition", "source", "plan",
                   "illustrative", "per", "computed")
        result: dict[str, Indicator] = {}
        for line, row in rows:
            self._unknown_fields(rel, line, row, allowed, "indicators.yml")
            ident = row.get("id")
            if not isinstance(ident, str) or not ID_PATTERN.match(ident):
                self.problems.add("missing_field" if ident is None else "bad_slug", rel, line,
                                  "id", label_vi="mã", label_en="id",
                                  suggested="vneid-xac-nhan")
                continue
            if ident in result:
                self.problems.add("duplicate_id", rel, line, "id", value=ident, other_line="?")
                continue
            unit = row.get("unit")
            if unit not in UNITS:
                self.problems.add("bad_choice", rel, line, "unit", value=unit,
                                  allowed=", ".join(UNITS))
                continue
            per = row.get("per")
            if per is not None and per not in COUNTED_PER:
                # an error, but the indicator stays known: its figures are not refused too
                self.problems.add("bad_choice", rel, line, "per", value=per,
                                  allowed=", ".join(COUNTED_PER))
                per = None
            rule = None
            if "computed" in row:  # counted by the site: a count, with the site as source
                rule = parse_rule(row["computed"], rel, line, self.problems)
                if unit != "count":
                    self.problems.add("computed_not_count", rel, line, "unit", value=unit)
                if row.get("source"):
                    self.problems.add("computed_source", rel, line, "source")
            result[ident] = Indicator(
                ident, self._localized(rel, line, row, "name", True), unit,
                self._ref(rel, line, "audience", row.get("audience"), "audiences"),
                self._ref(rel, line, "topic", row.get("topic"), "topics"),
                self._localized(rel, line, row, "definition", False),
                COMPUTED_SOURCE if rule else self._localized(rel, line, row, "source", False),
                str(row["plan"]) if row.get("plan") else None, bool(row.get("illustrative")),
                per=per, computed=rule)
        return result

    def targets(self, path: Path, indicators: dict[str, Indicator],
                plans: dict[str, PlanDocument] | None) -> list[Target]:
        loaded = self._rows(path)
        if loaded is None:
            return []
        rel, rows = loaded
        result = []
        seen: dict[tuple[str, int, str | None], int] = {}
        for line, row in rows:
            self._unknown_fields(rel, line, row, TARGET_FIELDS, "targets.yml")
            indicator = row.get("indicator")
            if indicator not in indicators:
                self.problems.add("unknown_ref", rel, line, "indicator", value=indicator,
                                  source=f"{self.data_rel}/indicators.yml",
                                  allowed=", ".join(sorted(indicators)[:15]) or "-")
                continue
            unit = indicators[indicator].unit
            year, value = row.get("year"), self._target_number(rel, line, row, "value", unit)
            if not isinstance(year, int) or not 1945 <= year <= 2100:
                self.problems.add("implausible_year", rel, line, "year", year=year)
                continue
            if value is None:
                continue
            locality = self._ref(rel, line, "locality", row.get("locality"), "localities") \
                if row.get("locality") is not None else None
            key = (indicator, year, locality)
            if key in seen:
                self.problems.add("duplicate_row", rel, line, "year", other_line=seen[key])
                continue
            seen[key] = line
            timing = self._target_timing(rel, line, row, year, unit)
            illustrative = bool(row.get("illustrative"))
            plan_ok, plan = self._target_plan(rel, line, row, plans, locality, illustrative)
            if timing is None or not plan_ok:
                continue
            due, milestones, per, baseline = timing
            result.append(Target(indicator, year, value, locality, bool(row.get("each")),
                                 plan, str(row.get("section") or "").strip(), due,
                                 milestones, per, baseline, illustrative))
        return result

    def _target_number(self, rel: str, line: int, row: dict[str, Any], key: str, unit: str,
                       number: Any = None) -> float | None:
        """A finite number (a percentage within 0-100), or None after saying why."""
        value = row.get(key) if number is None else number
        if value is None:  # "value:" left empty: no target, not a target of 0
            self.problems.add("missing_field", rel, line, key, label_vi="mục tiêu",
                              label_en="target")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):  # YAML reads .nan and .inf as floats
            self.problems.add("wrong_type", rel, line, key,
                              expected_vi="một số (không phải .nan hay .inf)",
                              expected_en="a number (not .nan or .inf)", actual=repr(value))
            return None
        if unit == "percent" and not 0 <= value <= 100:
            self.problems.add("percent_out_of_range", rel, line, key, value=value)
            return None
        return float(value)

    def _target_timing(self, rel: str, line: int, row: dict[str, Any], year: int, unit: str
                       ) -> tuple[date | None, tuple[tuple[date, float], ...], str | None,
                                  float | None] | None:
        """due, milestones, per and baseline, checked against the target's year."""
        ok = True
        due = None
        if row.get("due") is not None:
            try:
                due = parse_date(row["due"])
            except DateProblem as problem:
                self.problems.add(problem.code, rel, line, "due", **problem.params)
                return None
            if due.year != year:
                self.problems.add("target_due_year", rel, line, "due", due=row["due"],
                                  year=year)
                return None
        deadline = due or date(year, 12, 31)
        milestones: list[tuple[date, float]] = []
        given = row.get("milestones") or {}
        if not isinstance(given, dict):
            self.problems.add("target_milestones", rel, line, "milestones", year=year)
            return None
        for when_text, number in given.items():
            try:
                when = parse_date(when_text)
            except DateProblem as problem:
                self.problems.add(problem.code, rel, line, "milestones", **problem.params)
                ok = False
                continue
            value = self._target_number(rel, line, row, "milestones", unit, number)
            if when.year != year or when >= deadline:
                self.problems.add("target_milestones", rel, line, "milestones", year=year)
                ok = False
            elif value is not None:
                milestones.append((when, value))
            ok = ok and value is not None
        per = row.get("per")
        if per is not None and per not in RATE_PERIODS:
            self.problems.add("bad_choice", rel, line, "per", value=per,
                              allowed=", ".join(RATE_PERIODS))
            ok = False
        elif per is not None and (unit != "count" or milestones):
            self.problems.add("target_rate", rel, line, "per", per=per)
            ok = False
        baseline = None
        if row.get("baseline") is not None:
            baseline = self._target_number(rel, line, row, "baseline", unit)
            ok = ok and baseline is not None
        if not ok:
            return None
        return due, tuple(sorted(milestones)), per, baseline

    def _target_plan(self, rel: str, line: int, row: dict[str, Any],
                     plans: dict[str, PlanDocument] | None, locality: str | None,
                     illustrative: bool) -> tuple[bool, str | None]:
        """Whether the target may stand, and the content key of its plan. It may not (and
        the editor is told why) with no plan, or a plan for another unit, unless it is
        marked illustrative."""
        name = str(row.get("plan") or "").strip()
        key = name if "/" in name or not name else f"documents/{name}"
        if plans is None:
            return True, key or None
        if name and key not in plans:
            self.problems.add("unknown_ref", rel, line, "plan", value=name,
                              source="content/documents/",
                              allowed=", ".join(sorted(k.partition("/")[2] for k in plans)[:15])
                              or "-")
            return False, None
        if illustrative:
            return True, key or None
        scope = locality or self._unit
        if not name:
            self.problems.add("target_no_plan", rel, line, "plan")
            return False, None
        if not set(plans[key].localities) & set(self._ancestry(scope)):
            self.problems.add("target_plan_elsewhere", rel, line, "plan", plan=name,
                              scope=scope, localities=", ".join(plans[key].localities) or "-")
            return False, None
        return True, key

    @property
    def _unit(self) -> str:
        return _unit_of(self.site)

    def _ancestry(self, code: str) -> list[str]:
        """`code` and every locality above it."""
        terms = self.site.taxonomies.get("localities", {})
        found = []
        while code and code not in found:
            found.append(code)
            code = str(terms[code].extra.get("parent") or "") if code in terms else ""
        return found

    def observations(self, path: Path, indicators: dict[str, Indicator],
                     seen: dict[tuple[str, str, str], str]) -> list[Observation]:
        sheet = _read_sheet(path, f"{self.data_rel}/observations/{path.name}", self.problems)
        return [] if sheet is None else self.sheet_observations(sheet, indicators, seen)

    def sheet_observations(self, sheet: Sheet, indicators: dict[str, Indicator],
                           seen: dict[tuple[str, str, str], str]) -> list[Observation]:
        rel, header, body = sheet.where, sheet.header, sheet.body
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            self.problems.add("sheet_columns", rel, 1, None, missing=", ".join(missing) or "-",
                              unknown=", ".join(unknown) or "-", expected=", ".join(COLUMNS))
            return []
        localities = self.site.taxonomies.get("localities", {})
        result = []
        for number, cells in body:
            row = dict(zip(header, cells, strict=False))
            observation = self._observation(rel, number, row, indicators, localities, seen)
            if observation:
                result.append(observation)
        return result

    def _observation(self, rel: str, number: int, row: dict[str, str],
                     indicators: dict[str, Indicator], localities: dict[str, Any],
                     seen: dict[tuple[str, str, str], str]) -> Observation | None:
        def cell(name: str) -> str:
            return (row.get(name) or "").strip()

        ok = True
        locality, indicator, period_text = cell("locality"), cell("indicator"), cell("period")
        for name in REQUIRED_COLUMNS:
            if not cell(name):
                self.problems.add("empty_cell", rel, number, name)
                ok = False
        if locality and locality not in localities:
            self.problems.add("unknown_ref", rel, number, "locality", value=locality,
                              source=f"{self.data_rel}/localities.yml",
                              allowed=", ".join(sorted(localities)[:15]))
            ok = False
        if indicator and indicator not in indicators:
            self.problems.add("unknown_ref", rel, number, "indicator", value=indicator,
                              source=f"{self.data_rel}/indicators.yml",
                              allowed=", ".join(sorted(indicators)[:15]))
            ok = False
        elif indicator and indicators[indicator].computed:  # the site counts it itself
            self.problems.add("computed_typed", rel, number, "indicator", value=indicator,
                              source=f"{self.data_rel}/indicators.yml")
            ok = False
        period = parse_period(period_text)
        if period is None:
            if period_text:  # an empty one is reported above
                self.problems.add("bad_period", rel, number, "period", value=period_text)
            ok = False
        elif period.end.replace(day=1) > self.today:
            self.problems.add("future_period", rel, number, "period", value=period_text,
                              today=self.today.isoformat())
            ok = False
        unit = indicators[indicator].unit if indicator in indicators else None
        numbers: dict[str, float | None] = {}
        for name in NUMBER_COLUMNS:
            numbers[name] = None
            if not cell(name):
                continue
            try:
                parsed = parse_number(cell(name))
            except NumberProblem as problem:
                self.problems.add(problem.code, rel, number, name, value=cell(name))
                ok = False
                continue
            if parsed.percent and (name != "value" or unit == "count"):
                self.problems.add("percent_not_expected", rel, number, name, value=cell(name),
                                  why=NOT_PERCENT[name if name != "value" else unit])
                ok = False
            numbers[name] = parsed.value
        if not ok:
            return None
        numerator, denominator, value = (numbers["numerator"], numbers["denominator"],
                                         numbers["value"])
        if (numerator is None) != (denominator is None):
            self.problems.add("half_fraction", rel, number,
                              "denominator" if denominator is None else "numerator")
            return None
        if numerator is not None and denominator is not None:
            if denominator == 0:
                self.problems.add("bad_number", rel, number, "denominator", value="0")
                return None
            if numerator > denominator:
                self.problems.add("numerator_over_denominator", rel, number, "numerator",
                                  numerator=cell("numerator"), denominator=cell("denominator"))
                return None
            computed = numerator / denominator * 100 if unit == "percent" else numerator
            if value is not None and abs(value - computed) > 0.5:
                self.problems.add("value_mismatch", rel, number, "value", value=cell("value"),
                                  computed=round(computed, 1))
                return None
            value = computed
        if value is None:
            self.problems.add("missing_value", rel, number, "value")
            return None
        if unit == "percent" and value > 100:
            self.problems.add("percent_out_of_range", rel, number, "value", value=cell("value"))
            return None
        key = (indicator, locality, period.label)  # type: ignore[union-attr]
        where = f"{rel}:{number}"
        if key in seen:
            self.problems.add("duplicate_row", rel, number, "period", other_line=seen[key])
            return None
        seen[key] = where
        assert period is not None
        return Observation(indicator, locality, period, value, numerator, denominator,
                           cell("source"), cell("note"))

    def tasks(self, path: Path) -> list[Task]:
        loaded = self._rows(path)
        if loaded is None:
            return []
        rel, rows = loaded
        result: list[Task] = []
        ids: set[str] = set()
        for line, row in rows:
            self._unknown_fields(rel, line, row, TASK_FIELDS, "tasks.yml")
            ident = row.get("id")
            if not isinstance(ident, str) or not ID_PATTERN.match(ident) or ident in ids:
                self.problems.add("duplicate_id" if ident in ids else "missing_field", rel,
                                  line, "id", value=ident, other_line="?", label_vi="mã",
                                  label_en="id")
                continue
            ids.add(ident)
            status = row.get("status", "not-started")
            if status not in TASK_STATUSES:
                self.problems.add("bad_choice", rel, line, "status", value=status,
                                  allowed=", ".join(TASK_STATUSES))
                continue
            deadline = self._deadline(rel, line, row)
            if deadline is None:
                continue
            locality = row.get("locality")
            if locality is not None and self._ref(rel, line, "locality", locality,
                                                  "localities") is None:
                continue
            evidence = row.get("evidence")
            if evidence is not None and not str(evidence).startswith(("https://", "http://")):
                self.problems.add("bad_url", rel, line, "evidence", value=evidence)
                continue
            result.append(Task(
                ident, self._localized(rel, line, row, "text", True),
                self._localized(rel, line, row, "lead", True),
                self._localized(rel, line, row, "partners", False), deadline,
                self._localized(rel, line, row, "output", False), status,
                str(evidence) if evidence else None,
                str(row["plan"]) if row.get("plan") else None, bool(row.get("illustrative")),
                locality))
        return result

    def _deadline(self, rel: str, line: int, row: dict[str, Any]) -> Deadline | None:
        value = row.get("deadline", "regular")
        if isinstance(value, dict):  # the plan's words, in several languages
            text = self._localized(rel, line, row, "deadline", True)
            return Deadline("text", text=text) if text else None
        try:
            deadline = parse_deadline(value)
        except DateProblem as problem:
            self.problems.add(problem.code, rel, line, "deadline", **problem.params)
            return None
        if deadline.kind == "text":
            return Deadline("text", text=self._localized(rel, line, row, "deadline", True))
        return deadline


class NumberProblem(ValueError):
    """Why a cell is not a usable figure: code is a problems.MESSAGES key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    percent: bool  # written "85%", or an Excel cell formatted as a percentage


_SPACES = str.maketrans("", "", " \u00a0\u202f")  # also Excel's non-breaking separators
_PLAIN = re.compile(r"(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?P<decimal>[.,]\d+)?")
_EXCEL_ERROR = re.compile(r"#(?:DIV/0!|NUM!|VALUE!|N/A|REF!|NAME\?|NULL!|SPILL!|CALC!)",
                          re.IGNORECASE)


def parse_number(text: str) -> Number:
    """12, 12.5, 12,5 (Vietnamese decimal comma), 1.234 or 1,234 (thousands), 1.234,5, 85%.

    Refused: negative numbers, and what a failed calculation leaves in a cell, which Python's
    float() would accept or produce: nan, inf, Infinity, 1e999 (overflow), #DIV/0!."""
    compact = text.translate(_SPACES)
    percent = compact.endswith("%")
    compact = compact.removesuffix("%")
    if _EXCEL_ERROR.fullmatch(compact) or not math.isfinite(_float_or_zero(compact)):
        raise NumberProblem("number_not_finite")
    grouped = _GROUPED.fullmatch(compact)
    if grouped and (grouped["decimal"] or "")[:1] != grouped["sep"]:
        compact = compact.replace(grouped["sep"], "")
    elif not _PLAIN.fullmatch(compact):
        raise NumberProblem("bad_number")
    return Number(float(compact.replace(",", ".")), percent)


def _float_or_zero(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return 0.0


@dataclass(frozen=True)
class Sheet:
    """The rows of a CSV file, or of the sheet of a workbook that was read."""

    where: str  # the file, and in a workbook the sheet: every message names both
    name: str | None  # the workbook's sheet that was read
    header: list[str]
    body: list[tuple[int, list[str]]]  # with their row numbers as a spreadsheet shows them


def _read_sheet(path: Path, rel: str, problems: Problems) -> Sheet | None:
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, rel, problems)
    text = decode_text(path.read_bytes(), rel, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error:  # a cell over 128 KB, a NUL: not a sheet of figures
        problems.add("csv_unreadable", rel, reader.line_num)
        return None
    first = rows[0] if rows else []
    if len(first) == 1 and (";" in first[0] or "\t" in first[0]):
        problems.add("csv_delimiter", rel, 1, None,
                     delimiter="';'" if first[0].count(";") >= first[0].count("\t") else "Tab")
        return None
    return _sheet(rel, None, [(number, row) for number, row in enumerate(rows, 1)], problems)


def _sheet(where: str, name: str | None, rows: list[tuple[int, list[str]]],
           problems: Problems) -> Sheet | None:
    if not rows or rows[0][0] != 1:
        problems.add("sheet_columns", where, 1, None, missing=", ".join(REQUIRED_COLUMNS),
                     unknown="-", expected=", ".join(COLUMNS))
        return None
    header = [h.strip().lower() for h in rows[0][1]]
    body = [(number, row) for number, row in rows[1:] if any(cell.strip() for cell in row)]
    return Sheet(where, name, header, body)


def _read_workbook(path: Path, rel: str, problems: Problems) -> Sheet | None:
    """The first visible sheet (Excel shows no hidden one, so nobody expects it read), with
    a percentage cell (85% is stored as 0.85) read as "85%", and formulas checked: one
    without a saved result, or one that uses an empty cell (Excel counts it as 0), is
    refused rather than read as a figure."""
    from openpyxl import load_workbook

    try:  # not read-only: only a fully loaded sheet knows its merged cells
        book = load_workbook(path)  # formulas as written; their results are loaded below
    except Exception:  # openpyxl raises many kinds for a broken file
        problems.add("bad_spreadsheet", rel, None)
        return None
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    if not visible:
        problems.add("no_visible_sheet", rel, None)
        return None
    sheet = visible[0]
    where = f"{rel} › trang tính/sheet '{sheet.title}'"
    if sheet is not book.worksheets[0]:
        problems.add("hidden_sheet_skipped", where, None, warning=True,
                     hidden=book.worksheets[0].title, sheet=sheet.title)
    if sheet.merged_cells.ranges:  # read as one value and empty cells below it
        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            problems.add("merged_cells", where, merged.min_row, None, cells=merged.coord)
        return None
    grid = list(sheet.iter_rows())
    results = None
    if any(cell.data_type == "f" for row in grid for cell in row):
        results = load_workbook(path, data_only=True)[sheet.title]
    header = [_cell_text(cell.value, "General") for cell in grid[0]] if grid else []
    rows = []
    for number, row in enumerate(grid, 1):
        texts, ok = [], True
        for column, cell in enumerate(row):
            value = cell.value
            if cell.data_type == "f" and results is not None:
                value = results.cell(cell.row, cell.column).value
                name = header[column].strip().lower() if column < len(header) else ""
                if number > 1 and name in NUMBER_COLUMNS:
                    ok = _formula_ok(book, sheet, cell, value, name, where, problems) and ok
            texts.append(_cell_text(value, cell.number_format))
        if ok:
            rows.append((number, texts))
    return _sheet(where, sheet.title, rows, problems)


def _formula_ok(book: Any, sheet: Any, cell: Any, result: Any, name: str, where: str,
                problems: Problems) -> bool:
    from openpyxl.formula import Tokenizer
    from openpyxl.utils.cell import range_boundaries

    formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
    if result is None:
        problems.add("formula_no_result", where, cell.row, name, cell=cell.coordinate,
                     formula=formula)
        return False
    for token in Tokenizer(formula).items:
        if token.type != "OPERAND" or token.subtype != "RANGE":
            continue
        sheet_name, _, address = token.value.rpartition("!")
        sheet_name = sheet_name.strip("'").replace("''", "'")
        source = book[sheet_name] if sheet_name in book.sheetnames else sheet
        try:
            bounds = range_boundaries(address.replace("$", ""))
        except ValueError:  # a named range or another workbook: not followed
            continue
        if None in bounds or (sheet_name and sheet_name not in book.sheetnames):
            continue  # whole columns or rows: blank cells there are expected
        min_col, min_row, max_col, max_row = bounds
        for row in source.iter_rows(min_row=min_row, max_row=min(max_row, source.max_row),
                                    min_col=min_col, max_col=min(max_col, source.max_column)):
            for used in row:
                if used.value is None or used.value == "":
                    empty = used.coordinate if source is sheet \
                        else f"'{source.title}'!{used.coordinate}"
                    problems.add("formula_empty_input", where, cell.row, name,
                                 cell=cell.coordinate, formula=formula, empty=empty,
                                 value=_cell_text(result, cell.number_format))
                    return False
    return True


def _cell_text(value: Any, number_format: str) -> str:
    """A cell as the officer sees it: 85% for 0.85 in a percentage cell, 2026-10 for a date."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and "%" in _FORMAT_LITERALS.sub("", number_format):
        return f"{_plain(round(value * 100, 9))}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return f"{value.year}-{value.month:02d}"
    return str(value)


# Quoted text and escaped characters in an Excel number format: a "%" there is only shown.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')


# ---------------------------------------------------------------- spreadsheets -----------

def write_template(path: Path, site: SiteConfig, indicators: dict[str, Indicator]) -> None:
    """An empty observations sheet for officers: the right columns, and in an .xlsx drop-down
    lists of the locality and indicator codes, and a sheet explaining each column."""
    codes = sorted(site.taxonomies.get("localities", {}))
    indicators = {k: i for k, i in indicators.items() if not i.computed}  # never typed
    if path.suffix.lower() == ".csv":
        path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
        return
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "so-lieu"
    sheet.append(list(COLUMNS))
    lists = book.create_sheet("ma")
    lists.append(["locality", "indicator"])
    for row in range(max(len(codes), len(indicators))):
        lists.append([codes[row] if row < len(codes) else None,
                      sorted(indicators)[row] if row < len(indicators) else None])
    for column, letter, count in (("A", "A", len(codes)), ("B", "B", len(indicators))):
        check = DataValidation(type="list", formula1=f"=ma!${letter}$2:${letter}${count + 1}",
                               allow_blank=False)
        sheet.add_data_validation(check)
        check.add(f"{column}2:{column}5000")
    help_sheet = book.create_sheet("huong-dan")
    for column, meaning in COLUMN_HELP:
        help_sheet.append([column, meaning])
    for sheet_ in (sheet, help_sheet):
        sheet_.column_dimensions["A"].width = 18
        sheet_.column_dimensions["B"].width = 28
    book.save(path)


COLUMN_HELP = (
    ("locality", "Mã địa phương trong data/localities.yml / locality code"),
    ("indicator", "Mã chỉ tiêu trong data/indicators.yml / indicator id"),
    ("period", "Tháng 2026-10 hoặc quý 2026-Q3 / month or quarter"),
    ("numerator", "Số người đạt (nếu có) / people reaching the goal"),
    ("denominator", "Tổng số người (nếu có) / all people counted"),
    ("value", "Tỷ lệ % hoặc số lượng lũy kế trong năm, nếu không có tử số, mẫu số / "
              "percent or running count in the year"),
    ("source", "Nguồn số liệu / source"),
    ("note", "Ghi chú / note"),
)


@dataclass(frozen=True)
class Imported:
    rows: int
    sheet: str | None  # the workbook's sheet that was read, for the officer to confirm


def import_sheet(source: Path, target: Path, site: SiteConfig, indicators: dict[str, Indicator],
                 problems: Problems, today: date, existing: list[Observation]) -> Imported:
    """Check an exported sheet against the data and, only if every row is right, write it as
    a CSV under data/observations/."""
    reader = _Reader(site, "data", problems, today)
    seen = {(o.indicator, o.locality, o.period.label): "data/observations"
            for o in existing}
    sheet = _read_sheet(source, str(source), problems)
    rows = [] if sheet is None else reader.sheet_observations(sheet, indicators, seen)
    if problems.errors or sheet is None:
        return Imported(0, None)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for o in rows:
            writer.writerow([o.locality, o.indicator, o.period.label, _plain(o.numerator),
                             _plain(o.denominator),
                             "" if o.numerator is not None else _plain(o.value),
                             o.source, o.note])
    return Imported(len(rows), sheet.name)


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


# ---------------------------------------------------------------- computing ---------------

def _unit_of(site: SiteConfig) -> str:
    """The locality the site is for: the one with nobody above it."""
    localities = site.taxonomies.get("localities", {})
    return next((t.id for t in localities.values() if not t.extra.get("parent")), "")


class Progress:
    """Everything the dashboard, indicator, locality and report pages show."""

    def __init__(self, site: SiteConfig, indicators: dict[str, Indicator],
                 targets: list[Target], observations: list[Observation], tasks: list[Task],
                 today: date, plans: dict[str, PlanDocument] | None = None) -> None:
        self.site, self.indicators, self.tasks, self.today = site, indicators, tasks, today
        self.targets = targets
        self.observations = observations
        self.plans = plans or {}
        self.unit = _unit_of(site)
        self.children: dict[str, list[str]] = defaultdict(list)
        for term in site.taxonomies.get("localities", {}).values():
            if term.extra.get("parent"):
                self.children[str(term.extra["parent"])].append(term.id)
        self._observed: dict[tuple[str, str, Period], Observation] = {
            (o.indicator, o.locality, o.period): o for o in observations}
        self._targets = {(t.indicator, t.year, t.locality): t for t in targets if not t.each}
        self._each = {(t.indicator, t.year): t for t in targets if t.each}
        periods: dict[str, set[Period]] = defaultdict(set)
        for o in observations:
            periods[o.indicator].add(o.period)
        self._periods = {k: sorted(v) for k, v in periods.items()}
        self._values: dict[tuple[str, str, Period], Value | None] = {}
        self._standings: dict[tuple[str, str, Period], Standing] = {}

    @property
    def empty(self) -> bool:
        return not self.indicators

    def periods(self, indicator: str) -> list[Period]:
        return self._periods.get(indicator, [])

    @property
    def all_periods(self) -> list[Period]:
        return sorted({p for ps in self._periods.values() for p in ps})

    def latest(self, indicator: str) -> Period | None:
        periods = self.periods(indicator)
        return periods[-1] if periods else None

    def reporting_localities(self, locality: str | None = None) -> list[str]:
        """The localities whose figures add up to `locality` (the unit by default)."""
        return self.children.get(locality or self.unit, [])

    def missing_reporters(self, indicator: str, period: Period, parent: str | None = None
                          ) -> list[str]:
        """The localities under `parent` (the unit by default) that should have reported
        `indicator` for `period` but did not: the ones a report must name."""
        return [code for code in self.reporting_localities(parent)
                if self._observed_value(indicator, code, period) is None]

    def value(self, indicator: str, locality: str, period: Period) -> Value | None:
        """A locality's own figure, or the total of the localities under it: a running count
        carries a missing locality's last figure of the year forward (a floor: counts only
        grow), a percentage counts only those that reported. Totals are kept: every page
        asks for the unit's again."""
        key = (indicator, locality, period)
        if key not in self._values:
            self._values[key] = self._value(indicator, locality, period)
        return self._values[key]

    def _value(self, indicator: str, locality: str, period: Period) -> Value | None:
        own = self._observed.get((indicator, locality, period))
        if own is not None:
            return Value(own.value, own.numerator, own.denominator)
        parts = self.children.get(locality)
        if not parts:
            return None
        count = self.indicators[indicator].unit == "count"
        running = count and self.indicators[indicator].per != "month"  # a flow isn't carried
        found: list[Value] = []
        missing: list[str] = []
        carried: list[tuple[str, Period]] = []
        for part in parts:
            value = self.value(indicator, part, period)
            if value is None:
                missing.append(part)
                earlier = self._carried(indicator, part, period) if running else None
                if earlier is not None:
                    carried.append((part, earlier[0]))
                    value = earlier[1]
            else:
                missing += value.missing
                carried += value.carried
            if value is not None:
                found.append(value)
        if len(found) == len(carried):  # nobody reported this period
            return None
        reporting = len(parts) - sum(1 for code in missing if code in parts)
        if count:
            return Value(sum(v.value for v in found), reporting=reporting,
                         expected=len(parts), missing=tuple(missing), carried=tuple(carried))
        if not all(v.denominator for v in found):
            return None  # percentages without denominators cannot be added up honestly
        numerator = sum(v.numerator or 0 for v in found)
        denominator = sum(v.denominator or 0 for v in found)
        return Value(numerator / denominator * 100, numerator, denominator, reporting,
                     len(parts), tuple(missing))

    def _observed_value(self, indicator: str, locality: str, period: Period) -> Value | None:
        """A figure reported for `period` (not one carried forward from an earlier one)."""
        value = self.value(indicator, locality, period)
        return None if value is None or len(value.carried) == value.expected else value

    def _carried(self, indicator: str, locality: str, period: Period
                 ) -> tuple[Period, Value] | None:
        """The locality's last figure earlier in the same year (running counts restart in
        January, so nothing is carried across a year)."""
        for earlier in reversed(self.periods(indicator)):
            if earlier < period and earlier.year == period.year:
                value = self.value(indicator, locality, earlier)
                if value is not None:
                    return earlier, value
        return None

    def change(self, indicator: str, locality: str, period: Period,
               previous: Period | None = None) -> Change | None:
        """Against the period just before (or `previous`), over the localities that reported
        both periods (for a running count, what was added: in January all of it). None when
        no locality can be compared."""
        count = self.indicators[indicator].unit == "count"
        previous = previous or period.previous
        running = count and self.indicators[indicator].per != "month"  # a flow: month by month
        fresh = running and previous.year != period.year
        parts = [locality] if (indicator, locality, period) in self._observed \
            else self.children.get(locality, [])
        pairs: list[tuple[Value, Value | None]] = []
        for part in parts:
            now = self.value(indicator, part, period)
            before = None if fresh else self.value(indicator, part, previous)
            if now is None or not now.complete or now.carried:
                continue
            if fresh or (before is not None and before.complete and not before.carried):
                pairs.append((now, before))
        if not pairs:
            return None
        if count:
            amount = sum(now.value - (before.value if before else 0) for now, before in pairs)
            return Change(amount, len(pairs), len(parts))
        now_share = _share([now for now, _ in pairs])
        before_share = _share([before for _, before in pairs if before])
        if now_share is None or before_share is None:
            return None
        return Change(now_share - before_share, len(pairs), len(parts))

    def goal(self, indicator: str, year: int, locality: str | None = None) -> Goal | None:
        """The target that applies to `locality` (the unit by default) in `year`: its own,
        else the one set for each locality, else the unit's. A count target for the unit
        is its total: it does not apply to each locality, and one set for each locality
        adds up to the unit's."""
        count = self.indicators[indicator].unit == "count"
        found: Target | None
        times = 1
        each = self._each.get((indicator, year))
        if locality and locality != self.unit:
            found = self._targets.get((indicator, year, locality)) or each
            if found is None and not count:
                found = self._targets.get((indicator, year, None))
        else:
            found = self._targets.get((indicator, year, None))
            if found is None and each is not None:
                found = each
                times = len(self.reporting_localities()) if count else 1
        if found is None:
            return None
        if found.baseline is not None or count:
            start = (found.baseline or 0.0) * times
        else:
            before = self.goal(indicator, year - 1, locality)
            start = before.value if before and not before.target.per else 0.0
        return Goal(found, times, start)

    def target(self, indicator: str, year: int, locality: str | None = None) -> float | None:
        """The level to reach (with a rate: the amount in each period)."""
        goal = self.goal(indicator, year, locality)
        return goal.value if goal else None

    def target_years(self, indicator: str) -> list[tuple[int, Goal]]:
        """The unit's target for every year that has one."""
        years = {year for (ind, year, loc) in self._targets if ind == indicator}
        years |= {year for (ind, year) in self._each if ind == indicator}
        return [(year, goal) for year in sorted(years)
                if (goal := self.goal(indicator, year)) is not None]

    def expected(self, indicator: str, period: Period, locality: str | None = None
                 ) -> float | None:
        """Where the path to the target is at the end of `period`."""
        goal = self.goal(indicator, period.year, locality)
        return None if goal is None or goal.target.per else goal.path(period.end)

    def standing(self, indicator: str, locality: str, period: Period) -> Standing:
        """Kept once worked out, as totals are: rows, cards, rankings and reports ask again."""
        key = (indicator, locality, period)
        if key not in self._standings:
            self._standings[key] = self._standing(indicator, locality, period)
        return self._standings[key]

    def _standing(self, indicator: str, locality: str, period: Period) -> Standing:
        value = self.value(indicator, locality, period)
        goal = self.goal(indicator, period.year, locality)
        if goal is not None and goal.target.per and period.end > goal.target.deadline:
            goal = None  # the rate's time is over
        if value is None:
            level = None if goal is None else goal.amount(period) if goal.target.per \
                else goal.value
            return Standing(locality, None, level, None, "no-data", goal)
        if goal is None:
            return Standing(locality, value, None, None, "no-target")
        if goal.target.per:
            return self._rate_standing(indicator, locality, period, value, goal)
        expected = goal.path(period.end)
        if value.value >= goal.value:
            status = "met"
        elif value.value + 1e-9 >= expected and period.end < goal.target.deadline:
            status = "on-track"
        else:
            status = "missed" if period.end >= goal.target.deadline else "behind"
        count = self.indicators[indicator].unit == "count"
        if not value.complete and (not count or status in ("behind", "missed")):
            status = "not-enough-data"  # the missing figures could change the verdict
        return Standing(locality, value, goal.value, expected, status, goal)

    def _rate_standing(self, indicator: str, locality: str, period: Period, value: Value,
                       goal: Goal) -> Standing:
        """A rate: what was added in the period against what it must add. Counts only
        grow, so what the localities that reported added is a floor."""
        needed = goal.amount(period)
        if self.indicators[indicator].per == "month":  # a flow: the period's figure was added
            floor, known, level = value.value, value.complete, needed
        else:
            added = self.change(indicator, locality, period)
            floor = added.amount if added else 0.0
            known = added is not None and added.complete and value.complete
            level = value.value - floor + needed if added else None
        if floor + 1e-9 >= needed:
            status = "met"
        elif known:
            status = "missed"
        else:
            status = "not-enough-data"
        return Standing(locality, value, needed, level, status, goal)

    def ranking(self, indicator: str, period: Period, parent: str | None = None
                ) -> list[Standing]:
        """The localities under `parent`, highest value first, those without data last."""
        standings = [self.standing(indicator, loc, period)
                     for loc in self.reporting_localities(parent)]
        return sorted(standings, key=lambda s: (s.value is None,
                                                -(s.value.value if s.value else 0), s.locality))

    def trend(self, indicator: str, locality: str) -> list[tuple[Period, Value]]:
        return [(p, v) for p in self.periods(indicator)
                if (v := self.value(indicator, locality, p)) is not None]

    def is_illustrative(self, thing: Indicator | Target | Observation | Task) -> bool:
        """Not this unit's real data, as the pages say: an indicator (and its targets and
        figures) taken from another locality's plan, a target marked so (from another unit's
        plan, or from none), figures invented for an example site (`illustrative_data`), a
        task whose status is illustrative."""
        if isinstance(thing, Observation):
            return self.site.illustrative_data or self.indicators[thing.indicator].illustrative
        if isinstance(thing, Target):
            return thing.illustrative or self.indicators[thing.indicator].illustrative
        return thing.illustrative  # an indicator or a task: its own flag

    @cached_property
    def illustrative_figures(self) -> frozenset[str]:
        """The indicators whose figures anything illustrative goes into (the indicator, one
        of its targets or observations): a card, widget or feed that shows them says so."""
        return frozenset(
            [i.id for i in self.indicators.values() if self.is_illustrative(i)]
            + [t.indicator for t in self.targets if self.is_illustrative(t)]
            + [o.indicator for o in self.observations if self.is_illustrative(o)])

    @cached_property
    def _sources(self) -> dict[tuple[str, str], set[str]]:
        """The `source` column of the figures, by indicator and period: indexed once (a report
        asks for every indicator of every period; scanning all figures each time cost 5 s at
        1,000 items)."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for observation in self.observations:
            if observation.source:
                found[(observation.indicator, observation.period.label)].add(observation.source)
        return found

    def sources(self, indicator: str, periods: Iterable[str]) -> list[str]:
        """Who reported the figures of `indicator` for these periods (their `source` column)."""
        return sorted(set().union(*(self._sources.get((indicator, label), set())
                                    for label in periods)))


def _share(values: list[Value]) -> float | None:
    """A percentage over several figures: people over people, never an average (None when
    a figure has no denominator)."""
    if len(values) == 1:
        return values[0].value
    if not all(v.denominator for v in values):
        return None
    return sum(v.numerator or 0 for v in values) / sum(v.denominator or 0
                                                        for v in values) * 100
