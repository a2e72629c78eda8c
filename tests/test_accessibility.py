"""The example portal in real Chromium, as its most demanding visitors meet it: WCAG 2.1 A/AA
(axe-core) on every page template in both languages on a phone and a desktop, reading aids
by keyboard, no request to another host, search without diacritics, offline guides, and
pages that work without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}

# One page of every template, in Vietnamese and in English.
TEMPLATES = [
    ("", "en/"),  # home
    ("huong-dan/", "en/guides/"),  # listing
    ("tin-tuc/", "en/news/"),
    ("huong-dan/dang-ky-tai-khoan-vneid/", "en/guides/dang-ky-tai-khoan-vneid/"),
    ("tin-tuc/ngay-hoi-toan-dan-hoc-tap-so-2026/", "en/news/ngay-hoi-toan-dan-hoc-tap-so-2026/"),
    ("guong-dien-hinh/cho-so-meo-vac/", "en/stories/cho-so-meo-vac/"),
    ("infographic/5-buoc-cai-vneid/", "en/infographics/5-buoc-cai-vneid/"),
    ("video/ba-dieu-can-nho-tranh-lua-dao/", "en/videos/ba-dieu-can-nho-tranh-lua-dao/"),
    ("tai-lieu-hoc-tap/an-toan-tren-mang-cho-hoc-sinh/",
     "en/learning-materials/an-toan-tren-mang-cho-hoc-sinh/"),
    ("van-ban/ke-hoach-tuyen-quang-2025/", "en/documents/ke-hoach-tuyen-quang-2025/"),
    ("su-kien/ngay-hoi-toan-dan-hoc-tap-so-2026/", "en/events/ngay-hoi-toan-dan-hoc-tap-so-2026/"),
    ("chu-de/", "en/topics/"),
    ("chu-de/vneid/", "en/topics/vneid/"),
    ("danh-cho/nguoi-cao-tuoi/", "en/for/nguoi-cao-tuoi/"),
    ("dia-phuong/", "en/localities/"),
    ("dia-phuong/na-hang/", "en/localities/na-hang/"),
    ("gioi-thieu/", "en/about/"),
    ("tim-kiem/", "en/search/"),
    ("ngoai-tuyen/", "en/offline/"),
    ("404.html", "en/guides/dung-cong-cu-ai-an-toan/"),  # 404; an untranslated item
    ("so-lieu/", "en/data/"),  # progress dashboard
    ("so-lieu/vneid-xac-nhan/", "en/data/vneid-xac-nhan/"),
    ("so-lieu/nhiem-vu/", "en/data/tasks/"),
    ("so-lieu/bao-cao/", "en/data/reports/"),  # the index of reports
    ("so-lieu/bao-cao/2026-10/", "en/data/reports/2026-10/"),
    ("so-lieu/du-lieu-mo/", "en/data/open-data/"),
    ("nguon-tin/", "en/feeds/"),  # feeds
    ("tien-ich/", "en/widget/"),  # the widget other portals embed
    ("tin-tuc/ngay-hoi-toan-dan-hoc-tap-so-2026/", "en/news/ngay-hoi-toan-dan-hoc-tap-so-2026/"),
]
PAGES = [page for pair in TEMPLATES for page in pair]


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_wcag_violation_on_any_template(browser, example_url: str, viewport) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=viewport)
    failures = {}
    for path in PAGES:
        page.goto(example_url + path)
        violations = Axe().run(page, options=WCAG).response["violations"]
        if violations:
            failures[path] = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.close()
    assert not failures


def test_high_contrast_and_large_text_keep_wcag_contrast(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.add_init_script("localStorage.setItem('bd-contrast', 'high');"
                         "localStorage.setItem('bd-text', '2');")
    for path in ("", "huong-dan/dang-ky-tai-khoan-vneid/", "tim-kiem/"):
        page.goto(example_url + path)
        assert page.evaluate("document.documentElement.dataset.contrast") == "high"
        assert Axe().run(page, options=WCAG).response["violations"] == [], path


def test_reading_aids_by_keyboard_are_remembered(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(example_url + "huong-dan/dang-ky-tai-khoan-vneid/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    names = []
    for _ in range(6):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"
                                   " || document.activeElement.innerText.trim()"))
    assert names[1:] == ["English", "Danh mục", "Tìm kiếm",
                         "A+ Cỡ chữ: Chữ thường", "Tương phản cao"], names
    page.keyboard.press("Enter")  # high contrast on
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # text one step larger
    assert page.evaluate("document.documentElement.dataset.text") == "1"
    assert page.get_by_role("button", name="A+ Cỡ chữ: Chữ to").is_visible()
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.goto(example_url + "tin-tuc/")  # another page: the choice is kept, before painting
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == size
    assert page.get_by_role("button", name="Tương phản cao").get_attribute(
        "aria-pressed") == "true"


def test_text_at_200_percent_reflows_without_sideways_scrolling(browser, example_url: str) -> None:  # type: ignore[no-untyped-def]
    # WCAG 1.4.4 / 1.4.10: 200 % zoom on a 640 px wide screen is a 320 px viewport.
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.add_init_script("localStorage.setItem('bd-text', '2');")
    for path in ("", "huong-dan/dang-ky-tai-khoan-vneid/", "huong-dan/", "tim-kiem/",
                 "van-ban/ke-hoach-tuyen-quang-2025/"):
        page.goto(example_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.close()


def test_no_request_leaves_the_site(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    host = urlsplit(example_url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).netloc not in (host, "") else None)
    for path in PAGES:
        page.goto(example_url + path, wait_until="networkidle")
    page.goto(example_url + "tim-kiem/?q=vneid", wait_until="networkidle")
    assert not elsewhere


@pytest.mark.parametrize(("query", "expected"), [
    ("dang ky vneid", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("đăng ký vneid", "/huong-dan/dang-ky-tai-khoan-vneid/"),
    ("dich vu cong", "/huong-dan/nop-ho-so-dich-vu-cong-truc-tuyen/"),
    ("chu ky so", "/huong-dan/chu-ky-so-ca-nhan-qua-vneid/"),
])
def test_search_forgives_missing_diacritics(context, example_url: str, query: str,
                                            expected: str) -> None:
    page = context.new_page()
    page.goto(example_url + "tim-kiem/")
    page.get_by_label("Bạn cần tìm gì?").fill(query)
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.locator(".search__results li").first.wait_for()
    links = page.locator(".search__results a").evaluate_all("els => els.map(e => e.pathname)")
    assert any(link.endswith(expected) for link in links[:3]), links
    assert "kết quả" in page.locator(".search__status").inner_text()


def test_search_downloads_only_part_of_the_index(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(r.url) if "/search-index/" in r.url else None)
    page.goto(example_url + "en/search/?q=scam", wait_until="networkidle")
    page.locator(".search__results li").first.wait_for()
    first = page.locator(".search__results a").first.get_attribute("href")
    assert "/binh-dan-hoc-vu-so/en/" in first  # English pages for an English search
    assert fetched and all("/search-index/en/" in url for url in fetched)
    shards = [url for url in fetched if "/t/" in url]
    assert len(shards) == 1  # one word, one shard: never the whole index


def test_visited_guide_opens_offline_and_others_show_the_offline_page(
        context, example_url: str) -> None:
    page = context.new_page()
    guide = example_url + "huong-dan/thanh-toan-bang-ma-qr/"
    page.goto(guide)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which keeps the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.goto(guide)
    assert "Thanh toán" in page.locator("h1").inner_text()
    page.goto(example_url + "su-kien/")
    assert page.locator("h1").inner_text() == "Bạn đang ngoại tuyến"
    page.goto(example_url + "en/events/")
    assert page.locator("h1").inner_text() == "You are offline"
    context.set_offline(False)


def test_pages_work_without_javascript(browser, example_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "huong-dan/dang-ky-tai-khoan-vneid/")
    assert page.locator("ol.portal-steps > li").count() >= 4
    assert not page.locator(".aids").is_visible()  # aids need a script: not offered
    page.locator("summary", has_text="Danh mục").click()  # <details> needs no script
    page.get_by_role("link", name="Tin tức").click()
    assert page.url.endswith("/tin-tuc/")
    page.goto(example_url + "tim-kiem/")
    assert "cần JavaScript" in page.locator("main").inner_text()
    context.close()


def test_listen_button_reads_the_page_in_vietnamese_when_a_voice_exists(
        context, example_url: str) -> None:
    page = context.new_page()
    page.goto(example_url + "huong-dan/dang-ky-tai-khoan-vneid/")
    assert not page.locator(".listen").is_visible()  # this browser has no voice: no button
    page.add_init_script("""
        window.spoken = [];
        const voice = {lang: 'vi-VN', name: 'Tiếng Việt'};
        speechSynthesis.getVoices = () => [voice];
        speechSynthesis.speak = (u) => window.spoken.push([u.lang, u.text]);
        speechSynthesis.cancel = () => { window.spoken.push(['cancel']); };
        window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
    """)
    page.reload()
    page.get_by_role("button", name="Nghe bài này").click()
    button = page.locator('[data-aid="listen"]')
    spoken = page.evaluate("window.spoken")
    assert spoken and all(lang == "vi-VN" for lang, *_ in spoken)
    text = " ".join(s[1] for s in spoken)
    assert "Đăng ký tài khoản VNeID" in text and "Tải ứng dụng VNeID" in text
    assert "Có thể bạn quan tâm" not in text  # related items are not read out
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text().strip() == "🔊 Dừng đọc"
