"""Issue 17, points 3 and 4: "Did this page help you? / Report a problem" on every page,
leading to the channels the unit sets in data/site.yml, without JavaScript; and an offline
page that works at any depth: styled, with working links, listing the pages kept on the
phone, saying what to do without JavaScript. Offline is tested in Chromium with the network
cut, the site served under its sub-path with the real Content-Security-Policy."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from binhdan.publishing.deploy import content_security_policy
from conftest import ROOT, Built, build, check

PHONE = {"width": 360, "height": 740}
SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"
BASE = "/binh-dan-hoc-vu-so/"
LABELS = {lang: yaml.safe_load((ROOT / "binhdan" / "locales" / f"{lang}.yml").read_text(
    encoding="utf-8")) for lang in ("vi", "en")}
# Pages shown in place of another address: they name no page of their own to report.
SERVED_ANYWHERE = ("ngoai-tuyen/", "en/offline/", "404.html")
# Records every CSP violation, before any page script runs (as in test_deployment.py).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective}: ${e.blockedURI || "inline"}`));
"""


def feedback_links(soup: BeautifulSoup) -> dict[str, str]:
    """The feedback band's links by kind: portal (https), mailto, tel, zalo."""
    band = soup.find("aside", class_="feedback")
    assert band is not None
    links: dict[str, str] = {}
    for link in band.select("a.feedback__link"):
        href = link["href"]
        kind = href.split(":", 1)[0]
        links["zalo" if "zalo" in href else "portal" if kind == "https" else kind] = href
    return links


def page_of(built: Built, path: Path) -> str:
    """The site path of a built HTML file: "huong-dan/x/" for huong-dan/x/index.html."""
    url = path.relative_to(built.site).as_posix()
    return url[:-len("index.html")] if url.endswith("index.html") else url


# ---- Point 3: feedback on every page ----

def test_every_page_asks_for_feedback_naming_itself(example: Built) -> None:
    """Every page of both languages ends with the question and the example's channels: the
    portal with this page's address and title URL-encoded, a prefilled email naming the page,
    a phone to call. Pages shown in place of another address (offline, 404) have none."""
    pages = [p for p in example.site.rglob("*.html")
             if p.relative_to(example.site).parts[0] != "admin"]
    assert len(pages) > 200
    for path in pages:
        url = page_of(example, path)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.html.get("data-root") is None:  # the widget other portals embed: no frame
            continue
        if url in SERVED_ANYWHERE:
            assert soup.find("aside", class_="feedback") is None, url
            continue
        lang = soup.html["lang"]
        band = soup.find("aside", class_="feedback")
        assert band is not None, url
        assert band.h2.get_text(strip=True) == LABELS[lang]["feedback"]["title"], url
        links = feedback_links(soup)
        title = soup.find("meta", property="og:title")["content"]
        portal = urlsplit(links["portal"])
        assert portal.netloc == "gopy.tuyenquang.example.gov.vn" and portal.path == "/phan-anh"
        # parse_qs decodes once: the values are exactly the page's address and title
        assert parse_qs(portal.query) == {"trang": [SITE_URL + url], "tieu-de": [title]}, url
        mail = urlsplit(links["mailto"])
        assert mail.path == "binhdanhocvuso@example.gov.vn"
        fields = parse_qs(mail.query)
        assert fields["subject"] == [LABELS[lang]["feedback"]["subject"].format(title=title)]
        assert fields["body"] == [LABELS[lang]["feedback"]["body"].format(url=SITE_URL + url)]
        assert "+" not in mail.query  # RFC 6068: spaces are %20, a '+' would stay a '+'
        assert links["tel"] == "tel:02070000000"
        assert band.find(class_="feedback__note").get_text(strip=True) == \
            LABELS[lang]["feedback"]["illustrative"]


def write_feedback(project: Path, block: str) -> dict[str, int]:
    """Append a `feedback:` block to site.yml; the line of each of its keys."""
    site_yml = project / "data" / "site.yml"
    start = len(site_yml.read_text(encoding="utf-8").splitlines())
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return {line.split(":")[0].strip(): start + number
            for number, line in enumerate(block.splitlines(), 1)}


