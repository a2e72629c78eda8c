"""Publishing safety as an officer meets it: starting an item with `binhdan new`, raw HTML
made safe (and reported), a failed build that leaves the published site alone, drafts that
reach no file at all, the same output for the same input; two builds at once, a build killed
at any moment, `make serve`, and a full or read-only disk never leave a broken site or a
traceback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock
from PIL import Image

from binhdan.outputs.pipeline import SCRATCH_PREFIX
from conftest import BIN, TODAY, build, check, forget_cache, run

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


def assert_no_leftovers(site: Path) -> None:
    """Beside the site only its releases folder, holding the lock, the current release and at
    most the previous one (older ones are deleted in the background: wait for it)."""
    releases = site.with_name(f".{site.name}.releases")
    assert sorted(p.name for p in site.parent.iterdir() if p.name != "project") == [
        releases.name, site.name]
    current = Path(os.readlink(site))
    assert current.parent.name == releases.name
    deadline = time.monotonic() + 15
    while True:
        names = sorted(p.name for p in releases.iterdir())
        others = [n for n in names if n not in (".lock", current.name)]
        if len(others) <= 1 and not any(n.startswith(".") for n in others):
            break
        assert time.monotonic() < deadline, names
        time.sleep(0.05)
    assert current.name in names


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
    assert_no_leftovers(site)

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
    # a hook standing in for a slow build: the interrupt arrives while pages are written.
    # Ctrl+C as a terminal delivers it, even when the suite runs where SIGINT is ignored
    # (a background job of a non-interactive shell: Python then installs no handler).
    add_hook(project, "interrupt.py", "import os, signal\n\ndef on_env(env, config, files):\n"
             "    signal.signal(signal.SIGINT, signal.default_int_handler)\n"
             "    os.kill(os.getpid(), signal.SIGINT)\n    return env\n")
    interrupted = build(project, site)
    assert interrupted.result.code != 0, interrupted.result.out
    assert "Published" not in interrupted.result.out
    assert _tree(site) == published
    assert_no_leftovers(site)


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
    forget_cache(project)  # nothing reused: every page and image made again
    second = build(project, tmp_path / "two")
    assert first.result.code == second.result.code == 0
    assert _tree(first.site) == _tree(second.site)


# One build at a time, one-step publishing, a full or read-only disk (issue 14: 2, 3, 12).

SLOW_HOOK = ("import time\n\ndef on_env(env, config, files):\n    time.sleep({seconds})\n"
             "    return env\n")


def start(project: Path, site: Path, **env: str) -> subprocess.Popen[str]:
    """`mkdocs build` in the background, as a second terminal or a CI job starts it."""
    return subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(site)], cwd=project, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "BINHDAN_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", **env})


def staging_folders(site: Path) -> list[Path]:
    releases = site.with_name(f".{site.name}.releases")
    return list(releases.glob(".building-*")) if releases.is_dir() else []


def wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize(("builds", "second_starts"), [
    (2, "mid-build"),  # when the first one's staging folder exists
    (2, "together"),
    (3, "together"),
])
def test_builds_at_once_publish_one_whole_site(project: Path, tmp_path: Path, builds: int,
                                               second_starts: str) -> None:
    add_hook(project, "slow.py", SLOW_HOOK.format(seconds=1))  # pages are written after it
    solo = build(project, tmp_path / "solo")
    assert solo.result.code == 0, solo.result.out
    site = tmp_path / "out" / "site"
    first = start(project, site)
    if second_starts == "mid-build":
        wait_for(lambda: bool(staging_folders(site)))
    others = [start(project, site) for _ in range(builds - 1)]
    outputs = [process.communicate(timeout=300)[0] for process in (first, *others)]
    for process, out in zip((first, *others), outputs, strict=True):
        assert process.returncode == 0, out
        assert "Traceback" not in out and "Đã xuất bản / Published:" in out
    assert any("Another build is writing to" in out and str(site) in out for out in outputs)
    assert any("Một bản dựng khác đang ghi vào" in out for out in outputs)
    assert (site / "index.html").is_file()
    assert _tree(site) == _tree(solo.site)  # every page, byte for byte
    assert_no_leftovers(site)


def test_a_build_waits_for_another_one_no_longer_than_its_limit(project: Path,
                                                                  tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(project, site).result.code == 0
    published = _tree(site)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - binhdan\n", "  - binhdan:\n      lock_timeout: 1\n"), encoding="utf-8")
    with FileLock(tmp_path / ".site.releases" / ".lock"):  # another build of this folder
        refused = build(project, site)
    assert refused.result.code == 1, refused.result.out
    assert "Traceback" not in refused.result.out
    assert f"After waiting 0.0166667 min, another build is still writing to {site}. Wait " \
           "for that build to finish (or stop it), then run again." in refused.result.out
    assert "một bản dựng khác vẫn đang ghi vào" in refused.result.out
    assert _tree(site) == published
    again = build(project, site)
    assert again.result.code == 0, again.result.out


def test_a_build_leaves_no_scratch_folder_in_the_cache(project: Path, tmp_path: Path) -> None:
    """Pages, feeds and search shards are made in a scratch folder and linked into the site;
    the folder is deleted in the background after the build, and the site keeps every file."""
    cache = project / ".cache" / "binhdan"
    for name in ("one", "two"):
        built = build(project, tmp_path / name)
        assert built.result.code == 0, built.result.out
    published = _tree(built.site)
    assert len(published) > 100
    wait_for(lambda: not list(cache.glob(f"{SCRATCH_PREFIX}*")), seconds=30)
    assert _tree(built.site) == published


def test_a_killed_build_leaves_the_site_and_the_next_build_cleans_up(project: Path,
                                                                      tmp_path: Path) -> None:
    """SIGKILL (out of memory, a cancelled CI job): no Python code runs, the lock is freed by
    the kernel, the staging folder stays behind until the next build."""
    site = tmp_path / "site"
    assert build(project, site).result.code == 0
    published = _tree(site)
    config = add_hook(project, "slow.py", SLOW_HOOK.format(seconds=30))
    killed = start(project, site)
    cache = project / ".cache" / "binhdan"
    wait_for(lambda: bool(staging_folders(site)) and any(cache.glob(f"{SCRATCH_PREFIX}*")))
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    left = staging_folders(site)
    scratch = list(cache.glob(f"{SCRATCH_PREFIX}*"))
    assert left and scratch and _tree(site) == published
    for folder in scratch:  # a new folder is left a minute to take its lock: as if later
        os.utime(folder, (time.time() - 120, time.time() - 120))
    config.write_text(config.read_text(encoding="utf-8").replace(
        "hooks:\n  - slow.py\n", ""), encoding="utf-8")
    next_build = build(project, site)
    assert next_build.result.code == 0, next_build.result.out
    assert "Another build" not in next_build.result.out  # nobody waits for a dead build
    assert_no_leftovers(site)
    assert not any(path.exists() for path in left)
    wait_for(lambda: not any(path.exists() for path in scratch), seconds=30)


CRASHING_PUBLISH = """
import os, shutil, sys
from pathlib import Path
from binhdan.publishing import publish

