"""Lighthouse (mobile, throttled) on the built example portal: performance, accessibility,
best practices and SEO for the home page and a guide, in both languages.

    make lighthouse        # builds site/ first; installs lighthouse from npm into .cache/

Lighthouse drives Debian's Chromium (CHROME_PATH); the site is served under its sub-path on
127.0.0.1, as under a provincial e-portal. Not part of `make test`: it needs npm and takes
about a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from screenshots import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "node"
PAGES = ["", "huong-dan/dang-ky-tai-khoan-vneid/", "en/", "en/guides/dang-ky-tai-khoan-vneid/",
         "tim-kiem/"]
CATEGORIES = "performance,accessibility,best-practices,seo"


def lighthouse() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(TOOLS), "lighthouse@13"],
                       check=True)
    return binary


def main() -> None:
    binary = lighthouse()
    with tempfile.TemporaryDirectory() as folder:
        web_root = Path(folder)
        (web_root / "binh-dan-hoc-vu-so").symlink_to(ROOT / "site", target_is_directory=True)
        server, base = serve(web_root)
        try:
            print(f"{'page':42} " + " ".join(f"{c[:11]:>11}" for c in CATEGORIES.split(",")))
            for path in PAGES:
                report = web_root / "report.json"
                subprocess.run(
                    [str(binary), f"{base}binh-dan-hoc-vu-so/{path}", "--quiet",
                     f"--only-categories={CATEGORIES}", "--output=json",
                     f"--output-path={report}", f"--chrome-flags={' '.join(CHROMIUM_ARGS)}"],
                    check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
                scores = json.loads(report.read_text(encoding="utf-8"))["categories"]
                print(f"/{path:41} " + " ".join(
                    f"{round(scores[c]['score'] * 100):>11}" for c in CATEGORIES.split(",")))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