def test_channels_are_the_units_own_in_every_language(project: Path, tmp_path: Path) -> None:
    """A commune with its own portal (title only, address in the path's query), email, a
    phone written with dots and brackets and a Zalo account: every page of its three
    languages links to them; a title with '&', '#' and '{url}' stays text in the address."""
    guide = project / "content" / "guides" / "cai-dat-vneid.vi.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "title: Cài đặt ứng dụng VNeID", 'title: "Cài VNeID & hỏi #1 {url} – 100%"', 1),
        encoding="utf-8")
    write_feedback(project, "feedback:\n"
                   "  portal: https://hanhchinhcong.daklak.gov.vn/gop-y?loai=web&tieu-de={title}"
                   "&dia-chi={url}\n"
                   "  email: gopy@eatrang.daklak.gov.vn\n"
                   "  phone: \"+84 (262) 381.2345\"\n"
                   "  zalo: https://zalo.me/4318895561234567890\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    site_url = "https://eatrang.example.gov.vn/"
    pages = [p for p in built.site.rglob("index.html") if "admin" not in p.parts
             and page_of(built, p) not in ("ngoai-tuyen/", "en/offline/", "rad/ngoai-tuyen/")]
    langs = set()
    for path in pages:
        url = page_of(built, path)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.html.get("data-root") is None:  # the embeddable widget: no frame
            continue
        langs.add(soup.html["lang"])
        links = feedback_links(soup)
        title = soup.find("meta", property="og:title")["content"]
        query = parse_qs(urlsplit(links["portal"]).query)
        assert query == {"loai": ["web"], "tieu-de": [title], "dia-chi": [site_url + url]}, url
        assert urlsplit(links["mailto"]).path == "gopy@eatrang.daklak.gov.vn"
        assert links["tel"] == "tel:+842623812345"
        assert links["zalo"] == "https://zalo.me/4318895561234567890"
        assert soup.find(class_="feedback__note") is None  # not marked illustrative
    assert langs == {"vi", "en", "rad"}
    guide_page = built.html("huong-dan/cai-dat-vneid/")
    title = guide_page.find("meta", property="og:title")["content"]
    assert title == "Cài VNeID & hỏi #1 {url} – 100%"
    assert parse_qs(urlsplit(feedback_links(guide_page)["portal"]).query)["tieu-de"] == [title]
    # the third language has no labels of its own: Vietnamese ones, not a missing key
    rad = built.html("rad/")
    assert rad.find("aside", class_="feedback").h2.get_text(strip=True) == \
        LABELS["vi"]["feedback"]["title"]


def test_contact_alone_is_the_feedback_channel_and_none_means_no_band(
        project: Path, tmp_path: Path) -> None:
    """Without a `feedback:` block the contact's email and phone are used (one owner for
    each); a site with neither shows no empty band."""
    built = build(project, tmp_path / "bare")
    assert built.result.code == 0, built.result.out
    assert built.html("").find("aside", class_="feedback") is None
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "contact:\n"
                        "  email: ubnd@eatrang.daklak.gov.vn\n  phone: 0262 381 0000\n"
                        "  illustrative: true\n", encoding="utf-8")
    built = build(project, tmp_path / "contact")
    assert built.result.code == 0, built.result.out
    links = feedback_links(built.html("en/"))
    assert set(links) == {"mailto", "tel"}
    assert urlsplit(links["mailto"]).path == "ubnd@eatrang.daklak.gov.vn"
    assert links["tel"] == "tel:02623810000"
    note = built.html("en/").find(class_="feedback__note")
    assert note.get_text(strip=True) == LABELS["en"]["feedback"]["illustrative"]


