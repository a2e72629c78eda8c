"""Bad content is stopped with a message naming the file, line, field and the fix, in
Vietnamese and English, and a non-zero exit: from `binhdan check` and from `mkdocs build`."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, build, check

FIXTURE = FIXTURES / "ea-trang"

GUIDE = """---
title: Đăng ký tài khoản
date: 2026-03-02
summary: Tóm tắt.
topics: [vneid]
service: VNeID
difficulty: co-ban
steps:
  - title: Mở ứng dụng
{extra}---
Nội dung.
"""


def guide(extra: str = "") -> str:
    return GUIDE.format(extra=extra)


CASES = {
    "yaml_syntax": (
        "guides/loi.vi.md", '---\ntitle: "Đăng ký\ndate: 2026-03-02\n---\nx\n',
        ["content/guides/loi.vi.md:", "Lỗi cú pháp YAML", "YAML syntax error"]),
    "unknown_field": (
        "guides/loi.vi.md", guide("colour: red\n"),
        ["content/guides/loi.vi.md:10 [colour]",
         "Trường 'colour' không dùng được cho loại 'guide'",
         "Field 'colour' is not allowed for type 'guide'"]),
    "wrong_type": (
        "guides/loi.vi.md", guide("time_needed: mười phút\n"),
        ["content/guides/loi.vi.md:10 [time_needed]", "phải là một số nguyên",
         "must be a whole number, but it is 'mười phút'"]),
    "wrong_type_list": (  # the kind of value, told in each message's own language
        "guides/loi.vi.md", guide("service: [VNeID, DVC]\n").replace("service: VNeID\n", ""),
        ["content/guides/loi.vi.md:9 [service]", "nhưng đang là một danh sách",
         "but it is a list"]),
    "missing_field": (
        "guides/loi.vi.md", guide().replace("service: VNeID\n", ""),
        ["content/guides/loi.vi.md", "[service]", "Thiếu trường bắt buộc 'service'",
         "Required field 'service' (Service or app) is missing"]),
    "unknown_topic": (
        "guides/loi.vi.md", guide().replace("[vneid]", "[vneid, ngan-hang]"),
        ["content/guides/loi.vi.md:5 [topics]", "'ngan-hang' không có trong data/topics.yml",
         "'ngan-hang' is not defined in data/topics.yml"]),
    "unknown_audience": (
        "guides/loi.vi.md", guide("audiences: [nguoi-gia]\n"),
        ["content/guides/loi.vi.md:10 [audiences]", "data/audiences.yml",
         "Use one of: nguoi-cao-tuoi, nguoi-dan"]),
    "unknown_locality": (
        "guides/loi.vi.md", guide("localities: thon-ba\n"),
        ["content/guides/loi.vi.md:10 [localities]", "'thon-ba' is not defined in "
         "data/localities.yml"]),
    "duplicate_slug": (
        "guides/khac.vi.md", guide("slug: cai-dat-vneid\n"),
        ["content/guides/khac.vi.md:10 [slug]", "/huong-dan/cai-dat-vneid/",
         "content/guides/cai-dat-vneid.vi.md", "Rename the file or set a different 'slug'"]),
    "duplicate_slug_in_a_translation": (  # an English slug taking another item's address
        "guides/bao-mat-tai-khoan.en.md",
        "---\ntitle: Keeping your account safe\nsummary: S.\nslug: cai-dat-vneid\n"
        "service: VNeID\nsteps:\n  - title: Open the app\n---\nText.\n",
        ["content/guides/bao-mat-tai-khoan.en.md:4 [slug]", "/en/guides/cai-dat-vneid/",
         "content/guides/cai-dat-vneid.en.md"]),
    "impossible_date": (
        "guides/loi.vi.md", guide().replace("2026-03-02", "31/02/2026"),
        ["content/guides/loi.vi.md:3 [date]", "'31/02/2026' không tồn tại",
         "the date '31/02/2026' does not exist"]),
    "year_typo": (
        "guides/loi.vi.md", guide().replace("2026-03-02", "20266-03-02"),
        ["content/guides/loi.vi.md:3 [date]", "năm 20266", "the year 20266 looks like a typo"]),
    "unknown_date_format": (
        "guides/loi.vi.md", guide().replace("2026-03-02", "March 2, 2026"),
        ["content/guides/loi.vi.md:3 [date]", "Write it as 2026-10-10 or 10/10/2026"]),
    "bad_choice": (
        "guides/loi.vi.md", guide().replace("co-ban", "de"),
        ["content/guides/loi.vi.md:7 [difficulty]",
         "Choose one of: co-ban, trung-binh, nang-cao"]),
    "no_front_matter": (
        "news/loi.vi.md", "Tiêu đề\n\nNội dung\n",
        ["content/news/loi.vi.md:1", "Thiếu phần thông tin đầu tệp", "Front matter is missing"]),
    "front_matter_not_closed": (
        "news/loi.vi.md", "---\ntitle: A\ndate: 2026-01-01\n\nNội dung\n",
        ["content/news/loi.vi.md:1", "is never closed"]),
    "tab_indent": (
        "guides/loi.vi.md", guide().replace("  - title: Mở", "\t- title: Mở"),
        ["content/guides/loi.vi.md:9", "thụt lề bằng phím Tab", "indented with a Tab"]),
    "end_before_start": (
        "events/loi.vi.md",
        "---\ntitle: Lớp học\ndate: 2026-01-01\nsummary: S\nstart: 2026-12-10 08:00\n"
        "end: 2026-12-09 08:00\nplace: Nhà văn hóa\n---\nx\n",
        ["content/events/loi.vi.md:6 [end]", "is earlier than the start"]),
    "empty_body": (
        "news/loi.vi.md", "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\n---\n\n",
        ["content/news/loi.vi.md", "The body (after the second '---' line) is empty"]),
    "missing_image": (
        "news/loi.vi.md",
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\nimage: anh/lop-hoc.jpg\n"
        "image_alt: Lớp học\n---\nx\n",
        ["content/news/loi.vi.md:5 [image]", "content/news/anh/lop-hoc.jpg",
         "that file does not exist"]),
    "unknown_folder": (
        "bai-viet/loi.vi.md", guide(),
        ["content/bai-viet/loi.vi.md", "Thư mục 'bai-viet' không phải là loại nội dung"]),
    "unknown_language": (
        "guides/cai-dat-vneid.fr.md", guide(),
        ["content/guides/cai-dat-vneid.fr.md", "language code 'fr', which is not configured"]),
    "translation_mismatch": (
        "guides/cai-dat-vneid.en.md",
        "---\ntitle: Install\nsummary: S\nservice: VNeID\ndate: 2026-03-03\nsteps:\n"
        "  - title: Open\n---\nx\n",
        ["content/guides/cai-dat-vneid.en.md:5 [date]", "must match the vi version"]),
    "title_too_long": (
        "guides/loi.vi.md", guide().replace("Đăng ký tài khoản", "Đăng ký " * 37 + "tiếp"),
        ["content/guides/loi.vi.md:2 [title]", "dài 300 ký tự, quá giới hạn 150",
         "is 300 characters long, over the limit of 150"]),
    "story_names_people_without_consent": (
        "stories/ba-h.vi.md",
        "---\ntitle: Bà H. học VNeID\ndate: 2026-07-01\nsummary: S\nlocalities: [thon-hai]\n"
        "model: thon-so-tieu-bieu\npeople: [Hoàng Thị Hoa]\n---\nNội dung.\n",
        ["content/stories/ba-h.vi.md:7 [consent]", "(Hoàng Thị Hoa)",
         "chưa ghi 'consent: true'", "Publish only with their agreement",
         "Decree 13/2023/NĐ-CP"]),
    "story_photo_without_consent": (
        "stories/anh.vi.md",
        "---\ntitle: Lớp học thôn Hai\ndate: 2026-07-01\nsummary: S\n"
        "localities: [thon-hai]\nmodel: thon-so-tieu-bieu\nconsent: false\n---\nNội dung.\n\n"
        "![Bà con trong lớp học](/chung/anh.svg)\n",
        ["content/stories/anh.vi.md:7 [consent]", "có thể nhận ra (ảnh) nhưng",
         "identifiable people (photo) but", "remove the photos and use initials"]),
    "video_without_captions": (
        "videos/loi.vi.md",
        "---\ntitle: Video\ndate: 2026-01-01\nsummary: S\n"
        "video_url: https://www.youtube.com/watch?v=x\n---\nLời video.\n",
        ["content/videos/loi.vi.md", "[captions]", "Required field 'captions'"]),
    "video_without_transcript": (
        "videos/loi.vi.md",
        "---\ntitle: Video\ndate: 2026-01-01\nsummary: S\n"
        "video_url: https://www.youtube.com/watch?v=x\ncaptions: /chung/phu-de.vtt\n---\n\n",
        ["content/videos/loi.vi.md", "the full transcript of the video"]),
    "missing_alt": (
        "news/loi.vi.md",
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\nimage: /chung/anh.svg\n---\nx\n",
        ["content/news/loi.vi.md:5 [image_alt]"]),
    "raw_html_image": (
        "news/loi.vi.md",
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\n---\nẢnh lớp học:\n\n"
        '<img src="../chung/anh.svg" width="300">\n',
        ["LỖI / ERROR  content/news/loi.vi.md:8\n",
         "Ảnh được chèn bằng thẻ HTML <img> ('../chung/anh.svg')",
         "Write it the Markdown way: ![description](image-name.jpg)"]),
    "reference_image_without_alt": (
        "news/loi.vi.md",
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\n---\nẢnh:\n\n![][lop-hoc]\n\n"
        "[lop-hoc]: ../chung/anh.svg\n",
        ["LỖI / ERROR  content/news/loi.vi.md:8\n", "Ảnh 'lop-hoc' chưa có mô tả",
         "The image 'lop-hoc' has no description"]),
    "body_image_without_alt": (
        "news/loi.vi.md",
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\n---\nẢnh:\n\n![](../chung/anh.svg)\n",
        ["LỖI / ERROR  content/news/loi.vi.md:8\n", "Ảnh '../chung/anh.svg' chưa có mô tả",
         "If it is purely decorative, write ![](../chung/anh.svg){.decorative}"]),
    "translation_locality_mismatch": (
        "guides/cai-dat-vneid.en.md",
        (FIXTURE / "content/guides/cai-dat-vneid.en.md").read_text(encoding="utf-8").replace(
            "---\n", "---\nlocalities: [thon-hai]\n", 1),
        ["content/guides/cai-dat-vneid.en.md:2 [localities]", "must match the vi version"]),
    "missing_attachment": (
        "materials/loi.vi.md",
        "---\ntitle: Tài liệu\ndate: 2026-01-01\nsummary: S\naudiences: [nguoi-dan]\n"
        "attachments:\n  - file: so-tay.pdf\n    title: Sổ tay\n---\nx\n",
        ["content/materials/loi.vi.md:7 [file]", "content/materials/so-tay.pdf",
         "that file does not exist"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_reports_bad_content(project: Path, case: str) -> None:
    name, text, expected = CASES[case]
    shared = project / "content" / "chung"  # files the cases may point to
    shared.mkdir()
    (shared / "anh.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (shared / "phu-de.vtt").write_text("WEBVTT\n")
    target = project / "content" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = check(project)
    assert result.code == 1, result.out
    for fragment in expected:
        assert fragment in result.out, f"{fragment!r} not in:\n{result.out}"
    assert "Traceback" not in result.out


def test_not_utf8_is_detected_not_guessed(project: Path) -> None:
    target = project / "content" / "news" / "word.vi.md"
    target.write_bytes(guide().encode("utf-16"))
    result = check(project)
    assert result.code == 1
    assert "content/news/word.vi.md" in result.out
    assert "not encoded as UTF-8 (it looks like UTF-16" in result.out


def test_windows_1258_is_reported(project: Path) -> None:
    target = project / "content" / "news" / "cu.vi.md"
    # Windows-1258 stores Vietnamese as base letters (ư, ơ, ă, đ) plus combining tone marks.
    text = "---\ntitle: Tin t\u01b0\u0301c m\u01a1\u0301i\n---\n\u0110\u0103ng ky\u0301\n"
    target.write_bytes(text.encode("cp1258"))
    result = check(project)
    assert result.code == 1
    assert "Windows-1258" in result.out


def test_all_problems_are_listed_at_once(project: Path) -> None:
    (project / "content/guides/a.vi.md").write_text(guide("colour: red\n"), encoding="utf-8")
    (project / "content/guides/b.vi.md").write_text(
        guide().replace("co-ban", "de"), encoding="utf-8")
    result = check(project)
    assert "content/guides/a.vi.md:10 [colour]" in result.out
    assert "content/guides/b.vi.md:7 [difficulty]" in result.out
    assert "2 lỗi, 0 cảnh báo / 2 errors, 0 warnings" in result.out


def test_a_wrong_field_does_not_hide_the_body_problems_of_the_same_file(project: Path) -> None:
    """An editor fixes everything in one go: the missing cover photo, and the broken link
    and image without alt in the body, are all reported in the first run."""
    (project / "content/news/mot-lan.vi.md").write_text(
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\nimage: anh/khong-co.jpg\n"
        "image_alt: Lớp học\n---\nXem [hướng dẫn](../guides/khong-co.md).\n\n"
        "![](../guides/anh-cung-khong-co.png)\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/news/mot-lan.vi.md:5 [image]" in result.out
    assert "content/news/mot-lan.vi.md:8" in result.out  # the broken link
    assert "content/guides/khong-co.md" in result.out
    assert "content/news/mot-lan.vi.md:10" in result.out  # the image without alt
    assert "4 lỗi" in result.out, result.out  # and the missing body image itself


def test_a_scheduled_item_is_checked_before_its_day(project: Path) -> None:
    """A broken link in an item dated next month must fail today's check, not the nightly
    build on its publication day; links between scheduled items are fine."""
    for name, link in (("sap-toi", "sau-nua.vi.md"), ("sau-nua", "khong-co.vi.md")):
        (project / f"content/news/{name}.vi.md").write_text(
            f"---\ntitle: Tin {name}\ndate: 2026-12-15\nsummary: S\n---\n"
            f"Xem [tin]({link}).\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/news/sau-nua.vi.md:6" in result.out
    assert "content/news/khong-co.vi.md" in result.out
    assert "sap-toi" not in result.out


def test_warnings_do_not_block(project: Path) -> None:
    nfd = "Đăng ký tài khoản".replace("ă", "a\u0306").replace("à", "a\u0300")
    text = "\ufeff" + guide().replace("Đăng ký tài khoản", nfd + "\u200b")
    (project / "content/guides/nfd.vi.md").write_text(text, encoding="utf-8")
    result = check(project)
    assert result.code == 0, result.out
    assert "CẢNH BÁO / WARNING  content/guides/nfd.vi.md:1" in result.out
    assert "typed apart from their letters" in result.out and "Không cần làm gì" in result.out
    assert "byte-order mark" in result.out
    assert "hidden characters" in result.out


def test_build_stops_with_the_same_report_and_no_traceback(project: Path,
                                                            tmp_path: Path) -> None:
    (project / "content/guides/loi.vi.md").write_text(guide("colour: red\n"),
                                                       encoding="utf-8")
    built = build(project, tmp_path / "out")
    assert built.result.code == 1
    assert "content/guides/loi.vi.md:10 [colour]" in built.result.out
    assert "Field 'colour' is not allowed for type 'guide'" in built.result.out
    assert "Traceback" not in built.result.out
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_build_stops_on_an_address_two_sources_write(project: Path, tmp_path: Path) -> None:
    """A build checks addresses itself, after load_portal (before its search index and
    sitemap start), and with any other problem: the report `binhdan check` gives, every
    problem at once, and nothing written."""
    for case in ("duplicate_slug", "unknown_field"):
        name, text, _ = CASES[case]
        (project / "content" / name).write_text(text, encoding="utf-8")
    built = build(project, tmp_path / "out")
    assert built.result.code == 1 and "Traceback" not in built.result.out, built.result.out
    for fragment in (*CASES["duplicate_slug"][2], *CASES["unknown_field"][2]):
        assert fragment in built.result.out, built.result.out
    def problems(out: str) -> str:  # from the first heading to the count of problems
        start = out.index("== ")
        return out[start:out.index("\n", out.index(" errors, ", start))]

    assert problems(built.result.out) == problems(check(project).out)
    assert " 2 errors, " in problems(built.result.out)
    (project / "content" / CASES["unknown_field"][0]).unlink()  # the slug's clash alone
    built = build(project, tmp_path / "out")
    assert built.result.code == 1 and CASES["duplicate_slug"][2][0] in built.result.out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_edit_moving_an_address_onto_another_is_caught_after_a_clean_build(
        project: Path, tmp_path: Path) -> None:
    """A build keeps the digest of its last address check that found nothing (on its shelf)
    and does not check the same addresses again; an edit that gives an item the address of
    another must still stop the next build, in a new process, in place or not."""
    for dirty in (False, True):
        assert build(project, tmp_path / "out", dirty=dirty).result.code == 0
    edited = project / "content/guides/bao-mat-tai-khoan.vi.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\n---", "\nslug: cai-dat-vneid\n---", 1), encoding="utf-8")
    for dirty in (True, False):
        built = build(project, tmp_path / "out", dirty=dirty)
        assert built.result.code == 1, built.result.out
        assert "content/guides/bao-mat-tai-khoan.vi.md" in built.result.out
        assert "/huong-dan/cai-dat-vneid/" in built.result.out
    edited.write_text(text, encoding="utf-8")  # put back: built again, in place
    assert build(project, tmp_path / "out", dirty=True).result.code == 0


def test_bad_data_file_is_reported(project: Path) -> None:
    (project / "data/topics.yml").write_text(
        "- id: vneid\n  name: {vi: VNeID}\n- id: vneid\n  name: {vi: Trùng}\n"
        "- id: Dịch vụ\n  name: {vi: X}\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "data/topics.yml:3 [id]" in result.out
    assert "The id 'vneid' is already used on line 1" in result.out
    assert "data/topics.yml:5 [id]" in result.out


def test_a_date_years_ahead_is_a_warning(project: Path) -> None:
    (project / "content/guides/sau.vi.md").write_text(
        guide().replace("2026-03-02", "02/03/2062"), encoding="utf-8")
    result = check(project)
    assert result.code == 0, result.out  # scheduling far ahead is allowed...
    assert "CẢNH BÁO / WARNING  content/guides/sau.vi.md:3 [date]" in result.out  # ...but said
    assert "The publication date 02/03/2062 is more than a year away" in result.out


def test_an_unreadable_data_file_is_the_one_problem_reported(project: Path) -> None:
    """A tab in audiences.yml must not bury itself under a 'not defined' for every item."""
    path = project / "data/audiences.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  name", "\n\tname", 1),
                    encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "LỖI / ERROR  data/audiences.yml:2\n" in result.out
    assert "replace the Tab with 2 spaces" in result.out
    assert "1 lỗi, 0 cảnh báo / 1 errors, 0 warnings" in result.out


def test_comma_in_a_one_line_translation_is_explained(project: Path) -> None:
    (project / "data/audiences.yml").write_text(
        "- id: can-bo\n  name: {vi: Cán bộ, công chức, en: Public servants}\n",
        encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "data/audiences.yml:2 [name]" in result.out
    assert "'công chức' is not a configured language code (vi, en, rad)" in result.out
    assert "write each language on its own line" in result.out


def test_broken_links_to_content_files_are_reported(project: Path) -> None:
    (project / "content/guides/lien-ket.vi.md").write_text(guide().replace(
        "  - title: Mở ứng dụng\n",
        "  - title: Mở ứng dụng\n    text: Xem [bước trước](khong-co.vi.md).\n",
    ).replace("Nội dung.", "Dòng một.\n\nXem [tin](../news/khong-co.vi.md)."),
        encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/guides/lien-ket.vi.md:10" in result.out  # the step's text line
    assert "The link 'khong-co.vi.md' points to 'content/guides/khong-co.vi.md'" in result.out
    assert "content/guides/lien-ket.vi.md:14" in result.out  # the body's line
    assert "'../news/khong-co.vi.md'" in result.out


def test_link_to_an_untranslated_item_is_broken_under_the_omit_policy(project: Path) -> None:
    (project / "content/guides/cai-dat-vneid.en.md").write_text(
        (project / "content/guides/cai-dat-vneid.en.md").read_text(encoding="utf-8")
        + "\nSee [the news](../news/lop-hoc-buon-mot.en.md).\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/news/lop-hoc-buon-mot.en.md" in result.out


def test_yaml_keeps_editors_text_as_text(project: Path, tmp_path: Path) -> None:
    """YAML 1.1 would read 3:45 as 225 and 'No' as false; editors mean the text."""
    (project / "content/guides/yaml.vi.md").write_text(
        guide().replace("title: Đăng ký tài khoản", "title: No").replace(
            "service: VNeID", "service: 3:45"), encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    page = built.html("huong-dan/yaml/")
    assert page.h1.get_text() == "No"
    assert "3:45" in page.select_one(".portal-facts").get_text()


def test_problem_in_a_shared_field_is_reported_once(project: Path) -> None:
    vi = project / "content/guides/cai-dat-vneid.vi.md"
    vi.write_text(vi.read_text(encoding="utf-8").replace("topics: [vneid]", "topics: [xyz]"),
                  encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert result.out.count("'xyz'") == 2  # once in Vietnamese, once in English: one problem
    assert "content/guides/cai-dat-vneid.vi.md:5 [topics]" in result.out
    assert "cai-dat-vneid.en.md" not in result.out


def test_missing_image_in_the_body_is_reported(project: Path) -> None:
    (project / "content/news/anh.vi.md").write_text(
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S\n---\nDòng một.\n\n"
        "![Lớp học](anh/lop-hoc.jpg)\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/news/anh.vi.md:8" in result.out
    assert "The link or image 'anh/lop-hoc.jpg' points to 'content/news/anh/lop-hoc.jpg'" \
        in result.out


def test_file_name_with_spaces_and_diacritics_gets_a_clean_address(project: Path,
                                                                   tmp_path: Path) -> None:
    (project / "content/news/Lớp học Mới.vi.md").write_text(
        "---\ntitle: Lớp học mới\ndate: 2026-01-01\nsummary: S\n---\nx\n", encoding="utf-8")
    result = check(project)
    assert result.code == 0, result.out
    assert "CẢNH BÁO / WARNING  content/news/Lớp học Mới.vi.md" in result.out
    assert "Rename the file to 'lop-hoc-moi.vi.md'" in result.out
    built = build(project, tmp_path / "site")
    assert built.exists("tin-tuc/lop-hoc-moi/")
