"""Progress data: indicators, targets, observations per locality and period, plan tasks.

Read from data/ (YAML for reference data, CSV or XLSX for observations), checked row by row
with messages naming file, row and column, then computed: values per locality and for the
whole unit (totals from numerators and denominators, never an average of percentages),
progress against the year's target, an "on track" judgement against a linear path, lagging
and missing-data flags. Nothing here knows about pages or MkDocs.

The on-track rule (also on the dashboard): for a year's target T and the previous year's
target P (0 when the plan sets none), the expected value at the end of a period is
P + (T - P) x (share of the year elapsed at the period's end). A value at or above it is on
track; below it is behind. Count indicators are running totals that restart each January.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .computed import SO_FAR, Rule, parse_rule, running_totals
from .computed import SOURCE as COMPUTED_SOURCE
from .content import Item
from .dates import DateProblem, parse_date
from .problems import Problems
from .site import ID_PATTERN, Localized, SiteConfig
from .sources import decode_text, load_yaml_file

UNITS = ("percent", "count")
TASK_STATUSES = ("not-started", "in-progress", "done")
COLUMNS = ("locality", "indicator", "period", "numerator", "denominator", "value", "source",
           "note")
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


@dataclass(frozen=True, order=True)
class Period:
    """A month (2026-10) or a quarter (2026-Q3); ordered by when it ends."""

    end: date
    label: str = field(compare=False)

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def year_share(self) -> float:
        """Share of the year elapsed at the period's end."""
        start = date(self.end.year, 1, 1)
        days = 366 if calendar.isleap(self.end.year) else 365
        return ((self.end - start).days + 1) / days


def parse_period(text: str) -> Period | None:
    match = _PERIOD.match(text.strip())
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        end = date(year, month, calendar.monthrange(year, month)[1])
        return Period(end, f"{year}-{month:02d}")
    quarter = int(match.group(3))
    month = quarter * 3
    return Period(date(year, month, calendar.monthrange(year, month)[1]), f"{year}-Q{quarter}")


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
    computed: Rule | None = None  # counted by the site itself (computed.py), never typed


@dataclass(frozen=True)
class Target:
    indicator: str
    year: int
    value: float
    locality: str | None  # None: the whole unit
    each: bool = False  # the value applies to each locality, not to the unit's total


@dataclass(frozen=True)
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
class Task:
    id: str
    text: Localized
    lead: Localized
    partners: Localized
    deadline: date | None  # None: carried out regularly
    output: Localized
    status: str
    evidence: str | None
    plan: str | None
    illustrative: bool

    def overdue(self, today: date) -> bool:
        return self.deadline is not None and self.status != "done" and self.deadline < today


@dataclass(frozen=True)
class Value:
    """A figure for one locality (or the unit) in one period."""

    value: float
    numerator: float | None = None
    denominator: float | None = None
    reporting: int = 1  # localities whose figures make it up
    expected: int = 1  # localities that should report


@dataclass(frozen=True)
class Standing:
    """Where a locality stands on an indicator in a period."""

    locality: str
    value: Value | None
    target: float | None
    expected: float | None  # on the linear path to the year's target
    status: str  # met | on-track | behind | no-data | no-target


# ---------------------------------------------------------------- loading and checking ---

