"""Search as a resident uses it: the real search.js in Chromium on built sites, queries typed
on a phone without diacritics. The guide comes first, abbreviations and synonyms of
data/abbreviations.yml work both ways, and the query survives the language switch."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import build, check
from screenshots import serve

PHONE = {"width": 360, "height": 740}

# What a resident types, and the page that should come first (the example portal).
FIRST_VI = [
    ("vneid", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("cai vneid", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("dang ky vneid", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("dinh danh dien tu", "/huong-dan/dang-ky-tai-khoan-vneid/"),  # a synonym of VNeID
    ("cccd", "/huong-dan/dang-ky-tai-khoan-vneid/"),  # it says "thẻ căn cước công dân"
    ("can cuoc cong dan", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("the can cuoc", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("mat khau", "/huong-dan/dang-ky-tai-khoan-vneid/"),  # the step "Đặt mật khẩu"
    ("lua dao", "/huong-dan/nhan-biet-lua-dao-tren-mang/"),
    ("cuoc goi lua dao", "/huong-dan/nhan-biet-lua-dao-tren-mang/"),
    ("thanh toan qr", "/huong-dan/thanh-toan-bang-ma-qr/"),
    ("ma qr", "/huong-dan/thanh-toan-bang-ma-qr/"),
    ("dich vu cong", "/huong-dan/nop-ho-so-dich-vu-cong-truc-tuyen/"),
    ("dvc", "/huong-dan/nop-ho-so-dich-vu-cong-truc-tuyen/"),
    ("nop ho so", "/huong-dan/nop-ho-so-dich-vu-cong-truc-tuyen/"),
    ("chu ky so", "/huong-dan/chu-ky-so-ca-nhan-qua-vneid/"),
    ("so suc khoe", "/huong-dan/so-suc-khoe-dien-tu-tren-vneid/"),
    ("xac nhan ky nang so", "/huong-dan/xac-nhan-pho-cap-ky-nang-so-tren-vneid/"),
    ("hoc truc tuyen", "/huong-dan/hoc-tren-binhdanhocvuso/"),
    ("cong cu ai", "/huong-dan/dung-cong-cu-ai-an-toan/"),
]
FIRST_EN = [
    ("vneid", "/en/guides/dang-ky-tai-khoan-vneid/"),
    ("scam", "/en/guides/nhan-biet-lua-dao-tren-mang/"),
    ("qr payment", "/en/guides/thanh-toan-bang-ma-qr/"),
    ("dvc", "/en/guides/nop-ho-so-dich-vu-cong-truc-tuyen/"),
    ("cccd", "/en/guides/dang-ky-tai-khoan-vneid/"),
    ("identity card", "/en/guides/dang-ky-tai-khoan-vneid/"),
]


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def results(page, search_page: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The addresses the search page lists for `query`, in order (as paths)."""
    page.goto(f"{search_page}?q={quote(query)}", wait_until="networkidle")
    return page.locator(".search__results a").evaluate_all(
        "links => links.map(link => link.pathname)")


@pytest.mark.parametrize(("query", "expected"), FIRST_VI, ids=[q for q, _ in FIRST_VI])
def test_first_result_for_queries_typed_without_diacritics(page, example_url: str, query: str,
                                                           expected: str) -> None:  # type: ignore[no-untyped-def]
    found = results(page, example_url + "tim-kiem/", query)
    assert found and found[0].endswith(expected), found[:5]


