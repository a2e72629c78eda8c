"""Progress data: figures computed the way the plans require (totals from numerators and
denominators, a linear path to each year's target, lagging and missing localities), every
bad spreadsheet row stopped with its file, row and column, and dashboards, charts and open
data that agree with each other."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from binhdan.common.problems import Problems
from binhdan.figures.computed import SOURCE as COMPUTED_SOURCE
from binhdan.figures.progress import (
    Indicator,
    NumberProblem,
    Observation,
    Progress,
    Target,
    parse_number,
    parse_period,
)
from binhdan.model.site import load_site
from conftest import FIXTURES, ROOT, Built, Result, run

SHARE = Indicator("ty-le", {"vi": "Tỷ lệ"}, "percent")
CLASSES = Indicator("lop-hoc", {"vi": "Lớp học"}, "count")


def fixture_progress(observations: list[Observation], targets: list[Target]) -> Progress:
    problems = Problems()
    site = load_site(FIXTURES / "ea-trang", problems)
    assert site is not None
    return Progress(site, {"ty-le": SHARE, "lop-hoc": CLASSES}, targets, observations, [],
                    date(2026, 11, 21))


def seen(indicator: str, locality: str, period: str, value: float,
         numerator: float | None = None, denominator: float | None = None) -> Observation:
    found = parse_period(period)
    assert found is not None
    return Observation(indicator, locality, found, value, numerator, denominator, "", "")


def test_unit_total_is_people_not_an_average_of_percentages() -> None:
    progress = fixture_progress([
        seen("ty-le", "buon-mot", "2026-06", 30, 30, 100),
        seen("ty-le", "thon-hai", "2026-06", 100 / 3, 300, 900),
    ], [])
    total = progress.value("ty-le", "ea-trang", parse_period("2026-06"))  # type: ignore[arg-type]
    assert total is not None
    assert total.value == pytest.approx(33.0)  # 330 / 1000, not (30 + 33.3) / 2
    assert (total.numerator, total.denominator, total.reporting) == (330, 1000, 2)


def test_percentages_without_denominators_are_not_added_up() -> None:
    progress = fixture_progress([seen("ty-le", "buon-mot", "2026-06", 30),
                                 seen("ty-le", "thon-hai", "2026-06", 40)], [])
    assert progress.value("ty-le", "ea-trang", parse_period("2026-06")) is None  # type: ignore[arg-type]


def test_counts_add_up_and_targets_for_each_locality_add_up_for_the_unit() -> None:
    progress = fixture_progress(
        [seen("lop-hoc", "buon-mot", "2026-06", 3), seen("lop-hoc", "thon-hai", "2026-06", 1)],
        [Target("lop-hoc", 2026, 5, None, each=True)])
    period = parse_period("2026-06")
    assert period is not None
    assert progress.value("lop-hoc", "ea-trang", period).value == 4  # type: ignore[union-attr]
    assert progress.target("lop-hoc", 2026) == 10  # 5 for each of 2 villages
    assert progress.target("lop-hoc", 2026, "buon-mot") == 5
    # a count running total restarts each January: the path starts at 0
    assert progress.expected("lop-hoc", period, "buon-mot") == pytest.approx(5 * 181 / 365)


def test_linear_path_starts_from_last_years_target_and_judges_each_locality() -> None:
    targets = [Target("ty-le", 2025, 50, None), Target("ty-le", 2026, 80, None),
               Target("ty-le", 2026, 90, "thon-hai")]
    progress = fixture_progress([
        seen("ty-le", "buon-mot", "2026-06", 70, 70, 100),
        seen("ty-le", "thon-hai", "2026-06", 60, 60, 100),
        seen("ty-le", "buon-mot", "2026-07", 81, 81, 100),
    ], targets)
    june, july = parse_period("2026-06"), parse_period("2026-07")
    assert june and july
    assert progress.expected("ty-le", june) == pytest.approx(50 + 30 * 181 / 365)
    assert progress.expected("ty-le", june, "thon-hai") == pytest.approx(50 + 40 * 181 / 365)
    assert progress.standing("ty-le", "buon-mot", june).status == "on-track"  # 70 >= 64.9
    assert progress.standing("ty-le", "thon-hai", june).status == "behind"  # 60 < 69.8
    assert progress.standing("ty-le", "buon-mot", july).status == "met"  # 81 >= 80
    assert progress.standing("ty-le", "thon-hai", july).status == "no-data"
    ranking = progress.ranking("ty-le", july)
    assert [(s.locality, s.status) for s in ranking] == [("buon-mot", "met"),
                                                        ("thon-hai", "no-data")]
    # the first year of a plan has no earlier target: the path starts at 0
    september = parse_period("2025-09")
    assert september is not None
    assert progress.expected("ty-le", september) == pytest.approx(50 * 273 / 365)


def test_periods_are_months_or_quarters() -> None:
    assert parse_period("2026-10").end == date(2026, 10, 31)  # type: ignore[union-attr]
    assert parse_period("2026-Q1").end == date(2026, 3, 31)  # type: ignore[union-attr]
    assert parse_period("2026-13") is None and parse_period("10/2026") is None


# ---------------------------------------------------------------- bad rows ---------------

INDICATORS = """- id: ty-le
  name: {vi: Tỷ lệ người dùng VNeID, en: VNeID users}
  unit: percent
