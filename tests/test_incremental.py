"""Editors' previews stay fast on big sites: after an edit, `mkdocs serve --dirty` rewrites only
the pages that show the edited item, and the result is the same as a full build."""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from binhdan.common.cache import tree_digest
from conftest import ROOT, Built, build


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def test_an_edit_rewrites_only_the_pages_that_show_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    assert build(project, out, dirty=True).result.code == 0
    before = snapshot(out)

    news = project / "content/news/lop-hoc-buon-mot.vi.md"
    news.write_text(news.read_text(encoding="utf-8").replace(
        "Lớp học kỹ năng số ở Buôn Một", "Lớp học buổi tối ở Buôn Một"), encoding="utf-8")
    (project / "content/guides/bao-mat-tai-khoan.vi.md").unlink()
    again = build(project, out, dirty=True)
    assert again.result.code == 0, again.result.out
    assert "dirty" not in again.result.out.lower()
    after = snapshot(out)

    rewritten = {name for name in after if name in before
                 and after[name][1] != before[name][1]}
    assert "tin-tuc/lop-hoc-buon-mot/index.html" in rewritten
    assert "tin-tuc/index.html" in rewritten and "dia-phuong/buon-mot/index.html" in rewritten
    assert "huong-dan/cai-dat-vneid/index.html" in rewritten  # related to the deleted guide
    assert "guong-dien-hinh/gia-dinh-ong-k/index.html" not in rewritten  # shows neither
    assert "su-kien/ngay-hoi-10-10/index.html" not in rewritten
    # feeds: those the edited or deleted items are in, and no other
    assert {"feed.xml", "dia-phuong/buon-mot/radio.xml", "huong-dan/atom.xml"} <= rewritten
    assert not {"guong-dien-hinh/feed.xml", "su-kien/lich.ics", "chu-de/dich-vu-cong/feed.xml",
                "en/feed.xml"} & rewritten
    assert "huong-dan/bao-mat-tai-khoan/index.html" not in after  # deleted item: page gone
    pages = [name for name in before if name.endswith("index.html")]
    assert len([name for name in rewritten if name.endswith("index.html")]) < len(pages) / 2

    full = build(project, tmp_path / "full")
    assert full.result.code == 0
    expected = {name: data for name, (data, _) in snapshot(full.site).items()}
    assert {name: data for name, (data, _) in after.items()} == expected



def test_a_build_in_place_puts_back_what_changed_or_went_missing(project: Path,
                                                                 tmp_path: Path) -> None:
    """A dirty build leaves the files it put in place before (linked, or copied when the
    cache is on another disk), but not a download replaced without a page edit, nor a
    page, a share card or a feed deleted from the site (unchanged feeds are not read
    again), nor a share card written over in the site: linked, that is the cache's file
    written over."""
    news = project / "content/news/lop-hoc-buon-mot.vi.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n[Phiếu](files/phieu.pdf)\n",
                    encoding="utf-8")
    pdf = project / "content/news/files/phieu.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    out = tmp_path / "preview"
    assert build(project, out, dirty=True).result.code == 0
    card, copied, edited = sorted(out.glob("og/*.png"))[:3]
    with edited.open("r+b") as opened:  # in place: the cache's file too, if linked
        opened.seek(100)
        opened.write(b"\0" * 64)
    shutil.copyfile(copied, copied.with_suffix(".tmp"))  # a copy, not a link: the cache
    copied.with_suffix(".tmp").replace(copied)  # on another disk than the preview's folder
    time.sleep(0.01)  # a newer file than the copy, as a later save is
    pdf.write_bytes(pdf.read_bytes().replace(b"1 0 obj", b"1 0 obj % v2"))
    card.unlink()
    feed = out / "guong-dien-hinh/feed.xml"  # no edited item in it
    feed.unlink()
    page = out / "huong-dan/cai-dat-vneid/index.html"  # unchanged: looked for, not rendered
    kept_page = page.read_bytes()
    page.unlink()
    before = snapshot(out)
    again = build(project, out, dirty=True)
    assert again.result.code == 0, again.result.out
    after = snapshot(out)
    assert after["news/files/phieu.pdf"][0] == pdf.read_bytes()
    assert after["huong-dan/cai-dat-vneid/index.html"][0] == kept_page
    assert card.is_file() and feed.is_file()
    untouched = [name for name in before if name.startswith("og/") or name.endswith(".xml")
                 if name != edited.relative_to(out).as_posix()]
    assert after[edited.relative_to(out).as_posix()][0] != before[
        edited.relative_to(out).as_posix()][0]
    assert "tin-tuc/feed.xml" in untouched and "sitemap.xml" in untouched
    assert all(after[n][1] == before[n][1] for n in untouched)
    full = build(project, tmp_path / "full")
    assert {name: data for name, (data, _) in after.items()} == {
        name: data for name, (data, _) in snapshot(full.site).items()}


