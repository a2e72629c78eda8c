"""`binhdan new guide "Cài đặt VNeID"`: a correctly named, commented file in every language.

Officers start from a file that already has every field of its type, each explained in
Vietnamese, with the allowed codes listed, so they fill in blanks instead of remembering the
schema. New files are drafts: nothing is published until the officer removes `draft: true`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..slugs import slugify
from .schema import (
    CONTENT_TYPES,
    KIND_WORDS,
    SAMPLE_BODY,
    SAMPLE_STEP,
    SAMPLE_TEXTS,
    ContentType,
    Field,
    Kind,
)
from .site import SiteConfig


class ScaffoldError(Exception):
    """A problem with the request (unknown type, file exists), in Vietnamese and English."""


def new_item(site: SiteConfig, content_dir: Path, type_key: str, title: str,
             today: dt.date) -> list[Path]:
    """Write one draft file per configured language; return their paths."""
    content_type = next((t for t in CONTENT_TYPES if type_key in (t.key, t.folder)), None)
    if content_type is None:
        keys = ", ".join(t.key for t in CONTENT_TYPES)
        raise ScaffoldError(f"Không có loại nội dung '{type_key}'. Chọn một trong: {keys}.\n"
                            f"There is no content type '{type_key}'. Use one of: {keys}.")
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("Tiêu đề cần có chữ. / The title needs some letters.")
    folder = content_dir / content_type.folder
    paths = [folder / f"{slug}.{lang}.md" for lang in site.site_language_codes]
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise ScaffoldError(f"Tệp đã có / Already exists: {', '.join(existing)}. Hãy chọn tiêu "
                            "đề khác hoặc sửa tệp đó. / Choose another title or edit that file.")
    folder.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(paths):
        path.write_text(_file_text(site, content_type, title, today, first=index == 0),
                        encoding="utf-8")
    return paths


def _file_text(site: SiteConfig, content_type: ContentType, title: str, today: dt.date,
               first: bool) -> str:
    lines = ["---",
             f"# {content_type.label[0]} mới. Dòng bắt đầu bằng # là ghi chú; bỏ # trước một "
             "trường để dùng nó.",
             "# Bản nháp: xóa dòng 'draft: true' ở cuối khi muốn đăng. Kiểm tra: make check"]
    if not first:
        lines.append("# Bản dịch: hãy dịch các trường chữ dưới đây; các trường dùng chung (ngày, "
                     "địa phương, ảnh...) lấy từ bản tiếng Việt.")
    # Of alternatives (a video file or a video address) the address is filled in to start.
    start_with = next((name for name in content_type.one_of
                       if (spec := content_type.field(name)) and spec.kind is Kind.URL), None)
    for spec in content_type.fields:
        if spec.name == "draft" or (not first and not spec.translatable):
            continue
        wanted = spec.required or spec.name == start_with
        lines.extend(_field_lines(site, spec, title, today, wanted))
    lines.extend(["draft: true", "---", ""])
    return "\n".join(lines) + SAMPLE_BODY


def _field_lines(site: SiteConfig, spec: Field, title: str, today: dt.date,
                 wanted: bool) -> list[str]:
    required = "bắt buộc" if spec.required else "không bắt buộc"
    comment = f"# {spec.label[0]} — {KIND_WORDS[spec.kind][0]}, {required}."
    if spec.help[0]:
        comment += f" {spec.help[0]}"
    choices = _choices(site, spec)
    if choices:
        comment += f" Dùng: {', '.join(choices[:12])}{'…' if len(choices) > 12 else ''}"
    value = _value(spec, title, today, choices)
    if spec.kind is Kind.OBJECTS:
        text = yaml.safe_dump({spec.name: value}, allow_unicode=True, sort_keys=False,
                              width=1000).rstrip("\n")
        for sub in spec.fields:  # the optional fields of an entry, commented, explained
            if not sub.required:
                example = _value(sub, title, today, [])
                scalar = yaml.safe_dump(example, allow_unicode=True, default_flow_style=True,
                                        width=1000).removesuffix("\n").removesuffix("\n...")
                text += (f"\n  # {sub.label[0]} — {KIND_WORDS[sub.kind][0]}, không bắt buộc."
                         f"\n  # {sub.name}: {scalar}")
    else:
        scalar = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000)
        text = f"{spec.name}: {scalar.removesuffix(chr(10)).removesuffix(chr(10) + '...')}"
    if not wanted:
        text = "\n".join("# " + line for line in text.split("\n"))
    return [comment, text]


def _choices(site: SiteConfig, spec: Field) -> list[str]:
    if spec.kind is Kind.CHOICE:
        return list(spec.choices)
    if spec.taxonomy:
        return sorted(site.taxonomies.get(spec.taxonomy, {}))
    return []


def _value(spec: Field, title: str, today: dt.date, choices: list[str]) -> Any:
    """A valid value for a required field, an example for an optional one."""
    if spec.name == "title":
        return title
    if spec.kind is Kind.DATE:
        return today
    if spec.kind is Kind.DATETIME:
        return f"{today.isoformat()} 08:00"
    if spec.kind is Kind.BOOL:
        return True
    if spec.kind is Kind.INT:
        return spec.example if isinstance(spec.example, int) else 10
    if spec.kind is Kind.URL:
        return "https://dichvucong.gov.vn/"
    if spec.kind in (Kind.CHOICE, Kind.REF):
        return choices[0] if choices else ""
    if spec.kind is Kind.REFS:
        return choices[:1]
    if spec.kind is Kind.FILE:
        return f"ten-tep{spec.extensions[0] if spec.extensions else ''}"
    if spec.kind is Kind.TEXTS:
        return ["..."]
    if spec.kind is Kind.OBJECTS:
        return [{f.name: _value(f, SAMPLE_STEP, today, []) for f in spec.fields if f.required}]
    if spec.example is not None:
        return spec.example
    return SAMPLE_TEXTS.get(spec.name, "...")
