"""The web editor under /admin/: Decap CMS, self-hosted, in Vietnamese, committing to git.

Its collections are generated from `schema.py` (one per content type, the same fields, kinds,
required flags, choices and taxonomies as the validator), so what an officer can type in the
browser and what `binhdan check` accepts never drift apart. Every save is a git commit that
the build and CI check like any other edit.

The Decap bundle is vendored in `binhdan/vendor/decap-cms/` (see its README.md): builds work
offline and /admin/ loads no script from another host.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import yaml

from .. import VENDOR_DIR
from ..common.cache import Store
from ..model.schema import (
    AUDIO_EXTENSIONS,
    CONTENT_TYPES,
    DATE,
    DOCUMENT_EXTENSIONS,
    IMAGE_EXTENSIONS,
    TAXONOMIES_BY_KEY,
    ContentType,
    Field,
    Kind,
)
from ..model.site import ID_PATTERN, CmsSettings
from ..plan.portal import EDITOR_FOLDER, Portal

DECAP_DIR = VENDOR_DIR / "decap-cms"
VENDOR_README = "README.md"  # for developers (what the bundle is, how to update it): not published
UI_LANGUAGE = "vi"  # the editor speaks to Vietnamese officers, whatever the site's languages
DATE_FORMAT = "YYYY-MM-DD"  # dayjs tokens; dates.parse_date reads 2026-10-10
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"  # dates.parse_datetime reads 2026-10-10 08:00
URL_PATTERN = r"^https?://[^\s/]+"
# Booleans whose absence means true to the build (pages.py: a page is in the menu unless
# `nav: false`); the others mean false when left out.
TRUE_WHEN_ABSENT = ("nav",)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: rebuilds stay fast


def config(portal: Portal) -> dict[str, Any]:
    """The Decap CMS configuration (config.yml) for this site."""
    site = portal.site
    settings = site.cms or CmsSettings("git-gateway", local_backend=True)
    backend: dict[str, Any] = {"name": settings.backend, "branch": settings.branch}
    for key in ("repo", "api_root", "base_url", "auth_endpoint", "app_id"):
        if getattr(settings, key):
            backend[key] = getattr(settings, key)
    if settings.app_id and settings.backend == "gitlab":
        backend["auth_type"] = "pkce"
    content_rel = portal.content_dir.relative_to(site.root).as_posix()
    result: dict[str, Any] = {
        "locale": UI_LANGUAGE,
        "backend": backend,
        "local_backend": settings.local_backend,
        "publish_mode": "editorial_workflow" if settings.review else "simple",
        "site_url": portal.site_url or None,
        "display_url": portal.site_url or None,
        # The media page's uploads; fields and Markdown bodies keep files next to their item.
        "media_folder": f"{content_rel}/uploads",
        "public_folder": "/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "i18n": {"structure": "multiple_files", "locales": site.site_language_codes,
                 "default_locale": site.default_language},
        "collections": [_collection(portal, content_type, content_rel)
                        for content_type in CONTENT_TYPES],
    }
    return {key: value for key, value in result.items() if value is not None}


def _collection(portal: Portal, content_type: ContentType, content_rel: str) -> dict[str, Any]:
    names = content_type.field_names
    collection: dict[str, Any] = {
        "name": content_type.key,
        "label": content_type.label[0],
        "label_singular": content_type.label[0],
        "folder": f"{content_rel}/{content_type.folder}",
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        "i18n": True,
        "media_folder": "images",
        "public_folder": "images",
        "fields": [*(_field(portal, content_type, spec) for spec in content_type.fields),
                   _body(content_type)],
    }
    # "Xem bản hoàn chỉnh" opens the published page (first language; pages.Urls.item).
    words = portal.localizers[portal.site.default_language]
    collection["preview_path"] = "{{slug}}/" if content_type.key == "page" else \
        f"{words.path(content_type.key)}/{{{{slug}}}}/"
    if content_type.sort_field in names:
        collection["sortable_fields"] = [content_type.sort_field, "title"]
    if "draft" in names:
        collection["view_filters"] = [{"label": "Bản nháp", "field": "draft", "pattern": True}]
    return collection


def _body(content_type: ContentType) -> dict[str, Any]:
    """The Markdown after the front matter (Decap's `body` field)."""
    body: dict[str, Any] = {"name": "body", "label": "Nội dung", "widget": "markdown",
                            "required": content_type.body is not None, "i18n": True}
    if content_type.body:
        body["hint"] = "Bắt buộc: " + content_type.body[0]
    return body


def _field(portal: Portal, content_type: ContentType, spec: Field,
           shared: bool = False) -> dict[str, Any]:
    """One schema field as a Decap widget. Shared fields (not translatable, or inside a
    shared list) are edited in the first language only and left out of translations, which
    inherit them (content.py). Not Decap's `duplicate`: it would copy them into every
    translation file, where a later edit of the original by hand makes them disagree, and
    its list widget accepts only true/false."""
    shared = shared or not spec.translatable
    result: dict[str, Any] = {"name": spec.name, "label": spec.label[0],
                              "required": spec.required, "i18n": not shared}
    result.update(_widget(portal, content_type, spec, shared))
    hint = _hint(content_type, spec)
    if hint:
        result["hint"] = hint
    return result


def _widget(portal: Portal, content_type: ContentType, spec: Field,
            shared: bool) -> dict[str, Any]:
    kind = spec.kind
    if kind is Kind.TEXT:
        if spec.name == "slug":
            return {"widget": "string", "pattern": [
                ID_PATTERN.pattern, "Chỉ dùng chữ thường không dấu, số và dấu '-'."]}
        if spec.max_length:
            return {"widget": "string", "pattern": [
                f"^[\\s\\S]{{0,{spec.max_length}}}$", f"Tối đa {spec.max_length} ký tự."]}
        return {"widget": "string"}
    if kind is Kind.MARKDOWN:
        return {"widget": "text"}
    if kind is Kind.DATE:
        widget = {"widget": "datetime", "date_format": DATE_FORMAT, "time_format": False}
        return {**widget, "default": "{{now}}"} if spec is DATE else widget
    if kind is Kind.DATETIME:
        return {"widget": "datetime", "format": DATETIME_FORMAT}
    if kind is Kind.BOOL:
        return {"widget": "boolean", "default": spec.name in TRUE_WHEN_ABSENT}
    if kind is Kind.INT:
        return {"widget": "number", "value_type": "int"}
    if kind is Kind.URL:
        return {"widget": "string", "pattern": [
            URL_PATTERN, "Địa chỉ web phải bắt đầu bằng https:// hoặc http://"]}
    if kind is Kind.FILE:
        images = set(spec.extensions) <= set(IMAGE_EXTENSIONS)
        folder = _media_folder(spec.extensions)
        return {"widget": "image" if images else "file", "media_folder": folder,
                "public_folder": folder, "choose_url": False}
    if kind is Kind.CHOICE:
        labels = portal.localizers.get(UI_LANGUAGE) or next(iter(portal.localizers.values()))
        return {"widget": "select", "options": [
            {"label": labels.choice(spec.name, value), "value": value} for value in spec.choices]}
    if kind in (Kind.REF, Kind.REFS):
        assert spec.taxonomy
        terms = portal.site.taxonomies[spec.taxonomy].values()
        return {"widget": "select", "multiple": kind is Kind.REFS, "options": [
            {"label": portal.site.pick(term.name, UI_LANGUAGE), "value": term.id}
            for term in terms]}
    if kind is Kind.TEXTS:
        return {"widget": "list", "field": {"name": "text", "label": spec.label[0],
                                            "widget": "string"}}
    if kind is Kind.OBJECTS:
        first_text = next(f.name for f in spec.fields if f.kind is Kind.TEXT)
        return {"widget": "list", "collapsed": False, "summary": f"{{{{fields.{first_text}}}}}",
                "fields": [_field(portal, content_type, sub, shared) for sub in spec.fields]}
    raise AssertionError(f"unhandled field kind {kind}")


def _media_folder(extensions: tuple[str, ...]) -> str:
    """Where uploads go, next to the item (the example's layout): images/, audio/, files/
    (documents), media/ (video, captions)."""
    if set(extensions) <= set(IMAGE_EXTENSIONS):
        return "images"
    if set(extensions) <= set(AUDIO_EXTENSIONS):
        return "audio"
    if set(extensions) & set(DOCUMENT_EXTENSIONS):
        return "files"
    return "media"


def _hint(content_type: ContentType, spec: Field) -> str:
    """What the validator will insist on, said before saving rather than after."""
    parts = [spec.help[0]] if spec.help[0] else []
    if spec.kind is Kind.FILE:
        parts.append("Tệp " + ", ".join(spec.extensions) + ".")
    if spec.kind in (Kind.REF, Kind.REFS):
        assert spec.taxonomy
        parts.append(f"Danh sách lấy từ data/{TAXONOMIES_BY_KEY[spec.taxonomy].file}.")
    if spec.kind is Kind.DATETIME:
        parts.append("Giờ Việt Nam.")
    for other, relation in ((spec.alt, "Có ảnh thì phải điền"),
                            (spec.transcript, "Có tệp âm thanh thì phải điền")):
        if other:
            parts.append(f"{relation} «{_label(content_type, other)}».")
    if spec.name in content_type.one_of:
        labels = [_label(content_type, name) for name in content_type.one_of]
        parts.append("Cần ít nhất một trong: " + ", ".join(f"«{label}»" for label in labels)
                     + ".")
    return " ".join(parts)


def _label(content_type: ContentType, name: str) -> str:
    """A field's Vietnamese label, searching nested list fields too (steps' `alt`)."""
    for spec in content_type.fields:
        found = spec if spec.name == name else next(
            (sub for sub in spec.fields if sub.name == name), None)
        if found is not None:
            return found.label[0]
    return name


def admin_files(portal: Portal, store: Store | None = None) -> Iterator[tuple[str, str | Path]]:
    """site/admin/'s files by site path: the page and config.yml as text, the vendored Decap
    bundle as its files in the package (published as they are, never copied to read back).
    The bundle's folder is named after its version and the other files carry a hash of
    their content, so browsers and the site's service worker never keep a stale copy."""
    version = (DECAP_DIR / "VERSION").read_text(encoding="utf-8").strip()
    bundle = f"{EDITOR_FOLDER}/decap-{version}"
    for source in sorted(DECAP_DIR.iterdir()):
        if source.name != VENDOR_README:
            yield f"{bundle}/{source.name}", source
    text = _config_text(config(portal), portal.global_digest, store)
    yield f"{EDITOR_FOLDER}/config.yml", text
    yield f"{EDITOR_FOLDER}/index.html", _page(portal, {
        "config": f"config.yml?v={_digest(text.encode())}",
        "script": f"decap-{version}/decap-cms.js",
        "phrases": f"decap-{version}/vi.js?v={_digest((DECAP_DIR / 'vi.js').read_bytes())}",
    })


def _config_text(settings: dict[str, Any], code: str, store: Store | None) -> str:
    """config.yml. PyYAML's writer takes 30 ms on a province's settings, on every saved
    edit of `make serve`: the text is kept in `store` by a digest of the settings and of
    the code that writes it (the global digest)."""
    key = "config.yml " + hashlib.sha256(f"{code} {settings!r}".encode()).hexdigest()
    kept = store.get([key]).get(key) if store else None
    if isinstance(kept, str):
        return kept
    text = "# Tạo tự động từ binhdan/model/schema.py và data/site.yml: đừng sửa tay.\n" + yaml.dump(
        settings, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    if store:
        store.put({key: text})
    return text


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def _page(portal: Portal, urls: dict[str, str]) -> str:
    """The editor's page: no inline script, nothing from another host."""
    name = escape(portal.site.pick(portal.site.name, UI_LANGUAGE))
    notice, style = ("", "") if portal.site.cms else (_NOT_CONFIGURED, _NOTICE_STYLE)
    icon = portal.assets.get("assets/favicon.svg")
    icon_link = f'<link rel="icon" href="../{escape(icon)}" type="image/svg+xml">\n' if icon \
        else ""
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Soạn bài – {name}</title>
{icon_link}<link href="{urls['config']}" type="text/yaml" rel="cms-config-url">
{style}</head>
<body>
<noscript><p>Trang soạn bài cần bật JavaScript. / The editor needs JavaScript.</p></noscript>
{notice}<script src="{urls['script']}"></script>
<script src="{urls['phrases']}"></script>
</body>
</html>
"""


_NOTICE_STYLE = """<style>
.cms-notice { max-width: 46rem; margin: 0.75rem auto; padding: 0.75rem 1rem; border: 2px solid
  #b45309; border-radius: 0.5rem; background: #fffbeb; color: #1f2937; font: 1rem/1.5 system-ui,
  sans-serif; }
.cms-notice p { margin: 0 0 0.5rem; }
.cms-notice code { overflow-wrap: anywhere; }
</style>
"""

_NOT_CONFIGURED = """<div class="cms-notice" role="note" lang="vi">
<p><strong>Trang soạn bài chưa được kết nối với kho nội dung.</strong> Người phụ trách kỹ thuật
thêm khối <code>cms:</code> vào <code>data/site.yml</code> (xem hướng dẫn biên tập, mục “Soạn bài
trên trình duyệt”). Muốn thử trên máy tính: chạy <code>npx decap-server</code> trong thư mục dự án
rồi tải lại trang này.</p>
<p lang="en">The editor is not connected to a repository yet: add a <code>cms:</code> block to
<code>data/site.yml</code> (editor guide, “Editing in the browser”). To try it on your computer,
run <code>npx decap-server</code> in the project folder and reload this page.</p>
</div>
"""