def test_changing_a_template_rebuilds_every_page(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    assert build(project, out, dirty=True).result.code == 0
    labels = project / "data/locales/rad.yml"
    labels.write_text(labels.read_text(encoding="utf-8") + "  published: \"[rad] Ngày\"\n",
                      encoding="utf-8")
    before = snapshot(out)
    assert build(project, out, dirty=True).result.code == 0
    after = snapshot(out)
    pages = [n for n in after if n.endswith("index.html") and not n.startswith("admin/")]
    assert all(after[n][1] != before[n][1] for n in pages)
    # a file made again with the same bytes is not written again (the web editor's page)
    assert after["admin/index.html"] == before["admin/index.html"]


def test_dirty_and_clean_builds_agree_on_the_example(example: Built, tmp_path: Path) -> None:
    from conftest import ROOT

    preview = build(ROOT, tmp_path / "preview", dirty=True)
    assert preview.result.code == 0
    assert {n: d for n, (d, _) in snapshot(preview.site).items()} == \
        {n: d for n, (d, _) in snapshot(example.site).items()}


def test_a_preview_rechecks_edited_files_and_still_reports_every_problem(
        project: Path) -> None:
    """`mkdocs serve` keeps the previous validations; edits and problems must still show."""
    from binhdan.model.content import Memory
    from binhdan.plan.portal import load_portal

    memo = Memory()
    first, problems = load_portal(project, project / "content", memory=memo)
    assert first is not None and not problems.errors
    guide = project / "content/guides/cai-dat-vneid.vi.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("co-ban", "de"),
                     encoding="utf-8")
    _, problems = load_portal(project, project / "content", memory=memo)
    reported = [p.where for p in problems.errors]
    assert "content/guides/cai-dat-vneid.vi.md:9 [difficulty]" in reported
    _, problems = load_portal(project, project / "content", memory=memo)  # reported again
    assert [p.where for p in problems.errors] == reported
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "difficulty: de", "difficulty: nang-cao"), encoding="utf-8")
    again, problems = load_portal(project, project / "content", memory=memo)
    fresh, _ = load_portal(project, project / "content")
    assert again is not None and fresh is not None and not problems.errors
    assert [(i.src_uri, i.meta) for i in again.items] == [(i.src_uri, i.meta)
                                                         for i in fresh.items]
    assert any(i.meta.get("difficulty") == "nang-cao" for i in again.items)



def test_a_preview_reads_an_edited_data_file_again(project: Path) -> None:
    """`mkdocs serve` keeps each YAML file's reading while the file is unchanged: an edit
    (even one that keeps the size), and the problems in it, show on the next save and
    every save after; one build's values changed in place never reach the next."""
    from binhdan.model.content import Memory
    from binhdan.plan.portal import load_portal

    memo = Memory()
    topics = project / "data/topics.yml"
    first, _ = load_portal(project, project / "content", memory=memo)
    assert first is not None
    first.site.term("topics", "vneid").name["vi"] = "Đổi tại chỗ"
    same, _ = load_portal(project, project / "content", memory=memo)
    assert same is not None and same.site.term("topics", "vneid").name["vi"] == "VNeID"
    text = topics.read_text(encoding="utf-8")
    topics.write_text(text.replace("VNeID, en", "VNeXD, en"), encoding="utf-8")
    again, problems = load_portal(project, project / "content", memory=memo)
    assert again is not None and not problems.errors
    assert again.site.term("topics", "vneid").name["vi"] == "VNeXD"
    topics.write_text(text.replace("- id: dich-vu-cong", "- id dich-vu-cong"),
                      encoding="utf-8")
    for _ in range(2):  # told on every save while it is wrong
        _, problems = load_portal(project, project / "content", memory=memo)
        assert any(p.path == "data/topics.yml" for p in problems.errors)
    topics.write_text(text, encoding="utf-8")
    fixed, problems = load_portal(project, project / "content", memory=memo)
    assert fixed is not None and not problems.errors
    assert fixed.site.term("topics", "vneid").name["vi"] == "VNeID"


