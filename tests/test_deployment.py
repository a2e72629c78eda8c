"""Publishing: the example portal served by real nginx (and Caddy, when installed) with the
configuration `binhdan deploy` writes, under the portal's sub-path, and checked in Chromium
with the Content-Security-Policy enforced. A policy that silently blocks our own scripts or
styles fails here, as does a header, cache rule or MIME type that went missing."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from binhdan import deploy
from binhdan.portal import PREFERENCES_SCRIPT
from conftest import ROOT, Built, run, serve

PREFIX = "/binh-dan-hoc-vu-so/"
DOCS = {"nginx": ROOT / "docs" / "deploy" / "nginx.conf",
        "caddy": ROOT / "docs" / "deploy" / "Caddyfile"}
HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
           "Referrer-Policy", "Permissions-Policy")
NGINX_WRAPPER = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        include {tmp}/binh-dan-hoc-vu-so.conf;
    }}
}}
"""
CADDY_WRAPPER = """\
{{
    admin off
    auto_https off
    storage file_system {tmp}/data
}}
import {tmp}/binh-dan-hoc-vu-so.caddy
http://127.0.0.1:{port} {{
    import binh-dan-hoc-vu-so
}}
"""
# Records every CSP violation in every frame, before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""


def generate(server: str, *args: str) -> str:
    done = run(["binhdan", "deploy", server, *args], ROOT)
    assert done.code == 0, done.out
    return done.out


@pytest.mark.parametrize("server", DOCS)
def test_docs_deploy_files_are_what_the_command_prints(server: str) -> None:
    """docs/deploy/ shows web teams the real output (the CSP holds the inline script's hash)."""
    path = DOCS[server]
    assert (path.read_text(encoding="utf-8") if path.exists() else "") == generate(server), (
        f"{path.relative_to(ROOT)} is out of date (the inline script or the headers "
        "changed): run `make deploy-config` and commit the result. / Tệp đã cũ: chạy "
        "`make deploy-config` rồi commit.")


def test_every_page_satisfies_the_policy_as_built(example: Built) -> None:
    """Read from the files, so a failure names the page and the tag: inline scripts must be
    the hashed one; no inline styles or event handlers (the CSP allows neither)."""
    policy = deploy.content_security_policy()
    found = []
    for page in sorted(example.site.rglob("*.html")):
        where = page.relative_to(example.site)
        if where.parts[0] == "admin":  # the web editor has its own policy, tested below
            continue
        for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(True):
            if tag.name == "script" and not tag.get("src") and \
                    deploy.script_hash(tag.string or "") not in policy:
                found.append(f"{where}: inline <script> not in the CSP: {tag}"[:160])
            if tag.name == "style" or "style" in tag.attrs:
                found.append(f"{where}: inline style (style-src 'self'): {tag}"[:160])
            handlers = [name for name in tag.attrs if name.startswith("on")]
            if handlers:
                found.append(f"{where}: event handler {handlers} on <{tag.name}>")
    assert not found, "\n".join(found[:20])
    assert deploy.script_hash(PREFERENCES_SCRIPT) in policy


def test_bad_options_are_explained() -> None:
    done = run(["binhdan", "deploy", "nginx", "--prefix", "binh-dan"], ROOT)
    assert done.code == 1 and "--prefix" in done.out and "ví dụ" in done.out
    done = run(["binhdan", "deploy", "caddy", "--root", "/srv/a b;"], ROOT)
    assert done.code == 1 and "--root" in done.out


