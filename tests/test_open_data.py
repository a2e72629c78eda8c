"""Open data that opens right: every CSV download read the way a spreadsheet reads it (raw
bytes, byte-order mark, then CSV), text that would run as a formula neutralised, numbers left
numbers, an `illustrative` column that agrees with the JSON, and docs/open-data.md true to the
files."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from test_progress import add_data, fixture_progress, seen

from binhdan.common.problems import Problems
from binhdan.model.i18n import Localizer, load_labels
from binhdan.outputs import opendata
from binhdan.outputs.opendata import FORMULA_STARTS, spreadsheet_csv
from binhdan.plan.portal import OPEN_DATA_COLUMNS
from conftest import FIXTURES, ROOT, Built, build, copy_example

DOC = ROOT / "docs/open-data.md"


def spreadsheet(path: Path) -> list[dict[str, str]]:
    """The rows as Excel shows them on a double-click: it needs the UTF-8 byte-order mark to
    read the rest as UTF-8 ("Cán bộ", not "CÃ¡n bá»™")."""
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8), f"{path.name} has no UTF-8 byte-order mark"
    rows = list(csv.reader(io.StringIO(raw[len(codecs.BOM_UTF8):].decode("utf-8"),
                                       newline="")))
    name = path.stem
    assert rows[0] == list(OPEN_DATA_COLUMNS[name]), name
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_agrees(name: str, csv_rows: list[dict[str, str]], json_rows: list[dict[str, Any]]
                  ) -> None:
    """Each CSV cell is the JSON value as a spreadsheet should get it, and no text cell can
    start a formula."""
    assert len(csv_rows) == len(json_rows), name
    for number, (cells, values) in enumerate(zip(csv_rows, json_rows, strict=True), 2):
        for column, cell in cells.items():
            value = values[column]
            where = f"{name}.csv:{number} [{column}] {cell!r}"
            if cell.startswith(FORMULA_STARTS):
                assert is_number(cell) and not isinstance(value, str), where
            if value is None:
                assert cell == "", where
            elif isinstance(value, bool):
                assert cell == str(value), where
            elif isinstance(value, int | float):
                assert float(cell) == value, where
            else:
                neutralised = "'" + value if value.startswith(FORMULA_STARTS) else value
                assert cell == neutralised, where


def published(site: Path) -> dict[str, list[dict[str, str]]]:
    """Every CSV download as a spreadsheet reads it, checked against its JSON twin."""
    tables = {}
    for name in OPEN_DATA_COLUMNS:
        as_json = json.loads((site / f"open-data/{name}.json").read_text(encoding="utf-8"))
        tables[name] = spreadsheet(site / f"open-data/{name}.csv")
        assert_agrees(name, tables[name], as_json["rows"])
        assert as_json["illustrative"] is any(row["illustrative"] for row in as_json["rows"])
    return tables


def test_every_csv_opens_in_a_spreadsheet_and_agrees_with_the_json(example: Built) -> None:
    tables = published(example.site)
    # Vietnamese text and numbers as a spreadsheet reads them
    staff = next(r for r in tables["indicators"] if r["id"] == "can-bo-ky-nang-so")
    assert staff["name_vi"] == "Cán bộ, công chức, viên chức có kỹ năng số phục vụ công việc"
    first = tables["observations"][0]
    assert (first["numerator"], first["denominator"], first["value"]) == (
        "59.0", "150.0", "39.3333")
    # "illustrative" says what the pages say: borrowed indicators (and their targets),
    # invented figures on this example site, tasks whose status is invented
    declared = yaml.safe_load((ROOT / "data/indicators.yml").read_text(encoding="utf-8"))
    borrowed = {i["id"] for i in declared if i.get("illustrative")}
    assert len(borrowed) == 5
    assert {r["id"] for r in tables["indicators"] if r["illustrative"] == "True"} == borrowed
    assert {r["illustrative"] for r in tables["targets"] if r["indicator"] in borrowed} \
        == {"True"}
    # a target of the unit's own indicator is illustrative when targets.yml marks it so
    made_up = {(t["indicator"], t.get("locality")) for t in yaml.safe_load(
        (ROOT / "data/targets.yml").read_text(encoding="utf-8")) if t.get("illustrative")}
    assert {(r["indicator"], r["locality"], r["illustrative"]) for r in tables["targets"]
            if r["indicator"] not in borrowed and r["illustrative"] == "True"} \
        == {(indicator, locality, "True") for indicator, locality in made_up
            if indicator not in borrowed}
    assert made_up and any(r["illustrative"] == "False" for r in tables["targets"])
    assert {r["illustrative"] for r in tables["observations"]} == {"True"}
    assert {r["illustrative"] for r in tables["tasks"]} == {"True"}


def test_text_that_a_spreadsheet_would_run_is_neutralised(project: Path, tmp_path: Path
                                                          ) -> None:
    add_data(project, 'buon-mot,ty-le,2026-06,250,1000,,"=HYPERLINK(""http://x.example"",'
                      '""Cán bộ"")",+84 207 000 0000\n'
                      "thon-hai,ty-le,2026-06,300,1000,,@SUM(A1),-5 so với tháng trước\n"
                      "buon-mot,lop-hoc,2026-06,,,3,Báo cáo thôn,Lớp học\n")
    indicators = project / "data/indicators.yml"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(
        "{vi: Lớp học, en: Classes}", '{vi: "-Lớp học", en: "=1+2"}'), encoding="utf-8")
    (project / "data/tasks.yml").write_text(
        '- id: mo-lop\n  text: {vi: "\\t=cmd|\' /C calc\'!A0", en: "\\rOpen classes"}\n'
        "  lead: '@UBND xã'\n  deadline: 2026-12-31\n  status: in-progress\n",
        encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    tables = published(built.site)
    observations = {(r["indicator"], r["locality"]): r for r in tables["observations"]}
    first, second = observations[("ty-le", "buon-mot")], observations[("ty-le", "thon-hai")]
    assert first["source"] == "'=HYPERLINK(\"http://x.example\",\"Cán bộ\")"
    assert (first["note"], first["numerator"], first["value"]) == (
        "'+84 207 000 0000", "250.0", "25.0")
    assert (second["source"], second["note"]) == ("'@SUM(A1)", "'-5 so với tháng trước")
    # ordinary text is left alone
    assert observations[("lop-hoc", "buon-mot")]["source"] == "Báo cáo thôn"
    classes = next(r for r in tables["indicators"] if r["id"] == "lop-hoc")
    assert (classes["name_vi"], classes["name_en"]) == ("'-Lớp học", "'=1+2")
    task = tables["tasks"][0]
    assert (task["text_vi"], task["text_en"], task["lead"]) == (
        "'\t=cmd|' /C calc'!A0", "'\rOpen classes", "'@UBND xã")
    as_json = json.loads((built.site / "open-data/tasks.json").read_text(encoding="utf-8"))
    assert as_json["rows"][0]["lead"] == "@UBND xã"  # programs get the text as written


def test_numbers_stay_numbers_even_negative_ones() -> None:
    text = spreadsheet_csv(("figure", "text", "empty"),
                           [{"figure": -3.5, "text": "-3.5", "empty": None},
                            {"figure": 0, "text": "=1+1", "empty": ""}])
    assert text == "\ufefffigure,text,empty\r\n-3.5,'-3.5,\r\n0,'=1+1,\r\n"


def test_a_figure_that_is_not_a_number_never_reaches_the_json() -> None:
    """The door refuses nan and inf (test_progress); should one slip past, the JSON writer
    stops rather than publish `NaN`, which no JSON reader accepts."""
    progress = fixture_progress([seen("ty-le", "buon-mot", "2026-06", float("nan"))], [])
    site = progress.site
    labels = load_labels(site, FIXTURES / "ea-trang/data", Problems())
    localizers = {code: Localizer(site, site.language(code), labels[code])
                  for code in site.language_codes}
    portal = SimpleNamespace(progress=progress, site=site, today=date(2026, 11, 21),
                             localizers=localizers)
    with pytest.raises(ValueError, match="not JSON compliant"):
        opendata.files(portal)  # type: ignore[arg-type]


def doc_tables() -> dict[str, list[str]]:
    """The first column of the table under each `### name` heading of docs/open-data.md."""
    parts = re.split(r"^(#+ .*)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {heading.removeprefix("### "): re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M)
            for heading, body in zip(parts[1::2], parts[2::2], strict=True)
            if heading.startswith("### ")}


def test_the_open_data_docs_describe_the_files_as_published(example: Built) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert doc_tables() == {name: list(c) for name, c in OPEN_DATA_COLUMNS.items()}
    sample = json.loads(re.search(r"```json\n(.*?)```", text, flags=re.S).group(1))
    assert list(sample["rows"][0]) == list(OPEN_DATA_COLUMNS["observations"])
    published = {name: (example.site / f"open-data/{name}.csv").read_text("utf-8-sig")
                 for name in OPEN_DATA_COLUMNS}
    quoted_rows = [q for q in re.findall(r"`([^`\n]+)`", text) if q.count(",") >= 4]
    assert quoted_rows
    for row in quoted_rows:  # a row quoted in the docs is a row of a published file
        assert any(f"\n{row}\n" in csv_text for csv_text in published.values()), row
    page = example.html("so-lieu/du-lieu-mo/")
    listed = [[dt.get_text() for dt in section.select("dt")]
              for section in page.select("section") if section.select("dt")]
    assert listed == [list(columns) for columns in OPEN_DATA_COLUMNS.values()]


def test_a_corrected_plan_number_reaches_the_open_data_of_the_next_build(
        example: Built, tmp_path: Path) -> None:
    """Open data is kept between builds by what it is made from: the number of a plan that
    targets cite is content, not data, and a correction must not leave the old citation."""
    project = copy_example(tmp_path / "project")
    site = tmp_path / "site"
    assert build(project, site).result.code == 0
    plan = project / "content/documents/ke-hoach-thanh-hoa-2026.vi.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "number: …-KH/TU", "number: 58-KH/TU"), encoding="utf-8")
    assert build(project, site).result.code == 0
    targets = (site / "open-data/targets.csv").read_text(encoding="utf-8-sig")
    assert "58-KH/TU" in targets and "…-KH/TU" not in targets
