"""The web editor under /admin/ (Decap CMS): served from the build with no script from another
host, configured from binhdan/model/schema.py so that it offers exactly the fields, choices and
languages the validator accepts, and what it saves passes `binhdan check`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from binhdan.model.schema import CONTENT_TYPES, IMAGE_EXTENSIONS, TAXONOMIES_BY_KEY, Field, Kind
from binhdan.model.site import ID_PATTERN
from binhdan.outputs.pipeline import cms
from binhdan.plan.portal import load_portal
from conftest import FIXTURES, ROOT, Built, check
from screenshots import serve

WIDGETS = {Kind.TEXT: "string", Kind.MARKDOWN: "text", Kind.DATE: "datetime",
           Kind.DATETIME: "datetime", Kind.BOOL: "boolean", Kind.INT: "number",
           Kind.URL: "string", Kind.CHOICE: "select", Kind.REF: "select", Kind.REFS: "select",
           Kind.TEXTS: "list", Kind.OBJECTS: "list"}


def config_of(built: Built) -> dict[str, Any]:
    return yaml.safe_load((built.site / "admin" / "config.yml").read_text(encoding="utf-8"))


def vietnamese_terms(taxonomy: str) -> list[tuple[str, str]]:
    """(id, Vietnamese name) of every term, read straight from the example's data/*.yml."""
    spec = TAXONOMIES_BY_KEY[taxonomy]
    rows = yaml.safe_load((ROOT / "data" / spec.file).read_text(encoding="utf-8"))
    return [(row[spec.id_field], row["name"]["vi"] if isinstance(row["name"], dict)
             else row["name"]) for row in rows]


def check_field(widget: dict[str, Any], spec: Field, shared: bool = False) -> None:
    """One generated widget against its schema field: what the CMS lets an officer save is
    what the validator accepts."""
    where = spec.name
    shared = shared or not spec.translatable
    assert widget["name"] == spec.name
    assert widget["label"] == spec.label[0]
    assert widget["required"] is spec.required, where
    assert widget["i18n"] is (not shared), where  # shared fields are inherited (content.py)
    if spec.help[0]:
        assert spec.help[0] in widget["hint"], where
    if spec.kind is Kind.FILE:
        images = set(spec.extensions) <= set(IMAGE_EXTENSIONS)
        assert widget["widget"] == ("image" if images else "file"), where
        assert all(extension in widget["hint"] for extension in spec.extensions), where
        return
    assert widget["widget"] == WIDGETS[spec.kind], where
    pattern = widget.get("pattern", [None])[0]
    if spec.kind is Kind.TEXT and spec.name == "slug":
        assert pattern == ID_PATTERN.pattern
    elif spec.kind is Kind.TEXT and spec.max_length:
        assert re.fullmatch(pattern, "ă" * spec.max_length), where
        assert not re.fullmatch(pattern, "ă" * (spec.max_length + 1)), where
    elif spec.kind is Kind.URL:
        assert re.match(pattern, "https://vneid.gov.vn/") and not re.match(pattern, "vneid.gov.vn")
    else:
        assert pattern is None, where
    if spec.kind is Kind.DATE:
        assert (widget["date_format"], widget["time_format"]) == ("YYYY-MM-DD", False)
    if spec.kind is Kind.DATETIME:
        assert widget["format"] == "YYYY-MM-DD HH:mm"
    if spec.kind is Kind.INT:
        assert widget["value_type"] == "int"
    if spec.kind is Kind.CHOICE:
        labels = yaml.safe_load((ROOT / "binhdan" / "locales" / "vi.yml").read_text(
            encoding="utf-8"))["choices"][spec.name]
        assert widget["options"] == [{"label": labels[value], "value": value}
                                     for value in spec.choices], where
    if spec.kind in (Kind.REF, Kind.REFS):
        assert spec.taxonomy
        assert [(o["value"], o["label"]) for o in widget["options"]] == \
            vietnamese_terms(spec.taxonomy), where
        assert widget["multiple"] is (spec.kind is Kind.REFS), where
    if spec.kind is Kind.TEXTS:
        assert widget["field"]["widget"] == "string"
    if spec.kind is Kind.OBJECTS:
        assert [f["name"] for f in widget["fields"]] == [f.name for f in spec.fields], where
        for sub_widget, sub in zip(widget["fields"], spec.fields, strict=True):
            check_field(sub_widget, sub, shared)


def test_collections_mirror_the_schema(example: Built) -> None:
    """Every content type, every field with its kind, required flag, translatability,
    choices and taxonomy terms: adding a field or a term without the CMS fails here."""
    config = config_of(example)
    assert config["locale"] == "vi"
    collections = config["collections"]
    assert [c["name"] for c in collections] == [t.key for t in CONTENT_TYPES]
    for collection, content_type in zip(collections, CONTENT_TYPES, strict=True):
        assert collection["label"] == content_type.label[0]
        assert collection["folder"] == f"content/{content_type.folder}"
        assert (collection["extension"], collection["format"]) == ("md", "yaml-frontmatter")
        assert collection["i18n"] is True
        *fields, body = collection["fields"]
        assert [f["name"] for f in fields] == content_type.field_names
        for widget, spec in zip(fields, content_type.fields, strict=True):
            check_field(widget, spec)
        assert body["name"] == "body" and body["widget"] == "markdown"
        assert body["required"] is (content_type.body is not None)