target, source, crash_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
steps = 0

def step(real):
    def stepped(*args, **kwargs):
        global steps
        if steps == crash_at:
            os._exit(9)  # killed right here: nothing is tidied up
        steps += 1
        return real(*args, **kwargs)
    return stepped

output = publish.StagedSite(target)
output.lock(10, print)
shutil.copytree(source, output.stage(), dirs_exist_ok=True)
for name in ("rename", "replace", "symlink"):
    setattr(os, name, step(getattr(os, name)))
publish._exchange = step(publish._exchange)
publish.remove_later = step(publish.remove_later)
output.publish()
output.release()
"""


def _publish(site: Path, source: Path, crash_at: int = -1) -> int:
    return subprocess.run([sys.executable, "-c", CRASHING_PUBLISH, str(site), str(source),
                           str(crash_at)]).returncode


def _fake_site(folder: Path, label: str) -> dict[str, str]:
    for number in range(40):
        page = folder / f"trang-{number % 7}" / f"{number}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<p>{label} {number}</p>", encoding="utf-8")
    (folder / "index.html").write_text(f"<h1>{label}</h1>", encoding="utf-8")
    return _tree(folder)


@pytest.mark.parametrize(("before", "steps"), [
    ("two releases", 4),  # rename, link, switch, removal of the oldest release
    ("a folder of an older build", 4),  # rename, link, exchange, keep the folder as previous
    ("no site", 3),
])
def test_a_crash_at_any_step_of_publishing_leaves_a_whole_site(tmp_path: Path, before: str,
                                                                steps: int) -> None:
    old, new, newer = (_fake_site(tmp_path / name, name) for name in ("old", "new", "newer"))
    crash_at = 0
    while True:
        site = tmp_path / f"crash-{crash_at}" / "site"
        site.parent.mkdir()
        if before == "two releases":  # the older one is removed once `new` is published
            assert _publish(site, tmp_path / "newer") == 0
            assert _publish(site, tmp_path / "old") == 0
        elif before == "a folder of an older build":
            shutil.copytree(tmp_path / "old", site)
        code = _publish(site, tmp_path / "new", crash_at)
        if code == 0:  # no step left to crash in
            break
        assert code == 9
        if before == "no site" and not site.exists():
            pass  # nothing was published yet: still nothing
        else:
            assert (site / "index.html").is_file(), (crash_at, os.listdir(site.parent))
            assert _tree(site) in (old, new), crash_at
        assert _publish(site, tmp_path / "newer") == 0  # the next build recovers
        assert _tree(site) == newer
        assert_no_leftovers(site)
        crash_at += 1
    assert _tree(site) == new
    assert crash_at == steps


@pytest.mark.parametrize("kind", ["--dirty", "--clean"])  # `make serve`; a full preview
def test_make_serve_never_writes_the_published_site(project: Path, tmp_path: Path,
                                                    kind: str) -> None:
    """`make serve` (mkdocs serve --dirty) builds into a temporary folder of its own, and
    its incremental rebuilds read and write only that folder and the cache."""
    site = project / "site"  # where `make build` publishes
    assert build(project, site).result.code == 0
    published, link = _tree(site), os.readlink(site)
    beside = sorted(os.listdir(project))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", kind, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "BINHDAN_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})

    def served(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as page:
                return page.read().decode("utf-8")
        except OSError:
            return ""

    try:
        wait_for(lambda: "<html" in served(""))
        (project / "content/news/moi.vi.md").write_text(
            "---\ntitle: Tin mới Qxv\ndate: 2026-01-02\nsummary: S\n---\nx\n", encoding="utf-8")
        wait_for(lambda: "Tin mới Qxv" in served("tin-tuc/moi/"))  # rebuilt
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert os.readlink(site) == link and _tree(site) == published
    assert sorted(os.listdir(project)) == beside


FAILING_DISK = """
import builtins, errno, io, json, os

