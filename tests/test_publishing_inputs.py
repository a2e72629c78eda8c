"""Only regular files inside the project are read or published, and one address has one
source: links and special files, colliding addresses and links to files that are never
published are errors naming the file (and the other file), in both languages, from
`binhdan check` and from `mkdocs build`, and nothing of them reaches site/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, build, check

SECRET = "TOKEN-5f3a9c"  # what must never reach the site
LINKS_TO = "\n\n[Tài liệu](tai-lieu.pdf)\n"  # added to a guide: the file is used, so published


def _guide(project: Path) -> Path:
    return project / "content" / "guides" / "nop-ho-so-truc-tuyen.vi.md"


def _link_from_guide(project: Path, text: str = LINKS_TO) -> None:
    guide = _guide(project)
    guide.write_text(guide.read_text(encoding="utf-8") + text, encoding="utf-8")


def _outside(project: Path) -> Path:
    """A file with a secret outside the project (as /etc/passwd or a CI token would be)."""
    secret = project.parent / "outside" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_text(f"%PDF-1.4 {SECRET}\n%%EOF\n", encoding="utf-8")
    return secret


def _to_outside_file(project: Path, at: Path) -> None:
    at.symlink_to(_outside(project))


def _to_git_config(project: Path, at: Path) -> None:
    config = project / ".git" / "config"
    config.parent.mkdir()
    config.write_text(f"[http]\n  extraheader = AUTHORIZATION: basic {SECRET}\n%%EOF\n")
    at.symlink_to(os.path.relpath(config, at.parent))


def _to_file_inside(project: Path, at: Path) -> None:
    inside = project / "content" / "news" / "that.pdf"
    inside.write_text(f"%PDF-1.4 {SECRET}\n%%EOF\n", encoding="utf-8")
    at.symlink_to(os.path.relpath(inside, at.parent))


def _dangling(project: Path, at: Path) -> None:
    at.symlink_to("khong-co.pdf")


def _loop(project: Path, at: Path) -> None:
    at.symlink_to(at.name)


def _fifo(project: Path, at: Path) -> None:
    os.mkfifo(at)  # reading it would hang the build for ever


LINKS = {"outside_file": _to_outside_file, "git_config": _to_git_config,
         "file_inside": _to_file_inside, "dangling": _dangling, "loop": _loop, "fifo": _fifo}


def _refused(out: str, path: str, kind_en: str) -> None:
    assert f"ERROR  {path}\n" in out, out
    assert f"This is {kind_en}" in out and "Đây là " in out, out


def _nothing_published(result_out: str, code: int, site: Path) -> None:
    assert code != 0, result_out
    assert "Traceback" not in result_out
    assert not site.exists() or SECRET not in "".join(
        p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


@pytest.mark.parametrize("linked", [True, False], ids=["linked", "not_linked"])
@pytest.mark.parametrize("kind", LINKS)
def test_links_and_special_files_are_refused(project: Path, tmp_path: Path, kind: str,
                                             linked: bool) -> None:
    at = project / "content" / "guides" / "tai-lieu.pdf"
    LINKS[kind](project, at)
    if linked:
        _link_from_guide(project)
    result = check(project)
    assert result.code == 1, result.out
    _refused(result.out, "content/guides/tai-lieu.pdf",
             "a named pipe (FIFO)" if kind == "fifo" else "a symbolic link (symlink) to '")
    assert "Delete it." in result.out if kind == "fifo" else \
        "copy the file (or folder) itself here" in result.out
    # a link to it is told once, on the file: not also "that file does not exist"
    assert "tai-lieu.pdf' points to" not in result.out
    built = build(project, tmp_path / "site")
    _refused(built.result.out, "content/guides/tai-lieu.pdf",
             "a named pipe (FIFO)" if kind == "fifo" else "a symbolic link")
    _nothing_published(built.result.out, built.result.code, built.site)


def test_a_linked_folder_is_refused(project: Path, tmp_path: Path) -> None:
    """A folder linked to the outside: nothing is read under it, nothing published."""
    secret = _outside(project)
    (project / "content" / "guides" / "tep").symlink_to(secret.parent,
                                                        target_is_directory=True)
    _link_from_guide(project, "\n\n[Tài liệu](tep/secret.pdf)\n")
    result = check(project)
    assert result.code == 1
    _refused(result.out, "content/guides/tep", "a symbolic link (symlink) to '")
    built = build(project, tmp_path / "site")
    _nothing_published(built.result.out, built.result.code, built.site)


def test_a_link_in_data_stops_reading_data(project: Path, tmp_path: Path) -> None:
    """data/ is not read at all while it holds a link (its YAML error would quote the file)."""
    topics = project / "data" / "topics.yml"
    topics.unlink()
    _to_outside_file(project, topics)
    result = check(project)
    assert result.code == 1
    _refused(result.out, "data/topics.yml", "a symbolic link (symlink) to '")
    assert SECRET not in result.out
    built = build(project, tmp_path / "site")
    assert SECRET not in built.result.out
    _nothing_published(built.result.out, built.result.code, built.site)


def test_the_published_files_are_regular_files_only(project: Path) -> None:
    """The filter the build applies to MkDocs' own file list (MkDocs follows links) keeps
    nothing that is not a regular file, even when the build is not stopped first."""
    from binhdan.plan.portal import load_portal

    _to_outside_file(project, project / "content" / "guides" / "tai-lieu.pdf")
    _link_from_guide(project)
    portal, problems = load_portal(project, project / "content")
    assert portal is not None and problems.errors
    assert "guides/tai-lieu.pdf" not in portal.published_files
    assert not [output for output in portal.outputs() if output.path.endswith("tai-lieu.pdf")]


def _page(project: Path, name: str, front: str = "") -> Path:
    path = project / "content" / "pages" / name
    path.write_text(f"---\ntitle: Trang thử\n{front}---\nNội dung.\n", encoding="utf-8")
    return path


def _errors(project: Path) -> str:
    result = check(project)
    assert result.code == 1, result.out
    assert "Traceback" not in result.out
    return result.out


COLLISIONS = {
    # file names that fold to one address
    "accents": (lambda p: _page(p, "cafe.vi.md") and _page(p, "café.vi.md"),
                "content/pages/café.vi.md", ["content/pages/cafe.vi.md", "'…/cafe/'",
                                             "give the same page address", "cho cùng một"]),
    "case": (lambda p: _page(p, "cafe.vi.md") and _page(p, "Cafe.vi.md"),
             "content/pages/Cafe.vi.md", ["content/pages/cafe.vi.md", "'…/cafe/'"]),
    "separators": (lambda p: _page(p, "ca_phe.vi.md") and _page(p, "ca phe.vi.md"),
                   "content/pages/ca_phe.vi.md", ["content/pages/ca phe.vi.md",
                                                  "'…/ca-phe/'"]),
    # `slug:` fields
    "slugs": (lambda p: _page(p, "mot.vi.md", "slug: lien-he\n")
              and _page(p, "hai.vi.md", "slug: lien-he\n"),
              "content/pages/", ["/lien-he/", "content/pages/hai.vi.md",
                                 "content/pages/mot.vi.md"]),
    # addresses the site generates, in every kind
    "web_editor": (lambda p: _page(p, "admin.vi.md"), "content/pages/admin.vi.md",
                   ["'/admin/'", "the web editor (/admin/)", "trình soạn bài trên web"]),
    "theme_files": (lambda p: _page(p, "x.vi.md", "slug: assets\n"),
                    "content/pages/x.vi.md:3 [slug]",
                    ["'/assets/'", "the theme's files (/assets/", "tệp giao diện"]),
    "search_index": (lambda p: _page(p, "x.vi.md", "slug: search-index\n"),
                     "content/pages/x.vi.md:3 [slug]", ["the search index (/search-index/)"]),
    "share_cards": (lambda p: _page(p, "x.vi.md", "slug: og\n"),
                    "content/pages/x.vi.md:3 [slug]", ["the share preview images (/og/)"]),
    "language_prefix": (lambda p: _page(p, "x.vi.md", "slug: en\n"),
                        "content/pages/x.vi.md:3 [slug]",
                        ["'/en/'", "the page 'Digital Literacy for All' (/en/)"]),
    "section": (lambda p: _page(p, "x.vi.md", "slug: huong-dan\n"),
                "content/pages/x.vi.md:3 [slug]", ["'/huong-dan/'", "(/huong-dan/)"]),
    "pagination": (  # three guides, two a page: /huong-dan/trang/2/ exists
        lambda p: (p / "content/guides/x.vi.md").write_text(
            _guide(p).read_text(encoding="utf-8").replace("title:", "slug: trang\ntitle:", 1),
            encoding="utf-8"),
        "content/guides/x.vi.md:2 [slug]", ["'/huong-dan/trang/'", "(/huong-dan/trang/2/)"]),
    # a published file where the site writes something else, or only differing in case
    "file_at_feed": (lambda p: (p / "content/feed.xml").write_text("<rss/>")
                     and _link_from_guide(p, "\n[x](/feed.xml)\n"),
                     "content/feed.xml", ["'/feed.xml'", "a feed or calendar (/feed.xml)",
                                          "một nguồn tin hoặc lịch"]),
    "file_at_theme": (lambda p: (p / "content/sw.js").write_text("alert(1)")
                      and _link_from_guide(p, "\n[x](/sw.js)\n"),
                      "content/sw.js", ["'/sw.js'", "the theme's files (/sw.js)"]),
    "files_by_case": (lambda p: [(p / f"content/guides/{n}.pdf").write_bytes(
        b"%PDF-1.4\n%%EOF\n") for n in ("Ke-hoach", "ke-hoach")]
        and _link_from_guide(p, "\n[a](Ke-hoach.pdf) [b](ke-hoach.pdf)\n"),
        "content/guides/Ke-hoach.pdf", ["content/guides/ke-hoach.pdf",
                                        "differ only in capitals", "chữ hoa, chữ thường"]),
}


@pytest.mark.parametrize("case", COLLISIONS)
def test_two_sources_never_share_an_address(project: Path, case: str) -> None:
    make, where, expected = COLLISIONS[case]
    make(project)
    out = _errors(project)
    assert f"ERROR  {where}" in out, out
    for text in expected:
        assert text in out, (text, out)


def test_an_address_collision_stops_the_build(project: Path, tmp_path: Path) -> None:
    """The editor's page at /admin/ is neither published nor hides the web editor."""
    _page(project, "admin.vi.md")
    built = build(project, tmp_path / "site")
    assert built.result.code != 0
    assert "content/pages/admin.vi.md" in built.result.out
    assert "The page address '/admin/' belongs to the web editor" in built.result.out
    assert not built.site.exists()