@pytest.fixture(scope="module")
def webroot(example: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built site plus two probes: a web manifest, and a file under admin/
    (the web editor's folder, whose headers differ)."""
    root = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(example.site, root)
    (root / "probe.webmanifest").write_text('{"name": "probe"}', encoding="utf-8")
    (root / "admin").mkdir(exist_ok=True)
    (root / "admin" / "probe.html").write_text("<!doctype html><title>probe</title>",
                                               encoding="utf-8")
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(command: list[str], port: int, log: Path, **env: str) -> Iterator[str]:
    """Run a server in the foreground until the module's tests are done."""
    with log.open("w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, **env})
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{command[0]} did not start:\n{log.read_text()}")
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}{PREFIX}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_url(webroot: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).is_file():
        pytest.fail("nginx is missing: run `sh scripts/ensure-web-servers.sh` (make test does). / "
                    "Thiếu nginx: chạy `sh scripts/ensure-web-servers.sh`.")
    tmp = tmp_path_factory.mktemp("nginx")
    (tmp / "binh-dan-hoc-vu-so.conf").write_text(generate("nginx", "--root", str(webroot)))
    port = _free_port()
    # As root, nginx's workers would run as nobody, who cannot read pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(NGINX_WRAPPER.format(user=user, tmp=tmp, port=port))
    yield from _serve([binary, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c",
                       str(tmp / "nginx.conf"), "-g", "daemon off;"], port, tmp / "start.log")


@pytest.fixture(scope="module")
def caddy_url(webroot: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("caddy")
    if binary is None:
        pytest.fail("caddy is missing: run `sh scripts/ensure-web-servers.sh` (make test does). "
                    "/ Thiếu caddy: chạy `sh scripts/ensure-web-servers.sh`.")
    tmp = tmp_path_factory.mktemp("caddy")
    (tmp / "binh-dan-hoc-vu-so.caddy").write_text(generate("caddy", "--root", str(webroot)))
    port = _free_port()
    (tmp / "Caddyfile").write_text(CADDY_WRAPPER.format(tmp=tmp, port=port))
    yield from _serve([binary, "run", "--config", str(tmp / "Caddyfile"), "--adapter",
                       "caddyfile"], port, tmp / "caddy.log", XDG_CONFIG_HOME=str(tmp),
                      XDG_DATA_HOME=str(tmp))  # its autosave and storage stay here


@pytest.fixture(params=["nginx", "caddy"])
def server_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def get(url: str, **headers: str) -> tuple[int, http.client.HTTPMessage]:
    """One request, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                       headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.headers


def _versioned(example: Built, name: str) -> str:
    html = (example.site / "index.html").read_text(encoding="utf-8")
    found = re.search(rf'"(assets/{re.escape(name)}\?v=\w+)"', html)
    assert found, f"no versioned {name} on the home page"
    return found.group(1)


def test_headers_cache_rules_and_types(server_url: str, example: Built) -> None:
    image = next(p.name for p in sorted((example.site / "img").iterdir()))
    share = next(p.name for p in sorted((example.site / "og").iterdir()))
    cases = {  # path: (type, cache)
        "": ("text/html; charset=utf-8", "no-cache"),
        "huong-dan/dang-ky-tai-khoan-vneid/": ("text/html; charset=utf-8", "no-cache"),
        _versioned(example, "portal.css"): ("text/css; charset=utf-8", deploy.IMMUTABLE),
        _versioned(example, "portal.js"): ("text/javascript; charset=utf-8", deploy.IMMUTABLE),
        "assets/portal.js": ("text/javascript; charset=utf-8", "no-cache"),
        f"img/{image}": (deploy.TYPES[image.rsplit(".", 1)[1]], deploy.IMMUTABLE),
        f"og/{share}": ("image/png", deploy.IMMUTABLE),
        "sw.js": ("text/javascript; charset=utf-8", "no-cache"),
        "feed.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
        "radio.xml": ("application/rss+xml; charset=utf-8", "no-cache"),
        "en/atom.xml": ("application/atom+xml; charset=utf-8", "no-cache"),
        "feed.json": ("application/feed+json; charset=utf-8", "no-cache"),
        "su-kien/lich.ics": ("text/calendar; charset=utf-8", "no-cache"),
        "sitemap.xml": ("application/xml; charset=utf-8", "no-cache"),
        "search-index/vi/manifest.json": ("application/json; charset=utf-8", "no-cache"),
        "open-data/tasks.csv": ("text/csv; charset=utf-8", "no-cache"),
        "probe.webmanifest": ("application/manifest+json; charset=utf-8", "no-cache"),
    }
    for path, (kind, cache) in cases.items():
        status, headers = get(server_url + path)
        assert status == 200, path
        assert headers["Content-Type"] == kind, path
        assert headers["Cache-Control"] == cache, path
        assert [h for h in HEADERS if not headers[h]] == [], path
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "SAMEORIGIN", path
        # feeds, calendars and open data are readable by other portals' scripts; pages not
        shared = path.endswith((".xml", ".json", ".ics", ".csv")) and path != "sitemap.xml" \
            and not path.startswith("search-index/")
        assert headers["Access-Control-Allow-Origin"] == ("*" if shared else None), path


def test_widgets_may_be_framed_and_the_editor_never(server_url: str) -> None:
    for widget in ("tien-ich/", "en/widget/"):
        status, headers = get(server_url + widget)
        assert status == 200
        assert headers["Content-Security-Policy"].endswith("frame-ancestors *")
        assert headers["X-Frame-Options"] is None
    status, headers = get(server_url + "admin/probe.html")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "'unsafe-eval'" in policy and policy.endswith("frame-ancestors 'none'")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Robots-Tag"] == "noindex"


def test_missing_pages_redirects_and_compression(server_url: str) -> None:
    status, headers = get(server_url + "khong-co-trang-nay/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    status, headers = get(server_url.rstrip("/"))
    assert status in (301, 308) and headers["Location"].endswith(PREFIX)
    status, headers = get(server_url + "huong-dan")
    assert status in (301, 308) and headers["Location"] == PREFIX + "huong-dan/"
    status, headers = get(server_url, **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]


# Page kinds a visitor meets, and what shows that their scripts ran under the policy.
PAGES = {
    "home": ("", ".aids:not([hidden])"),
    "guide": ("huong-dan/dang-ky-tai-khoan-vneid/", ".aids:not([hidden])"),
    "listing": ("huong-dan/", ".portal-card, .aids:not([hidden])"),
    "search": ("tim-kiem/?q=vneid", ".search__results li"),
    "dashboard": ("so-lieu/", "svg"),
    "chart": ("so-lieu/vneid-xac-nhan/", "svg"),
    "tasks": ("so-lieu/nhiem-vu/", ".tasks__filter:not([hidden])"),
    "video": ("video/hoc-tren-binhdanhocvuso-4-buoc/", "video"),
    "feeds": ("nguon-tin/", ".feed-list"),
    "widget": ("tien-ich/", "main.widget"),
    "english": ("en/", ".aids:not([hidden])"),
    "missing": ("khong-co-trang-nay/", "h1"),
}


@pytest.fixture(scope="module")
def visitor(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page, problems
    context.close()


@pytest.mark.parametrize("kind", PAGES)
def test_pages_work_under_the_policy(visitor, nginx_url: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    page, problems = visitor
    problems.clear()
    path, ran = PAGES[kind]
    response = page.goto(nginx_url + path)
    assert response is not None
    assert response.status == (404 if kind == "missing" else 200)
    assert response.header_value("content-security-policy")
    page.locator(ran).first.wait_for(state="attached", timeout=5000)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    assert violations == [], f"{kind}: {violations}"
    assert [p for p in problems if "404" not in p] == [], f"{kind}: {problems}"


def test_preferences_script_and_service_worker_run(visitor, nginx_url: str) -> None:  # type: ignore[no-untyped-def]
    """The hashed inline script applies the saved text size before the first paint; the
    service worker registers (worker-src)."""
    page = visitor[0]
    page.goto(nginx_url)
    page.evaluate("localStorage.setItem('bd-text', '2'); localStorage.setItem('bd-contrast', "
                  "'high')")
    page.goto(nginx_url + "huong-dan/")
    root = page.locator("html")
    assert root.get_attribute("data-text") == "2"
    assert root.get_attribute("data-contrast") == "high"
    page.evaluate("localStorage.clear()")
    worker = page.evaluate("""Promise.race([
        navigator.serviceWorker.ready.then((r) => r.active.scriptURL),
        new Promise((done) => setTimeout(() => done("timeout"), 5000))])""")
    assert worker == nginx_url + "sw.js"
    assert page.evaluate("window.__csp") == []


def test_web_editor_starts_under_its_own_policy(visitor, nginx_url: str, webroot: Path  # type: ignore[no-untyped-def]
                                                ) -> None:
    """Decap CMS needs 'unsafe-eval' and inline styles (see deploy.admin_csp); with them it
    starts and shows its sign-in screen."""
    assert (webroot / "admin" / "index.html").is_file()
    page = visitor[0]
    response = page.goto(nginx_url + "admin/")
    assert response is not None and response.status == 200
    page.get_by_role("button", name="Đăng nhập").wait_for(timeout=10000)
    # On the officer's own computer Decap also looks for `npx decap-server` on localhost;
    # this test runs on 127.0.0.1, so that probe is refused here (never on the portal).
    violations = [v for v in page.evaluate("window.__csp") if "//localhost:8081" not in v]
    assert violations == []


def test_only_widgets_can_be_framed_by_another_portal(browser, nginx_url: str,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    """A page of another origin (another local port) frames the widget (allowed) and a
    guide (refused by frame-ancestors)."""
    (tmp_path / "portal.html").write_text(
        f'<iframe id="widget" src="{nginx_url}tien-ich/"></iframe>'
        f'<iframe id="guide" src="{nginx_url}huong-dan/"></iframe>', encoding="utf-8")
    server, other_portal = serve(tmp_path)
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text
            else None)
    try:
        page.goto(other_portal + "portal.html")
        widget = page.frame_locator("#widget").locator("main.widget h1")
        assert "Bình dân học vụ số" in widget.inner_text(timeout=5000)
        assert page.frame_locator("#guide").locator("#main").count() == 0
        assert any("frame-ancestors 'self'" in text for text in refused), refused
    finally:
        context.close()
        server.shutdown()


def test_releases_switch_in_one_rename_and_old_ones_are_pruned(tmp_path: Path) -> None:
    """scripts/publish-release.sh on this machine (the CI examples run it over SSH)."""
    site, base = tmp_path / "site", tmp_path / "www"
    site.mkdir()
    seen = []
    for number in range(5):  # every build writes every file anew, as mkdocs build does
        (site / "anh.png").write_bytes(b"same picture in every release")
        (site / "index.html").write_text(f"<p>bản {number}</p>", encoding="utf-8")
        done = subprocess.run(["sh", str(ROOT / "scripts/publish-release.sh"), f"{site}/",
                               str(base)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        current = base / "current"
        assert current.is_symlink()
        assert (current / "index.html").read_text(encoding="utf-8") == f"<p>bản {number}</p>"
        seen.append(os.readlink(current))
        time.sleep(1.1)  # release folders are named by the second
    releases = sorted(p.name for p in (base / "releases").iterdir())
    assert [f"releases/{name}" for name in releases] == seen[-3:]  # the newest 3 kept
    first, last = (base / "releases" / releases[0], base / "releases" / releases[-1])
    assert (first / "anh.png").stat().st_ino == (last / "anh.png").stat().st_ino  # hard link
    empty = subprocess.run(["sh", str(ROOT / "scripts/publish-release.sh"),
                            str(tmp_path / "khong-co"), str(base)], capture_output=True, text=True)
    assert empty.returncode == 1 and "run make build" in empty.stderr
    assert os.readlink(base / "current") == seen[-1]  # nothing switched
    old_layout = tmp_path / "old"  # a base the site was copied straight into before
    old_layout.mkdir()
    (old_layout / "index.html").write_text("<p>cũ</p>", encoding="utf-8")
    refused = subprocess.run(["sh", str(ROOT / "scripts/publish-release.sh"), f"{site}/",
                              str(old_layout)], capture_output=True, text=True)
    assert refused.returncode == 1 and "the old layout" in refused.stderr
    assert not (old_layout / "releases").exists()