def test_what_a_preview_keeps_between_rebuilds_never_goes_stale(tmp_path: Path) -> None:
    """`mkdocs serve` keeps converted pages, feeds, data/'s YAML and the data cards between
    rebuilds (content.Memory): after a figure, a label and a title change, every file of
    the next rebuild is the one a fresh build makes."""
    from binhdan.model.content import Memory

    settings = _example_copy(tmp_path)
    root, memo, builds = settings.root, Memory(), iter(range(100))

    def built(memory: Memory | None) -> dict[str, bytes]:
        return _core_build(settings, memory, tmp_path / f"out{next(builds)}")

    first = built(memo)
    sheet = root / "data/observations/2026.csv"
    *rows, row = sheet.read_text(encoding="utf-8").splitlines()  # the latest month's
    cells = row.split(",")
    sheet.write_text("\n".join([*rows, ",".join([*cells[:3], str(int(cells[3]) - 9),
                                                 *cells[4:]])]) + "\n", encoding="utf-8")
    topics = root / "data/topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("VNeID", "VNeID (ứng dụng)",
                                                                 1), encoding="utf-8")
    news = sorted((root / "content/news").glob("*.vi.md"))[0]
    news.write_text(news.read_text(encoding="utf-8").replace("title: \"", "title: \"Mới - ", 1),
                    encoding="utf-8")
    again = built(memo)
    assert again != first and {n for n in again if n.startswith("og/")} != {
        n for n in first if n.startswith("og/")}
    settings = replace(settings, cache_dir=tmp_path / "cold")  # a fresh build: no cache
    assert again == built(None)


COUNTED_CLASSES = """
- id: lop-hoc-dem-tu-su-kien
  name: {vi: "Lớp học đã mở, đếm từ lịch sự kiện", en: "Classes held, counted from events"}
  unit: count
  audience: nguoi-dan
  definition: {vi: "Số lớp học trong lịch sự kiện.", en: "Classes in the events calendar."}
  computed: {from: events, kind: lop-hoc, per: month}
  plan: documents/ke-hoach-ea-trang-2026
  illustrative: true
"""