def test_reserved_addresses_are_what_the_build_writes(example) -> None:
    """Every top-level name in the built example site is either an item's page or an
    address the address check knows the build writes: a new generator that does not tell
    the check where it writes fails here."""
    from binhdan.plan.portal import load_portal

    portal, problems = load_portal(ROOT, ROOT / "content")
    assert portal is not None, problems.report()
    assert portal.theme_files  # read from mkdocs.yml's theme folder
    known = {output.path.split("/")[0] for output in portal.outputs()}
    written = {path.name for path in example.site.iterdir()}
    assert written <= known, written - known


@pytest.mark.parametrize("slug", ["..", "/", "'!!!'", "'-'"])
def test_a_slug_with_nothing_to_make_an_address_from(project: Path, slug: str) -> None:
    _page(project, "lien-he.vi.md", f"slug: {slug}\n")
    out = _errors(project)
    assert "content/pages/lien-he.vi.md:3 [slug]" in out
    assert "has no letter or digit to make a page address from" in out
    assert "không có chữ cái hay chữ số nào" in out
    assert "''" not in out


def test_a_file_name_with_nothing_to_make_an_address_from(project: Path) -> None:
    _page(project, "!!!.vi.md")
    out = _errors(project)
    assert "ERROR  content/pages/!!!.vi.md" in out
    assert "The file name '!!!.vi.md' has no letter or digit" in out


