"""Issue 17, points 5 and 10: each audience page starts with its "Start here" path (set in
data/audiences.yml), then guides, then the rest; the home lists audiences in the file's order;
a video's transcript has one heading; an untranslated item never leads a list of the English
home."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from conftest import ROOT, Built, build, check

AUDIENCES = yaml.safe_load((ROOT / "data" / "audiences.yml").read_text(encoding="utf-8"))
LABELS = {lang: yaml.safe_load((ROOT / "binhdan" / "locales" / f"{lang}.yml").read_text(
    encoding="utf-8")) for lang in ("vi", "en")}
PREFIX = {"vi": "/", "en": "/en/"}
AUDIENCE_WORD = {"vi": "danh-cho", "en": "for"}
GUIDE_WORD = {"vi": "huong-dan", "en": "guides"}


def main(soup: BeautifulSoup) -> Tag:
    found = soup.find("main")
    assert isinstance(found, Tag)
    return found


def path_steps(soup: BeautifulSoup) -> list[Tag]:
    return main(soup).select("section.portal-path ol li")


def address(page: str, href: str) -> str:
    """A link's target as a site path: "/en/guides/x/"."""
    return urlsplit(urljoin(f"http://site{page}", href)).path


def step_links(soup: BeautifulSoup, page: str) -> list[str]:
    return [address(page, step.a["href"]) for step in path_steps(soup)]


def card_links(soup: BeautifulSoup, page: str) -> list[str]:
    return [address(page, a["href"]) for a in main(soup).select(".portal-card__title a")]


def audience_pages(example: Built, lang: str, audience: str
                   ) -> list[tuple[str, BeautifulSoup]]:
    """Every page of one audience's listing, in order, with its address."""
    url = f"{PREFIX[lang]}{AUDIENCE_WORD[lang]}/{audience}/"
    pages = [(url, example.html(url))]
    while (following := pages[-1][1].find("a", rel="next")) is not None:
        url = address(url, following["href"])
        pages.append((url, example.html(url)))
    return pages


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_elderly_page_starts_with_its_path_in_the_configured_order(example: Built,
                                                                    lang: str) -> None:
    """The first section under the title is "Start here": numbered links to the items of
    data/audiences.yml's `path`, in that order, each with its difficulty and time."""
    elderly = next(row for row in AUDIENCES if row["id"] == "nguoi-cao-tuoi")
    page = f"{PREFIX[lang]}{AUDIENCE_WORD[lang]}/nguoi-cao-tuoi/"
    soup = example.html(page)
    first_section = main(soup).find("h2")
    assert first_section is not None and first_section.get_text(strip=True) == \
        LABELS[lang]["path"]["title"]
    steps = path_steps(soup)
    assert step_links(soup, page) == [f"{PREFIX[lang]}{GUIDE_WORD[lang]}/{key.split('/')[1]}/"
                                      for key in elderly["path"]]
    assert [step.find(class_="portal-path__number").get_text() for step in steps] == \
        [str(n) for n in range(1, len(steps) + 1)]
    assert main(soup).select_one("section.portal-path ol") is not None  # numbered for readers
    difficulty = LABELS[lang]["choices"]["difficulty"]
    for step in steps:
        meta = step.find(class_="portal-path__meta").get_text(" ", strip=True)
        assert any(meta.startswith(level) for level in difficulty.values()), meta
        assert LABELS[lang]["guide"]["minutes"].split("{")[0].strip() in meta, meta
    # safe phone basics → VNeID → public services → payments → scams
    assert [key.split("/")[1] for key in elderly["path"]] == [
        "dung-dien-thoai-an-toan", "dang-ky-tai-khoan-vneid",
        "nop-ho-so-dich-vu-cong-truc-tuyen", "thanh-toan-bang-ma-qr",
        "nhan-biet-lua-dao-tren-mang"]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("audience", [row["id"] for row in AUDIENCES])
def test_audience_pages_list_guides_before_the_rest(example: Built, lang: str,
                                                    audience: str) -> None:
    """After the path, across every page of the listing: guides first, then events, news and
    stories; no step of the path is listed again."""
    pages = audience_pages(example, lang, audience)
    steps = set(step_links(pages[0][1], pages[0][0]))
    kinds = [card["class"][1] for _, soup in pages for card in main(soup).select(".portal-card")]
    guides = kinds.count("portal-card--guide")
    assert kinds[:guides] == ["portal-card--guide"] * guides, kinds
    assert steps and not steps & {link for url, soup in pages for link in card_links(soup, url)}
    assert all(not path_steps(soup) for _, soup in pages[1:])