@pytest.mark.parametrize(("key", "value", "said"), [
    ("portal", "https://gopy.daklak.gov.vn/gop-y", "không có {url}"),
    ("portal", "https://gopy.daklak.gov.vn/?u={link}", "không có {url}"),
    ("portal", "javascript:alert({url})", "không bắt đầu bằng https://"),
    ("portal", "gopy.daklak.gov.vn/?u={url}", "không bắt đầu bằng https://"),
    ("portal", '"https://gopy.daklak.gov.vn/?u={url}&x=\\"><b>"', "dấu ngoặc kép"),
    ("portal", "https://gopy.daklak.gov.vn/?u={url}&t={name}", "không đúng dạng"),
    ("portal", "https://gopy.daklak.gov.vn/?u={url}#top", "dấu #"),
    ("portal", "https://gopy.daklak.gov.vn/?u= {url}", "dấu cách"),
    ("portal", "https://gopy.daklak.gov.vn:99999/?u={url}", "số cổng"),
    ("email", "gopy at daklak", "dấu cách"),
    ("phone", '"0262;381"', "dấu chấm phẩy"),
    ("zalo", "zalo.me/12345", "https://"),
    ("zalo", "https://zalo.me/1 2", "dấu cách"),
])
def test_mistakes_in_the_channels_are_explained(project: Path, key: str, value: str,
                                                said: str) -> None:
    """Each value is a link on every page: a wrong one is named with its line, field and an
    example in both languages, and the site is not published (no traceback)."""
    lines = write_feedback(project, f"feedback:\n  {key}: {value}\n")
    result = check(project)
    assert result.code == 1, result.out
    assert "Traceback" not in result.out
    assert f"data/site.yml:{lines[key]} [feedback.{key}]" in result.out, result.out
    assert said in result.out and "Correct it to that form" in result.out


def test_unknown_channels_and_wrong_shapes_are_explained(project: Path) -> None:
    lines = write_feedback(project, "feedback:\n  facebook: https://facebook.com/x\n"
                                    "  illustrative: có\n")
    result = check(project)
    assert result.code == 1 and "Traceback" not in result.out
    assert f"data/site.yml:{lines['facebook']} [feedback.facebook]" in result.out
    assert "portal, email, phone, zalo, illustrative" in result.out
    assert f"data/site.yml:{lines['illustrative']} [feedback.illustrative]" in result.out
    site_yml = project / "data" / "site.yml"
    text = site_yml.read_text(encoding="utf-8").split("feedback:")[0]
    site_yml.write_text(text + "feedback:\n  - https://gopy.daklak.gov.vn/?u={url}\n",
                        encoding="utf-8")
    result = check(project)
    assert result.code == 1 and "Traceback" not in result.out
    assert "[feedback]" in result.out and "'portal: …'" in result.out


# ---- Point 4: offline at any depth (static checks) ----

def test_offline_page_links_start_from_the_sites_folder(example: Built) -> None:
    """The offline page is shown in place of any page, so every link, stylesheet and script
    starts from the site's folder (/binh-dan-hoc-vu-so/), never from where it was published;
    it says what to do without JavaScript and is not indexed."""
    for url, lang, home in (("ngoai-tuyen/", "vi", BASE), ("en/offline/", "en", BASE + "en/")):
        soup = example.html(url)
        addresses = [tag.get("href") or tag.get("src") for tag in
                     soup.select("a[href], link[href], script[src]")]
        relative = [a for a in addresses if a and not a.startswith(
            (BASE, "#", "https://", "mailto:", "tel:"))]
        assert relative == [], (url, relative)
        assert soup.find("a", string=LABELS[lang]["ui"]["back_home"])["href"] == home
        status = soup.find(attrs={"data-saved-status": True})
        assert status.get_text(strip=True) == LABELS[lang]["offline"]["no_script"]
        assert soup.find(attrs={"data-saved-pages": True}).has_attr("hidden")
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


# ---- In Chromium: the site under its sub-path with the real policy, the network cut ----

# Set while a test cuts the network: the server answers nothing. Chromium's offline mode
# (context.set_offline) does not always reach a service worker's own requests
# (microsoft/playwright#2311): under load, one fetched a page the phone never kept.
_NETWORK_CUT = threading.Event()