- id: lop-hoc
  name: {vi: Lớp học, en: Classes}
  unit: count
"""
HEADER = "locality,indicator,period,numerator,denominator,value,source,note\n"
BAD_ROWS = {
    "unknown_locality": ("thon-ba,ty-le,2026-06,10,100,,,\n",
                         ["data/observations/so-lieu.csv:2 [locality]",
                          "'thon-ba' is not defined in data/localities.yml"]),
    "unknown_indicator": ("buon-mot,ty-le-moi,2026-06,10,100,,,\n",
                          ["data/observations/so-lieu.csv:2 [indicator]",
                           "'ty-le-moi' is not defined in data/indicators.yml"]),
    "not_a_number": ("buon-mot,ty-le,2026-06,mười,100,,,\n",
                     ["data/observations/so-lieu.csv:2 [numerator]",
                      "'mười' is not a valid (non-negative) number"]),
    "percent_over_100": ("buon-mot,ty-le,2026-06,,,120,,\n",
                         ["data/observations/so-lieu.csv:2 [value]",
                          "120 is not a valid percentage (0 to 100)"]),
    "numerator_over_denominator": ("buon-mot,ty-le,2026-06,150,100,,,\n",
                                   ["data/observations/so-lieu.csv:2 [numerator]",
                                    "The numerator 150 is larger than the denominator 100"]),
    "future_period": ("buon-mot,ty-le,2027-01,10,100,,,\n",
                      ["data/observations/so-lieu.csv:2 [period]",
                       "the period 2027-01 has not started yet (today is 2026-11-21)"]),
    "bad_period": ("buon-mot,ty-le,06/2026,10,100,,,\n",
                   ["data/observations/so-lieu.csv:2 [period]",
                    "'06/2026' is not a reporting period"]),
    "duplicate_row": ("buon-mot,ty-le,2026-06,10,100,,,\nbuon-mot,ty-le,2026-06,12,100,,,\n",
                      ["data/observations/so-lieu.csv:3 [period]",
                       "This row repeats data/observations/so-lieu.csv:2"]),
    "no_figure": ("buon-mot,ty-le,2026-06,,,,,\n",
                  ["data/observations/so-lieu.csv:2 [value]", "This row has no figure"]),
}


def add_data(project: Path, csv_text: str | None = None) -> None:
    (project / "data/indicators.yml").write_text(INDICATORS, encoding="utf-8")
    (project / "data/targets.yml").write_text(
        "- indicator: ty-le\n  year: 2026\n  value: 80\n  illustrative: true\n",
        encoding="utf-8")
    if csv_text is not None:
        (project / "data/observations").mkdir(exist_ok=True)
        (project / "data/observations/so-lieu.csv").write_text(HEADER + csv_text,
                                                               encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_rows_stop_the_build_with_file_row_and_column(project: Path, case: str) -> None:
    rows, expected = BAD_ROWS[case]
    add_data(project, rows)
    result = run(["binhdan", "check"], project)
    assert result.code == 1, result.out
    for fragment in expected:
        assert fragment in result.out, f"{fragment!r} not in:\n{result.out}"


def test_wrong_header_is_explained(project: Path) -> None:
    add_data(project, None)
    (project / "data/observations").mkdir()
    (project / "data/observations/xa.csv").write_text("xa,chi_tieu,ky\nbuon-mot,ty-le,2026-06\n",
                                                      encoding="utf-8")
    result = run(["binhdan", "check"], project)
    assert result.code == 1
    assert "data/observations/xa.csv:1" in result.out
    assert "Missing columns: locality, indicator, period; unknown columns: xa, chi_tieu, ky" \
        in result.out


def test_spreadsheet_import_checks_every_row_first(project: Path, tmp_path: Path) -> None:
    add_data(project)
    book = Workbook()
    sheet = book.active
    sheet.append(["locality", "indicator", "period", "numerator", "denominator", "value"])
    sheet.append(["buon-mot", "ty-le", "2026-06", 250, 1000, None])
    sheet.append(["thon-hai", "ty-le", "2026-06", 1200, 1000, None])  # impossible
    bad = tmp_path / "thang-6.xlsx"
    book.save(bad)
    result = run(["binhdan", "import", str(bad)], project)
    assert result.code == 1
    assert f"{bad} › trang tính/sheet 'Sheet':3 [numerator]" in result.out
    assert not (project / "data/observations/thang-6.csv").exists()  # nothing half-imported

    sheet.delete_rows(3)
    sheet.append(["thon-hai", "ty-le", "2026-06", 600, 1000, None])
    book.save(bad)
    result = run(["binhdan", "import", str(bad)], project)
    assert result.code == 0, result.out
    written = (project / "data/observations/thang-6.csv").read_text(encoding="utf-8")
    assert written.splitlines()[1:] == ["buon-mot,ty-le,2026-06,250,1000,,,",
                                        "thon-hai,ty-le,2026-06,600,1000,,,"]
    built = run(["mkdocs", "build", "-q", "-d", str(tmp_path / "site")], project)
    assert built.code == 0, built.out
    page = (tmp_path / "site/so-lieu/ty-le/index.html").read_text(encoding="utf-8")
    assert "42,5%" in page  # (250 + 600) / (1000 + 1000)


def test_template_has_the_columns_and_code_lists(project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    add_data(project)
    target = tmp_path / "mau.xlsx"
    assert run(["binhdan", "template", str(target)], project).code == 0
    book = load_workbook(target)
    assert [c.value for c in book["so-lieu"][1]] == [
        "locality", "indicator", "period", "numerator", "denominator", "value", "source",
        "note"]
    codes = [row[0] for row in book["ma"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == ["buon-mot", "ea-trang", "thon-hai"]


# ---------------------------------------------------------------- numbers at the door -----

COLUMNS = HEADER.strip().split(",")


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "#DIV/0!"])
def test_failed_calculations_are_not_figures(project: Path, text: str) -> None:
    add_data(project, f"buon-mot,ty-le,2026-06,,,{text},,\n"  # a percentage
                      f"thon-hai,lop-hoc,2026-06,,,{text},,\n"  # a count: no 0-100 check
                      f"buon-mot,ty-le,2026-07,{text},100,,,\n")
    result = run(["binhdan", "check"], project)
    assert result.code == 1, result.out
    for where in ("so-lieu.csv:2 [value]", "so-lieu.csv:3 [value]",
                  "so-lieu.csv:4 [numerator]"):
        assert f"data/observations/{where}\n" in result.out, result.out
    assert result.out.count(f"'{text}' is not a number but the result of a failed "
                            "calculation") == 3
    assert f"'{text}' không phải một con số mà là kết quả của một phép tính lỗi" in result.out


@pytest.mark.parametrize(("text", "value"), [
    ("0,125", 0.125), ("72,5", 72.5), ("1.234", 1234), ("1,234", 1234), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("1 250", 1250), ("1\u00a0250", 1250), ("1e3", 1000)])
def test_numbers_are_read_as_officers_write_them(text: str, value: float) -> None:
    assert parse_number(text).value == value


@pytest.mark.parametrize("text", ["-5", "1_000", "1,234,5", "mười", "5.", "--1"])
def test_what_is_not_a_number_is_named(text: str) -> None:
    with pytest.raises(NumberProblem) as caught:
        parse_number(text)
    assert caught.value.code == "bad_number"


@pytest.mark.parametrize(("value", "shown"), [("1.0e+999", "inf"), ("-1.0e999", "-inf"),
                                              (".nan", "'.nan'"), (".inf", "'.inf'")])
def test_targets_are_real_numbers(project: Path, value: str, shown: str) -> None:
    add_data(project)
    (project / "data/targets.yml").write_text(
        f"- indicator: lop-hoc\n  year: 2026\n  value: {value}\n"
        "- indicator: ty-le\n  year: 2026\n  value:\n", encoding="utf-8")
    result = run(["binhdan", "check"], project)
    assert result.code == 1
    assert "data/targets.yml:1 [value]" in result.out
    assert f"Field 'value' must be a number (not .nan or .inf), but it is {shown}." \
        in result.out
    # an empty target is no target, not a target of 0
    assert "data/targets.yml:4 [value]" in result.out
    assert "Required field 'value' (target) is missing" in result.out


def sheet_of(book: Workbook, rows: list[list[object]], title: str | None = None) -> Any:
    sheet = book.active if title is None else book.create_sheet(title)
    for row in [COLUMNS, *rows]:
        sheet.append(row)
    return sheet


def import_book(project: Path, path: Path, book: Workbook,
                results: dict[str, str] | None = None) -> tuple[Result, str]:
    """`binhdan import` of the workbook; with where its messages point (file and sheet)."""
    book.save(path)
    if results:
        saved_results(path, results)
    return run(["binhdan", "import", str(path)], project), f"{path} › trang tính/sheet 'Sheet'"


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_the_first_visible_sheet_is_read_and_named(project: Path, tmp_path: Path,
                                                  state: str) -> None:
    add_data(project)
    book = Workbook()
    draft = sheet_of(book, [["buon-mot", "ty-le", "2026-06", 999, 1000]])
    draft.title, draft.sheet_state = "Nháp", state
    october = sheet_of(book, [["buon-mot", "ty-le", "2026-10", 250, 1000],
                              ["thon-hai", "ty-le", "2026-10", "nan", 1000]], "Tháng 10")
    path = tmp_path / "bao-cao.xlsx"
    result, _ = import_book(project, path, book)
    assert result.code == 1
    assert f"{path} › trang tính/sheet 'Tháng 10':3 [numerator]\n" in result.out
    assert "The first sheet 'Nháp' is hidden, so it is not read; the sheet 'Tháng 10'" \
        in result.out
    assert "Trang tính đầu tiên 'Nháp' đang bị ẩn nên không được đọc" in result.out

    october["D3"] = 600
    result, _ = import_book(project, path, book)
    assert result.code == 0, result.out
    assert "(đọc trang tính 'Tháng 10')" in result.out
    assert "(read sheet 'Tháng 10')" in result.out
    written = (project / "data/observations/bao-cao.csv").read_text(encoding="utf-8")
    assert written.splitlines()[1:] == ["buon-mot,ty-le,2026-10,250,1000,,,",
                                        "thon-hai,ty-le,2026-10,600,1000,,,"]


@pytest.mark.parametrize(("number_format", "stored", "read"), [
    ("0%", 0.85, "85"), ("0.0%", 0.725, "72.5"), ("0.00%", 0.0725, "7.25"),
    ("#,##0.0%", 1, "100")])
def test_excel_percentage_cells_are_percentages(project: Path, tmp_path: Path,
                                                number_format: str, stored: float,
                                                read: str) -> None:
    add_data(project)
    book = Workbook()
    sheet = sheet_of(book, [["buon-mot", "ty-le", "2026-06", None, None, stored],
                            ["thon-hai", "ty-le", "2026-06", None, None, 0.5]])
    sheet["F2"].number_format = number_format
    sheet["F3"].number_format = '0.0"%"'  # a % sign only shown: the number is 0.5
    result, _ = import_book(project, tmp_path / "thang-6.xlsx", book)
    assert result.code == 0, result.out
    written = (project / "data/observations/thang-6.csv").read_text(encoding="utf-8")
    assert written.splitlines()[1:] == [f"buon-mot,ty-le,2026-06,,,{read},,",
                                        "thon-hai,ty-le,2026-06,,,0.5,,"]


def test_a_percentage_where_a_count_is_due_is_refused(project: Path, tmp_path: Path) -> None:
    add_data(project)
    book = Workbook()
    sheet = sheet_of(book, [["buon-mot", "lop-hoc", "2026-06", None, None, 0.05],
                            ["thon-hai", "ty-le", "2026-06", 0.25, 1000, None]])
    sheet["F2"].number_format = sheet["D3"].number_format = "0%"
    result, where = import_book(project, tmp_path / "thang-6.xlsx", book)
    assert result.code == 1
    assert f"{where}:2 [value]\n" in result.out and f"{where}:3 [numerator]\n" in result.out
    assert "'5%' is a percentage (an Excel cell formatted as %, or written with %), but here " \
        "this column must be a count (this indicator is counted, not a percentage)" \
        in result.out
    assert "(the numerator is a number of people)" in result.out
    assert "'25%' là tỷ lệ phần trăm" in result.out and "(tử số là số người đạt)" in result.out
    assert not (project / "data/observations/thang-6.csv").exists()

    add_data(project, "buon-mot,lop-hoc,2026-06,,,5%,,\nthon-hai,ty-le,2026-06,,,85%,,\n")
    result = run(["binhdan", "check"], project)  # the same rule for a CSV
    assert result.code == 1
    assert "data/observations/so-lieu.csv:2 [value]\n" in result.out
    assert "so-lieu.csv:3" not in result.out  # 85% of a percentage indicator is 85


def saved_results(path: Path, results: dict[str, str]) -> None:
    """Give formula cells the results Excel saves with them (openpyxl saves none)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in results.items():
        sheet = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v></v>', rf"\g<1><v>{value}</v>",
                       sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_formulas_over_empty_cells_are_refused(project: Path, tmp_path: Path) -> None:
    add_data(project)
    book = Workbook()
    sheet_of(book, [["buon-mot", "lop-hoc", "2026-06", None, None, "=SUM('Thôn'!B2:B4)"],
                    ["thon-hai", "ty-le", "2026-06", "=D5", 1000, None],
                    ["buon-mot", "ty-le", "2026-06", "='Thôn'!B2*10", 1000, None],
                    ["thon-hai", "lop-hoc", "2026-06", None, None, "=B9+1"]])
    villages = book.create_sheet("Thôn")
    villages["B2"], villages["B4"] = 3, 1  # B3: a village that has not reported
    result, where = import_book(project, tmp_path / "thang-6.xlsx", book,
                                {"F2": "4", "D3": "0", "D4": "30"})
    assert result.code == 1
    assert f"{where}:2 [value]\n" in result.out
    assert "cell F2 is computed by the formula =SUM('Thôn'!B2:B4), but the cell 'Thôn'!B3 " \
        "it uses is empty. Excel counts an empty cell as 0, so the result 4 may be wrong" \
        in result.out
    assert f"{where}:3 [numerator]\n" in result.out and "the cell D5 it uses" in result.out
    assert f"{where}:4" not in result.out  # every cell it uses is filled in
    assert f"{where}:5 [value]\n" in result.out
    assert "cell F5 holds the formula =B9+1 but the file has no saved result" in result.out
    assert "ô F5 là công thức =B9+1 nhưng tệp không lưu kết quả" in result.out


