"""Reports for every period, as an officer prints and files them, and data pages that fit a
phone: built from hand-made figures (a year boundary, a missing report, the three kinds of
indicator) and from the example portal, then read in Chromium at 360 px and printed on A4."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import Built, build, check

PHONE = {"width": 360, "height": 740}
# A4 portrait less the print margins (@page 12mm 14mm): 182 mm at 96 px per inch.
PRINTED_WIDTH = int(182 / 25.4 * 96)
PDF_PAGE_SIZE = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")

INDICATORS = """\
- id: ty-le
  name: {vi: Người dân có kỹ năng số, en: Adults with digital skills}
  unit: percent
  source: {vi: Báo cáo của thôn, en: Village reports}
- id: lop-hoc
  name: {vi: Lớp học đã tổ chức trong năm, en: Classes held this year}
  unit: count
- id: tin-bai
  name: {vi: Tin bài đăng trong tháng, en: Posts published in the month}
  unit: count
  per: month
"""
# Thôn Hai has not reported for February 2026.
FIGURES = """\
buon-mot,ty-le,2025-11,10,100,
thon-hai,ty-le,2025-11,40,400,
buon-mot,ty-le,2025-12,30,100,
thon-hai,ty-le,2025-12,200,400,
buon-mot,ty-le,2026-01,35,100,
thon-hai,ty-le,2026-01,220,400,
buon-mot,ty-le,2026-02,40,100,
buon-mot,lop-hoc,2025-11,,,2
thon-hai,lop-hoc,2025-11,,,1
buon-mot,lop-hoc,2025-12,,,3
thon-hai,lop-hoc,2025-12,,,4
buon-mot,lop-hoc,2026-01,,,1
thon-hai,lop-hoc,2026-01,,,1
buon-mot,lop-hoc,2026-02,,,2
buon-mot,tin-bai,2025-11,,,5
thon-hai,tin-bai,2025-11,,,4
buon-mot,tin-bai,2025-12,,,6
thon-hai,tin-bai,2025-12,,,7
buon-mot,tin-bai,2026-01,,,8
thon-hai,tin-bai,2026-01,,,9
buon-mot,tin-bai,2026-02,,,10
"""


def text(page: BeautifulSoup | Tag) -> str:
    return " ".join(page.get_text(" ").split())


def add_figures(project: Path, indicators: str = INDICATORS) -> None:
    (project / "data/indicators.yml").write_text(indicators, encoding="utf-8")
    (project / "data/targets.yml").write_text(
        "- indicator: ty-le\n  year: 2026\n  value: 80\n  illustrative: true\n",
        encoding="utf-8")
    (project / "data/observations").mkdir()
    rows = "".join(f"{line},Báo cáo thôn,\n" for line in FIGURES.splitlines())
    (project / "data/observations/so-lieu.csv").write_text(
        "locality,indicator,period,numerator,denominator,value,source,note\n" + rows,
        encoding="utf-8")


@pytest.fixture
def reported(project: Path, tmp_path: Path) -> Built:
    add_figures(project)
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    return built


def figures(built: Built, url: str) -> dict[str, dict[str, str]]:
    """A report's table as the reader sees it: indicator -> column -> text."""
    table = built.html(url).select_one("table")
    columns = [th.get_text(strip=True) for th in table.select("thead th")]
    return {row.th.get_text(strip=True): dict(zip(columns[1:], (td.get_text(" ", strip=True)
                                                                for td in row.select("td")),
                                                  strict=True))
            for row in table.select("tbody tr")}


def test_every_period_the_figures_cover_has_a_report_listed_on_the_index(reported: Built) -> None:
    index = reported.html("so-lieu/bao-cao/")
    links = [a.get_text(" ", strip=True) for a in index.select("main ul a")
             if "/bao-cao/" in a["href"]]
    assert links == ["Báo cáo năm 2026", "Báo cáo năm 2025",
                     "Báo cáo 6 tháng đầu năm 2026", "Báo cáo 6 tháng cuối năm 2025",
                     "Báo cáo quý 1/2026", "Báo cáo quý 4/2025",
                     "Báo cáo tháng 2/2026", "Báo cáo tháng 1/2026", "Báo cáo tháng 12/2025",
                     "Báo cáo tháng 11/2025"]
    for link in index.select("main ul a"):
        assert reported.exists("so-lieu/bao-cao/" + link["href"].rstrip("/").split("/")[-1] + "/")
    # the quarter still running says how far its figures go
    assert "Báo cáo quý 1/2026 (chưa hết kỳ, số liệu đến 28/02/2026)" in text(index)
    assert "Báo cáo quý 4/2025 (" not in text(index)
    english = reported.html("en/data/reports/")
    assert english.h1.get_text() == "Reports by period"
    assert reported.html("en/data/reports/2025-h2/").h1.get_text() == \
        "Report for the second half of 2025"
    # the data pages lead to the index
    assert reported.html("so-lieu/").select_one('.data-links a[href$="/bao-cao/"]')


