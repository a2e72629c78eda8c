"""The example portal (Tuyên Quang) as a visitor meets it: pages in both languages, listings,
the language switcher, untranslated items, localised dates, sitemap, deterministic output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from conftest import ROOT, Built, build

BASE = "/binh-dan-hoc-vu-so/"  # the path of site_url in mkdocs.yml

SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"

PAIRS = [  # the same page in Vietnamese and in English
    ("", "en/"),
    ("huong-dan/", "en/guides/"),
    ("tin-tuc/", "en/news/"),
    ("guong-dien-hinh/", "en/stories/"),
    ("infographic/", "en/infographics/"),
    ("video/", "en/videos/"),
    ("tai-lieu-hoc-tap/", "en/learning-materials/"),
    ("van-ban/", "en/documents/"),
    ("su-kien/", "en/events/"),
    ("chu-de/", "en/topics/"),
    ("chu-de/vneid/", "en/topics/vneid/"),
    ("danh-cho/nguoi-cao-tuoi/", "en/for/nguoi-cao-tuoi/"),
    ("dia-phuong/", "en/localities/"),
    ("dia-phuong/na-hang/", "en/localities/na-hang/"),
    ("huong-dan/dang-ky-tai-khoan-vneid/", "en/guides/dang-ky-tai-khoan-vneid/"),
    ("gioi-thieu/", "en/about/"),
    ("ho-tro/", "en/help/"),
    ("tuyen-bo-tiep-can/", "en/accessibility/"),
]


def all_pages(built: Built) -> list[str]:
    """Every page's URL relative to the site root: "" for the home page, "en/guides/" ..."""
    urls = (p.parent.relative_to(built.site).as_posix() for p in built.site.rglob("index.html"))
    return sorted("" if url == "." else url + "/" for url in urls)


def test_every_page_exists_in_both_languages_with_its_language(example: Built) -> None:
    for vi, en in PAIRS:
        assert example.html(vi).html["lang"] == "vi", vi
        assert example.html(en).html["lang"] == "en", en
    for name in ("404.html", "robots.txt", "sitemap.xml"):
        assert (example.site / name).is_file()


def test_language_switcher_lands_on_the_same_page(example: Built) -> None:
    for vi, en in PAIRS:
        link = example.html(vi).select_one(".languages a[hreflang=en]")
        assert urljoin(f"/{vi}", link["href"]) == f"/{en}", vi
        back = example.html(en).select_one(".languages a[hreflang=vi]")
        assert urljoin(f"/{en}", back["href"]) == f"/{vi}", en


def test_every_switcher_and_internal_link_resolves(example: Built) -> None:
    pages = all_pages(example)
    assert len(pages) > 150
    for url in pages:
        for anchor in example.html(url).select("a[href]"):
            href = anchor["href"]
            if urlsplit(href).scheme or href.startswith(("#", "mailto:", "tel:")):
                continue
            # served under site_url's path; the offline and 404 pages link from that root
            target = urlsplit(urljoin(f"{BASE}{url}", href)).path
            assert target.startswith(BASE), f"{url} -> {href} leaves the site"
            path = example.site / target.removeprefix(BASE)
            assert path.is_file() or (path / "index.html").is_file(), f"{url} -> {href}"


def test_untranslated_item_is_shown_with_a_notice(example: Built) -> None:
    page = example.html("en/guides/dung-cong-cu-ai-an-toan/")
    assert page.html["lang"] == "en"
    notice = page.select_one(".portal-notice--language").get_text(" ", strip=True)
    assert notice == ("This item is not yet available in English; it is shown in "
                      "Tiếng Việt.")
    assert page.select_one(".portal-item")["lang"] == "vi"
    card = next(c for c in example.html("en/guides/").select(".portal-card")
                if "dung-cong-cu-ai-an-toan" in c.a["href"])
    assert card["lang"] == "vi"
    assert "(Tiếng Việt)" in card.get_text()


def test_listings_are_newest_first(example: Built) -> None:
    """Newest first, after the events not over yet (test_events_radio.py: soonest first)."""
    for url in ("tin-tuc/", "en/news/", "huong-dan/", "chu-de/vneid/"):
        cards = example.html(url).select(".portal-card")
        current = [c for c in cards if c.select_one(
            ".portal-badge--upcoming, .portal-badge--happening")]
        assert cards[:len(current)] == current, url
        times = [c.time["datetime"] for c in cards[len(current):]]
        assert len(times) >= 3, url
        assert times == sorted(times, reverse=True), url


