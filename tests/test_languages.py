"""Easy-read versions and minority languages (issue 17, point 2), on built sites.

The minority language is test data: a language nobody here can check gets no real text.
The module's site is the Ea Trang fixture with Tày (`tyz`, ISO 639-3 / IANA language subtag
registry) added as a language with a few items only, one placeholder item with a tiny
recording, and an easy-read version of one guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_accessibility import PHONE, SMALL_TARGETS, WCAG
from test_images import writable_copy

from binhdan.common.problems import Problems
from binhdan.model.i18n import Localizer, load_labels
from binhdan.model.site import Language, load_site
from conftest import FIXTURES, Built, build, check
from screenshots import serve

GUIDE = "huong-dan/cai-dat-vneid/"
EASY = f"{GUIDE}de-doc/"
MINORITY = "tyz/huong-dan/cai-dat-vneid/"
# One MPEG-1 Layer III frame of silence (128 kbit/s, 44.1 kHz), a few times: a real, tiny file.
SILENCE = (b"\xff\xfb\x90\x64" + bytes(413)) * 4


def add_minority_language(project: Path) -> None:
    """Tày with a few items only, and one item in it: placeholder text marked as test data."""
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "untranslated: omit",
        "  - code: tyz\n    name: Tày\n    items_only: true\nuntranslated: omit"),
        encoding="utf-8")
    guides = project / "content" / "guides"
    (guides / "audio").mkdir()
    (guides / "audio" / "cai-dat-vneid.tyz.mp3").write_bytes(SILENCE)
    (guides / "cai-dat-vneid.tyz.md").write_text(
        '---\ntitle: "[tyz] TEST DATA, not Tày: VNeID"\n'
        'summary: "[tyz] Placeholder summary (test data)."\nservice: VNeID\n'
        'steps:\n  - title: "[tyz] Placeholder step"\n'
        "audio: audio/cai-dat-vneid.tyz.mp3\n"
        'audio_transcript: "[tyz] Placeholder transcript (test data)."\n'
        '---\n[tyz] Placeholder body: test data only.\n', encoding="utf-8")


def add_easy_read(project: Path) -> None:
    (project / "content" / "guides" / "cai-dat-vneid.vi-easy.md").write_text(
        "---\ntitle: Cài VNeID (bản dễ đọc)\nsummary: Cài VNeID. Mỗi bước một việc.\n"
        "service: VNeID\nsteps:\n  - title: Mở CH Play\n    text: Mở CH Play hoặc App Store.\n"
        "  - title: Tìm VNeID\n    text: Gõ chữ VNeID.\n---\nHỏi Tổ công nghệ số nếu cần.\n",
        encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = writable_copy(tmp_path_factory.mktemp("languages") / "project")
    add_minority_language(project)
    add_easy_read(project)
    built = build(project, project.parent / "site")
    assert built.result.code == 0, built.result.out
    return built


def every_page(built: Built) -> list[str]:
    return [path.relative_to(built.site).parent.as_posix()
            for path in built.site.rglob("index.html")]


# Easy-read versions

def test_easy_read_page_is_vietnamese_with_its_own_address(site: Built) -> None:
    page = site.html(EASY)
    assert page.html["lang"] == "vi"
    item = page.select_one(".portal-item")
    assert "portal-item--easy" in item["class"] and not item.has_attr("lang")
    assert page.h1.get_text(strip=True) == "Cài VNeID (bản dễ đọc)"
    assert [h.get_text(" ", strip=True) for h in page.select(".portal-step h3")] == [
        "1 Bước 1: Mở CH Play", "2 Bước 2: Tìm VNeID"]
    # fields the easy-read version leaves out and the item shares are the item's
    assert "10 phút" in page.select_one(".portal-facts").get_text()


def test_easy_read_is_linked_both_ways(site: Built) -> None:
    link = site.html(GUIDE).select_one(".portal-easy-switch a")
    assert link.get_text(strip=True) == "Bản dễ đọc"
    assert urljoin(f"/{GUIDE}", link["href"]) == f"/{EASY}"
    back = site.html(EASY).select_one(".portal-easy-switch a")
    assert back.get_text(strip=True) == "Xem bản đầy đủ"
    assert urljoin(f"/{EASY}", back["href"]) == f"/{GUIDE}"
    # the English page has no easy-read version to link to; a guide without one links none
    assert site.html("en/guides/cai-dat-vneid/").select(".portal-easy-switch") == []
    assert site.html("huong-dan/bao-mat-tai-khoan/").select(".portal-easy-switch") == []
    # its language menu offers the item in the other languages
    menu = {a["hreflang"]: a["href"] for a in site.html(EASY).select(".languages a")}
    assert menu["en"] == "../../../en/guides/cai-dat-vneid/"


def test_easy_read_is_listed_once_with_a_badge(site: Built) -> None:
    cards = []
    for url in every_page(site):
        page = site.html(f"{url}/" if url != "." else "")
        cards += [(url, card) for card in page.select(".portal-card")
                  if "cai-dat-vneid/" in card.a["href"]]
        # never a card of its own
        assert not [a for a in page.select(".portal-card a") if "de-doc" in a["href"]], url
    listed = [url for url, _ in cards if url.startswith("huong-dan/trang")]
    assert listed == ["huong-dan/trang/2"]  # once in the guides listing
    for url, card in cards:  # every card of the item says it has one (and has one link)
        badge = card.select_one(".portal-badge--easy")
        assert len(card.select("a")) == 1
        if url.split("/")[0] in ("en", "rad"):  # no easy-read version in those languages
            assert badge is None, url
        else:
            assert badge.get_text(strip=True) == "Có bản dễ đọc", url


def test_easy_read_is_searched_not_fed(site: Built) -> None:
    index = " ".join(path.read_text(encoding="utf-8")
                     for path in (site.site / "search-index" / "vi").rglob("*.json"))
    assert EASY in index and "Hướng dẫn · Dễ đọc" in index
    feeds = " ".join((site.site / name).read_text(encoding="utf-8")
                     for name in ("feed.xml", "atom.xml", "feed.json"))
    assert "cai-dat-vneid/" in feeds and "de-doc" not in feeds


# Minority languages

def test_minority_item_carries_its_language_in_a_vietnamese_frame(site: Built) -> None:
    page = site.html(MINORITY)
    # the interface (menus, labels) is Vietnamese: this language has no labels of its own
    assert page.html["lang"] == "vi"
    assert page.select_one(".portal-kicker a").get_text(strip=True) == "Hướng dẫn"
    assert page.select_one(".skip-link").get_text(strip=True) == "Chuyển đến nội dung chính"
    # the content says which language it is in (BCP 47)
    item = page.select_one(".portal-item")
    assert item["lang"] == "tyz"
    assert item.h1.get_text(strip=True) == "[tyz] TEST DATA, not Tày: VNeID"
    assert page.select_one(".portal-meta")["lang"] == "vi"
    # dates and numbers in the Vietnamese way, though Babel has no Tày locale
    assert "02/03/2026" in page.select_one(".portal-meta").get_text()
    assert "10 phút" in page.select_one(".portal-facts").get_text()
    # the menu and home are the Vietnamese site's
    assert page.select_one("a.brand")["href"] == "../../../"


def test_the_menu_lists_only_languages_that_have_the_page(site: Built) -> None:
    def menu(url: str) -> dict[str, tuple[str, str, str]]:
        return {a["hreflang"]: (a["href"], a["lang"], a.get_text(strip=True))
                for a in site.html(url).select(".languages a")}

    assert menu(GUIDE)["tyz"] == ("../../tyz/huong-dan/cai-dat-vneid/", "tyz", "Tày")
    assert menu(MINORITY) == {
        "vi": ("../../../huong-dan/cai-dat-vneid/", "vi", "Tiếng Việt"),
        "en": ("../../../en/guides/cai-dat-vneid/", "en", "English"),
        "rad": ("../../../rad/rad-guide/cai-dat-vneid/", "rad", "Ê Đê (thử nghiệm)")}
    assert menu("en/guides/cai-dat-vneid/")["tyz"][0] == "../../../tyz/huong-dan/cai-dat-vneid/"
    for url in ("huong-dan/bao-mat-tai-khoan/", "huong-dan/", "", "en/"):
        assert "tyz" not in menu(url), url
    assert "tyz" not in {a["hreflang"] for a in site.html("404.html").select(".languages a")}
    head = {link["hreflang"] for link in site.html(GUIDE).select("link[hreflang]")}
    assert "tyz" in head


def test_a_language_of_a_few_items_has_no_sections(site: Built) -> None:
    assert sorted(p.relative_to(site.site / "tyz").as_posix()
                  for p in (site.site / "tyz").rglob("index.html")) == [
        "huong-dan/cai-dat-vneid/index.html"]
    assert not (site.site / "search-index" / "tyz").exists()
    assert not list(site.site.glob("tyz/**/*.xml"))


def test_the_recording_is_published(site: Built) -> None:
    page = site.html(MINORITY)
    audio = page.select_one(".portal-item audio")
    published = (site.site / MINORITY / audio["src"]).resolve()
    assert published.read_bytes() == SILENCE
    assert "[tyz] Placeholder transcript" in page.select_one(".portal-audio").get_text()


def test_dates_and_numbers_without_a_babel_locale() -> None:
    problems = Problems()
    site_config = load_site(FIXTURES / "ea-trang", problems)
    assert site_config is not None and not problems.errors
    labels = load_labels(site_config, FIXTURES / "ea-trang" / "data", problems)
    vietnamese = Localizer(site_config, site_config.language("vi"), labels["vi"])
    for code in ("tyz", "rad", "ium", "mjk"):  # none has a Babel (CLDR) locale
        other = Localizer(site_config, Language(code, code, code), labels["rad"])
        assert other.date(date(2026, 3, 2)) == vietnamese.date(date(2026, 3, 2)) == "02/03/2026"
        assert other.number(1234.5) == vietnamese.number(1234.5) == "1.234,5"
        assert other.day_names()[0] == "Thứ Hai"


def test_file_names_and_languages_that_cannot_be_used(project: Path) -> None:
    guides = project / "content" / "guides"
    source = (guides / "cai-dat-vneid.vi.md").read_text(encoding="utf-8")
    (guides / "cai-dat-vneid.hmn.md").write_text(source, encoding="utf-8")
    (guides / "cai-dat-vneid.vi-simple.md").write_text(source, encoding="utf-8")
    (guides / "chua-co-bai.vi-easy.md").write_text(source, encoding="utf-8")
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "    name: Tiếng Việt", "    name: Tiếng Việt\n    items_only: yes please"),
        encoding="utf-8")
    result = check(project)
    assert result.code != 0
    out = " ".join(result.out.split())
    assert "content/guides/cai-dat-vneid.hmn.md" in out
    assert "The file name has the language code 'hmn', which is not configured" in out
    assert "The file name ends in 'vi-simple', which is neither a language code" in out
    assert ("content/guides/chua-co-bai.vi-easy.md:1 vi: Đây là bản dễ đọc nhưng chưa có "
            "bài gốc 'guides/chua-co-bai.vi.md'") in out
    assert "Language 'vi': 'items_only' takes true or false (it is 'yes please')" in out
    assert "Traceback" not in result.out


def test_the_example_has_four_easy_read_guides(example: Built) -> None:
    for slug in ("dang-ky-tai-khoan-vneid", "dung-dien-thoai-an-toan",
                 "nhan-biet-lua-dao-tren-mang", "thanh-toan-bang-ma-qr"):
        page = example.html(f"huong-dan/{slug}/de-doc/")
        assert page.html["lang"] == "vi" and page.select(".portal-item--easy"), slug
        link = example.html(f"huong-dan/{slug}/").select_one(".portal-easy-switch a")
        assert urljoin(f"/huong-dan/{slug}/", link["href"]) == f"/huong-dan/{slug}/de-doc/"
    audience = example.html("danh-cho/dong-bao-dan-toc/").get_text(" ", strip=True)
    assert "bằng tiếng dân tộc" in audience and "một số bài bằng tiếng dân tộc" not in audience


def test_new_pages_pass_wcag_and_have_44_px_targets_on_a_phone(  # type: ignore[no-untyped-def]
        browser, example_url: str, site: Built) -> None:
    server, fixture_url = serve(site.site)
    page = browser.new_page(viewport=PHONE)
    failures = {}
    for url in [example_url + path for path in (
            "huong-dan/dang-ky-tai-khoan-vneid/", "huong-dan/dang-ky-tai-khoan-vneid/de-doc/",
            "huong-dan/")] + [fixture_url + MINORITY, fixture_url + GUIDE]:
        page.goto(url)
        violations = Axe().run(page, options=WCAG).response["violations"]
        small = page.evaluate(SMALL_TARGETS)
        if violations or small:
            failures[url] = ([(v["id"], [n["target"] for n in v["nodes"]]) for v in violations],
                             small)
        # the language menu wraps under the site's name, never squeezing it
        assert page.locator(".brand").bounding_box()["width"] > 120, url
    page.close()
    server.shutdown()
    assert not failures
