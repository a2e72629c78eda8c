"""Open data: every indicator, target, observation and task as CSV and JSON downloads,
each row saying whether it is illustrative (docs/open-data.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..figures.dashboard import DataView
from ..plan.portal import OPEN_DATA_COLUMNS, Portal, open_data_file


def files(portal: Portal) -> dict[str, str]:
    """CSV and JSON downloads of every indicator, target, observation and task. Each row
    says whether it is illustrative; a file is illustrative when any of its rows is."""
    progress = portal.progress
    lang = portal.site.default_language
    illustrative = progress.is_illustrative
    data = DataView(progress, portal.localizers[lang])  # sources and deadlines as written
    tables: dict[str, list[dict[str, Any]]] = {
        "indicators": [{
            "id": i.id, "name_vi": i.name.get(lang, ""), "name_en": i.name.get("en", ""),
            "unit": i.unit, "per": i.per or "", "audience": i.audience or "",
            "topic": i.topic or "",
            "source": portal.site.pick(i.source, lang), "plan": i.plan or "",
            "illustrative": illustrative(i)} for i in progress.indicators.values()],
        "targets": [{
            "indicator": t.indicator, "year": t.year, "value": t.value,
            "locality": t.locality or progress.unit, "each": t.each, "per": t.per or "",
            "due": t.deadline.isoformat(), "milestones": " ".join(
                f"{day.isoformat()}={value:g}" for day, value in t.milestones),
            "plan": t.plan or "", "section": t.section, "source": data.source(t),
            "illustrative": illustrative(t)} for t in progress.targets],
        "observations": [{
            "indicator": o.indicator, "locality": o.locality, "period": o.period.label,
            "numerator": o.numerator, "denominator": o.denominator,
            "value": round(o.value, 4), "source": o.source, "note": o.note,
            "illustrative": illustrative(o)}
            for o in sorted(progress.observations,
                            key=lambda o: (o.indicator, o.period, o.locality))],
        "tasks": [{
            "id": t.id, "text_vi": t.text.get(lang, ""), "text_en": t.text.get("en", ""),
            "lead": portal.site.pick(t.lead, lang), "deadline": data.deadline(t),
            "due": t.deadline.due.isoformat() if t.deadline.due else "",
            "locality": t.locality or "", "status": t.status,
            "overdue": t.overdue(portal.today), "evidence": t.evidence or "",
            "plan": t.plan or "", "illustrative": illustrative(t)} for t in progress.tasks],
    }
    made = {}
    for name, rows in tables.items():
        made[open_data_file(name, "csv")] = spreadsheet_csv(OPEN_DATA_COLUMNS[name], rows)
        made[open_data_file(name, "json")] = json.dumps(  # NaN is not JSON: refuse it
            {"illustrative": any(row["illustrative"] for row in rows), "rows": rows},
            ensure_ascii=False, indent=1, allow_nan=False)
    return made


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """CSV that opens right in Excel: a UTF-8 byte-order mark (without it Excel reads "Cán bộ"
    as "CÃ¡n bá»™"), and text that a spreadsheet would run as a formula prefixed with ' (it
    then shows as text). Numbers are never prefixed, so -3.5 stays a number. Lines end in
    CR LF (RFC 4180): the csv module then also quotes text holding a lone CR, which would
    otherwise split the row."""
    def cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([cell(row[column]) for column in columns] for row in rows)
    return "\ufeff" + out.getvalue()