def test_dates_are_localised(example: Built) -> None:
    vi_dates = [t.get_text() for t in example.html("tin-tuc/").select(".portal-card time")]
    en_dates = [t.get_text() for t in example.html("en/news/").select(".portal-card time")]
    assert vi_dates and all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in vi_dates), vi_dates
    assert en_dates and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", d) for d in en_dates)


def test_slugs_are_transliterated(example: Built) -> None:
    assert example.exists("huong-dan/dang-ky-tai-khoan-vneid/")
    for url in all_pages(example):
        assert re.fullmatch(r"[a-z0-9/\-]*", url), url


def test_scheduled_news_is_not_published_yet(example: Built) -> None:
    scheduled = [p for p in (ROOT / "content" / "news").glob("*.vi.md")
                 if "date: 2026-12-15" in p.read_text(encoding="utf-8")]
    assert scheduled, "the example keeps one item scheduled for 2026-12-15"
    slug = scheduled[0].name.removesuffix(".vi.md")
    assert not example.exists(f"tin-tuc/{slug}/")
    assert slug not in (example.site / "sitemap.xml").read_text(encoding="utf-8")


def test_home_page_has_paths_for_every_audience_and_latest_items(example: Built) -> None:
    home = example.html("")
    paths = [a.get_text(strip=True) for a in home.select(".portal-paths a")]
    assert "Người cao tuổi" in paths and "Cán bộ, công chức, viên chức" in paths
    assert len(paths) == 7
    assert home.select("#home-latest ~ .portal-cards .portal-card")
    assert home.select("#home-guides ~ .portal-cards .portal-card")


def test_guide_shows_numbered_steps_and_related_items(example: Built) -> None:
    page = example.html("huong-dan/dang-ky-tai-khoan-vneid/")
    steps = page.select("ol.portal-steps > li")
    assert len(steps) >= 4
    assert steps[0].select_one(".portal-step__number").get_text() == "1"
    related = page.select(".portal-related .portal-card")
    assert 1 <= len(related) <= 4
    assert len(page.find_all("h1")) == 1


def test_illustrative_content_is_labelled(example: Built) -> None:
    for url in all_pages(example):
        assert "Ví dụ" not in url
    footer = example.html("").select_one(".portal-illustrative-note").get_text(" ", strip=True)
    assert "minh họa" in footer
    stories = example.html("guong-dien-hinh/").select(".portal-card")
    assert stories and all(s.select_one(".portal-badge") for s in stories)


def test_sitemap_lists_every_page_with_its_alternates(example: Built) -> None:
    tree = ET.parse(example.site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    locs = {u.findtext("s:loc", namespaces=ns) for u in tree.findall("s:url", ns)}
    expected = {SITE_URL + url for url in all_pages(example) if "offline/" not in url
                and "ngoai-tuyen/" not in url  # shown only when offline
                and url != "admin/"}  # the web editor, for officers (tests/test_cms.py)
    assert locs == expected
    home = next(u for u in tree.findall("s:url", ns) if u.findtext("s:loc", namespaces=ns)
                == SITE_URL)
    alternates = {a.get("hreflang"): a.get("href") for a in home.findall("x:link", ns)}
    assert alternates == {"vi": SITE_URL, "en": SITE_URL + "en/"}
    robots = (example.site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_strict_build_had_no_warnings(example: Built) -> None:
    assert "WARNING" not in example.result.out


def test_same_commit_builds_to_the_same_bytes(example: Built, tmp_path: Path) -> None:
    again = build(ROOT, tmp_path / "again")
    assert again.result.code == 0
    first = {p.relative_to(example.site): p.read_bytes()
             for p in example.site.rglob("*") if p.is_file()}
    second = {p.relative_to(again.site): p.read_bytes()
              for p in again.site.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    different = [str(k) for k in first if first[k] != second[k]]
    assert not different


def test_not_found_page_speaks_every_language_from_any_depth(example: Built) -> None:
    page = example.html("404.html")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text(strip=True) == "Không tìm thấy trang"
    english = page.select_one("section[lang=en]")
    assert english.h2.get_text(strip=True) == "Page not found"
    # served for any missing address, so its links must not be relative
    for link in page.select("link[href], a[href]"):
        assert link["href"].startswith(("/binh-dan-hoc-vu-so/", SITE_URL, "#", "mailto:",
                                        "tel:")), link