def test_a_period_is_built_from_its_months_by_kind_of_indicator(reported: Built) -> None:
    quarter = figures(reported, "so-lieu/bao-cao/2025-q4/")
    # the percentage of December, recomputed from both villages' people (230 / 500): not the
    # average of the villages (40%) nor of the months (28%)
    assert quarter["Người dân có kỹ năng số"]["Kết quả"] == "46,0%"
    assert quarter["Lớp học đã tổ chức trong năm"]["Kết quả"] == "7"  # December's running count
    assert quarter["Tin bài đăng trong tháng"]["Kết quả"] == "22"  # 5 + 4 + 6 + 7
    assert figures(reported, "so-lieu/bao-cao/2025/") == quarter  # the same months
    month = figures(reported, "so-lieu/bao-cao/2025-12/")
    assert month["Tin bài đăng trong tháng"]["Kết quả"] == "13"
    assert month["Người dân có kỹ năng số"]["Kết quả"] == "46,0%"
    # across the year boundary the running count restarts; January is a year of its own
    year = figures(reported, "so-lieu/bao-cao/2026/")
    # February: Buôn Một's 2, and Thôn Hai's January 1 carried forward (it cannot have
    # fallen), as the note says
    classes = year["Lớp học đã tổ chức trong năm"]
    assert classes["Kết quả"] == "3"
    assert classes["Ghi chú"] == "1/2 địa phương có số liệu; chưa báo cáo kỳ này, " \
        "tạm giữ số kỳ trước: Thôn Hai (minh họa) (tháng 1/2026)"
    assert year["Tin bài đăng trong tháng"]["Kết quả"] == "27"  # 8 + 9 + 10


def test_a_report_states_unit_period_date_sources_and_who_has_not_reported(
        reported: Built) -> None:
    page = reported.html("so-lieu/bao-cao/2026-q1/")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in page.select("dl.report-facts dt")}
    assert facts == {"Đơn vị báo cáo": "Xã Ea Trang", "Kỳ báo cáo": "quý 1/2026",
                     "Số liệu tính đến hết ngày": "28/02/2026"}
    assert "Kỳ báo cáo chưa kết thúc: số liệu mới có đến hết ngày 28/02/2026." in text(page)
    section = page.select_one("section#ty-le").get_text(" ", strip=True)
    assert "Chưa báo cáo: Thôn Hai (minh họa)" in section
    assert "Nguồn số liệu Báo cáo của thôn" in section
    assert "Ghi trong bảng số liệu Báo cáo thôn" in section
    rows = figures(reported, "so-lieu/bao-cao/2026-q1/")
    assert rows["Người dân có kỹ năng số"]["Ghi chú"] == "1/2 địa phương có số liệu"
    assert rows["Tin bài đăng trong tháng"]["Ghi chú"] == "1/2 địa phương có số liệu"
    finished = reported.html("so-lieu/bao-cao/2025-q4/")
    assert "Chưa báo cáo: không có" in text(finished.select_one("section#ty-le"))
    assert "chưa kết thúc" not in text(finished)


def test_a_change_is_shown_only_between_whole_periods(reported: Built) -> None:
    december = figures(reported, "so-lieu/bao-cao/2025-12/")
    assert december["Người dân có kỹ năng số"]["So với kỳ trước"] == "+36,0%"  # 10% -> 46%
    assert december["Lớp học đã tổ chức trong năm"]["So với kỳ trước"] == "+4"
    # February: Thôn Hai has not reported, so the change is over Buôn Một alone, which says
    # so: no fall from 17 posts to 10, nor from 2 classes to 2
    february = figures(reported, "so-lieu/bao-cao/2026-02/")
    both = " (1/2 địa phương có số liệu cả hai kỳ)"
    assert february["Người dân có kỹ năng số"]["So với kỳ trước"] == "+5,0%" + both  # 35->40
    assert february["Lớp học đã tổ chức trong năm"]["So với kỳ trước"] == "+1" + both
    assert february["Tin bài đăng trong tháng"]["So với kỳ trước"] == "+2" + both  # 8 -> 10
    # a quarter not over yet is compared with nothing
    assert {row["So với kỳ trước"] for row in figures(
        reported, "so-lieu/bao-cao/2026-q1/").values()} == {"–"}
    # the quarter after the first one the figures cover is compared with nothing earlier...
    assert {row["So với kỳ trước"] for row in figures(
        reported, "so-lieu/bao-cao/2025-q4/").values()} == {"–"}
    # ... and January against December, across the year, compares two whole months
    january = figures(reported, "so-lieu/bao-cao/2026-01/")
    assert january["Người dân có kỹ năng số"]["So với kỳ trước"] == "+5,0%"  # 46% -> 51%
    # a running count restarts in January: what was added is all of it, not 7 -> 2
    assert january["Lớp học đã tổ chức trong năm"]["So với kỳ trước"] == "+2"
    assert january["Tin bài đăng trong tháng"]["So với kỳ trước"] == "+4"  # 13 -> 17 posts


