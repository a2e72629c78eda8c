"""Publishing safety as an officer meets it: starting an item with `binhdan new`, raw HTML
made safe (and reported), a failed build that leaves the published site alone, drafts that
reach no file at all, and the same output for the same input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import BIN, build, check, run

UNSAFE_NEWS = """---
title: Tin có mã lạ
date: 2026-01-01
summary: Bài dán từ trang web khác.
---
Đoạn đầu <script>alert("x")</script> và <b onclick="steal()">chữ đậm</b>.

<iframe src="https://evil.example.com/ads"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video hướng dẫn"></iframe>

[Bấm vào đây](javascript:alert(1)) hoặc <a href="JaVaScRiPt:alert(2)">đây</a>.

![Ảnh dán](data:image/png;base64,iVBORw0KGgo=)

<style>body { display: none }</style>
<form action="https://evil.example.com/"><input name="otp"></form>

Mã mẫu `<script>` là chữ, không bị báo.
"""


def test_dangerous_html_is_removed_and_reported(project: Path, tmp_path: Path) -> None:
    (project / "content/news/ma-la.vi.md").write_text(UNSAFE_NEWS, encoding="utf-8")
    result = check(project)
    assert result.code == 0, result.out  # removed automatically: warnings, not errors
    out = result.out
    where = "CẢNH BÁO / WARNING  content/news/ma-la.vi.md"
    assert f"{where}:6\n" in out and "The HTML tag <script> is not allowed" in out
    assert "The attribute 'onclick' on <b> is not allowed" in out
    assert f"{where}:8\n" in out
    assert "(<iframe>) from 'evil.example.com' is not on the allowed list" in out
    assert f"{where}:10\n" not in out  # the allowed video host is fine
    assert f"{where}:12\n" in out and "uses the unsafe 'javascript:' scheme" in out
    assert out.count("uses the unsafe 'javascript:' scheme") == 2
    assert f"{where}:14\n" in out and "pasted into the text as data" in out
    assert "The HTML tag <style> is not allowed" in out
    assert "The HTML tag <form> is not allowed" in out
    assert f"{where}:20" not in out  # a code sample is text

    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    body = built.html("tin-tuc/ma-la/").select_one(".portal-body")
    html = str(body)
    assert not body.select("script, style, form, input")
    assert "onclick" not in html and "javascript:" not in html.lower()
    assert "data:image" not in html and "evil.example.com" not in html
    assert [f["src"] for f in body.select("iframe")] == [
        "https://www.youtube-nocookie.com/embed/abc"]
    assert "chữ đậm" in body.get_text() and body.select_one("b").get_text() == "chữ đậm"
    assert body.select_one("code").get_text() == "<script>"


def test_new_creates_a_commented_draft_in_every_language(project: Path,
                                                         tmp_path: Path) -> None:
    result = run([str(BIN / "binhdan"), "new", "guide", "Cài đặt ứng dụng VNeID"], project)
    assert result.code == 0, result.out
    files = sorted((project / "content/guides").glob("cai-dat-ung-dung-vneid.*.md"))
    assert [f.name for f in files] == ["cai-dat-ung-dung-vneid.en.md",
                                      "cai-dat-ung-dung-vneid.rad.md",
                                      "cai-dat-ung-dung-vneid.vi.md"]
    vi = files[-1].read_text(encoding="utf-8")
    assert "title: Cài đặt ứng dụng VNeID" in vi
    assert "# Mức độ — một giá trị trong danh sách, bắt buộc. Dùng: co-ban, trung-binh, " \
           "nang-cao" in vi
    assert "# Thời gian cần (phút) — một số nguyên, không bắt buộc." in vi
    assert "steps:\n- title: Việc cần làm" in vi
    assert "draft: true" in vi
    assert "date: 2026-11-21" in vi  # the publishing day the tests are pinned to
    english = files[0].read_text(encoding="utf-8")
    assert "date:" not in english  # shared fields come from the Vietnamese file
    assert "Bản dịch" in english

    checked = check(project)
    assert checked.code == 0, checked.out  # a fresh draft passes the check...
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    assert not built.exists("huong-dan/cai-dat-ung-dung-vneid/")  # ...and is not published

    assert "  # text: " in vi and "  # image: " in vi and "  # alt: " in vi  # step fields
    files[-1].write_text(vi.replace("draft: true\n", ""), encoding="utf-8")
    unfinished = check(project)
    assert unfinished.code == 1  # published as it came: its sample texts are caught
    where = "content/guides/cai-dat-ung-dung-vneid.vi.md"
    assert f"{where}:{vi.splitlines().index('summary: Viết 1–2 câu tóm tắt nội dung.') + 1} " \
           "[summary]" in unfinished.out
    assert "[title]" in unfinished.out  # the step's sample title
    assert "The new file's sample text is still here ('Viết nội dung ở đây" in unfinished.out
    assert "Vẫn còn chữ mẫu của tệp mới" in unfinished.out
    files[-1].write_text(vi, encoding="utf-8")

    again = run([str(BIN / "binhdan"), "new", "guide", "Cài đặt ứng dụng VNeID"], project)
    assert again.code == 1 and "Already exists" in again.out
    unknown = run([str(BIN / "binhdan"), "new", "tin", "Tin mới"], project)
    assert unknown.code == 1
    assert "There is no content type 'tin'. Use one of: guide, news" in unknown.out


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def add_hook(project: Path, name: str, source: str) -> Path:
    """A MkDocs hook file standing in for any plugin; returns mkdocs.yml."""
    (project / name).write_text(source, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"hooks:\n  - {name}\n",
                      encoding="utf-8")
    return config


def test_a_failed_build_leaves_the_published_site_untouched(project: Path,
                                                           tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = build(project, site)
    assert first.result.code == 0, first.result.out
    assert "Đã xuất bản / Published:" in first.result.out
    assert "pages per language: vi " in first.result.out
    published = _tree(site)

    bad = project / "content/news/loi.vi.md"
    bad.write_text("---\ntitle: Tin\ndate: 31/02/2026\nsummary: S\n---\nx\n", encoding="utf-8")
    failed = build(project, site)
    assert failed.result.code == 1
    assert _tree(site) == published

    # A build that fails late: every page written, then a strict-mode warning (here from a
    # hook standing in for any plugin) aborts it. Its content differs from what is
    # published, so swapping it in by mistake would show.
    bad.unlink()
    (project / "content/news/moi.vi.md").write_text(
        "---\ntitle: Tin mới\ndate: 2026-01-02\nsummary: S\n---\nx\n", encoding="utf-8")
    config = add_hook(project, "late_warning.py",
                      "import logging\n\ndef on_post_build(config):\n"
                      "    logging.getLogger('mkdocs.hooks').warning('late problem')\n")
    late = build(project, site)
    assert late.result.code == 1, late.result.out
    assert "late problem" in late.result.out and "is unchanged" in late.result.out
    assert _tree(site) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no leftovers

    config.write_text(config.read_text(encoding="utf-8").replace(
        "hooks:\n  - late_warning.py\n", ""), encoding="utf-8")
    fixed = build(project, site)
    assert fixed.result.code == 0, fixed.result.out
    assert fixed.exists("tin-tuc/moi/")


def test_an_interrupted_build_leaves_the_published_site_untouched(project: Path,
                                                                 tmp_path: Path) -> None:
    """Ctrl+C or a killed CI job: MkDocs still runs on_shutdown, never on_build_error."""
    site = tmp_path / "site"
    assert build(project, site).result.code == 0
    published = _tree(site)
    (project / "content/news/moi.vi.md").write_text(
        "---\ntitle: Tin mới\ndate: 2026-01-02\nsummary: S\n---\nx\n", encoding="utf-8")
    # a hook standing in for a slow build: the interrupt arrives while pages are written
    add_hook(project, "interrupt.py", "import os, signal\n\ndef on_env(env, config, files):\n"
             "    os.kill(os.getpid(), signal.SIGINT)\n    return env\n")
    interrupted = build(project, site)
    assert interrupted.result.code != 0, interrupted.result.out
    assert "Published" not in interrupted.result.out
    assert _tree(site) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no leftovers


def test_drafts_reach_no_file_of_the_site(project: Path, tmp_path: Path) -> None:
    """Not its text, nor its photo (a story waiting for consent), nor its attachment."""
    news = project / "content/news"
    Image.new("RGB", (900, 600), (200, 40, 40)).save(news / "anh-quyzwk.jpg")
    (news / "tai-lieu-quyzwk.pdf").write_bytes(b"%PDF-1.4\n" + bytes(400) + b"\n%%EOF\n")
    for name, extra in (("quyzwk", "draft: true\n"), ("sau-quyzwk", "")):
        (news / f"{name}.vi.md").write_text(
            f"---\ntitle: Bản nháp Quyzwk\ndate: {'2027-01-01' if not extra else '2026-01-01'}"
            f"\nsummary: Tóm tắt quyzwk.\ntopics: [vneid]\n{extra}image: anh-quyzwk.jpg\n"
            "image_alt: Ảnh quyzwk\n---\nNội dung quyzwk, [tài liệu](tai-lieu-quyzwk.pdf).\n",
            encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    for path in built.site.rglob("*"):
        assert "quyzwk" not in path.name, path
        if path.suffix in (".html", ".xml", ".json", ".ics", ".txt", ".js"):
            text = path.read_text(encoding="utf-8")
            assert "quyzwk" not in text.lower(), path
    reference = build_photo_free(project, tmp_path)
    assert sorted(p.name for p in (built.site / "img").glob("*")) == reference


def build_photo_free(project: Path, tmp_path: Path) -> list[str]:
    """The variants the site has without the draft and the scheduled item."""
    for name in ("quyzwk", "sau-quyzwk"):
        (project / f"content/news/{name}.vi.md").unlink()
    built = build(project, tmp_path / "reference")
    assert built.result.code == 0, built.result.out
    return sorted(p.name for p in (built.site / "img").glob("*"))


def test_stray_files_are_not_published_and_misnamed_items_are_caught(project: Path,
                                                                     tmp_path: Path) -> None:
    news = project / "content/news"
    (news / "danh-sach-nguoi-dan.csv").write_text("ho_ten,cccd,dien_thoai\nA,0123,0912\n",
                                                   encoding="utf-8")
    (news / "~$bien-ban.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    (news / "tin-notepad.vi.md.txt").write_text("---\ntitle: Tin\n---\nx\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1, result.out
    assert "LỖI / ERROR  content/news/tin-notepad.vi.md.txt" in result.out
    assert "Rename it to 'tin-notepad.vi.md'" in result.out
    assert "CẢNH BÁO / WARNING  content/news/danh-sach-nguoi-dan.csv" in result.out
    assert "No item uses this file, so it is not published" in result.out
    assert "Không bài nào dùng tệp này nên tệp không được đăng" in result.out
    (news / "tin-notepad.vi.md.txt").unlink()
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    assert not list(built.site.rglob("danh-sach*")) and not list(built.site.rglob("~$*"))


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("so-tay.pdf", b"%PDF-1.4\n" + bytes(3000), "not a readable PDF file"),  # cut off
    ("so-tay.pdf", b"<html>Not found</html>", "not a readable PDF file"),  # a saved error page
    ("so-tay.docx", b"\xd0\xcf\x11\xe0" + bytes(50), "not a readable DOCX file"),  # renamed .doc
])
def test_a_damaged_attachment_is_an_error(project: Path, name: str, data: bytes,
                                          expected: str) -> None:
    (project / "content/materials").mkdir()
    (project / "content/materials" / name).write_bytes(data)
    (project / "content/materials/so-tay.vi.md").write_text(
        "---\ntitle: Sổ tay\ndate: 2026-01-01\nsummary: S\naudiences: [nguoi-dan]\n"
        f"attachments:\n  - file: {name}\n    title: Sổ tay\n---\nx\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1, result.out
    assert f"LỖI / ERROR  content/materials/{name}" in result.out
    assert expected in result.out and "Used in: content/materials/so-tay.vi.md" in result.out


def test_a_heavy_attachment_is_a_warning(project: Path) -> None:
    (project / "content/materials").mkdir()
    (project / "content/materials/so-tay.pdf").write_bytes(
        b"%PDF-1.4\n" + bytes(12 * 1024 * 1024) + b"\n%%EOF\n")
    (project / "content/materials/so-tay.vi.md").write_text(
        "---\ntitle: Sổ tay\ndate: 2026-01-01\nsummary: S\naudiences: [nguoi-dan]\n"
        "attachments:\n  - file: so-tay.pdf\n    title: Sổ tay\n---\nx\n", encoding="utf-8")
    result = check(project)
    assert result.code == 0, result.out
    assert "CẢNH BÁO / WARNING  content/materials/so-tay.pdf" in result.out
    assert "The file is 12.0 MB" in result.out


def test_the_same_input_builds_the_same_site(project: Path, tmp_path: Path) -> None:
    first = build(project, tmp_path / "one")
    shutil.rmtree(project / ".cache")  # nothing reused: every page and image made again
    second = build(project, tmp_path / "two")
    assert first.result.code == second.result.code == 0
    assert _tree(first.site) == _tree(second.site)