# link written in a guide -> the file it points to (hidden, in a hidden folder, a backup)
NEVER_PUBLISHED = {".env": "content/guides/.env", ".hidden": "content/guides/.hidden",
                   "../.git/config": "content/.git/config",
                   ".obsidian/anh.png": "content/guides/.obsidian/anh.png",
                   "ke-hoach.pdf~": "content/guides/ke-hoach.pdf~",
                   ".ke-hoach.md.swp": "content/guides/.ke-hoach.md.swp"}


@pytest.mark.parametrize("target", NEVER_PUBLISHED)
def test_links_to_files_never_published(project: Path, target: str) -> None:
    """Even when the file is there: it would be a dead link on the site."""
    shown = NEVER_PUBLISHED[target]
    path = project / shown
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    _link_from_guide(project, f"\n\nXem [tệp]({target}).\n")
    out = _errors(project)
    assert "content/guides/nop-ho-so-truc-tuyen.vi.md:15" in out, out
    assert f"The link '{target}' points to '{shown}', a hidden file" in out
    assert "tệp ẩn" in out


def test_links_out_of_content(project: Path) -> None:
    _link_from_guide(project, "\n\n[cấu hình](../../mkdocs.yml)\n")
    out = _errors(project)
    assert "content/guides/nop-ho-so-truc-tuyen.vi.md:15" in out
    assert "The link '../../mkdocs.yml' points outside the content/ folder" in out