def test_a_build_in_a_new_process_starts_from_the_shelf_and_never_from_stale(
        tmp_path: Path, monkeypatch: Any) -> None:
    """`mkdocs build --dirty` after an edit starts from the reading and checking the last
    build kept (cache.Shelf) instead of reading 20,000 files again: after edits to a text,
    an original with a translation and an easy-read version, an event, a text and data/
    (search's synonyms too), it reads and checks only what the edit touched, makes every
    file a build with no cache makes (the search index's words too),
    and rewrites only the few shards the edits fall in (none when nothing changed)."""
    from binhdan.common.cache import Shelf
    from binhdan.model import content
    from binhdan.outputs.pipeline import Settings

    warm = _example_copy(tmp_path)
    root = warm.root
    with (root / "data/indicators.yml").open("a", encoding="utf-8") as indicators:
        indicators.write(COUNTED_CLASSES)  # counted from the events: `item.type is EVENT`
    work: list[str] = []  # what was read or checked, not taken from the shelf

    def counting(owner: Any, name: str) -> None:
        done = getattr(owner, name)

        def counted(*args: Any) -> Any:
            work.append(name)
            return done(*args)
        monkeypatch.setattr(owner, name, counted)

    counting(content, "parse_markdown_file")
    counting(content._Validator, "item")
    builds = iter(range(100))

    def built(settings: Settings) -> dict[str, bytes]:  # each as in a new process
        work.clear()
        return _core_build(settings, None, tmp_path / f"out{next(builds)}")

    def shards() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache/memory").glob("*")}

    def settle(*files: Path) -> None:  # as if saved a minute ago (see content._RACY_COARSE_NS)
        for path in files:
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 60 * 10**9))

    first = built(warm)
    assert len(shards()) > Shelf.SHARDS // 2 and len(work) > 2 * 80  # read and checked
    kept = shards()
    assert built(warm) == first
    assert work == [] and shards() == kept  # nothing read, checked or kept again
    guide = root / "content/guides/dang-ky-tai-khoan-vneid.vi.md"  # translated, easy-read
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "difficulty: co-ban", "difficulty: nang-cao"), encoding="utf-8")
    again = built(warm)
    assert again != first and work.count("parse_markdown_file") == 1
    assert work.count("item") == 3  # the guide, its translation and easy-read version
    rewritten = [name for name, mtime in kept.items() if shards().get(name) != mtime]
    assert 0 < len(rewritten) <= 3
    cold = replace(warm, cache_dir=tmp_path / "cold")
    assert again == built(cold)

    event = root / "content/events/lop-hoc-ky-nang-so-xa-lam-binh-thang-12.vi.md"
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Mới - ", 1),
                     encoding="utf-8")  # classes held are counted from events (computed.py)
    easy = root / "content/guides/dung-dien-thoai-an-toan.vi-easy.md"
    easy.write_text(easy.read_text(encoding="utf-8").replace("title: ", "title: Mới - ", 1),
                    encoding="utf-8")
    news = root / "content/news/ket-qua-sau-thang-dau-nam-2026.vi.md"  # words to search for
    news.write_text(news.read_text(encoding="utf-8") + "\nXã mở lớp quét mã QR.\n",
                    encoding="utf-8")
    assert built(warm) == built(replace(cold, cache_dir=tmp_path / "cold2"))
    easy.unlink()
    abbreviations = root / "data/abbreviations.yml"  # words search takes as one
    abbreviations.write_text(abbreviations.read_text(encoding="utf-8")
                             + "- synonyms: [mã QR, mã vạch vuông]\n", encoding="utf-8")
    topics = root / "data/topics.yml"  # what every item is checked against
    topics.write_text(topics.read_text(encoding="utf-8").replace("VNeID", "VNeID (ứng dụng)",
                                                                 1), encoding="utf-8")
    again = built(warm)
    assert again == built(replace(cold, cache_dir=tmp_path / "cold3"))
    settle(guide, event, news, topics, abbreviations)
    built(warm)  # those read again, now that their times are settled
    kept = shards()
    assert built(warm) == again and work == [] and shards() == kept