def test_elderly_essentials_are_on_the_first_page(example: Built) -> None:
    """VNeID registration, scam spotting and QR payment were on page 2, after news."""
    page = "/danh-cho/nguoi-cao-tuoi/"
    first = example.html(page)
    links = step_links(first, page) + card_links(first, page)
    for slug in ("dang-ky-tai-khoan-vneid", "nhan-biet-lua-dao-tren-mang",
                 "thanh-toan-bang-ma-qr", "so-suc-khoe-dien-tu-tren-vneid"):
        assert f"/huong-dan/{slug}/" in links, slug


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_home_lists_audiences_in_the_order_of_audiences_yml(example: Built,
                                                           lang: str) -> None:
    links = [address(PREFIX[lang], a["href"])
             for a in main(example.html(PREFIX[lang])).select("ul.portal-paths a")]
    assert links == [f"{PREFIX[lang]}{AUDIENCE_WORD[lang]}/{row['id']}/" for row in AUDIENCES]
    assert links[0].endswith("/nguoi-cao-tuoi/")  # no longer 5th, after public servants


def test_home_order_is_configuration(project: Path, tmp_path: Path) -> None:
    """Moving a group up in data/audiences.yml moves it up on the home page."""
    audiences = project / "data" / "audiences.yml"
    rows = yaml.safe_load(audiences.read_text(encoding="utf-8"))
    audiences.write_text(yaml.safe_dump(rows[::-1], allow_unicode=True), encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    links = [address("/", a["href"]) for a in main(built.html("/")).select("ul.portal-paths a")]
    assert links == [f"/danh-cho/{row['id']}/" for row in rows[::-1]]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_video_page_has_one_transcript_heading(example: Built, lang: str) -> None:
    label = LABELS[lang]["video"]["transcript"]
    folder = example.site / PREFIX[lang].strip("/") / {"vi": "video", "en": "videos"}[lang]
    pages = sorted(path for path in folder.glob("*/index.html"))
    assert len(pages) == 2
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        headings = [h for h in main(soup).find_all(["h2", "h3"])
                    if h.get_text(strip=True).casefold() == label.casefold()]
        assert len(headings) == 1, page
        video = main(soup).find("video")
        described = video.get("aria-describedby") if video else None
        assert described is None or soup.find(id=described) is not None


@pytest.mark.parametrize(("body", "headings"), [
    ("Xin chào bà con.\n", ["Bản chép lời"]),  # the template's heading
    ("## Bản chép lời\n\nXin chào bà con.\n", ["Bản chép lời"]),
    ("### bản chép lời\n\nXin chào bà con.\n", ["bản chép lời"]),
    ("Giới thiệu.\n\n## Bản chép lời\n\nXin chào.\n\n## Xem thêm\n\n- x\n",
     ["Bản chép lời", "Xem thêm"]),
])
def test_transcript_heading_is_the_editors_or_the_templates(
        project: Path, tmp_path: Path, body: str, headings: list[str]) -> None:
    (project / "content" / "videos" / "media").mkdir(parents=True)
    (project / "content" / "videos" / "media" / "loi.vi.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào bà con.\n", encoding="utf-8")
    (project / "content" / "videos" / "cai-vneid.vi.md").write_text(
        "---\ntitle: Video cài VNeID\ndate: 2026-01-01\nsummary: Video ngắn.\n"
        "video_url: https://www.youtube.com/watch?v=x\ncaptions: media/loi.vi.vtt\n---\n"
        + body, encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    page = main(built.html("/video/cai-vneid/"))
    found = [h.get_text(strip=True) for h in page.find_all(["h2", "h3"])
             if not h.find_parent("section", attrs={"aria-labelledby": "related-heading"})
             and h.get("id") != "related-heading"]
    assert found == headings


def test_english_home_lists_lead_with_english_items(example: Built) -> None:
    """Each list of the English home starts with an item written in English, and items
    shown in Vietnamese come after every English one."""
    home = main(example.html("/en/"))
    sections = home.select("section.portal-home-section")
    lists = [section.select(".portal-card") for section in sections
             if section.select(".portal-card")]
    assert len(lists) == 3
    for cards in lists:
        untranslated = [card.get("lang") is not None for card in cards]
        assert untranslated == sorted(untranslated), untranslated
        assert not untranslated[0]
        assert cards[0].select_one(".portal-card__title").get_text(strip=True).isascii()
    first = lists[0][0].select_one(".portal-card__title a")["href"]
    assert "dung-cong-cu-ai-an-toan" not in first  # a guide written only in Vietnamese


def write_audiences(project: Path, path_lines: str) -> None:
    (project / "data" / "audiences.yml").write_text(
        "- id: nguoi-dan\n  name: {vi: Người dân, en: Residents}\n"
        "- id: nguoi-cao-tuoi\n  name: {vi: Người cao tuổi, en: Older people}\n"
        "  path:\n" + path_lines, encoding="utf-8")


@pytest.mark.parametrize(("lines", "code", "fragments"), [
    ("    - guides/cai-dat-vneid\n    - guides/cai-dat-vneld\n", 1,
     ["data/audiences.yml:7 [path]", "'guides/cai-dat-vneld'", "nhóm 'Người cao tuổi'",
      "group 'Older people'",
      "Có phải là 'guides/cai-dat-vneid'?", "Did you mean 'guides/cai-dat-vneid'?"]),
    ("    - content/guides/nop-ho-so-truc-tuyen.vi.md\n", 1,
     ["data/audiences.yml:6 [path]", "Did you mean 'guides/nop-ho-so-truc-tuyen'?",
      "without the language and .md"]),
    ("    - huong-dan/khong-co-bai-nay-o-dau-ca-xyz\n", 1,
     ["data/audiences.yml:6 [path]", "there is no such item in content/. Write each"]),
    ("    guides/cai-dat-vneid\n", 1,
     ["data/audiences.yml:5 [path]", "a list of items in order, one a line"]),
    ("    - guides/nhap\n", 0,
     ["data/audiences.yml:6 [path]", "is a draft or scheduled for later"]),
])
def test_path_steps_are_checked(project: Path, lines: str, code: int,
                                fragments: list[str]) -> None:
    (project / "content" / "guides" / "nhap.vi.md").write_text(
        (project / "content" / "guides" / "cai-dat-vneid.vi.md").read_text(encoding="utf-8")
        .replace("title: Cài đặt", "draft: true\ntitle: Cài đặt"), encoding="utf-8")
    write_audiences(project, lines)
    result = check(project)
    assert result.code == code, result.out
    for fragment in fragments:
        assert fragment in result.out, f"{fragment!r} not in:\n{result.out}"
    assert "Traceback" not in result.out


@pytest.mark.parametrize("policy", ["fallback", "omit"])
def test_a_path_follows_the_untranslated_policy(project: Path, tmp_path: Path,
                                                policy: str) -> None:
    """A step without an English version is shown in Vietnamese, marked, in its place
    (`untranslated: fallback`) or left out (`omit`); a draft step is left out until it is
    published."""
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "untranslated: omit", f"untranslated: {policy}"), encoding="utf-8")
    (project / "content" / "guides" / "nhap.vi.md").write_text(
        (project / "content" / "guides" / "cai-dat-vneid.vi.md").read_text(encoding="utf-8")
        .replace("title: Cài đặt", "draft: true\ntitle: Cài đặt"), encoding="utf-8")
    write_audiences(project, "    - guides/nop-ho-so-truc-tuyen\n    - guides/nhap\n"
                             "    - guides/cai-dat-vneid\n")
    built = build(project, tmp_path / "site", strict=False)
    assert built.result.code == 0, built.result.out
    page = "/en/for/nguoi-cao-tuoi/"
    soup = built.html(page)
    shown = {"fallback": ["/en/guides/nop-ho-so-truc-tuyen/", "/en/guides/cai-dat-vneid/"],
             "omit": ["/en/guides/cai-dat-vneid/"]}[policy]
    assert step_links(soup, page) == shown
    assert [step.get("lang") for step in path_steps(soup)] == \
        (["vi", None] if policy == "fallback" else [None])
    assert step_links(built.html("/danh-cho/nguoi-cao-tuoi/"), "/danh-cho/nguoi-cao-tuoi/") \
        == ["/huong-dan/nop-ho-so-truc-tuyen/", "/huong-dan/cai-dat-vneid/"]
    assert not path_steps(built.html("/en/for/nguoi-dan/"))