@pytest.mark.parametrize(("query", "expected"), FIRST_EN, ids=[q for q, _ in FIRST_EN])
def test_first_result_in_english(page, example_url: str, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = results(page, example_url + "en/search/", query)
    assert found and found[0].endswith(expected), found[:5]


def test_an_abbreviation_and_its_reading_find_the_same_pages(page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    search_page = example_url + "tim-kiem/"
    for short, *readings in (("cccd", "can cuoc cong dan", "căn cước công dân", "the can cuoc"),
                             ("dvc", "dich vu cong", "Dịch vụ công"),
                             ("vneid", "dinh danh dien tu")):
        found = results(page, search_page, short)
        assert len(found) >= 2
        for reading in readings:
            assert results(page, search_page, reading) == found, reading


def test_query_is_kept_across_the_language_switch(page, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(example_url + "tim-kiem/?q=vneid", wait_until="networkidle")
    page.locator(".languages a[hreflang=en]").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path.endswith("/en/search/")
    assert page.get_by_role("searchbox").input_value() == "vneid"
    assert page.locator(".search__results a").first.get_attribute("href").endswith(
        "/en/guides/dang-ky-tai-khoan-vneid/")
    # a query typed on the page goes along too, diacritics and all, and comes back
    page.get_by_role("searchbox").fill("chữ ký số & OTP")
    page.get_by_role("searchbox").press("Enter")
    page.locator(".languages a[hreflang=vi]").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path.endswith("/tim-kiem/")
    assert page.get_by_role("searchbox").input_value() == "chữ ký số & OTP"
    assert page.locator(".search__results li").count() > 0


# (file, title, date, summary, body, service): a guide when it names a service
CRAFTED = [
    # the same title: the guide first, although the news is newer
    ("guides/hoc-dung-zalo.vi.md", "Học dùng Zalo an toàn", "2026-01-05", "Từng bước.",
     "Cài đặt và đăng nhập.", "Ứng dụng nhắn tin"),
    ("news/hoc-dung-zalo.vi.md", "Học dùng Zalo an toàn", "2026-09-01", "Ở buôn.", "x", ""),
    # a word in a title beats the same word in a guide's text
    ("news/telegram-la.vi.md", "Cảnh giác tin nhắn Telegram lạ", "2026-02-01", "Cảnh báo.",
     "x", ""),
    ("guides/tin-nhan.vi.md", "Đọc tin nhắn an toàn", "2026-02-02", "Xem tin nhắn.",
     "Tin nhắn Telegram cũng vậy.", "Tin nhắn"),
    # a whole word beats a prefix ("xoan" is not "xoang"), even one in the title
    ("news/cay-xoan.vi.md", "Buổi họp thôn", "2026-03-01", "Họp.", "Họp dưới gốc xoan.", ""),
    ("news/viem-xoang.vi.md", "Phòng bệnh viêm xoang", "2026-03-02", "Mùa lạnh.", "x", ""),
    # one card, three ways of naming it; and the same words scattered
    ("news/mang-cccd.vi.md", "Nhớ mang CCCD", "2026-04-01", "Khi làm thủ tục.", "x", ""),
    ("news/the-can-cuoc.vi.md", "Làm thẻ căn cước cho con", "2026-04-02", "Ở công an xã.",
     "x", ""),
    ("news/can-cuoc-cong-dan.vi.md", "Căn cước công dân gắn chip", "2026-04-03", "Đọc chip.",
     "x", ""),
    ("news/rai-rac.vi.md", "Cuộc thi cần người dẫn", "2026-04-04", "Công an xã nhắc.", "x", ""),
    ("news/mang-cccd.en.md", "Bring your ID card", "2026-04-01", "For any paperwork.", "x", ""),
]


def test_ranking_rules_and_synonyms_on_a_commune_site(project: Path, tmp_path: Path,
                                                      browser) -> None:  # type: ignore[no-untyped-def]
    (project / "data/abbreviations.yml").write_text(
        "- short: CCCD\n  full: {vi: căn cước công dân, en: citizen identity card}\n"
        "  synonyms: {vi: [thẻ căn cước], en: [ID card]}\n"
        "- synonyms: [ứng dụng Zalo, Zalo]\n", encoding="utf-8")
    for path, title, date, summary, body, service in CRAFTED:
        guide = f"service: {service}\ndifficulty: co-ban\nsteps:\n  - title: Mở ứng dụng\n"
        (project / "content" / path).write_text(
            f"---\ntitle: {title}\ndate: {date}\nsummary: {summary}\n"
            f"{guide if service else ''}---\n{body}\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    server, url = serve(built.site)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        def first(query: str, language: str = "tim-kiem/") -> str:
            return results(page, url + language, query)[0]

        assert first("zalo") == "/huong-dan/hoc-dung-zalo/"
        assert first("ung dung zalo") == "/huong-dan/hoc-dung-zalo/"  # a synonyms-only row
        assert first("telegram") == "/tin-tuc/telegram-la/"
        assert first("xoan") == "/tin-tuc/cay-xoan/"
        card = {"/tin-tuc/mang-cccd/", "/tin-tuc/the-can-cuoc/", "/tin-tuc/can-cuoc-cong-dan/"}
        for query in ("cccd", "can cuoc cong dan", "thẻ căn cước", "CĂN CƯỚC CÔNG DÂN"):
            assert set(results(page, url + "tim-kiem/", query)) == card, query
        assert first("citizen identity card", "en/search/") == "/en/news/mang-cccd/"
        assert first("cccd", "en/search/") == "/en/news/mang-cccd/"
    finally:
        context.close()
        server.shutdown()


def test_abbreviation_rows_are_checked(project: Path) -> None:
    (project / "data/abbreviations.yml").write_text(
        "- short: CCCD\n  full: căn cước công dân\n  synonym: [thẻ căn cước]\n"
        "- synonyms: {vi: [Zalo, 3]}\n"
        "- synonyms: {fr: [carte, carte d'identité]}\n"
        "- full: dịch vụ công\n", encoding="utf-8")
    result = check(project)
    assert result.code != 0
    assert "data/abbreviations.yml:3 [synonym]" in result.out
    assert "Các trường hợp lệ: short, full, synonyms" in result.out
    assert "data/abbreviations.yml:4 [synonyms]" in result.out
    assert "phải là danh sách từ cùng nghĩa: 'synonyms: [thẻ căn cước]'" in result.out
    assert "data/abbreviations.yml:5 [synonyms]" in result.out
    assert "data/abbreviations.yml:6 [full]" in result.out
    assert "Traceback" not in result.out


def test_postings_joined_from_runs_are_those_of_one_pass(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The index keeps each run of documents' postings and joins them (search._postings):
    however the documents fall into runs, and whether the runs come from the cache or not,
    the files are those of all documents read in one run. Words found only in later runs,
    in every document, in one, and a document without words are all there."""
    from binhdan.common.cache import Store
    from binhdan.outputs import search

    words = ["vneid", "zalo", "can cuoc", "dich vu cong", "an toan", "ma qr"]
    docs = [search.Document(
        url=f"d{n}/", title=f"Bài {n} {words[n % 6]}", kind="Tin tức", summary=f"Tóm tắt {n}",
        texts=lambda n=n: search.Texts(
            headings=words[(n + 1) % 6], lead="" if n % 4 else words[(n + 2) % 6],
            body=("" if n == 7 else " ".join(words[: n % 6 + 1]) + f" chu{n // 10}")),
        made_from=f"test {n}", content_type="guide" if n % 5 == 0 else "")
        for n in range(60)]
    docs.append(search.Document(url="trong/", title="", kind="", summary="",
                                texts=lambda: search.Texts("", "", ""), made_from="empty"))
    synonyms = [["cccd", "can cuoc"]]
    monkeypatch.setattr(search, "_RUN", 10 ** 9)  # one run: every document at once
    whole = search.build_index(docs, synonyms)
    for run in (1, 2, 3, 7):
        monkeypatch.setattr(search, "_RUN", run)
        assert search.build_index(docs, synonyms) == whole, run
        with Store(tmp_path / f"runs-{run}.sqlite") as store:
            assert search.build_index(docs, synonyms, store) == whole, run
        with Store(tmp_path / f"runs-{run}.sqlite") as store:  # every run from the cache
            assert search.build_index(docs, synonyms, store) == whole, run
    assert search.build_index([], synonyms)["manifest.json"]
