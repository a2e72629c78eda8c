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
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from binhdan.deploy import content_security_policy
from conftest import ROOT, Built

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

class _PolicyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files with the pages' Content-Security-Policy, as the generated nginx and
    Caddy configurations do."""

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
