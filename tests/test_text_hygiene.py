"""Text hygiene at the door (issue 14): invisible control characters, single-line fields,
size limits, YAML references and nesting, HTML in plain-text fields, every output escaped
for its own format, and messages that lead an editor to the fix. In every case `binhdan
check` and `mkdocs build` end as they should, without a traceback, naming the file, the line
and the field in both languages."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from lxml import etree

from conftest import Result, build, check, run

# What must never reach a published file: C0/C1 controls but tab and newline, line and
# paragraph separators, text-direction overrides, XML's noncharacters
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ufffe\uffff]")
TEXT_OUTPUTS = (".html", ".xml", ".json", ".ics", ".txt")  # what editors' text reaches


def write(project: Path, path: str, text: str | bytes) -> Path:
    """A file under the project (content/... or data/...)."""
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def news(title: str = "Tin mới", summary: str = "Tóm tắt.", extra: str = "",
         body: str = "Nội dung.", date: str = "2026-11-01") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nsummary: {summary}\n{extra}---\n{body}\n"


def reported(result: Result, code: int, *fragments: str) -> None:
    """The command ended with `code`, no traceback, and said every fragment."""
    assert result.code == code, result.out
    assert "Traceback" not in result.out, result.out
    for fragment in fragments:
        assert fragment in result.out, f"{fragment!r} not in:\n{result.out}"


def refused(project: Path, tmp_path: Path, *fragments: str) -> None:
    """Both `binhdan check` and `mkdocs build` stop with the message, the site untouched."""
    reported(check(project), 1, *fragments)
    built = build(project, tmp_path / "site")
    reported(built.result, 1, *fragments)
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------- control characters ------

def test_word_breaks_and_stray_controls_are_cleaned_with_a_warning(project: Path,
                                                                  tmp_path: Path) -> None:
    write(project, "content/news/word.vi.md", news(
        title="Lớp học\vbuổi tối", summary='"Tóm tắt\\fngắn"', extra="author: Tổ\x01 CĐS\n",
        body="Dòng một\vdòng hai\fĐoạn mới\u2028dòng ba\n\nChữ\x7f lạ\x85 và\ufffe hết\x1b."))
    topics = project / "data/topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        "Dịch vụ công trực tuyến", "Dịch vụ công\u2029trực tuyến"), encoding="utf-8")
    result = check(project)
    reported(result, 0, "CẢNH BÁO / WARNING  content/news/word.vi.md:2\n",
             "dấu xuống dòng của Word (Shift+Enter) (U+000B", "đã thay bằng dấu cách",
             "Word line break (Shift+Enter) (U+000B, 1 from this line on)",
             "CẢNH BÁO / WARNING  content/news/word.vi.md:4\n", "Word page break (U+000C",
             "CẢNH BÁO / WARNING  content/news/word.vi.md:5\n", "control character (U+0001",
             "CẢNH BÁO / WARNING  content/news/word.vi.md:7\n", "replaced with a line break",
             "replaced with a new paragraph", "U+2028",
             "CẢNH BÁO / WARNING  content/news/word.vi.md:9\n", "U+007F", "U+0085", "U+FFFE",
             "CẢNH BÁO / WARNING  data/topics.yml:4\n", "U+2029")
    built = build(project, tmp_path / "site")
    reported(built.result, 0)
    page = built.html("tin-tuc/word/")
    assert page.h1.get_text(strip=True) == "Lớp học buổi tối"
    body = page.select_one(".portal-body") or page
    assert body.find("br") is not None  # Word's Shift+Enter: a line break in the body
    assert any(p.get_text(strip=True).startswith("Đoạn mới") for p in body.find_all("p"))
    dirty = [path for path in built.site.rglob("*") if path.suffix in TEXT_OUTPUTS
             and CONTROLS.search(path.read_text(encoding="utf-8", errors="replace")
                                 .replace("\ufffd", ""))]
    assert not dirty, dirty
    entry = next(e for e in feedparser.parse((built.site / "feed.xml").read_bytes()).entries
                 if e.title == "Lớp học buổi tối")
    assert entry.summary == "Tóm tắt ngắn"


@pytest.mark.parametrize(("path", "text", "where", "char"), [
    ("content/news/x.vi.md", news(title="Hóa đơn \u202egpj.exe"), "content/news/x.vi.md:2",
     "U+202E"),
    ("content/news/x.vi.md", news(summary='"Bấm \\u2066vào đây\\u2069"'),
     "content/news/x.vi.md:4", "U+2066"),
    ("content/news/x.vi.md", news(body="Đoạn một.\n\nĐoạn\u202d hai."),
     "content/news/x.vi.md:8", "U+202D"),
    ("content/news/x.vi.md", news(body="Tệp\x00 hỏng"), "content/news/x.vi.md:6", "U+0000"),
    ("data/story-models.yml", "- id: a\n  name: {vi: \"Mô\\u202ehình\", en: Model}\n",
     "data/story-models.yml:2", "U+202E"),
])
def test_text_direction_overrides_and_nul_are_refused(project: Path, tmp_path: Path, path: str,
                                                      text: str, where: str, char: str) -> None:
    write(project, path, text)
    refused(project, tmp_path, f"LỖI / ERROR  {where}\n", f"({char}, 1 chỗ kể từ dòng này)",
            f"({char}, 1 from this line on)", "không được phép", "is not allowed")


@pytest.mark.parametrize(("path", "text", "where", "lines"), [
    ("content/news/x.vi.md", news(title="|\n  Họp dân\n  thôn Hai"),
     "content/news/x.vi.md:2 [title]", 2),
    ("content/news/x.vi.md", news(summary='"Một\\nHai\\nBa"'),
     "content/news/x.vi.md:4 [summary]", 3),
    ("content/events/x.vi.md", "---\ntitle: Họp\ndate: 2026-11-01\nsummary: S\n"
     "start: 2026-12-01 08:00\nplace: |\n  Nhà văn hóa\n  END:VEVENT\n---\nx\n",
     "content/events/x.vi.md:6 [place]", 2),
    ("content/guides/x.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n"
     "service: VNeID\ndifficulty: co-ban\nrequirements: [\"Điện thoại\\nthông minh\"]\n"
     "steps:\n  - title: \"Mở\\r\\nứng dụng\"\n---\nx\n", "content/guides/x.vi.md:7 "
     "[requirements]", 2),
    ("content/guides/x.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n"
     "service: VNeID\ndifficulty: co-ban\nsteps:\n  - title: \"Mở\\nứng dụng\"\n---\nx\n",
     "content/guides/x.vi.md:8 [title]", 2),
])
def test_single_line_fields_refuse_line_breaks(project: Path, tmp_path: Path, path: str,
                                               text: str, where: str, lines: int) -> None:
    write(project, path, text)
    field = where.rsplit("[", 1)[1].rstrip("]")
    refused(project, tmp_path, f"LỖI / ERROR  {where}\n",
            f"phải viết trên một dòng, nhưng đang có {lines} dòng",
            f"must be written on one line, but it has {lines} lines",
            f"on the same line as '{field}:'")


# ---------------------------------------------------------------- sizes -------------------

@pytest.mark.parametrize("megabytes", [1.2, 12])
def test_a_huge_body_is_refused_before_any_parser_sees_it(project: Path, tmp_path: Path,
                                                         megabytes: float) -> None:
    line = "Bà con mang căn cước và điện thoại đến nhà văn hóa thôn. " * 20 + "\n\n"
    body = line * int(megabytes * 1024 * 1024 / len(line.encode()) + 1)
    path = write(project, "content/news/dai.vi.md", news(body=body))
    size = f"{path.stat().st_size / 1024 / 1024:.1f}"
    started = time.monotonic()
    refused(project, tmp_path, "LỖI / ERROR  content/news/dai.vi.md\n",
            f"Tệp nặng {size} MB, quá giới hạn 1 MB cho một bài",
            f"The file is {size} MB, over the limit of 1 MB for one item")
    assert time.monotonic() - started < 30


LINK = "Xem thêm [phiếu tự kiểm tra](../materials/phieu.vi.md)."


@pytest.mark.parametrize(("body", "line"), [
    ("Mở đầu.\n\n" + "\n".join([LINK] * 5000), 8),  # one paragraph of links, no blank lines
    ("[" * 16000, 6),  # the vertical case: quadratic in every Markdown version
    ("- mục\n\n> trích " + "[a](b) " * 300, 8),  # a quote is one paragraph too
])
def test_a_paragraph_that_would_hang_the_converter_is_refused(
        project: Path, tmp_path: Path, body: str, line: int) -> None:
    write(project, "content/news/links.vi.md", news(body=body))
    started = time.monotonic()
    refused(project, tmp_path, f"LỖI / ERROR  content/news/links.vi.md:{line}\n",
            "có hơn 200 dấu '['", "has more than 200 '[' (links, notes)",
            "write them as a list")
    assert time.monotonic() - started < 60


def test_many_links_as_a_list_a_table_or_code_are_published(project: Path,
                                                            tmp_path: Path) -> None:
    rows = [f"| Xã {n} | [Điểm hỗ trợ {n}](https://example.gov.vn/{n}) |" for n in range(400)]
    body = ("\n".join(f"- [Điểm {n}](https://example.gov.vn/d/{n})" for n in range(400))
            + "\n\n| Xã | Điểm |\n|---|---|\n" + "\n".join(rows)
            + "\n\n```json\n" + "[1, [2, [3]]] " * 300 + "\n```\n")
    write(project, "content/news/links.vi.md", news(body=body))
    built = build(project, tmp_path / "site")
    reported(built.result, 0)
    page = next((tmp_path / "site").rglob("links/index.html")).read_text(encoding="utf-8")
    assert page.count('href="https://example.gov.vn/') == 800


def test_a_huge_data_file_is_refused(project: Path, tmp_path: Path) -> None:
    topics = project / "data/topics.yml"
    padding = "# " + "x" * 1000 + "\n"
    topics.write_text(topics.read_text(encoding="utf-8") + padding * 2200, encoding="utf-8")
    refused(project, tmp_path, "LỖI / ERROR  data/topics.yml\n",
            "Tệp dữ liệu nặng 2.1 MB, quá giới hạn 2 MB",
            "The data file is 2.1 MB, over the limit of 2 MB")


@pytest.mark.parametrize(("extra", "where", "fragments"), [
    ("author: " + "Ban chỉ đạo " * 30 + "\n", "content/news/x.vi.md:5 [author]",
     ("dài 359 ký tự, quá giới hạn 300", "is 359 characters long, over the limit of 300")),
    ("image_alt: " + "Ảnh " * 100 + "\n", "content/news/x.vi.md:5 [image_alt]",
     ("quá giới hạn 300", "over the limit of 300")),
    ("radio_text: |\n" + "  Bà con chú ý.\n" * 4000, "content/news/x.vi.md:5 [radio_text]",
     ("dài 56000 ký tự, quá giới hạn 50000", "Shorten it, or move the long part")),
])
def test_fields_are_bounded_by_the_schema(project: Path, tmp_path: Path, extra: str,
                                          where: str, fragments: tuple[str, ...]) -> None:
    write(project, "content/news/x.vi.md", news(extra=extra))
    refused(project, tmp_path, f"LỖI / ERROR  {where}\n", *fragments)


# ---------------------------------------------------------------- YAML references ---------

LAUGHS = "lol: &a [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(  # a billion laughs
    f"l{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi",
                                                               strict=True))
# The child reports its own peak memory: the bomb must be refused, not survived
MEASURED_CHECK = ("import resource, sys\nfrom binhdan.cli import main\ncode = main(['check'])\n"
                  "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
                  "sys.exit(code)\n")


@pytest.mark.parametrize(("path", "text", "where", "fragment"), [
    ("content/news/bom.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n" + LAUGHS
     + "---\nx\n", "content/news/bom.vi.md:5", "cổng không nhận tham chiếu"),
    ("data/topics.yml", "- id: vneid\n  name: {vi: VNeID, en: VNeID}\n  extra:\n"
     + "".join("    " + line + "\n" for line in LAUGHS.splitlines()), "data/topics.yml:4",
     "the portal accepts no references"),
    ("content/news/bom.vi.md", "---\ntitle: &t [*t]\ndate: 2026-11-01\nsummary: S\n---\nx\n",
     "content/news/bom.vi.md:2", "write the value out in full"),
    ("content/news/bom.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\nsteps: "
     + "[" * 5000 + "]" * 5000 + "\n---\nx\n", "content/news/bom.vi.md:5",
     "lồng quá nhiều tầng (tối đa 12"),
    ("content/news/bom.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n"
     + "".join(f"k{n}: v\n" for n in range(90_000)) + "---\nx\n", "content/news/bom.vi.md:1001",
     "too many fields and values (at most 2000)"),
])
def test_yaml_bombs_are_refused_in_seconds_and_bounded_memory(
        project: Path, tmp_path: Path, path: str, text: str, where: str, fragment: str) -> None:
    write(project, path, text)
    started = time.monotonic()
    result = run([sys.executable, "-c", MEASURED_CHECK], project)
    elapsed = time.monotonic() - started
    reported(result, 1, f"LỖI / ERROR  {where}\n", fragment)
    peak_mb = int(re.search(r"peak-rss-kb (\d+)", result.out).group(1)) // 1024
    assert elapsed < 15 and peak_mb < 400, (elapsed, peak_mb)  # was: > 8 GB, minutes
    built = build(project, tmp_path / "site")
    reported(built.result, 1, where)


# ---------------------------------------------------------------- output escaping ---------

PAYLOAD_TITLE = 'Họp <b>khẩn</b>; tổ 1, 2 & "gấp"'
PAYLOAD_SUMMARY = ('<script>alert(1)</script> <a href="javascript:alert(2)">bấm</a> '
                   '&#106;s &amp; <img src=x onerror=alert(3)>')
PAYLOAD_PLACE = "Nhà văn hóa <i>thôn</i>; tầng 2, phòng \\3"


def test_html_in_plain_text_fields_is_reported_and_never_live(project: Path,
                                                              tmp_path: Path) -> None:
    write(project, "content/events/hop.vi.md", "---\n"
          f"title: '{PAYLOAD_TITLE}'\ndate: 2026-11-01\nsummary: '{PAYLOAD_SUMMARY}'\n"
          f"start: 2026-12-01 08:00\nplace: '{PAYLOAD_PLACE}'\n---\nNội dung.\n")
    reported(check(project), 0,
             "CẢNH BÁO / WARNING  content/events/hop.vi.md:2 [title]\n",
             "Trường 'title' có mã HTML ('<b>')", "readers will see '<b>'",
             "CẢNH BÁO / WARNING  content/events/hop.vi.md:4 [summary]\n", "('<script>')",
             "CẢNH BÁO / WARNING  content/events/hop.vi.md:6 [place]\n", "('<i>')")
    built = build(project, tmp_path / "site")
    reported(built.result, 0)
    # RSS: readers show <description> as HTML, so it holds the text escaped once more
    for name in ("feed.xml", "su-kien/feed.xml", "radio.xml"):
        root = etree.fromstring((built.site / name).read_bytes())
        item = next(i for i in root.iter("item") if i.findtext("title") == PAYLOAD_TITLE)
        description = item.findtext("description")
        assert "<" not in description and "&lt;script&gt;" in description, (name, description)
        shown = BeautifulSoup(description, "html.parser")
        assert shown.find(True) is None, name  # no element: the reader shows the text
        parsed = next(e for e in feedparser.parse((built.site / name).read_bytes()).entries
                      if e.title == PAYLOAD_TITLE)
        assert "<script" not in parsed.description and "<img" not in parsed.description
    atom = next(e for e in feedparser.parse((built.site / "atom.xml").read_bytes()).entries
                if e.title == PAYLOAD_TITLE)
    assert atom.summary_detail.type == "text/plain" and atom.summary == PAYLOAD_SUMMARY
    item = next(i for i in json.loads((built.site / "feed.json").read_text(encoding="utf-8"))
                ["items"] if i["title"] == PAYLOAD_TITLE)
    assert item["summary"] == PAYLOAD_SUMMARY  # JSON Feed: plain text by definition
    assert "<script" not in item["content_html"] and "&lt;script&gt;" in item["content_html"]
    # Calendars: text escaped and folded, nothing can start a property of its own
    ics = (built.site / "su-kien/hop/lich.ics").read_bytes()
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert (str(event["summary"]), str(event["location"])) == (PAYLOAD_TITLE, PAYLOAD_PLACE)
    assert str(event["description"]).startswith(PAYLOAD_SUMMARY)
    assert b"X-WR-CALNAME:H\xe1\xbb\x8dp <b>kh\xe1\xba\xa9n</b>\\; t\xe1\xbb\x95 1\\, 2" in ics
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))  # folded (RFC 5545)
    page = built.html("su-kien/hop/")
    assert page.h1.get_text() == PAYLOAD_TITLE and page.h1.find(True) is None
    assert not page.select("[onerror], a[href^=javascript]")
    assert not any("alert" in script.get_text() for script in page.find_all("script"))


# ---------------------------------------------------------------- messages ----------------

def test_check_lists_scheduled_items_with_the_day_they_appear(project: Path) -> None:
    write(project, "content/news/noel.vi.md", news(date="2026-12-24"))
    write(project, "content/news/noel.en.md", "---\ntitle: Christmas\nsummary: S.\n---\nx\n")
    write(project, "content/news/tet.vi.md", news(date="05/01/2027"))
    write(project, "content/news/nhap.vi.md", news(date="2026-12-01", extra="draft: true\n"))
    write(project, "content/news/hom-nay.vi.md", news(date="2026-11-21"))
    reported(check(project), 0,
             "Scheduled: 3 files not on the site yet, published on the day shown.\n"
             "  24/12/2026  content/news/noel.en.md\n  24/12/2026  content/news/noel.vi.md\n"
             "  05/01/2027  content/news/tet.vi.md\n",
             "Hẹn ngày đăng: 3 tệp chưa có trang",
             "Content is valid: 15 files (3 scheduled, 1 drafts)")


ORIGINAL = "content/guides/cai-dat-vneid.vi.md"


@pytest.mark.parametrize(("breakage", "fragment"), [
    (lambda text: text.replace("\n---\nHỏi", "\nHỏi"), "is never closed"),
    (lambda text: text.replace("title: Cài đặt ứng dụng VNeID",
                               "title: Bước 1: cài ứng dụng VNeID"),
     'title: "Bước 1: cài ứng dụng VNeID"'),
    (lambda text: text.replace("  - title: Mở", "\t- title: Mở"), "indented with a Tab"),
    (lambda text: text.replace("summary: Tải", 'summary: "Tải'), "is never closed"),
    (lambda text: text.replace("topics: [vneid]", "topics: [vneid"), "is not closed properly"),
])
def test_a_broken_original_comes_first_and_its_translations_wait(
        project: Path, tmp_path: Path, breakage, fragment: str) -> None:  # type: ignore[no-untyped-def]
    original = project / ORIGINAL
    original.write_text(breakage(original.read_text(encoding="utf-8")), encoding="utf-8")
    result = check(project)
    reported(result, 1, fragment, f"Fix {ORIGINAL} first", f"Hãy sửa {ORIGINAL} trước",
             *(f"CẢNH BÁO / WARNING  content/guides/cai-dat-vneid.{lang}.md:1\n"
               for lang in ("en", "rad")))
    errors = result.out.split("LỖI / ERROR  ")[1:]
    assert errors[0].startswith(ORIGINAL), result.out
    # the translations' own follow-on errors ("add a 'date' line") are folded into it
    assert not any(error.startswith("content/guides/cai-dat-vneid.") for error in errors[1:])
    assert "[date]" not in result.out and "Required field" not in result.out
    refused(project, tmp_path, f"LỖI / ERROR  {ORIGINAL}")


@pytest.mark.parametrize(("line", "where", "plain", "parser"), [
    ("title: Bước 1: mở ứng dụng", 2, ('Hãy đặt cả giá trị trong dấu ngoặc kép: title: "Bước 1: '
                                       'mở ứng dụng"', 'double quotes: title: "Bước 1: mở ứng '
                                       'dụng"'), "mapping values are not allowed"),
    ("title: *Quan trọng* cài VNeID", 2, ("bắt đầu bằng ký tự '*'", 'title: "*Quan trọng* '
                                          'cài VNeID"'), "found undefined alias"),
    ("title: @UBND xã thông báo", 2, ("starts with '@'", 'title: "@UBND xã thông báo"'),
     "found character that cannot start any token"),
    ('title: "Họp dân', 2, ('Dấu ngoặc " mở ở dòng này nhưng không được đóng',
                            'The quote " opened on this line is never closed'),
     "found unexpected end of stream"),
    ('title: "Họp" dân thôn', 2, ("có chữ thừa sau dấu ngoặc kép đóng",
                                  "text after a closing quote"), "did not find expected key"),
    ("image: \"C:\\Users\\anh.jpg\"\ntitle: T", 2, ("Use single quotes ('...')",
                                                   "viết '/' thay cho '\\'"),
     "did not find expected hexdecimal number"),
    ("title: T\ntopics: [vneid, dich-vu-cong", 3, ("Danh sách (hoặc nhóm) mở bằng '['",
                                                  "a ']' ends it on the same line"),
     "did not find expected ',' or ']'"),
    ("title: | Họp dân", 2, ("Nothing may follow '|' or '>' on its line",
                             "Sau dấu '|' hoặc '>'"), "did not find expected comment"),
])
def test_yaml_errors_say_what_to_do_before_the_parsers_words(
        project: Path, tmp_path: Path, line: str, where: int, plain: tuple[str, str],
        parser: str) -> None:
    write(project, "content/news/loi.vi.md", f"---\n{line}\ndate: 2026-11-01\nsummary: S\n"
          "---\nx\n")
    result = check(project)
    reported(result, 1, f"LỖI / ERROR  content/news/loi.vi.md:{where}\n", *plain,
             f"(Lỗi cú pháp YAML: {parser}", f"(YAML syntax error: {parser}")
    for fragment in plain:
        assert result.out.index(fragment) < result.out.index(f"(YAML syntax error: {parser}")
    refused(project, tmp_path, f"content/news/loi.vi.md:{where}")


@pytest.mark.parametrize(("extra", "where", "suggestion"), [
    ("topics: [VNeID]\n", "5 [topics]", "'vneid'"),
    ("topics: [dịch vụ công]\n", "5 [topics]", "'dich-vu-cong'"),
    ("topics: [dich-vu-cog]\n", "5 [topics]", "'dich-vu-cong'"),
    ("localities: [Buôn Một]\n", "5 [localities]", "'buon-mot'"),
    ("audiences: nguoi cao tuoi\n", "5 [audiences]", "'nguoi-cao-tuoi'"),
    ("localites: [ea-trang]\n", "5 [localites]", "'localities'"),
])
def test_unknown_codes_suggest_the_nearest(project: Path, tmp_path: Path, extra: str,
                                           where: str, suggestion: str) -> None:
    write(project, "content/news/x.vi.md", news(extra=extra))
    refused(project, tmp_path, f"LỖI / ERROR  content/news/x.vi.md:{where}\n",
            f"Có phải là {suggestion}?", f"Did you mean {suggestion}?")


def test_unknown_choices_and_models_suggest_the_nearest(project: Path, tmp_path: Path) -> None:
    write(project, "content/guides/x.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n"
          "service: VNeID\ndifficulty: Cơ bản\nsteps:\n  - title: Mở\n---\nx\n")
    write(project, "content/stories/x.vi.md", "---\ntitle: T\ndate: 2026-11-01\nsummary: S\n"
          "localities: [ea-trang]\nmodel: Công dân số tiêu biểu\n---\nx\n")
    refused(project, tmp_path, "LỖI / ERROR  content/guides/x.vi.md:6 [difficulty]\n",
            "Did you mean 'co-ban'? Choose one of: co-ban, trung-binh, nang-cao",
            "LỖI / ERROR  content/stories/x.vi.md:6 [model]\n",
            "Có phải là 'cong-dan-so-tieu-bieu'?")


@pytest.mark.parametrize(("value", "written"), [
    ("vneid, dich-vu-cong", "vneid, dich-vu-cong"),
    ("VNeID, Dịch vụ công", "vneid, dich-vu-cong"),
    ("vneid; dich-vu-cong", "vneid, dich-vu-cong"),
])
def test_a_list_without_brackets_is_explained(project: Path, tmp_path: Path, value: str,
                                              written: str) -> None:
    write(project, "content/news/x.vi.md", news(extra=f"topics: {value}\n"))
    refused(project, tmp_path, "LỖI / ERROR  content/news/x.vi.md:5 [topics]\n",
            f"'{value}' được viết không có dấu ngoặc vuông",
            f"is written without square brackets, so it is read as one single code. Write: "
            f"topics: [{written}]")


# ------------------------------------------------------------ found by the fuzz test -----

def test_a_word_longer_than_anyone_types_builds(project: Path, tmp_path: Path) -> None:
    """A pasted code or address of 70,000 letters became a search-index file name too long
    for the disk: the build failed after check had passed."""
    guide = project / "content/guides/nop-ho-so-truc-tuyen.vi.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n" + "x" * 70_000 + "\n",
                     encoding="utf-8")
    assert check(project).code == 0
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out[-2000:]
    longest = max(len(path.name) for path in built.site.rglob("*"))
    assert longest < 100


def test_a_csv_cell_too_long_to_read_is_named(project: Path) -> None:
    sheet = project / "data/observations/thang-6.csv"
    sheet.parent.mkdir(exist_ok=True)
    sheet.write_text("locality,indicator,period,value\nbuon-mot,ty-le,2026-06,\"" + "9" * 200_000
                     + "\"\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1 and "Traceback" not in result.out, result.out[-2000:]
    assert "data/observations/thang-6.csv:2" in result.out
    assert "cannot be read from this line on" in result.out