_rule = json.loads(os.environ["BINHDAN_TEST_FAILING_DISK"])
_done = 0


def _check(args):
    global _done
    paths = [os.path.abspath(a) for a in args if isinstance(a, (str, os.PathLike))]
    if not any(path.startswith(_rule["under"]) for path in paths):
        return
    _done += 1
    if _done > _rule["after"]:
        code = getattr(errno, _rule["errno"])
        if _rule["unnamed"]:  # as write() and close() report it: no file name
            raise OSError(code, os.strerror(code))
        raise OSError(code, os.strerror(code), next(p for p in paths
                                                    if p.startswith(_rule["under"])))


def _guard(real, writes=lambda args, kwargs: True):
    def guarded(*args, **kwargs):
        if writes(args, kwargs):
            _check(args[:2])
        return real(*args, **kwargs)
    return guarded


def _writing(args, kwargs):
    mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
    return isinstance(mode, str) and any(c in mode for c in "wax+")


if "open" in _rule["calls"]:
    builtins.open = io.open = _guard(builtins.open, _writing)
for name in set(_rule["calls"]) - {"open"}:
    setattr(os, name, _guard(getattr(os, name)))
"""


def injected(folder: Path, code: str) -> dict[str, str]:
    """Environment for a command that runs `code` first (as its sitecustomize): a fault
    injected into the real program."""
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": str(folder)}


def failing_disk(tmp_path: Path, under: Path, code: str, after: int,
                 calls: tuple[str, ...] = ("open", "mkdir", "rename", "replace", "symlink",
                                            "link"), unnamed: bool = False) -> dict[str, str]:
    """Environment for a command whose writes under `under` fail with `code` after `after`
    of them succeeded: a disk filling up, a quota, a folder we may not write, a read-only
    disk. Portable (root ignores permissions; not every machine may mount a small disk)."""
    rule = {"under": str(under), "errno": code, "after": after, "calls": list(calls),
            "unnamed": unnamed}
    return {**injected(tmp_path / "failing-disk", FAILING_DISK),
            "BINHDAN_TEST_FAILING_DISK": json.dumps(rule)}


DISK_FULL = ("Ổ đĩa đã đầy (hoặc hết hạn mức) khi ghi vào thư mục {folder}. Hãy xóa bớt tệp "
             "không cần trên ổ đĩa đó rồi chạy lại. / The disk is full (or the quota is used "
             "up) while writing to the folder {folder}. Free some space on that disk and run "
             "again.")
NO_PERMISSION = "No permission to write (or read) the folder {folder}. Check that the account"
READ_ONLY = "The folder {folder} is on a read-only disk. Choose a folder on a writable disk"


@pytest.mark.parametrize(("code", "after", "calls", "unnamed", "message"), [
    ("ENOSPC", 0, None, False, DISK_FULL),  # its staging folder cannot be made
    ("ENOSPC", 40, None, True, DISK_FULL),  # MkDocs writing pages
    ("EDQUOT", 300, None, False, DISK_FULL),  # pictures and the web editor (our own hooks)
    ("EACCES", 5, None, False, NO_PERMISSION),
    ("EROFS", 0, ("symlink",), False, READ_ONLY),  # publishing itself
    ("EPERM", 0, ("rename",), False, NO_PERMISSION),
])
def test_a_full_or_read_only_disk_is_one_line_and_the_site_stays(
        project: Path, tmp_path: Path, code: str, after: int, calls: tuple[str, ...] | None,
        unnamed: bool, message: str) -> None:
    site = tmp_path / "out" / "site"
    assert build(project, site).result.code == 0
    published = _tree(site)
    (project / "content/news/moi.vi.md").write_text(
        "---\ntitle: Tin mới\ndate: 2026-01-02\nsummary: S\n---\nx\n", encoding="utf-8")
    env = failing_disk(tmp_path, site.parent, code, after, *([calls] if calls else []),
                       unnamed=unnamed)
    failed = build(project, site, **env)
    out = failed.result.out
    assert failed.result.code == 1, out
    assert "Traceback" not in out
    assert message.format(folder=site) in out
    assert [line for line in out.splitlines() if line.startswith("LỖI / ERROR: ")] == [
        next(line for line in out.splitlines() if message.format(folder=site) in line)]
    assert "is unchanged" in out and "Published" not in out
    assert _tree(site) == published
    fixed = build(project, site)  # space freed: the next build publishes and tidies up
    assert fixed.result.code == 0, fixed.result.out
    assert fixed.exists("tin-tuc/moi/")
    assert_no_leftovers(site)


@pytest.mark.parametrize(("command", "code", "message"), [
    (["new", "guide", "Ghi chép đĩa đầy"], "ENOSPC", DISK_FULL),
    (["template", "mau.xlsx"], "EROFS", READ_ONLY),
    (["template", "mau.csv"], "EACCES", NO_PERMISSION),
])
def test_a_disk_error_in_a_command_is_one_line(project: Path, tmp_path: Path,
                                               command: list[str], code: str,
                                               message: str) -> None:
    result = run([str(BIN / "binhdan"), *command], project,
                 **failing_disk(tmp_path, project, code, 0, ("open", "mkdir")))
    assert result.code == 1, result.out
    assert "Traceback" not in result.out
    folder = project / "content/guides" if command[0] == "new" else project
    assert result.out.strip().splitlines()[-1].startswith("LỖI / ERROR: ")
    assert message.format(folder=folder) in result.out.strip().splitlines()[-1]


KILLED_WORKER = """
import os, signal