class _PolicyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files with the pages' Content-Security-Policy, as the generated nginx and
    Caddy configurations do; nothing at all while the network is cut."""

    def do_GET(self) -> None:
        if _NETWORK_CUT.is_set():
            self.close_connection = True  # no answer: the request fails as offline
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy())
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(example: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("webroot-policy")
    (root / BASE.strip("/")).symlink_to(example.site, target_is_directory=True)
    handler = functools.partial(_PolicyHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    server.shutdown()


VISITED = ("", "huong-dan/dang-ky-tai-khoan-vneid/", "en/guides/")
# Never visited, at depths 1 to 4, in both languages.
UNVISITED = [("su-kien/", "vi"), ("tin-tuc/ngay-hoi-toan-dan-hoc-tap-so-2026/", "vi"),
             ("so-lieu/bao-cao/2026-10/", "vi"), ("en/data/reports/2026-10/", "en")]


def test_offline_at_any_depth_is_styled_lists_saved_pages_and_goes_home(
        browser, example: Built, served: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(served)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which keeps every page opened
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    titles = {}
    for path in VISITED:
        page.goto(served + path)
        titles[path] = page.locator('meta[property="og:title"]').get_attribute("content")
    context.set_offline(True)
    _NETWORK_CUT.set()
    try:
        for path, lang in UNVISITED:
            page.goto(served + path)
            assert page.locator("h1").inner_text() == LABELS[lang]["offline"]["title"], path
            # styled: the stylesheet resolved, the header has the unit's colour, not the
            # browser's transparent default
            header = page.evaluate("getComputedStyle(document.querySelector('.site-header'))"
                                   ".backgroundColor")
            assert header == "rgb(11, 79, 138)", path
            assert page.evaluate("document.styleSheets[0].cssRules.length") > 50, path
            saved = page.locator(".saved-pages__list a")
            saved.first.wait_for(timeout=5000)
            listed = {urlsplit(href).path: text for href, text in zip(
                saved.evaluate_all("(links) => links.map((a) => a.href)"),
                saved.all_inner_texts(), strict=True)}
            assert listed == {BASE + p: titles[p] for p in VISITED}, path
            assert not page.locator("[data-saved-status]").is_visible()
            # the reader's language first; the others carry their own language
            first = saved.first.get_attribute("href")
            assert (urlsplit(first).path.startswith(BASE + "en/")) is (lang == "en"), path
            other = saved.evaluate_all("(links) => links.filter((a) => a.lang)"
                                       ".map((a) => a.lang)")
            assert set(other) == {"en" if lang == "vi" else "vi"}, path
            home = page.get_by_role("link", name=LABELS[lang]["ui"]["back_home"])
            assert home.get_attribute("href") == (BASE + "en/" if lang == "en" else BASE)
        # the home link works offline: the kept home page opens, not the offline page
        page.goto(served + "tin-tuc/ngay-hoi-toan-dan-hoc-tap-so-2026/")
        page.get_by_role("link", name=LABELS["vi"]["ui"]["back_home"]).click()
        page.wait_for_url(served)
        assert page.locator("h1").inner_text() != LABELS["vi"]["offline"]["title"]
        assert page.locator(".portal-hero").count() == 1
        # and so does a saved page from the list
        page.goto(served + "su-kien/")
        page.locator(".saved-pages__list a", has_text=titles[
            "huong-dan/dang-ky-tai-khoan-vneid/"]).click()
        page.wait_for_url(served + "huong-dan/dang-ky-tai-khoan-vneid/")
        assert page.locator("h1").inner_text() == titles["huong-dan/dang-ky-tai-khoan-vneid/"]
        assert page.evaluate("window.__csp") == []
    finally:
        _NETWORK_CUT.clear()
        context.set_offline(False)
        context.close()


def test_offline_page_without_javascript_says_what_to_do(
        browser, served: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for path, lang in (("ngoai-tuyen/", "vi"), ("en/offline/", "en")):
        page.goto(served + path)
        status = page.locator("[data-saved-status]")
        assert status.is_visible() and status.inner_text() == LABELS[lang]["offline"]["no_script"]
    context.close()


def test_feedback_links_are_large_enough_and_need_no_script(
        browser, served: str) -> None:  # type: ignore[no-untyped-def]
    """At 360 x 740 without JavaScript the band is there and each link is a target of at
    least 44 x 44 px (WCAG 2.2 target size, as the issue asks), at every text size."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for path in ("", "huong-dan/dang-ky-tai-khoan-vneid/", "en/guides/", "so-lieu/"):
        page.goto(served + path)
        for size in ("", "1", "2"):
            if size:
                page.evaluate(f"document.documentElement.dataset.text = '{size}'")
            links = page.locator("aside.feedback a")
            assert links.count() == 3, path
            for box in (links.nth(i).bounding_box() for i in range(links.count())):
                assert box is not None and box["height"] >= 44 and box["width"] >= 44, (path, box)
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)
    page.goto(served + "huong-dan/dang-ky-tai-khoan-vneid/")
    assert unquote(page.locator("aside.feedback a").first.get_attribute("href")).endswith(
        page.locator('meta[property="og:title"]').get_attribute("content"))
    context.close()