# ---------------------------------------------------------------- the example's pages ----

def test_dashboard_charts_are_described_and_match_their_tables(example: Built) -> None:
    page = example.html("so-lieu/vneid-xac-nhan/")
    charts = page.select("svg.chart")
    assert len(charts) == 2
    for chart in charts:
        assert chart["role"] == "img"
        title, desc = chart.find("title"), chart.find("desc")
        assert title.get_text() and desc.get_text()
        assert chart["aria-labelledby"] == f"{title['id']} {desc['id']}"
    trend_table = page.select("table")[0]
    values = [row.select("td")[0].get_text() for row in trend_table.select("tbody tr")]
    circles = charts[0].select("circle")
    assert len(values) == len(circles)
    assert values[-1] in charts[0].get_text()  # the chart writes the latest value
    bars_table = page.select("table")[1]
    for row in bars_table.select("tbody tr"):
        name = row.th.get_text()
        status = row.select_one(".status").get_text()
        assert name in charts[1].get_text() and status in charts[1].get_text()


def test_dashboard_flags_lagging_and_missing_localities(example: Built) -> None:
    text = example.html("so-lieu/").get_text(" ")
    assert "Chậm tiến độ: Xã Lâm Bình, Xã Mèo Vạc" in text
    assert "Chưa có số liệu kỳ mới nhất: Xã Chiêm Hóa" in text
    assert "Dữ liệu minh họa" in text
    english = example.html("en/data/").get_text(" ")
    assert "No data for the latest period: Chiem Hoa Commune" in english


