"""Publishing: the example portal served by real nginx (and Caddy, when installed) with the
configuration `binhdan deploy` writes, under the portal's sub-path, and checked in Chromium
with the Content-Security-Policy enforced. A policy that silently blocks our own scripts or
styles fails here, as does a header, cache rule or MIME type that went missing."""

from __future__ import annotations

import dataclasses
import http.client
import json
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

from binhdan.model.site import CmsSettings
from binhdan.plan.portal import PREFERENCES_SCRIPT
from binhdan.publishing import deploy
from conftest import BIN, ROOT, Built, build, check, run, serve

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


# What a careless copy brings into a web root, and the URL that must answer 404 for it.
HIDDEN_FILES = {
    ".git/config": ".git/config", ".env": ".env", ".cache/binhdan/qr.sqlite":
    ".cache/binhdan/qr.sqlite", ".site.building/index.html": ".site.building/index.html",
    "huong-dan/.env": "huong-dan/.env", "assets/.env": "assets/.env",
    "img/.git/HEAD": "img/.git/HEAD", "admin/.env": "admin/.env",
    "tien-ich/.htpasswd": "tien-ich/.htpasswd", "open-data/.tasks.csv": "open-data/.tasks.csv",
    ".well-known/.git/config": ".well-known/.git/config",
    ".well-knownx/a.txt": ".well-knownx/a.txt",
    "index.html~": "index.html~", "huong-dan/index.html.swp": "huong-dan/index.html.swp",
    "assets/portal.css.SWO": "assets/portal.css.SWO", "data.bak": "data.bak",
    "img/anh.png.orig": "img/anh.png.orig", "#index.html#": "%23index.html%23",
    "open-data/~$tasks.xlsx": "open-data/~%24tasks.xlsx",
    ".git/HEAD": "%2egit/HEAD",  # the same file, its dot written %2e
}
WELL_KNOWN = (".well-known/security.txt", ".well-known/acme-challenge/token-1")
# An SVG that runs a script when opened on its own, in every kind of folder.
SVG = ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script>'
       "</svg>")
SVG_PLACES = ("probe.svg", "huong-dan/probe.SVG", "img/probe.svg", "og/probe.svg",
              "assets/probe.svg", "tien-ich/probe.svg", "open-data/probe.svg",
              "admin/probe.svg")


