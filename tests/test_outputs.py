"""The core owns the outputs (binhdan/outputs.py): run without MkDocs, its pipeline yields the
same files, byte for byte, as `mkdocs build` publishes. Moving to another engine means
rewriting the adapter, not the feeds, search index, open data, sitemap, cards or editor."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TODAY, build

# Runs in its own process, so that nothing a test or conftest imported counts. The Markdown
# settings are the fixture's mkdocs.yml as MkDocs reads it (its built-in toc, tables and
# fenced_code first).
CORE_ONLY = """
import hashlib, json, sys
from pathlib import Path
from binhdan.outputs import Settings, start
from binhdan.slugs import heading_id

root = Path.cwd()
pipeline, problems = start(Settings(
    root / "mkdocs.yml", root / "content", "data", sys.argv[1],
    ["toc", "tables", "fenced_code", "attr_list"], {"toc": {"slugify": heading_id}}),
    report=lambda line: None)
assert pipeline is not None, problems.report()
theme = Path(sys.argv[2])  # its static files get their versioned addresses (the editor's icon)
for path in sorted(theme.rglob("*")):
    if path.is_file() and path.suffix != ".html":
        pipeline.theme_file(path.relative_to(theme).as_posix(), path.read_bytes())
files = {}
for published in pipeline.files():
    data = published.source.read_bytes() if published.source else published.content
    files[published.address] = hashlib.sha256(
        data.encode() if isinstance(data, str) else data).hexdigest()
assert "mkdocs" not in sys.modules, sorted(m for m in sys.modules if m.startswith("mkdocs"))
print(json.dumps(files))
"""

SITE_URL = "https://eatrang.example.gov.vn/"
# Folders and files that only the core's outputs write (pages and theme files come from
# elsewhere).
GENERATED = ("search-index/", "open-data/", "og/", "admin/", "sitemap.xml", "robots.txt")
FEED_SUFFIXES = (".xml", ".ics", ".json")


def _core_only(project: Path) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", CORE_ONLY, SITE_URL, str(ROOT / "overrides")],
                          cwd=project,
                          capture_output=True, text=True,
                          env={**os.environ, "BINHDAN_TODAY": TODAY})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_outputs_without_mkdocs_equal_the_mkdocs_build(project: Path, tmp_path: Path) -> None:
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    yielded = _core_only(project)
    site = {path.relative_to(built.site).as_posix(): path
            for path in built.site.rglob("*") if path.is_file()}
    # every file the core yields is published with the same bytes ...
    assert {address: _digest(site[address]) for address in yielded if address in site} \
        == yielded
    # ... and every generated file the build published came from the core: feeds and
    # calendars (beside their pages), search index, open data, cards, the web editor,
    # sitemap and robots
    generated = {address for address in site if address.startswith(GENERATED) or (
        address.endswith(FEED_SUFFIXES) and not address.startswith(("admin/", "assets/")))}
    assert generated <= set(yielded)
    assert {kind for kind in GENERATED if any(a.startswith(kind) for a in yielded)} \
        == set(GENERATED)
    assert any(a.endswith(".ics") for a in yielded) and any(a.endswith(".xml") and "/" in a
                                                            for a in yielded)