from binhdan.common import parallel

_real_background = parallel.in_background


def _killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does


parallel._workers = lambda jobs, threshold: 2  # a pool for every list of jobs
os.cpu_count = lambda: 2  # side processes are forked only with more than one core
if os.environ["BINHDAN_TEST_KILLED"] == "pool":
    parallel._worker_start = _killed
else:  # the search index, fingerprints and sitemap, each in a process of its own
    parallel.in_background = lambda function, *args: _real_background(_killed, *args)
"""


@pytest.mark.parametrize("killed", ["pool", "side"])
def test_a_worker_stopped_by_the_system_fails_the_build_in_one_line(
        project: Path, tmp_path: Path, killed: str) -> None:
    """A worker killed for want of memory: the build ends (it used to wait for ever for a
    pool worker's jobs) with one bilingual line, and the published site stays as it was."""
    site = tmp_path / "out" / "site"
    assert build(project, site).result.code == 0
    published = _tree(site)
    (project / "content/news/moi.vi.md").write_text(
        "---\ntitle: Tin mới\ndate: 2026-01-02\nsummary: S\n---\nx\n", encoding="utf-8")
    failed = build(project, site, **injected(tmp_path / "killed-worker", KILLED_WORKER),
                   BINHDAN_TEST_KILLED=killed)
    out = failed.result.out
    assert failed.result.code == 1, out
    assert "Traceback" not in out
    assert [line for line in out.splitlines() if line.startswith("LỖI / ERROR: ")] == [
        "LỖI / ERROR: Hệ thống đã dừng một tiến trình của bản dựng trước khi nó làm xong, "
        "thường là vì máy hết bộ nhớ. Hãy chạy lại; nếu vẫn lỗi, hãy tắt bớt chương trình "
        "khác hoặc dựng trên máy có nhiều bộ nhớ hơn. / The system stopped a process of the "
        "build before it finished, most often because the machine ran out of memory. Run "
        "the build again; if it fails again, close other programs or build on a machine "
        "with more memory."]
    assert "is unchanged" in out and "Published" not in out
    assert _tree(site) == published
    fixed = build(project, site)
    assert fixed.result.code == 0, fixed.result.out
    assert fixed.exists("tin-tuc/moi/")
    assert_no_leftovers(site)


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of `size` (needs root, as in CI); skipped where mounting is not allowed."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_real_full_disk_and_a_real_read_only_disk(project: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "tiny", "1m") as tiny:  # the site needs about 9 MB
        full = build(project, tiny / "site")
        assert full.result.code == 1, full.result.out
        assert "Traceback" not in full.result.out
        assert DISK_FULL.format(folder=tiny / "site") in full.result.out
        assert not staging_folders(tiny / "site")  # the half-written build is removed
    with small_disk(tmp_path / "disk", "64m") as disk:
        site = disk / "site"
        assert build(project, site).result.code == 0
        published = _tree(site)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        read_only = build(project, site)
        assert read_only.result.code == 1, read_only.result.out
        assert "Traceback" not in read_only.result.out
        assert READ_ONLY.format(folder=site) in read_only.result.out
        assert _tree(site) == published