@pytest.fixture(scope="module")
def webroot(example: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built site plus probes: a web manifest, a file under admin/ (the web
    editor's folder, whose headers differ), hidden files and backups, .well-known/ files and
    SVG pictures holding a script."""
    root = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(example.site, root)
    (root / "probe.webmanifest").write_text('{"name": "probe"}', encoding="utf-8")
    (root / "admin").mkdir(exist_ok=True)
    (root / "admin" / "probe.html").write_text("<!doctype html><title>probe</title>",
                                               encoding="utf-8")
    for name in [*HIDDEN_FILES, *WELL_KNOWN]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"secret {name}", encoding="utf-8")
    for name in SVG_PLACES:
        (root / name).write_text(SVG, encoding="utf-8")
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


def test_dotfiles_and_backups_are_never_served(server_url: str) -> None:
    """Anywhere under the web root, by any spelling of their name; .well-known/ stays."""
    served = {}
    for name, path in HIDDEN_FILES.items():
        status, headers = get(server_url + path)
        served[name] = status
        if status == 404:  # the site's own 404 page, with the site's headers
            assert headers["Content-Type"].startswith("text/html"), name
            assert "frame-ancestors" in headers["Content-Security-Policy"], name
    assert served == dict.fromkeys(HIDDEN_FILES, 404)
    for path in WELL_KNOWN:
        status, headers = get(server_url + path)
        assert status == 200, path


def test_svg_pictures_have_no_rights_when_opened(server_url: str) -> None:
    """In every folder, whatever other rule the folder has (cache, CORS, editor, widget)."""
    for path in SVG_PLACES:
        status, headers = get(server_url + path)
        assert status == 200, path
        assert headers["Content-Type"] == "image/svg+xml; charset=utf-8", path
        assert headers["Content-Security-Policy"] == deploy.SVG_CSP, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
    assert get(server_url + "img/probe.svg")[1]["Cache-Control"] == deploy.IMMUTABLE
    assert get(server_url + "assets/probe.svg?v=1")[1]["Cache-Control"] == deploy.IMMUTABLE
    assert get(server_url + "assets/probe.svg")[1]["Cache-Control"] == "no-cache"
    # a page is not a picture: its own policy
    assert "sandbox" not in get(server_url)[1]["Content-Security-Policy"]


# Characters that mean something to nginx, Caddy, a CSP or a shell, each in a value that
# otherwise looks right.
PAYLOADS = {
    "quote": '"; add_header X-Evil 1;',
    "newline": "\nadd_header X-Evil 1;",
    "brace": "}\nlocation / { return 200; }",
    "backtick": "`id`",
    "space": " https://evil.example",
    "single quote": "' 'unsafe-inline'",
    "dollar": "$http_cookie",
    "placeholder": "{http.request.header.Cookie}",
    "backslash": "\\\";",
    "fullwidth quote": "\uff02; add_header X-Evil 1;",
    "line separator": "\u2028add_header X-Evil 1;",
    "accented host": "ỉ",
}


def _set_site_url(project: Path, value: str) -> None:
    mkdocs_yml = project / "mkdocs.yml"
    text = re.sub(r"^site_url:.*$", lambda _: "site_url: " + json.dumps(value),
                  mkdocs_yml.read_text(encoding="utf-8"), flags=re.M)
    mkdocs_yml.write_text(text, encoding="utf-8")


def _add_cms(project: Path, **values: str) -> dict[str, int]:
    """Append a `cms:` block to site.yml; the line of each value."""
    site_yml = project / "data" / "site.yml"
    lines = site_yml.read_text(encoding="utf-8").splitlines()
    block = {"backend": "gitlab", "repo": "so-tttt/binh-dan-hoc-vu-so",
             "app_id": "0123456789abcdef", **values}
    found = {}
    lines.append("cms:")
    for key, value in block.items():
        lines.append(f"  {key}: {json.dumps(value)}")
        found[key] = len(lines)
    site_yml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return found


def _deploy(project: Path, server: str) -> subprocess.CompletedProcess[str]:
    """`binhdan deploy`, its output and its messages apart."""
    return subprocess.run([str(BIN / "binhdan"), "deploy", server],
                          cwd=project, capture_output=True, text=True)


def _assert_refused(project: Path) -> None:
    for server in deploy.SERVERS:
        done = _deploy(project, server)
        assert done.returncode == 1, done.stdout
        assert done.stdout == ""  # no partial configuration
        assert "Traceback" not in done.stderr and "Lỗi" in done.stderr, done.stderr


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_config_values_are_checked_by_type(project: Path, payload: str) -> None:
    """The values written into the server configs (the editor's git host in the CSP, the
    portal's address) are reported by check, with file, line and field, and refused by
    deploy."""
    lines = _add_cms(project, api_root=f"https://gitlab.tinh.gov.vn{payload}",
                     base_url=f"https://gitlab.tinh.gov.vn/oauth{payload}")
    _set_site_url(project, f"https://eatrang.example.gov.vn/{payload}/")
    site_url_line = next(number for number, line in enumerate(
        (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("site_url:"))
    done = check(project)
    assert done.code == 1 and "Traceback" not in done.out, done.out
    for where in (f"data/site.yml:{lines['api_root']} [cms.api_root]",
                  f"data/site.yml:{lines['base_url']} [cms.base_url]",
                  f"mkdocs.yml:{site_url_line} [site_url]"):
        assert where in done.out, done.out
    assert "không dùng được vì" in done.out and "cannot be used because" in done.out
    _assert_refused(project)


def test_every_cms_and_contact_value_has_a_type(project: Path) -> None:
    lines = _add_cms(project, repo="so-tttt/binh dan", branch="main;reboot",
                     app_id="abc'def", auth_endpoint="../../etc", base_url="javascript:alert(1)")
    site_yml = project / "data" / "site.yml"
    text = site_yml.read_text(encoding="utf-8").replace(
        "illustrative_data: true", 'illustrative_data: "false"')
    site_yml.write_text(text + 'contact:\n  email: "a@b.vn\\"><b>"\n  phone: "0207;1"\n',
                        encoding="utf-8")
    done = check(project)
    assert done.code == 1, done.out
    for key in ("repo", "branch", "app_id", "auth_endpoint", "base_url"):
        assert f"data/site.yml:{lines[key]} [cms.{key}]" in done.out, key
    for field in ("contact.email", "contact.phone", "illustrative_data"):
        assert f"[{field}]" in done.out, field
    assert "bắt đầu bằng https:// hoặc http://" in done.out  # javascript: named as such
    _assert_refused(project)


def test_valid_unusual_values_pass_and_nginx_reads_them(project: Path, tmp_path: Path
                                                         ) -> None:
    """The allowlists are not too strict (a port, a path, GitLab subgroups, a branch with a
    slash, a dotted repository name, an IP address), and real nginx accepts what deploy
    writes for them, the editor's policy whole and no header but ours."""
    _add_cms(project, repo="so-tttt/cong/binh-dan.hoc_vu-so", branch="release/2026.1",
             api_root="https://git.tinh.gov.vn:8443/api/v4", base_url="http://10.0.0.7:3000",
             auth_endpoint="/oauth/authorize")
    assert check(project).code == 0
    done = _deploy(project, "nginx")
    assert done.returncode == 0, done.stderr
    (tmp_path / "binh-dan-hoc-vu-so.conf").write_text(done.stdout, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(NGINX_WRAPPER.format(user=user, tmp=tmp_path,
                                                              port=_free_port()))
    tested = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-t", "-p",
                             str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                             str(tmp_path / "error.log")], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    policies = re.findall(r'add_header Content-Security-Policy "([^"]*)"', done.stdout)
    editor = [policy for policy in policies if "'unsafe-eval'" in policy]
    assert editor and all(policy.endswith("frame-ancestors 'none'") for policy in editor)
    assert all("connect-src 'self' https://git.tinh.gov.vn:8443 http://10.0.0.7:3000;"
               in policy for policy in editor)
    names = set(re.findall(r"^\s*add_header (\S+)", done.stdout, flags=re.M))
    assert names == {*HEADERS, "X-Frame-Options", "Cache-Control",
                     "Access-Control-Allow-Origin", "X-Robots-Tag"}


def test_a_bad_site_url_stops_check_and_build(project: Path, tmp_path: Path) -> None:
    """MkDocs itself accepts an address with a quote; its mkdocs.yml unreadable, check and
    deploy say so in words, not with a traceback."""
    _set_site_url(project, 'https://eatrang.example.gov.vn";x/')
    built = build(project, tmp_path / "site")
    assert built.result.code != 0 and "[site_url]" in built.result.out, built.result.out
    assert "dấu ngoặc kép" in built.result.out and "Traceback" not in built.result.out
    assert not (tmp_path / "site" / "index.html").exists()
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8") + "nav: [a\n",
                          encoding="utf-8")
    done = check(project)
    assert done.code == 1 and "Traceback" not in done.out, done.out
    assert "mkdocs.yml" in done.out and "YAML" in done.out
    _assert_refused(project)


def test_widget_address_words_are_checked_before_deploy(project: Path) -> None:
    """The widget page's URL word (data/locales/*.yml) becomes an nginx location."""
    locale = project / "data" / "locales" / "rad.yml"
    locale.write_text(locale.read_text(encoding="utf-8").replace(
        "paths:\n", 'paths:\n  widget: "w { return 200; } location /x"\n'), encoding="utf-8")
    for server in deploy.SERVERS:
        done = _deploy(project, server)
        assert done.returncode == 1 and done.stdout == ""
        assert "data/locales/rad.yml:3 [paths.widget]" in done.stderr, done.stderr


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_writers_refuse_what_they_cannot_quote(payload: str) -> None:
    """Belt and braces: a value that slipped past the checks is never written unquoted, nor
    quoted with a character that still means something inside quotes ($ variables, Caddy's
    {placeholders}, escapes, line breaks)."""
    target, _ = deploy.load_target(ROOT, "data", None, None, "*", "nginx")
    assert target is not None
    policy = target.admin_csp.replace("'self'", f"'self'{payload}", 1)
    unquotable = re.search(r'["\n$\\{}]|[^\x00-\x7f]', payload) is not None
    for server in (deploy.nginx, deploy.caddy):
        for changed in (dataclasses.replace(target, root=f"/var/www{payload}"),
                        dataclasses.replace(target, widgets=(f"tien-ich{payload}/",)),
                        dataclasses.replace(target, prefix=f"/a{payload}/")):
            with pytest.raises(deploy.UnsafeValue):
                server(changed)
        if unquotable:
            with pytest.raises(deploy.UnsafeValue):
                server(dataclasses.replace(target, admin_csp=policy))
        else:  # harmless inside quotes (and refused by check before ever getting here)
            assert f'"{policy}"' in server(dataclasses.replace(target, admin_csp=policy))
    with pytest.raises(deploy.UnsafeValue):  # a `cms:` block never checked by `binhdan check`
        deploy.admin_csp(CmsSettings("gitlab", api_root=f"https://gitlab.tinh.gov.vn{payload}"))