def test_a_build_keeps_its_plan_through_an_edit_of_texts_and_never_a_stale_one(
        tmp_path: Path, monkeypatch: Any) -> None:
    """A build in a new process takes the page plan (and the feeds and calendars worked out
    from it) the last one kept on its shelf when no item changed but in the texts its page
    shows (title, summary, body: of an item, its easy-read version, the home page, an event
    whose calendar bears its title), and plans again after any other
    edit (a date that reorders listings, a topic, a slug, a draft, a new item, data/). After
    each, every file is the one a build with no cache makes."""
    from binhdan.plan import pages

    warm = _example_copy(tmp_path)
    root = warm.root
    planned: list[str] = []
    made = pages._made_plan

    def counted(*args: Any) -> Any:
        planned.append("made")
        return made(*args)
    monkeypatch.setattr(pages, "_made_plan", counted)
    builds = iter(range(100))

    def built(settings: Any) -> dict[str, bytes]:  # each as in a new process
        planned.clear()
        return _core_build(settings, None, tmp_path / f"out{next(builds)}")

    def edit(name: str, old: str, new: str) -> None:
        path = root / "content" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def same_as_cold(kept: bool) -> None:
        files = built(warm)
        made = list(planned)
        assert files == built(replace(warm, cache_dir=tmp_path / f"cold{next(builds)}"))
        assert made == ([] if kept else ["made"])

    built(warm)
    assert planned == ["made"]
    edit("guides/dung-dien-thoai-an-toan.vi.md", "title: ", "title: Mới - ")
    edit("guides/dung-dien-thoai-an-toan.vi.md", "summary: ", "summary: Ngắn gọn - ")
    edit("guides/dung-dien-thoai-an-toan.vi-easy.md", "title: ", "title: Dễ đọc - ")
    edit("pages/home.vi.md", "\n---\n", "\n---\nMột câu mới ở đầu trang chủ.\n\n")
    edit("events/lop-hoc-ky-nang-so-xa-lam-binh-thang-12.vi.md", "title: ", "title: Mới - ")
    with (root / "content/news/ket-qua-sau-thang-dau-nam-2026.vi.md").open(
            "a", encoding="utf-8") as news:
        news.write("\nMột đoạn mới.\n")
    same_as_cold(kept=True)
    edit("news/ket-qua-sau-thang-dau-nam-2026.vi.md", "date: 2026-", "date: 2025-")
    same_as_cold(kept=False)
    edit("guides/dung-dien-thoai-an-toan.vi.md", "topics: [", "topics: [chu-ky-so, ")
    same_as_cold(kept=False)
    edit("news/ket-qua-sau-thang-dau-nam-2026.vi.md", "title: ", "slug: ket-qua-6-thang\ntitle: ")
    same_as_cold(kept=False)
    edit("news/ket-qua-sau-thang-dau-nam-2026.vi.md", "title: ", "draft: true\ntitle: ")
    same_as_cold(kept=False)
    shutil.copy(root / "content/guides/dung-dien-thoai-an-toan.vi.md",
                root / "content/guides/ban-sao.vi.md")
    same_as_cold(kept=False)
    topics = root / "data/topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("VNeID", "VNeID (ứng dụng)",
                                                                 1), encoding="utf-8")
    same_as_cold(kept=False)
    same_as_cold(kept=True)


def test_a_preview_without_its_database_converts_only_what_an_edit_changed(
        tmp_path: Path, monkeypatch: Any) -> None:
    """`make serve` keeps the converted pages in memory (Memory.stores), those its pages
    and feeds did not ask for too: when their database cannot be opened, a rebuild after
    an edit converts the edited page, not the hundreds no feed or page showed."""
    from bench import generate
    from binhdan.model.content import Memory
    from binhdan.outputs import render
    from binhdan.outputs.pipeline import Settings, put, start
    from binhdan.slugs import heading_id

    root = tmp_path / "site"
    generate(150, root)
    settings = Settings(root / "mkdocs.yml", root / "content", "data", "https://example.gov.vn/",
                        ["toc", "tables", "attr_list"], {"toc": {"slugify": heading_id}},
                        ROOT / "overrides", tmp_path / "cache")
    (tmp_path / "cache/html.sqlite").mkdir(parents=True)  # no database can be opened there
    converted: list[int] = []
    convert = render.render_all
    monkeypatch.setattr(render, "render_all", lambda jobs, *rest: converted.append(
        len(jobs)) or convert(jobs, *rest))
    memo, site = Memory(), tmp_path / "preview"
    news = sorted((root / "content/news").glob("*.vi.md"))[-1]  # the oldest: in few feeds
    for number in range(3):
        news.write_text(news.read_text(encoding="utf-8").replace(
            "title: \"", f"title: \"Mới {number} - ", 1), encoding="utf-8")
        pipeline, problems = start(settings, memo, report=lambda line: None)
        assert pipeline is not None, problems.report()
        pipeline.track(site)
        pipeline.leave_unchanged(site)  # in place, as `make serve` builds
        for published in pipeline.files():
            put(published, site / published.address)
        pipeline.drop_stale(site)
        pipeline.remember()
        pipeline.close(lasting=True)
    assert converted[0] > 250 and converted[1:] == [2, 2]  # its page, and in English