@pytest.mark.parametrize("target,scheme", [
    ("&#106;avascript:alert(1)", "javascript"),
    ("&#x6A;avascript&colon;alert(1)", "javascript"),
    ("java&#x09;script:alert(1)", "javascript"),
    ("&#100;ata:text/html,x", "data"),
])
def test_entities_do_not_hide_an_unsafe_link(project: Path, tmp_path: Path, target: str,
                                             scheme: str) -> None:
    _link_from_guide(project, f"\n\n[bấm]({target})\n")
    result = check(project)
    assert f"uses the unsafe '{scheme}:' scheme and was removed" in result.out, result.out
    assert "that file does not exist" not in result.out
    built = build(project, tmp_path / "site", strict=False)
    assert built.result.code == 0, built.result.out
    html = (built.site / "huong-dan" / "nop-ho-so-truc-tuyen" / "index.html").read_text()
    assert f"{scheme}:" not in html.split("<main", 1)[1].lower()


def test_an_entity_in_a_file_link_still_finds_the_file(project: Path, tmp_path: Path) -> None:
    (project / "content" / "guides" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    _link_from_guide(project, "\n\n[kế hoạch](ke&#45;hoach.pdf)\n")
    result = check(project)
    assert result.code == 0, result.out
    built = build(project, tmp_path / "site")
    assert (built.site / "guides" / "ke-hoach.pdf").is_file(), built.result.out


def test_an_e_mail_autolink_and_an_unreadable_address_build(project: Path,
                                                            tmp_path: Path) -> None:
    """Python-Markdown hides an e-mail autolink's letters as entities, and "http://[oops"
    cannot be parsed: neither may crash check or the build, or reach a feed as a path."""
    _link_from_guide(project, "\n\nHỏi <ubnd@eatrang.gov.vn> hoặc [trang](http://[oops)\n")
    result = check(project)
    assert "Traceback" not in result.out and "http://[oops" in result.out, result.out
    built = build(project, tmp_path / "site", strict=False)
    assert built.result.code == 0 and "Traceback" not in built.result.out, built.result.out
    page = (built.site / "huong-dan" / "nop-ho-so-truc-tuyen" / "index.html").read_text()
    assert 'href="mailto:ubnd@eatrang.gov.vn"' in page
    assert "<a>trang</a>" in page  # the unreadable address is dropped, the text kept


@pytest.mark.parametrize("name", ["trang.html", "trang.HTM", "ma.js", "anh.svgz", "kieu.css",
                                  "trang.xhtml", "cai-dat.exe", "ghi-chu.txt"])
def test_only_kinds_of_file_a_field_accepts_are_published(project: Path, tmp_path: Path,
                                                          name: str) -> None:
    """A page or script linked from a text would be served from the portal's own address
    and run as the portal (the CSP allows the site's own scripts)."""
    (project / "content" / "guides" / name).write_text(
        "<script>alert(document.domain)</script>", encoding="utf-8")
    _link_from_guide(project, f"\n\n[tệp]({name})\n")
    result = check(project)
    assert result.code == 1 and f"content/guides/{name}" in result.out, result.out
    assert "cannot be published on the portal" in result.out
    assert "không được đăng lên cổng" in result.out
    built = build(project, tmp_path / "site")
    assert built.result.code == 1 and not (tmp_path / "site").exists()
