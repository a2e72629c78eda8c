"""Figures the site computes itself (binhdan/figures/computed.py): posts per month per locality and
classes held, counted from what the site has published, shown and downloaded like typed
figures, and never typed by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from binhdan.figures.computed import Rule, running_totals
from binhdan.model.content import Item
from binhdan.model.schema import NEWS
from binhdan.model.site import Term
from conftest import ROOT, TODAY, Built, build, check, run

INDICATORS = """\
- id: tin-bai
  name: {vi: Tin bài đã đăng, en: Posts published}
  unit: count
  computed: {from: items, types: [news, story], per: month}
- id: tin-bai-quy
  name: {vi: Tin bài đã đăng theo quý, en: Posts published by quarter}
  unit: count
  computed: {from: items, types: [news, story], per: quarter}
- id: lop-hoc
  name: {vi: Lớp học đã tổ chức, en: Classes held}
  unit: count
  computed: {from: events, kind: lop-hoc}
- id: nguoi-dan
  name: {vi: Người dân có kỹ năng số, en: Residents with digital skills}
  unit: percent
"""
LOCALITIES = ("ea-trang", "buon-mot", "thon-hai")  # the commune and its two villages


def write(project: Path, path: str, fields: dict[str, object], body: str = "Nội dung.") -> None:
    target = project / "content" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    target.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")


def news(project: Path, name: str, day: str, localities: list[str] | None = None,
         **extra: object) -> None:
    fields: dict[str, object] = {"title": f"Tin {name}", "date": day, "summary": "Tóm tắt."}
    if localities is not None:
        fields["localities"] = localities
    write(project, f"news/{name}.vi.md", {**fields, **extra})


def event(project: Path, name: str, published: str, start: str, localities: list[str],
          **extra: object) -> None:
    write(project, f"events/{name}.vi.md", {
        "title": f"Sự kiện {name}", "date": published, "summary": "Tóm tắt.",
        "localities": localities, "start": start, "place": "Nhà văn hóa", **extra})


def counted_site(project: Path, out: Path, today: str = TODAY) -> dict[tuple[str, str, str],
                                                                       float]:
    """The hand-made items below, built on `today`: (indicator, locality, period) -> figure,
    as the open data gives it. Besides these, the fixture has a news item for buon-mot
    (2026-06-05), a story for thon-hai (2026-07-01), guides, and an event of no kind."""
    (project / "data" / "indicators.yml").write_text(INDICATORS, encoding="utf-8")
    news(project, "thang-12", "2025-12-20", ["buon-mot"])
    news(project, "dau-nam", "2026-01-05", ["buon-mot"])
    news(project, "hai-ngon-ngu", "2026-01-31", ["thon-hai"])  # one item in two languages
    write(project, "news/hai-ngon-ngu.en.md", {"title": "Two languages", "summary": "Summary."})
    write(project, "stories/hai-thon.vi.md", {
        "title": "Hai thôn", "date": "2026-02-10", "summary": "Tóm tắt.",
        "localities": ["buon-mot", "thon-hai"], "model": "thon-so-tieu-bieu"})
    news(project, "ca-xa", "2026-02-14")  # no locality: the whole commune
    news(project, "ca-xa-ghi-ro", "2026-02-15", ["ea-trang"])  # the commune named
    news(project, "ban-nhap", "2026-02-20", ["buon-mot"], draft=True)
    news(project, "hen-ngay", "2026-12-01", ["thon-hai"])  # scheduled
    event(project, "lop-cuoi-nam", "2025-12-01", "2025-12-31 23:00", ["buon-mot"],
          event_kind="lop-hoc")
    # 00:30 on 1 April in Vietnam is still 31 March in UTC: it is an April class
    event(project, "lop-thang-4", "2026-03-20", "2026-04-01 00:30", ["thon-hai"],
          event_kind="lop-hoc")
    event(project, "lop-sap-toi", "2026-11-10", "2026-11-30 08:00", ["buon-mot"],
          event_kind="lop-hoc")  # announced, not held yet
    event(project, "ngay-hoi", "2026-04-20", "2026-05-01 08:00", ["buon-mot"],
          event_kind="ngay-hoi")  # not a class
    event(project, "lop-nhap", "2026-04-20", "2026-05-02 08:00", ["buon-mot"],
          event_kind="lop-hoc", draft=True)
    event(project, "lop-dang-sau", "2026-12-01", "2026-06-10 08:00", ["buon-mot"],
          event_kind="lop-hoc")  # held in June, its page scheduled for 1 December
    built = build(project, out, BINHDAN_TODAY=today)
    assert built.result.code == 0, built.result.out
    rows = json.loads((out / "open-data" / "observations.json").read_text("utf-8"))["rows"]
    computed = [row for row in rows if row["indicator"] != "nguoi-dan"]
    assert {row["source"] for row in computed} == {
        "Cổng thông tin này (tự đếm những gì đã đăng)"}
    running = date.fromisoformat(today)  # the period still running says so
    assert {row["note"] for row in computed if row["period"] in (
        f"{running.year}-{running.month:02d}", f"{running.year}-Q{(running.month + 2) // 3}")
            } == {f"Tính đến ngày {running:%d/%m/%Y}"}
    assert not {row["note"] for row in computed if row["period"] < "2026-10"} - {""}
    return {(row["indicator"], row["locality"], row["period"]): row["value"]
            for row in computed}


def months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    labels = []
    while f"{year}-{month:02d}" <= last:
        labels.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def table(indicator: str, figures: dict[str, tuple[int, int, int]], last: str = "2026-11"
          ) -> dict[tuple[str, str, str], float]:
    """Figures for (the commune, buon-mot, thon-hai), each from the month it is listed
    under until the next listed month, and the last through `last`."""
    starts = sorted(figures)
    result = {}
    for label in months(starts[0], last):
        current = max(start for start in starts if start <= label)
        for locality, value in zip(LOCALITIES, figures[current], strict=True):
            result[indicator, locality, label] = value
    return result


def only(figures: dict[tuple[str, str, str], float], indicator: str
         ) -> dict[tuple[str, str, str], float]:
    return {key: value for key, value in figures.items() if key[0] == indicator}


def test_posts_are_counted_per_month_and_locality(project: Path, tmp_path: Path) -> None:
    """Running totals from January, by publication date; a draft and a scheduled item not
    counted; a translation counted once; an item for two villages counts for each and once
    for the commune; an item for the whole commune counts for the commune only."""
    figures = counted_site(project, tmp_path / "site")
    assert only(figures, "tin-bai") == table("tin-bai", {
        "2025-12": (1, 1, 0),
        "2026-01": (2, 1, 1),  # restarted in January; the item in two languages once
        "2026-02": (5, 2, 2),  # two villages' story, and two items for the whole commune
        "2026-06": (6, 3, 2),  # the fixture's news item for buon-mot
        "2026-07": (7, 3, 3),  # the fixture's story for thon-hai; through November
    })
    assert only(figures, "tin-bai-quy") == {
        ("tin-bai-quy", locality, quarter): value
        for quarter, values in (("2025-Q4", (1, 1, 0)), ("2026-Q1", (5, 2, 2)),
                                ("2026-Q2", (6, 3, 2)), ("2026-Q3", (7, 3, 3)),
                                ("2026-Q4", (7, 3, 3)))
        for locality, value in zip(LOCALITIES, values, strict=True)}


def test_an_item_counts_once_for_each_level_above_what_it_names() -> None:
    """Province > commune > village: a village's item counts for its commune and the
    province too, once each, even when it also names the commune."""
    tree = {"tinh": None, "xa": "tinh", "thon-a": "xa", "thon-b": "xa", "xa-khac": "tinh"}
    localities = {code: Term(code, {"vi": code}, extra={"parent": parent} if parent else {})
                  for code, parent in tree.items()}
    items = [Item(NEWS, f"news/{n}", "vi", f"news/{n}.vi.md", f"content/news/{n}.vi.md",
                  {"title": n, "date": date(2026, 3, n), "localities": named}, "")
             for n, named in ((1, ["thon-a"]), (2, ["thon-a", "xa"]), (3, ["thon-b", "xa-khac"]),
                              (4, []))]
    figures = {locality: total for locality, period, total in running_totals(
        Rule("items", ("news",), None, "month"), items, localities, date(2026, 3, 31))}
    assert figures == {"tinh": 4, "xa": 3, "thon-a": 2, "thon-b": 1, "xa-khac": 1}


def test_classes_held_are_counted_by_the_day_they_start(project: Path, tmp_path: Path
                                                        ) -> None:
    """Events of the kind only, in the month of their start in Vietnam time, once held and
    once their page is published; the count restarts in January."""
    figures = counted_site(project, tmp_path / "site")
    assert only(figures, "lop-hoc") == table("lop-hoc", {
        "2025-12": (1, 1, 0),
        "2026-01": (0, 0, 0),
        "2026-04": (1, 0, 1),  # 1 April 00:30 in Vietnam
    })


def test_scheduled_items_and_classes_count_from_their_day(project: Path, tmp_path: Path
                                                          ) -> None:
    figures = counted_site(project, tmp_path / "site", today="2026-12-02")
    assert only(figures, "tin-bai") == table("tin-bai", {
        "2025-12": (1, 1, 0), "2026-01": (2, 1, 1), "2026-02": (5, 2, 2),
        "2026-06": (6, 3, 2), "2026-07": (7, 3, 3),
        "2026-12": (8, 3, 4),  # the scheduled news item, on its day
    }, last="2026-12")
    assert only(figures, "lop-hoc") == table("lop-hoc", {
        "2025-12": (1, 1, 0), "2026-01": (0, 0, 0), "2026-04": (1, 0, 1),
        "2026-06": (2, 1, 1),  # the June class, now that its page is published
        "2026-11": (3, 2, 1),  # the class of 30 November, now held
    }, last="2026-12")


def test_a_typed_row_for_a_computed_indicator_is_refused(project: Path, tmp_path: Path
                                                         ) -> None:
    (project / "data" / "indicators.yml").write_text(INDICATORS, encoding="utf-8")
    folder = project / "data" / "observations"
    folder.mkdir()
    rows = ("locality,indicator,period,numerator,denominator,value,source,note\n"
            "buon-mot,nguoi-dan,2026-10,40,100,,Báo cáo thôn,\n"
            "buon-mot,tin-bai,2026-10,,,14,Thống kê,\n"
            "thon-hai,lop-hoc,2026-10,,,2,Báo cáo thôn,\n")
    (folder / "2026.csv").write_text(rows, encoding="utf-8")
    result = check(project)
    assert result.code != 0
    assert "Traceback" not in result.out
    for line, indicator in ((3, "tin-bai"), (4, "lop-hoc")):
        assert f"data/observations/2026.csv:{line} [indicator]" in result.out
        assert (f"Chỉ số '{indicator}' do cổng tự đếm từ các bài đã đăng ('computed' trong "
                "data/indicators.yml), không nhập tay. Hãy xóa dòng này.") in result.out
        assert f"The site counts indicator '{indicator}' itself" in result.out
    assert "2026.csv:2" not in result.out  # a typed indicator's row is fine

    sheet = tmp_path / "thang-10.csv"  # the same rows through `binhdan import`
    sheet.write_text(rows, encoding="utf-8")
    (folder / "2026.csv").unlink()
    imported = run(["binhdan", "import", str(sheet)], project)
    assert imported.code != 0 and "Not imported" in imported.out
    assert "thang-10.csv:3 [indicator]" in imported.out
    assert not (folder / "thang-10.csv").exists()

    template = tmp_path / "mau.xlsx"  # the template offers only indicators to type in
    assert run(["binhdan", "template", str(template)], project).code == 0
    codes = [row[1] for row in load_workbook(template)["ma"].iter_rows(min_row=2,
                                                                       values_only=True)]
    assert [code for code in codes if code] == ["nguoi-dan"]


@pytest.mark.parametrize(("rule", "key", "allowed"), [
    ("computed: {from: pages, types: [news]}", "from", "items, events"),
    ("computed: news", "from", "items, events"),
    ("computed:", "from", "items, events"),
    ("computed: {from: items}", "types", "guide, news, story"),
    ("computed: {from: items, types: [news, tin-tuc]}", "types", "guide, news, story"),
    ("computed: {from: events, kind: class}", "kind", "lop-hoc, tap-huan"),
    ("computed: {from: events, kind: lop-hoc, types: [news]}", "types", "from, kind, per"),
    ("computed: {from: items, types: [news], per: week}", "per", "month, quarter"),
])
def test_a_wrong_counting_rule_is_named(project: Path, rule: str, key: str,
                                        allowed: str) -> None:
    (project / "data" / "indicators.yml").write_text(
        "- id: tin-bai\n  name: {vi: Tin bài, en: Posts}\n  unit: count\n"
        f"  {rule}\n", encoding="utf-8")
    result = check(project)
    assert result.code != 0 and "Traceback" not in result.out
    assert "data/indicators.yml:1 [computed]" in result.out
    assert f"Cách tự đếm (computed) của chỉ số này chưa đúng ở '{key}'" in result.out
    assert f"wrong at '{key}'" in result.out and allowed in result.out


@pytest.mark.parametrize(("extra", "field", "words"), [
    ("unit: percent", "unit", "hãy ghi 'unit: count' thay cho 'unit: percent'"),
    ("unit: count\n  source: {vi: Thống kê, en: Counts}", "source", "Hãy xóa dòng 'source'"),
])
def test_a_computed_indicator_is_a_count_with_the_site_as_source(
        project: Path, extra: str, field: str, words: str) -> None:
    (project / "data" / "indicators.yml").write_text(
        f"- id: tin-bai\n  name: {{vi: Tin bài, en: Posts}}\n  {extra}\n"
        "  computed: {from: items, types: [news]}\n", encoding="utf-8")
    result = check(project)
    assert result.code != 0 and "Traceback" not in result.out
    assert f"data/indicators.yml:1 [{field}]" in result.out and words in result.out


def published_posts(today: date) -> list[dict[str, object]]:
    """The example's news, stories and videos on the site on `today`, read from the files."""
    found = []
    for folder in ("news", "stories", "videos"):
        for path in sorted((ROOT / "content" / folder).glob("*.vi.md")):
            meta = yaml.safe_load(path.read_text("utf-8").split("---")[1])
            if not meta.get("draft") and meta["date"] <= today:
                found.append(meta)
    return found


