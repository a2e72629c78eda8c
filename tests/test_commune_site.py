"""A commune-level site from configuration alone (Ea Trang fixture): three languages, the
'omit' policy for untranslated items, pagination, and an officer's new item showing up in
every place it belongs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from conftest import Built, build


def test_nothing_of_the_example_province_leaks_in(commune: Built) -> None:
    for page in commune.site.rglob("*.html"):
        assert "Tuyên Quang" not in page.read_text(encoding="utf-8"), page
    home = commune.html("")
    assert home.select_one(".brand__unit").get_text(strip=True) == "Xã Ea Trang"


def test_villages_are_localities_under_the_commune(commune: Built) -> None:
    commune_page = commune.html("dia-phuong/ea-trang/")
    children = [a.get_text(strip=True) for a in commune_page.select(".portal-chips a")]
    assert children == ["Buôn Một (minh họa)", "Thôn Hai (minh họa)"]
    village = commune.html("dia-phuong/buon-mot/")
    assert "Lớp học kỹ năng số ở Buôn Một" in village.get_text()


def test_third_language_from_data_only(commune: Built) -> None:
    page = commune.html("rad/rad-guide/cai-dat-vneid/")
    assert page.html["lang"] == "rad"
    assert page.h1.get_text(strip=True) == "[rad] Cài đặt ứng dụng VNeID"
    # labels missing from data/locales/rad.yml fall back to the first language
    assert page.select_one(".portal-kicker a").get_text(strip=True) == "Hướng dẫn"
    switcher = {a["hreflang"]: a["href"] for a in page.select(".languages a")}
    assert switcher == {"vi": "../../../huong-dan/cai-dat-vneid/",
                        "en": "../../../en/guides/cai-dat-vneid/"}


def test_omit_policy_leaves_untranslated_items_out(commune: Built) -> None:
    assert commune.exists("tin-tuc/lop-hoc-buon-mot/")
    assert not commune.exists("en/news/lop-hoc-buon-mot/")
    assert commune.html("en/news/").select(".portal-card") == []
    assert "No" in commune.html("en/news/").select_one(".portal-empty").get_text()
    # the switcher of an item without translation goes to the other language's home
    link = commune.html("tin-tuc/lop-hoc-buon-mot/").select_one(
        ".languages a[hreflang=en]")
    assert link["href"] == "../../en/"


def test_listings_paginate(commune: Built) -> None:
    first = commune.html("huong-dan/")
    second = commune.html("huong-dan/trang/2/")
    titles = [c.a.get_text(strip=True) for c in first.select(".portal-card")]
    assert titles == ["Bảo vệ tài khoản VNeID", "Nộp hồ sơ trực tuyến"]
    assert [c.a.get_text(strip=True) for c in second.select(".portal-card")] == [
        "Cài đặt ứng dụng VNeID"]
    next_page = first.select_one(".portal-pager a[rel=next]")["href"]
    assert urljoin("/huong-dan/", next_page) == "/huong-dan/trang/2/"
    assert second.select_one(".portal-pager a[aria-current=page]").get_text() == "2"
    assert second.title.get_text(strip=True).startswith("Hướng dẫn – Trang 2/2")


def test_new_item_appears_in_every_place_it_belongs(project: Path, tmp_path: Path) -> None:
    for lang, title in (("vi", "Họp dân về chữ ký số"), ("en", "Village meeting on e-signatures")):
        extra = ("date: 2026-11-20\ntopics: [dich-vu-cong]\naudiences: [nguoi-cao-tuoi]\n"
                 "localities: [thon-hai]\n") if lang == "vi" else ""
        (project / f"content/news/hop-dan.{lang}.md").write_text(
            f"---\ntitle: {title}\nsummary: S.\n{extra}---\nNội dung.\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    for url in ("", "tin-tuc/", "chu-de/dich-vu-cong/", "danh-cho/nguoi-cao-tuoi/",
                "dia-phuong/thon-hai/"):
        assert "Họp dân về chữ ký số" in built.html(url).get_text(), url
    for url in ("en/", "en/news/", "en/topics/dich-vu-cong/", "en/localities/thon-hai/"):
        assert "Village meeting on e-signatures" in built.html(url).get_text(), url
    assert built.exists("tin-tuc/hop-dan/") and built.exists("en/news/hop-dan/")


def test_drafts_and_future_items_stay_unpublished(project: Path, tmp_path: Path) -> None:
    (project / "content/news/nhap.vi.md").write_text(
        "---\ntitle: Bản nháp\ndate: 2026-01-01\nsummary: S.\ndraft: true\n---\nx\n",
        encoding="utf-8")
    (project / "content/news/hen-gio.vi.md").write_text(
        "---\ntitle: Tin hẹn giờ\ndate: 2026-12-15\nsummary: S.\n---\nx\n", encoding="utf-8")
    before = build(project, tmp_path / "before")
    assert before.result.code == 0, before.result.out
    text = "".join(p.read_text(encoding="utf-8") for p in before.site.rglob("*.html"))
    text += (before.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "Bản nháp" not in text and "nhap" not in text
    assert "Tin hẹn giờ" not in text and "hen-gio" not in text
    after = build(project, tmp_path / "after", BINHDAN_TODAY="2026-12-15")
    assert after.exists("tin-tuc/hen-gio/")
    assert not after.exists("tin-tuc/nhap/")


def test_editor_text_is_never_html(project: Path, tmp_path: Path) -> None:
    (project / "content/news/tieu-de.vi.md").write_text(
        '---\ntitle: "Tin <script>alert(1)</script> mới"\ndate: 2026-01-01\n'
        'summary: "<b>đậm</b>"\n---\nx\n', encoding="utf-8")
    built = build(project, tmp_path / "site")
    page = built.html("tin-tuc/tieu-de/")
    assert page.h1.get_text() == "Tin <script>alert(1)</script> mới"
    assert not page.select(".portal-item script")
    assert page.select_one(".portal-lead").get_text() == "<b>đậm</b>"


def test_a_long_listing_links_a_window_of_pages(project: Path, tmp_path: Path) -> None:
    """Years of news run to hundreds of pages: each links the first, the last and its
    neighbours, not every number (heavy, and useless on a phone)."""
    for number in range(30):
        (project / f"content/news/tin-{number:02d}.vi.md").write_text(
            f"---\ntitle: Tin {number}\ndate: 2026-01-{number % 28 + 1:02d}\nsummary: S.\n---\n"
            "x\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    pager = built.html("tin-tuc/trang/8/").select_one(".portal-pager ul")
    shown = [li.get_text(strip=True) for li in pager.select("li")]
    assert shown == ["1", "…", "6", "7", "8", "9", "10", "…", "16"]
    assert pager.select_one("[aria-current=page]").get_text() == "8"
    assert pager.select_one(".portal-pager__gap")["aria-hidden"] == "true"