def test_translations_follow_the_languages(example: Built, commune: Built) -> None:
    """Files are named `{slug}.{lang}.md` for every language of data/site.yml."""
    assert config_of(example)["i18n"] == {
        "structure": "multiple_files", "locales": ["vi", "en"], "default_locale": "vi"}
    assert config_of(commune)["i18n"]["locales"] == ["vi", "en", "rad"]


def test_preview_links_open_the_published_page(example: Built) -> None:
    """"Xem bản hoàn chỉnh" in the editor opens the item's page on the site."""
    for collection in config_of(example)["collections"]:
        folder = ROOT / collection["folder"]
        slug = next(p.name.split(".")[0] for p in sorted(folder.glob("*.vi.md"))
                    if p.name != "home.vi.md" and "draft: true" not in p.read_text())
        assert example.exists(collection["preview_path"].replace("{{slug}}", slug)), slug


def test_admin_page_loads_only_its_own_files(example: Built) -> None:
    """No CDN, no inline script (the site's CSP), not indexed by search engines."""
    page = example.html("admin/")
    assert page.html["lang"] == "vi"
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    scripts = page.find_all("script")
    assert len(scripts) == 2
    for script in scripts:
        assert not script.string, "inline script"
        src = script["src"]
        assert not re.match(r"(https?:)?//", src), src
        assert (example.site / "admin" / src.split("?")[0]).is_file(), src
    config_link = page.find("link", rel="cms-config-url")
    assert config_link["type"] == "text/yaml"
    assert (example.site / "admin" / config_link["href"].split("?")[0]).is_file()
    # The example has no `cms:` block: the page says how to connect it.
    assert "data/site.yml" in page.find(attrs={"role": "note"}).get_text()


def test_admin_is_not_part_of_the_published_site(example: Built) -> None:
    """Not in the sitemap, the search index or the feeds."""
    texts = [(example.site / name).read_text(encoding="utf-8")
             for name in ("sitemap.xml", "feed.xml", "atom.xml", "feed.json")]
    texts += [p.read_text(encoding="utf-8") for p in (example.site / "search-index").rglob("*")
              if p.is_file()]
    assert not any("admin/" in text for text in texts)


def test_vendored_bundle_is_pinned_and_intact(example: Built) -> None:
    """binhdan/vendor/decap-cms/ holds exactly what scripts/update-cms.sh fetched, and the build
    publishes it unchanged, with its licences and without the developers' README."""
    version = (cms.DECAP_DIR / "VERSION").read_text(encoding="utf-8").strip()
    script = (ROOT / "scripts" / "update-cms.sh").read_text(encoding="utf-8")
    assert f"\nVERSION={version}\n" in script
    published = example.site / "admin" / f"decap-{version}"
    sums = (cms.DECAP_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert any(line.endswith("  decap-cms.js") for line in sums)
    for line in sums:
        digest, name = line.split("  ")
        for folder in (cms.DECAP_DIR, published):
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    vendored = {path.name for path in cms.DECAP_DIR.iterdir()}
    assert {"LICENSE", "decap-cms.js.LICENSE.txt", "README.md"} <= vendored
    assert {path.name for path in published.iterdir()} == vendored - {"README.md"}


def write_cms_block(project: Path, block: str) -> None:
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + block, encoding="utf-8")


def test_cms_settings_are_checked(project: Path) -> None:
    """Mistakes in data/site.yml's `cms:` block are reported like any other, in both
    languages, with the line and the setting."""
    start = len((project / "data" / "site.yml").read_text(encoding="utf-8").splitlines())
    write_cms_block(project, "cms:\n  backend: gitea\n  repo: ubnd-ea-trang\n"
                             "  api_root: git.eatrang.gov.vn\n  review: có\n  token: abc\n")
    result = check(project)
    assert result.code == 1
    for line, setting in ((3, "cms.repo"), (4, "cms.api_root"), (5, "cms.review"),
                          (6, "cms.token"), (1, "cms.base_url"), (1, "cms.app_id")):
        assert f"data/site.yml:{start + line} [{setting}]" in result.out, setting
    assert "vi: Trường 'cms.repo': giá trị 'ubnd-ea-trang' không dùng được" in result.out
    assert "must be a repository name owner/name" in result.out


def test_configured_backend(project: Path) -> None:
    """A GitLab repository with sign-in by PKCE (no server) and review before publishing."""
    write_cms_block(project, "cms:\n  backend: gitlab\n  repo: ubnd-ea-trang/cong-thong-tin\n"
                             "  app_id: abc123\n  review: true\n")
    portal, problems = load_portal(project, project / "content")
    assert portal is not None and not problems.errors
    config = cms.config(portal)
    assert config["backend"] == {"name": "gitlab", "branch": "main",
                                 "repo": "ubnd-ea-trang/cong-thong-tin", "app_id": "abc123",
                                 "auth_type": "pkce"}
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is False
    page = dict(cms.admin_files(portal))["admin/index.html"]
    assert isinstance(page, str) and 'role="note"' not in page