def figure_rows(soup_table: object) -> dict[str, str]:
    return {row.th.get_text(strip=True): row.td.get_text(strip=True)  # type: ignore[attr-defined]
            for row in soup_table.select("tbody tr")}  # type: ignore[attr-defined]


def test_the_example_shows_the_posts_it_published(example: Built) -> None:
    """No posts are typed into the example's data: the dashboard and the indicator page
    show what the site published in 2026, for the province and for each commune."""
    assert "tin-bai-chuyen-muc" not in "".join(
        path.read_text("utf-8") for path in (ROOT / "data" / "observations").glob("*.csv"))
    posts = [meta for meta in published_posts(date.fromisoformat(TODAY))
             if meta["date"].year == 2026]  # type: ignore[union-attr]
    assert len(posts) >= 10

    dashboard = example.html("so-lieu/").select_one("section#tin-bai-chuyen-muc table")
    assert figure_rows(dashboard)["tháng 11/2026"] == str(len(posts))

    page = example.html("so-lieu/tin-bai-chuyen-muc/")
    assert "Cổng thông tin này (tự đếm những gì đã đăng)" in page.get_text()
    names = {code: term["name"]["vi"] for term in yaml.safe_load(
        (ROOT / "data" / "localities.yml").read_text("utf-8")) for code in [term["code"]]}
    shown = {}
    for caption in page.select("table caption"):
        if "Theo địa phương" in caption.get_text():
            shown = figure_rows(caption.parent)
    assert shown, "no table of localities"
    for code, name in names.items():
        if code != "tuyen-quang":
            expected = sum(code in (meta.get("localities") or []) for meta in posts)
            assert shown[name] == str(expected), name


def test_a_preview_shows_the_new_count_after_an_item_is_published(project: Path,
                                                                   tmp_path: Path) -> None:
    """`make serve` rebuilds only the pages an edit changes: a new post changes every page
    that shows the count, and the preview then equals a full build."""
    (project / "data" / "indicators.yml").write_text(INDICATORS, encoding="utf-8")
    out = tmp_path / "preview"
    assert build(project, out, dirty=True).result.code == 0
    news(project, "moi", "2026-11-20", ["buon-mot"])
    again = build(project, out, dirty=True)
    assert again.result.code == 0, again.result.out
    full = build(project, tmp_path / "full")
    assert full.result.code == 0
    for page in ("so-lieu/tin-bai/index.html", "so-lieu/index.html",
                 "so-lieu/bao-cao/2026-11/index.html", "dia-phuong/thon-hai/index.html",
                 "open-data/observations.csv"):
        assert (out / page).read_bytes() == (full.site / page).read_bytes(), page