def load_progress(site: SiteConfig, data_dir: Path, data_rel: str, problems: Problems,
                  today: date, published: Sequence[Item] = ()) -> Progress:
    """`published`: the items on the site, which computed indicators count (computed.py)."""
    reader = _Reader(site, data_rel, problems, today)
    indicators = reader.indicators(data_dir / "indicators.yml")
    targets = reader.targets(data_dir / "targets.yml", indicators)
    observations: list[Observation] = []
    folder = data_dir / "observations"
    seen: dict[tuple[str, str, str], str] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".csv", ".xlsx"):
                observations.extend(reader.observations(path, indicators, seen))
    tasks = reader.tasks(data_dir / "tasks.yml")
    for indicator in indicators.values():
        if indicator.computed:
            observations.extend(_counted(site, indicator, indicator.computed, published, today))
    return Progress(site, indicators, targets, observations, tasks, today)


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
                   "illustrative", "computed")
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
                rule)
        return result

    def targets(self, path: Path, indicators: dict[str, Indicator]) -> list[Target]:
        loaded = self._rows(path)
        if loaded is None:
            return []
        rel, rows = loaded
        result = []
        seen: dict[tuple[str, int, str | None], int] = {}
        for line, row in rows:
            self._unknown_fields(rel, line, row,
                                 ("indicator", "year", "value", "locality", "each"),
                                 "targets.yml")
            indicator = row.get("indicator")
            if indicator not in indicators:
                self.problems.add("unknown_ref", rel, line, "indicator", value=indicator,
                                  source=f"{self.data_rel}/indicators.yml",
                                  allowed=", ".join(sorted(indicators)[:15]) or "-")
                continue
            year, value = row.get("year"), row.get("value")
            if not isinstance(year, int) or not 1945 <= year <= 2100:
                self.problems.add("implausible_year", rel, line, "year", year=year)
                continue
            if value is None:  # "value:" left empty: no target, not a target of 0
                self.problems.add("missing_field", rel, line, "value", label_vi="mục tiêu",
                                  label_en="target")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value):  # YAML reads .nan and .inf as floats
                self.problems.add("wrong_type", rel, line, "value",
                                  expected_vi="một số (không phải .nan hay .inf)",
                                  expected_en="a number (not .nan or .inf)", actual=repr(value))
                continue
            if indicators[indicator].unit == "percent" and not 0 <= value <= 100:
                self.problems.add("percent_out_of_range", rel, line, "value", value=value)
                continue
            locality = self._ref(rel, line, "locality", row.get("locality"), "localities") \
                if row.get("locality") is not None else None
            key = (indicator, year, locality)
            if key in seen:
                self.problems.add("duplicate_row", rel, line, "year", other_line=seen[key])
                continue
            seen[key] = line
            result.append(Target(indicator, year, float(value), locality,
                                 bool(row.get("each"))))
        return result

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
        allowed = ("id", "text", "lead", "partners", "deadline", "output", "status",
                   "evidence", "plan", "illustrative")
        result: list[Task] = []
        ids: set[str] = set()
        for line, row in rows:
            self._unknown_fields(rel, line, row, allowed, "tasks.yml")
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
            deadline_value = row.get("deadline", "regular")
            deadline = None
            if deadline_value != "regular":
                try:
                    deadline = parse_date(deadline_value)
                except DateProblem as problem:
                    self.problems.add(problem.code, rel, line, "deadline", **problem.params)
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
                str(row["plan"]) if row.get("plan") else None, bool(row.get("illustrative"))))
        return result