def test_tasks_show_overdue_in_words_and_reports_exist(example: Built) -> None:
    tasks = example.html("so-lieu/nhiem-vu/")
    overdue = tasks.select("li.task--overdue")
    assert overdue and all("Quá hạn" in t.get_text() for t in overdue)
    assert tasks.select("li.task")[0] in overdue  # overdue tasks come first
    report = example.html("so-lieu/bao-cao/2026-10/")
    assert report.h1.get_text() == "Báo cáo tháng 10/2026"
    assert len(report.select("tbody tr")) >= 6


def test_locality_page_shows_its_own_figures(example: Built) -> None:
    page = example.html("dia-phuong/lam-binh/")
    section = page.select_one("#figures").parent
    assert "Chậm tiến độ" in section.get_text()
    assert len(section.select("tbody tr")) >= 6


def test_open_data_round_trips(example: Built) -> None:
    source = []
    for path in sorted((ROOT / "data/observations").glob("*.csv")):
        source.extend(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    published = list(csv.DictReader(
        (example.site / "open-data/observations.csv").read_text("utf-8-sig").splitlines()))
    counted = [r for r in published if r["source"] == COMPUTED_SOURCE["vi"]]  # test_computed
    assert len(published) == len(source) + len(counted) and counted
    key = {(r["locality"], r["indicator"], r["period"]): r for r in published}
    for row in source:
        out = key[(row["locality"], row["indicator"], row["period"])]
        if row["numerator"]:
            assert float(out["numerator"]) == float(row["numerator"])
            assert float(out["value"]) == pytest.approx(
                float(row["numerator"]) / float(row["denominator"]) * 100, abs=1e-3)
        else:
            assert float(out["value"]) == float(row["value"])
    as_json = json.loads((example.site / "open-data/observations.json").read_text("utf-8"))
    assert as_json["illustrative"] is True
    assert len(as_json["rows"]) == len(published)
    links = example.html("so-lieu/du-lieu-mo/").select("a[download]")
    assert {a.get_text() for a in links} >= {"observations.csv", "tasks.json"}