def test_a_moved_project_keeps_its_caches(project: Path, tmp_path: Path) -> None:
    """CI checks a project out in a new folder each time: the digest that keys the feed and
    page caches depends on the files, not on where they are."""
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(project, moved)
    assert tree_digest([project / "data", project / "mkdocs.yml"]) == \
        tree_digest([moved / "data", moved / "mkdocs.yml"])
    (moved / "data" / "topics.yml").write_text("# edited\n", encoding="utf-8")
    assert tree_digest([project / "data"]) != tree_digest([moved / "data"])


def test_a_preview_reads_the_progress_sheets_again_when_data_changes(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the sheets' reading while data/ is unchanged: a changed figure
    and a broken row still show on the next save, and the broken row on every save after."""
    from binhdan.model.content import Memory
    from binhdan.plan.portal import load_portal

    root = tmp_path / "site"
    for folder in ("content", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    sheet = root / "data/observations/2026.csv"
    header, first_row, *rest = sheet.read_text(encoding="utf-8").splitlines()
    cells = first_row.split(",")

    def save_numerator(value: str) -> None:
        row = ",".join([*cells[:3], value, *cells[4:]])
        sheet.write_text("\n".join([header, row, *rest]) + "\n", encoding="utf-8")

    def figures(portal: Any) -> list[Any]:
        return sorted(map(repr, portal.progress.observations))

    memo, cache = Memory(), tmp_path / "cache"  # the cache: pictures are made once
    save_numerator("abc")
    for _ in range(2):  # told on the save that broke it, and again on the next
        _, problems = load_portal(root, root / "content", cache_dir=cache, memory=memo)
        assert [p.where for p in problems.errors] == ["data/observations/2026.csv:2 [numerator]"]
    save_numerator(str(int(cells[3]) + 7))
    again, problems = load_portal(root, root / "content", cache_dir=cache, memory=memo)
    fresh, _ = load_portal(root, root / "content", cache_dir=cache)
    assert again is not None and fresh is not None and not problems.errors
    assert figures(again) == figures(fresh)
    assert any(o.numerator == int(cells[3]) + 7 for o in again.progress.observations)


def _example_copy(tmp_path: Path) -> Any:
    """The example project copied to `tmp_path`, and the settings of a core build of it."""
    from binhdan.outputs.pipeline import Settings
    from binhdan.slugs import heading_id

    root = tmp_path / "site"
    for folder in ("content", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return Settings(root / "mkdocs.yml", root / "content", "data", "https://example.gov.vn/",
                    ["toc", "tables", "attr_list"], {"toc": {"slugify": heading_id}},
                    ROOT / "overrides", tmp_path / "cache")


def _core_build(settings: Any, memory: Any, folder: Path) -> dict[str, bytes]:
    """Every file of a build by the core (as `mkdocs build` makes them) into `folder`."""
    from binhdan.outputs.pipeline import start, write_site

    pipeline, problems = start(settings, memory, report=lambda line: None)
    assert pipeline is not None, problems.report()
    write_site(pipeline, folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def _preview(folder: Path, builds: list[str], *files: Path) -> Any:
    """MkDocs' preview server watching `folder` (and `files`) as `mkdocs serve` does, with
    our plugin's watcher; each rebuild it would run is counted."""
    from mkdocs.livereload import LiveReloadServer

    from binhdan.adapter.watching import hear_at_once

    server = LiveReloadServer(builder=lambda: builds.append("built"), host="127.0.0.1",
                              port=0, root=str(folder))
    for path in (folder, *files):
        server.watch(str(path))
    hear_at_once(server)
    return server


def test_make_serve_hears_a_saved_file_at_once_and_not_a_read_one(tmp_path: Path) -> None:
    """A save starts a rebuild the moment the kernel tells of it, not at MkDocs' next poll
    of every file; the rebuild reading the files must not start another one, in a folder
    watched later (`mkdocs serve -w`) too; mkdocs.yml is watched, not its whole folder."""
    from watchdog.observers.polling import PollingObserver

    content, project, later = tmp_path / "content", tmp_path / "project", tmp_path / "code"
    for folder in (content, project, later):
        folder.mkdir()
    guide, settings, module = content / "guide.vi.md", project / "mkdocs.yml", later / "x.py"
    for path in (guide, settings, module):
        path.write_text("a\n", encoding="utf-8")
    builds: list[str] = []
    server = _preview(content, builds, settings)
    assert not isinstance(server.observer, PollingObserver)
    server.watch(str(later))  # as MkDocs does for -w, after the plugin's on_serve
    serving = threading.Thread(target=server.serve, daemon=True)
    serving.start()

    def heard(change: Any) -> bool:
        builds.clear()
        change()
        deadline = time.monotonic() + (1 if builds == [] else 10)
        while time.monotonic() < deadline and not builds:
            time.sleep(0.01)
        time.sleep(0.2)
        return bool(builds)

    try:
        time.sleep(0.3)
        assert not heard(lambda: [p.read_text(encoding="utf-8") for p in (guide, module)])
        assert not heard(lambda: (project / ".mkdocs.yml.swp").write_text("x"))
        assert heard(lambda: guide.write_text("b\n", encoding="utf-8"))
        assert heard(lambda: module.write_text("b\n", encoding="utf-8"))
        assert heard(lambda: settings.write_text("b\n", encoding="utf-8"))
        for folder in (content, later):  # as mkdocs-material's projects plugin may
            server.unwatch(str(folder))
    finally:
        server.shutdown(wait=True)


def test_make_serve_keeps_polling_a_network_share(tmp_path: Path, monkeypatch: Any) -> None:
    """A folder on a network share (or a Windows folder seen from WSL) is changed where this
    kernel cannot see: MkDocs' polling stays."""
    from watchdog.observers.polling import PollingObserver

    from binhdan.adapter import watching

    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/share {tmp_path} nfs4 rw 0 0\n",
                      encoding="utf-8")
    monkeypatch.setattr(watching, "_MOUNTS", mounts)
    assert isinstance(_preview(tmp_path, []).observer, PollingObserver)
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nC:\\040 {tmp_path} 9p rw 0 0\n",
                      encoding="utf-8")
    assert isinstance(_preview(tmp_path, []).observer, PollingObserver)
    mounts.write_text(f"server:/share / nfs4 rw 0 0\n/dev/vdb {tmp_path} ext4 rw 0 0\n",
                      encoding="utf-8")
    assert not isinstance(_preview(tmp_path, []).observer, PollingObserver)