def test_the_open_data_says_which_counts_are_made_anew_each_month(reported: Built) -> None:
    with (reported.site / "open-data/indicators.csv").open(encoding="utf-8-sig") as handle:
        per = {row["id"]: row["per"] for row in csv.DictReader(handle)}
    assert per == {"ty-le": "", "lop-hoc": "", "tin-bai": "month"}


@pytest.mark.parametrize("per", ["year", "tháng", "[month]"])
def test_an_unknown_way_of_counting_is_named(project: Path, per: str) -> None:
    add_figures(project, INDICATORS.replace("  per: month", f"  per: {per}"))
    result = check(project)
    assert result.code == 1
    assert "data/indicators.yml:8 [per]" in result.out, result.out
    assert "Choose one of: month" in result.out
    assert "1 error" in result.out or "1 lỗi" in result.out  # its figures are not refused too


# ---------------------------------------------------------------- the example portal -----

def test_the_example_reports_name_their_plan_and_missing_localities(example: Built) -> None:
    page = example.html("so-lieu/bao-cao/2026-10/")
    assert page.h1.get_text() == "Báo cáo tháng 10/2026"
    facts = page.select_one("dl.report-facts").get_text(" ", strip=True)
    assert "Đơn vị báo cáo Tỉnh Tuyên Quang" in facts and "31/10/2026" in facts
    section = page.select_one("section#vneid-xac-nhan")
    assert "Chưa báo cáo: Xã Chiêm Hóa" in text(section)
    assert section.select_one('a[href*="ke-hoach-tuyen-quang-2025"]')
    # one commune missing: October's cumulative count shows no fall against September, only
    # what the eight communes that reported both months added
    rows = figures(example, "so-lieu/bao-cao/2026-10/")
    assert rows["Lớp học Bình dân học vụ số đã tổ chức trong năm"]["So với kỳ trước"] == \
        "+6 (8/9 địa phương có số liệu cả hai kỳ)"
    for url in ("so-lieu/bao-cao/", "so-lieu/bao-cao/2026-h1/", "so-lieu/bao-cao/2025/",
                "en/data/reports/2026-q3/"):
        assert example.exists(url), url


def data_pages(example: Built) -> list[str]:
    """Every page with a data table or the list of reports, in both languages: the dashboard,
    each indicator, each report, each locality."""
    found = []
    for path in sorted(example.site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'class="table-wrap"' in html or 'class="report-list"' in html:
            found.append(path.parent.relative_to(example.site).as_posix() + "/")
    return found


def test_every_data_page_fits_a_phone_with_its_status_in_view(  # type: ignore[no-untyped-def]
        browser, example: Built, example_url: str) -> None:
    pages = data_pages(example)
    assert len(pages) >= 2 * (1 + 10 + 1 + 25)  # dashboard, indicators, index, reports
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    try:
        for path in pages:
            phone.goto(example_url + path)
            phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
            statuses = phone.locator("table td .status")
            for index in range(statuses.count()):
                box = statuses.nth(index).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], \
                    f"{path}: status {index} at {box}"
            assert statuses.count() == phone.locator("table tbody tr").count(), path
    finally:
        context.close()


def test_a_phone_still_reads_a_table(browser, example_url: str) -> None:  # type: ignore[no-untyped-def]
    """The cards are a table for screen readers: rows, cells, each under its column."""
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    try:
        phone.goto(example_url + "so-lieu/bao-cao/2026-q3/")
        session = context.new_cdp_session(phone)
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        context.close()
    roles = [n.get("role", {}).get("value") for n in nodes if not n.get("ignored")]
    assert roles.count("table") == 1
    assert roles.count("columnheader") == 7
    assert roles.count("rowheader") == 10 and roles.count("cell") == 60


def test_every_report_prints_on_a4_portrait_without_clipping(  # type: ignore[no-untyped-def]
        browser, example: Built, example_url: str) -> None:
    reports = [p for p in data_pages(example) if re.search(r"/(bao-cao|reports)/\d{4}", p)]
    # 15 months (November so far: the site counts its own posts), 6 quarters, 3 halves, 2 years
    assert len(reports) == 2 * 26
    context = browser.new_context(viewport={"width": PRINTED_WIDTH, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    try:
        for path in reports:
            page.goto(example_url + path)
            widths = page.evaluate(
                "Array.from(document.querySelectorAll('table'), t => t.scrollWidth)")
            assert widths and max(widths) <= PRINTED_WIDTH, f"{path}: tables {widths}"
            page_width = page.evaluate("document.scrollingElement.scrollWidth")
            assert page_width <= PRINTED_WIDTH, f"{path}: {page_width}px"
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    sizes = [(float(w), float(h)) for w, h in PDF_PAGE_SIZE.findall(pdf)]
    assert sizes and all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sizes), \
        sizes  # A4 portrait in points (210 x 297 mm)
