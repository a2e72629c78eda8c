"""What a phone downloads on a first visit: bytes by kind (compressed as a web server would
send them) and request count, for a guide and the home page of the example portal, next to
the same Markdown built with stock mkdocs-material.

    python scripts/pageweight.py            # builds both sites into bench-out/weight/

Runs in Debian's Chromium (Playwright). Text responses are counted gzip-compressed (level 6,
what nginx sends); images and fonts as they are. Requests to other hosts cannot be made in
this sandbox, so they are counted and listed, not weighed.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import sync_playwright

from screenshots import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out" / "weight"
BIN = Path(sys.executable).parent
GUIDE = "huong-dan/dang-ky-tai-khoan-vneid/"
KINDS = ("document", "stylesheet", "script", "font", "image", "other")


def build_portal() -> Path:
    site = OUT / "portal"
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", str(site)], cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return site


def build_stock() -> Path:
    """The guide's and the home page's Markdown as a stock mkdocs-material site."""
    project = OUT / "stock"
    shutil.rmtree(project, ignore_errors=True)
    docs = project / "docs"
    (docs / "huong-dan" / "dang-ky-tai-khoan-vneid").mkdir(parents=True)
    guide = (ROOT / "content" / "guides" / "dang-ky-tai-khoan-vneid.vi.md").read_text("utf-8")
    _, front, body = guide.split("---\n", 2)
    meta = yaml.safe_load(front)
    steps = "\n".join(f"{n}. **{s['title']}** {s.get('text', '')}"
                      for n, s in enumerate(meta["steps"], 1))
    (docs / "huong-dan" / "dang-ky-tai-khoan-vneid" / "index.md").write_text(
        f"# {meta['title']}\n\n{meta['summary']}\n\n## Các bước\n\n{steps}\n\n{body}", "utf-8")
    home = (ROOT / "content" / "pages" / "home.vi.md").read_text("utf-8").split("---\n", 2)[2]
    (docs / "index.md").write_text(f"# Bình dân học vụ số\n\n{home}", "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Bình dân học vụ số\ntheme:\n  name: material\n  language: vi\n",
        encoding="utf-8")
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", str(project / "site")],
                   cwd=project, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return project / "site"


def first_load(browser, url: str) -> tuple[Counter[str], int, list[str]]:  # type: ignore[no-untyped-def]
    """Compressed bytes by kind, number of requests, and requests to other hosts."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    host = urlsplit(url).netloc
    weights: Counter[str] = Counter()
    requests = 0
    elsewhere: list[str] = []

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        nonlocal requests
        requests += 1
        if urlsplit(request.url).netloc != host:
            elsewhere.append(request.url)

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(response.url).netloc != host:
            return
        kind = response.request.resource_type
        kind = kind if kind in KINDS else "other"
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        text = kind in ("document", "stylesheet", "script", "other")
        weights[kind] += len(gzip.compress(body, 6)) if text else len(body)

    page.on("request", on_request)
    page.on("response", on_response)
    page.route(lambda u: urlsplit(u).netloc != host, lambda route: route.abort())
    page.goto(url, wait_until="networkidle")
    context.close()
    return weights, requests, elsewhere


def search_download(site: Path, query: str, path: str = "tim-kiem/") -> int:
    """Bytes a search query downloads, gzip-compressed as served (index shards, results)."""
    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + path, wait_until="networkidle")
            fetched: dict[str, int] = {}
            page.on("response", lambda r: fetched.__setitem__(r.url, len(gzip.compress(r.body())))
                    if "/search-index/" in r.url and r.ok else None)
            page.fill("#search-query", query)
            page.keyboard.press("Enter")
            page.locator(".search__results li").first.wait_for()
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(fetched.values())


def report() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    portal_site, stock_site = build_portal(), build_stock()
    portal_server, portal_url = serve(portal_site)
    stock_server, stock_url = serve(stock_site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            rows = []
            for name, path in (("guide", GUIDE), ("home", "")):
                for engine, base in (("portal", portal_url), ("mkdocs-material", stock_url)):
                    weights, count, elsewhere = first_load(browser, base + path)
                    rows.append((name, engine, weights, count, elsewhere))
            browser.close()
    finally:
        portal_server.shutdown()
        stock_server.shutdown()
    print(f"\n{'page':6} {'engine':16} " + " ".join(f"{k[:6]:>7}" for k in KINDS)
          + f" {'total KB':>9} {'requests':>8}  other hosts")
    totals = {}
    for name, engine, weights, count, elsewhere in rows:
        total = sum(weights.values())
        totals[(name, engine)] = total
        hosts = sorted({urlsplit(u).netloc for u in elsewhere}) or ["none"]
        print(f"{name:6} {engine:16} " + " ".join(f"{weights[k] / 1024:7.1f}" for k in KINDS)
              + f" {total / 1024:9.1f} {count:8d}  {', '.join(hosts)}")
    for name in ("guide", "home"):
        ratio = totals[(name, "portal")] / totals[(name, "mkdocs-material")]
        print(f"{name}: portal / stock mkdocs-material = {ratio:.2f} (stock also loads fonts "
              "from Google when online)")


if __name__ == "__main__":
    report()
