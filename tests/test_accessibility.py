"""The example portal in real Chromium, as its most demanding visitors meet it: WCAG 2.2 A/AA
(axe-core) on every page template in both languages on a phone and a desktop and on the web
editor's loading screen, targets of 44 px, focus never hidden, reading aids by keyboard, no
request to another host, search without diacritics, offline guides, and pages that work
without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                              "wcag22aa"]},
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
    # The web editor as it shows before (or without) Decap: its loading screen.
    page.route("**/admin/decap-*/**", lambda route: route.abort())
    failures = {}
    for path in [*PAGES, "admin/"]:
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
        names.append(" ".join(page.evaluate("document.activeElement.getAttribute('aria-label')"
                                            " || document.activeElement.innerText").split()))
    assert names[1:] == ["English", "Danh mục", "Tìm kiếm",
                         "A+ Chữ thường", "◐ Tương phản cao"], names
    page.keyboard.press("Enter")  # high contrast on
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # text one step larger
    assert page.evaluate("document.documentElement.dataset.text") == "1"
    assert page.get_by_role("button", name="A+ Chữ to").is_visible()
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.goto(example_url + "tin-tuc/")  # another page: the choice is kept, before painting
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == size
    assert page.get_by_role("button", name="Tương phản cao").get_attribute(
        "aria-pressed") == "true"


# Every control that a visitor taps, with its tap area: a title link stretched over its card
# counts as the card. Links inside a sentence are exempt (WCAG 2.5.8 "inline").
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])'))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => {
    const style = getComputedStyle(el), parent = el.parentElement;
    return !(style.display === 'inline' && parent.textContent.trim() !== el.textContent.trim());
  })
  .map(el => {
    const box = el.getBoundingClientRect();
    const after = getComputedStyle(el, '::after');
    const area = after.position === 'absolute' && el.offsetParent
      ? el.offsetParent.getBoundingClientRect() : box;
    return [el.outerHTML.slice(0, 80), Math.max(box.width, area.width),
            Math.max(box.height, area.height)];
  })
  .filter(([, width, height]) => width < 44 || height < 44)"""


@pytest.mark.parametrize("text", ["", "2"], ids=["normal-text", "largest-text"])
def test_every_control_is_at_least_44_px_on_a_phone(browser, example_url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    page.add_init_script(f"localStorage.setItem('bd-text', '{text}');")
    small = {}
    # The widget is laid out by the portal that embeds it (widget.css), not by this frame.
    for path in [path for path in PAGES if path not in ("tien-ich/", "en/widget/")]:
        page.goto(example_url + path)
        if page.locator("summary.tool").count():
            page.locator("summary.tool").click()  # the menu's links too
        if found := page.evaluate(SMALL_TARGETS):
            small[path] = found
    page.close()
    assert not small


def test_whole_card_is_one_link(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    for path in ("huong-dan/", "en/news/", "danh-cho/nguoi-cao-tuoi/"):
        page.goto(example_url + path)
        cards = page.locator(".portal-card")
        assert cards.count() >= 2
        for index in (0, cards.count() - 1):
            card = cards.nth(index)
            assert card.locator("a").count() == 1  # one link for screen readers
            href = card.locator("a").evaluate("link => link.href")
            card.scroll_into_view_if_needed()
            box = card.bounding_box()
            # the corners and the summary lead to the item, as the title does
            for x, y in ((4, 4), (box["width"] - 4, box["height"] - 4), (box["width"] / 2,
                                                                          box["height"] - 12)):
                target = page.evaluate(
                    "([x, y]) => document.elementFromPoint(x, y).closest('a')?.href",
                    [box["x"] + x, box["y"] + y])
                assert target == href, (path, index, x, y)
        href = cards.first.locator("a").evaluate("link => link.href")
        cards.first.scroll_into_view_if_needed()
        box = cards.first.locator(".portal-card__meta").bounding_box()  # a tap on the date
        page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)
        page.wait_for_url(href)


@pytest.mark.parametrize(("path", "normal", "large", "largest"), [
    ("huong-dan/", "A+ Chữ thường", "A+ Chữ to", "A− Chữ rất to"),
    ("en/guides/", "A+ Normal text", "A+ Large text", "A− Very large text"),
])
def test_text_size_cycles_with_its_state_shown_and_the_header_stays_small(
        context, example_url: str, path: str, normal: str, large: str, largest: str) -> None:
    page = context.new_page()
    page.goto(example_url + path)
    button = page.locator('[data-aid="text-size"]')
    shown, sizes, headers = [], [], []
    for _ in range(4):
        shown.append(" ".join(button.inner_text().split()))
        assert page.get_by_role("button", name=shown[-1]).is_visible()  # its name is what shows
        sizes.append(float(page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")))
        headers.append(page.locator(".site-header").bounding_box()["height"])
        button.click()
    # normal -> large -> larger -> normal, and the button says so before and after
    assert shown == [normal, large, largest, normal]
    assert sizes[0] < sizes[1] < sizes[2] and sizes[3] == sizes[0]
    # the page's text grows; the header leaves the page at least two thirds of the screen
    assert max(headers) <= PHONE["height"] / 3, headers


FOCUS_HIDDEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 10), 0), innerHeight - 1);
  const seen = document.elementFromPoint(x, y);
  return seen && (el.contains(seen) || seen.contains(el)) ? null : el.outerHTML.slice(0, 80);
}"""


def test_focus_is_never_covered(context, example_url: str) -> None:  # type: ignore[no-untyped-def]
    # WCAG 2.4.11: nothing of ours (the header, the open phone menu) hides what has focus.
    page = context.new_page()
    for path in ("", "huong-dan/dang-ky-tai-khoan-vneid/", "en/guides/"):
        page.goto(example_url + path)
        page.locator("summary.tool").click()  # the menu opens over the page
        hidden = []
        for _ in range(40):
            page.keyboard.press("Tab")
            if found := page.evaluate(FOCUS_HIDDEN):
                hidden.append(found)
        assert not hidden, (path, hidden)
        assert not page.locator(".menu--compact").evaluate("menu => menu.open")


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
    # the content only, once: no buttons, no breadcrumb, each step's number said once
    sentences = [s[1].strip() for s in spoken if len(s) > 1]
    assert sentences[0] == page.locator("h1").inner_text()
    assert "Nghe bài này" not in text and "In hướng dẫn" not in text
    assert "Bước 1: Tải ứng dụng VNeID" in text and "1Bước" not in text
    assert not [sentence for sentence in sentences if sentence.isdigit()]
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text().strip() == "🔊 Dừng đọc"
