"""Static search: Pagefind indexes the built pages into small chunks per language, so a
query downloads only the parts of the index it needs, even on a 10,000-item site.

Only pages marked `data-pagefind-body` (items and static pages) are indexed; words with "đ"
are also indexed with "d" (see templates), because Pagefind ignores tone and vowel marks but
treats "đ" as a letter of its own. The index is written next to the live one and swapped in
when complete, so search never sees half an index or leftovers of an old one.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path

BUNDLE = "pagefind"
log = logging.getLogger("mkdocs.plugins.binhdan")


class SearchIndexError(RuntimeError):
    pass


class Indexer:
    """Runs Pagefind on a built site; `background=True` for previews (`mkdocs serve`)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def run(self, site_dir: Path, background: bool = False) -> None:
        self.cancel()
        if background:
            self._thread = threading.Thread(target=self._index_logged, args=(site_dir,),
                                            daemon=True)
            self._thread.start()
            return
        problem = self._index(site_dir)
        if problem:
            raise SearchIndexError(problem)

    def _index_logged(self, site_dir: Path) -> None:
        problem = self._index(site_dir)
        if problem:
            log.warning("Search index not updated: %s", problem)

    def cancel(self) -> None:
        """Stop an indexing still running for an earlier build."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._thread is not None:
            self._thread.join()

    def _index(self, site_dir: Path) -> str | None:
        """Index into a staging folder and swap it in; the problem, if any."""
        staging = site_dir / f"{BUNDLE}.new"
        shutil.rmtree(staging, ignore_errors=True)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir",
             staging.name, "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = self._process.communicate()
        if self._process.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            cancelled = self._process.returncode < 0
            return None if cancelled else output.decode("utf-8", "replace")
        # Pagefind lists languages in hash-map order; sort them so that the same commit
        # always builds to the same bytes (its index files are named by content already).
        entry = staging / "pagefind-entry.json"
        entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")),
                                    sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                         encoding="utf-8")
        live = site_dir / BUNDLE
        shutil.rmtree(live, ignore_errors=True)
        staging.rename(live)
        return None