def test_a_dirty_build_on_the_next_day_rewrites_what_the_day_changed(tmp_path: Path) -> None:
    """An event held yesterday is no longer "upcoming": a dirty build the day after writes
    the event's page, its easy-read version's and every page showing its card (lists,
    related items) as a clean build of that day does (each page's fingerprint holds the
    day where it matters)."""
    from conftest import copy_example

    project = copy_example(tmp_path / "project")
    event = project / "content/events/lop-hoc-ky-nang-so-xa-lam-binh-thang-12.vi.md"
    event.with_name(event.name.replace(".vi.md", ".vi-easy.md")).write_text(
        "---\ntitle: Lớp học kỹ năng số (bản dễ đọc)\nsummary: Một buổi học ngắn.\n"
        "place: Nhà văn hóa thôn\n---\nMang theo điện thoại.\n",
        encoding="utf-8")  # held on 05/12/2026, 08:00-10:30
    before = build(project, tmp_path / "site", dirty=True, BINHDAN_TODAY="2026-12-04")
    assert before.result.code == 0, before.result.out
    after = build(project, tmp_path / "site", dirty=True, BINHDAN_TODAY="2026-12-06")
    clean = build(project, tmp_path / "clean", BINHDAN_TODAY="2026-12-06")
    assert after.result.code == 0 and clean.result.code == 0, after.result.out
    assert {n: d for n, (d, _) in snapshot(after.site).items()} == \
        {n: d for n, (d, _) in snapshot(clean.site).items()}