# --- In Chromium, with Decap's in-memory `test-repo` backend instead of a git host ---------

GUIDES = FIXTURES / "ea-trang" / "content" / "guides"


@pytest.fixture
def editor(browser, commune: Built, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The commune build's /admin/ signed in to an in-memory copy of content/guides/ (the
    served config.yml is swapped for the test backend; the build's output is untouched).
    Parametrized False: an empty folder (the test backend takes the Markdown files next to a
    new item for pictures and fails; git hosts do not)."""
    server, url = serve(commune.site)
    config = {**config_of(commune), "backend": {"name": "test-repo"}, "local_backend": False}
    seeded = getattr(request, "param", True)
    guides = {p.name: {"content": p.read_text(encoding="utf-8")} for p in GUIDES.glob("*.md")
              if seeded}
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # The test backend lists a folder by its full path and reads files segment by segment.
    page.add_init_script(f"window.repoFiles = {{content: {{guides: {json.dumps(guides)}}}}};"
                         "window.repoFiles['content/guides'] = window.repoFiles.content.guides;")
    page.route("**/admin/config.yml*", lambda route: route.fulfill(
        body=yaml.safe_dump(config, allow_unicode=True), content_type="text/yaml"))
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?"
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").wait_for()
    yield page
    assert not errors
    context.close()
    server.shutdown()


def repo_files(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """content/guides/ as the test backend holds it after the officer's saves."""
    return dict(page.evaluate("() => Object.entries(window.repoFiles.content.guides)"
                              ".map(([name, file]) => [name, file.content])"))


def commit(page, project: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Copy what the saves changed into the project, as the git host would; their names."""
    changed = []
    for name, text in repo_files(page).items():
        target = project / "content" / "guides" / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


def publish(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Công bố").click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    page.get_by_text("Thay đổi đã được lưu").wait_for()


def test_editor_is_vietnamese_and_lists_every_type(editor) -> None:  # type: ignore[no-untyped-def]
    for content_type in CONTENT_TYPES:  # the sidebar's links, one per type
        assert editor.get_by_role("link", name=content_type.label[0], exact=True).count() == 1
    body = editor.locator("body").inner_text()
    assert "Nội dung" in body and "Collections" not in body
    editor.get_by_text("Hướng dẫn", exact=True).first.click()
    editor.get_by_text("Cài đặt ứng dụng VNeID").wait_for()


def test_saving_an_edit_passes_the_checks(editor, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Edit a guide that has all three languages; what the editor commits is valid."""
    editor.get_by_text("Cài đặt ứng dụng VNeID").click()
    editor.get_by_text("Đang soạn bản VI").wait_for()
    assert "Writing in" not in editor.locator("body").inner_text()  # binhdan/vendor/decap-cms/vi.js
    editor.get_by_label("Tóm tắt (1–2 câu)").first.fill("Cài VNeID trên điện thoại, 10 phút.")
    editor.locator("input[type=date]").first.fill("2026-03-05")
    publish(editor)
    assert "cai-dat-vneid.vi.md" in commit(editor, project)
    result = check(project)
    assert result.code == 0, result.out
    files = repo_files(editor)
    vi = files["cai-dat-vneid.vi.md"]
    assert "summary: Cài VNeID trên điện thoại, 10 phút." in vi and "date: 2026-03-05" in vi
    assert "date:" not in files["cai-dat-vneid.en.md"]  # shared: inherited, not copied


@pytest.mark.parametrize("editor", [False], indirect=True)
def test_saving_a_new_untranslated_item_passes_the_checks(editor, project: Path) -> None:  # type: ignore[no-untyped-def]
    editor.goto(editor.url.split("#")[0] + "#/collections/guide/new")
    editor.get_by_title("Hiện/ẩn bản dịch").click()  # write the Vietnamese version only
    editor.get_by_label("Tiêu đề").first.fill("Bảo vệ tài khoản Zalo")
    editor.get_by_label("Tóm tắt (1–2 câu)").first.fill("Bật xác thực hai lớp cho Zalo.")
    editor.get_by_label("Dịch vụ / ứng dụng").first.fill("Zalo")
    editor.get_by_label("Mức độ").first.click()
    editor.get_by_text("Cơ bản", exact=True).click()
    editor.get_by_role("button", name="Thêm các bước").click()
    editor.get_by_label("Việc cần làm").first.fill("Mở phần Cài đặt")
    publish(editor)
    saved = commit(editor, project)
    if "bao-ve-tai-khoan-zalo.vi.md" not in saved:
        pytest.fail(f"the new guide was not saved: {saved}")
    result = check(project)
    assert result.code == 0, result.out
    # Decap also wrote the languages left blank (decap-cms#6932): read as "not translated".
    assert "This translation has nothing of its own yet" in result.out or \
        "The file is empty" in result.out