class NumberProblem(ValueError):
    """Why a cell is not a usable figure: code is a problems.MESSAGES key."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
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
    rows = list(csv.reader(io.StringIO(text)))
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

class Progress:
    """Everything the dashboard, indicator, locality and report pages show."""

    def __init__(self, site: SiteConfig, indicators: dict[str, Indicator],
                 targets: list[Target], observations: list[Observation], tasks: list[Task],
                 today: date) -> None:
        self.site, self.indicators, self.tasks, self.today = site, indicators, tasks, today
        self.targets = targets
        self.observations = observations
        localities = site.taxonomies.get("localities", {})
        roots = [t.id for t in localities.values() if not t.extra.get("parent")]
        self.unit = roots[0] if roots else ""
        self.children: dict[str, list[str]] = defaultdict(list)
        for term in localities.values():
            if term.extra.get("parent"):
                self.children[str(term.extra["parent"])].append(term.id)
        self._observed: dict[tuple[str, str, Period], Observation] = {
            (o.indicator, o.locality, o.period): o for o in observations}
        self._targets = {(t.indicator, t.year, t.locality): t.value for t in targets
                         if not t.each}
        self._each = {(t.indicator, t.year): t.value for t in targets if t.each}
        periods: dict[str, set[Period]] = defaultdict(set)
        for o in observations:
            periods[o.indicator].add(o.period)
        self._periods = {k: sorted(v) for k, v in periods.items()}

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

    def value(self, indicator: str, locality: str, period: Period) -> Value | None:
        """A locality's own figure, or the total of the localities under it."""
        own = self._observed.get((indicator, locality, period))
        if own is not None:
            return Value(own.value, own.numerator, own.denominator)
        parts = self.children.get(locality)
        if not parts:
            return None
        found = [v for v in (self.value(indicator, part, period) for part in parts) if v]
        if not found:
            return None
        if self.indicators[indicator].unit == "count":
            return Value(sum(v.value for v in found), reporting=len(found),
                         expected=len(parts))
        with_fraction = [v for v in found if v.denominator]
        if len(with_fraction) < len(found) or not with_fraction:
            return None  # percentages without denominators cannot be added up honestly
        numerator = sum(v.numerator or 0 for v in with_fraction)
        denominator = sum(v.denominator or 0 for v in with_fraction)
        return Value(numerator / denominator * 100, numerator, denominator,
                     reporting=len(found), expected=len(parts))

    def target(self, indicator: str, year: int, locality: str | None = None) -> float | None:
        """The target that applies to `locality` (the unit by default) in `year`: its own,
        else the one set for each locality, else the unit's. A count target for the unit
        is its total: it does not apply to each locality, and one set for each locality
        adds up to the unit's."""
        count = self.indicators[indicator].unit == "count"
        unit_target = self._targets.get((indicator, year, None))
        each = self._each.get((indicator, year))
        if locality and locality != self.unit:
            own = self._targets.get((indicator, year, locality))
            if own is not None:
                return own
            if each is not None:
                return each
            return None if count else unit_target
        if unit_target is not None:
            return unit_target
        if each is not None:
            return each * len(self.reporting_localities()) if count else each
        return None

    def target_years(self, indicator: str) -> list[tuple[int, float]]:
        """The unit's target for every year that has one."""
        years = {year for (ind, year, loc) in self._targets if ind == indicator}
        years |= {year for (ind, year) in self._each if ind == indicator}
        return [(year, value) for year in sorted(years)
                if (value := self.target(indicator, year)) is not None]

    def expected(self, indicator: str, period: Period, locality: str | None = None
                 ) -> float | None:
        """Where the linear path to the year's target is at the end of `period`."""
        goal = self.target(indicator, period.year, locality)
        if goal is None:
            return None
        if self.indicators[indicator].unit == "count":
            start = 0.0
        else:
            start = self.target(indicator, period.year - 1, locality) or 0.0
        return start + (goal - start) * period.year_share

    def standing(self, indicator: str, locality: str, period: Period) -> Standing:
        value = self.value(indicator, locality, period)
        goal = self.target(indicator, period.year, locality)
        expected = self.expected(indicator, period, locality)
        if value is None:
            status = "no-data"
        elif goal is None or expected is None:
            status = "no-target"
        elif value.value >= goal:
            status = "met"
        elif value.value + 1e-9 >= expected:
            status = "on-track"
        else:
            status = "behind"
        return Standing(locality, value, goal, expected, status)

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
        figures) taken from another locality's plan, figures invented for an example site
        (`illustrative_data`), a task whose status is illustrative."""
        if isinstance(thing, Observation):
            return self.site.illustrative_data or self.indicators[thing.indicator].illustrative
        if isinstance(thing, Target):
            return self.indicators[thing.indicator].illustrative
        return thing.illustrative  # an indicator or a task: its own flag

    def observations_of(self, indicator: str) -> list[Observation]:
        return sorted((o for o in self.observations if o.indicator == indicator),
                      key=lambda o: (o.period, o.locality))
