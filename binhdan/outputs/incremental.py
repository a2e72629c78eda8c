"""Which pages an edit changes: a fingerprint of everything each page's HTML depends on.

On a rebuild of an existing output folder (`mkdocs serve`), only pages whose fingerprint
changed are rendered and written; pages that no longer exist are deleted. The fingerprint
covers the page's own content and every other item it shows (cards, related items), the
language's menu, and a global part (code, templates, data, settings) that, when it changes,
makes every page new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..common.cache import tell, write_atomic
from ..plan.pages import Entry, PageSpec, Plan

MANIFEST_FORMAT = 3
# Pages that show progress figures. Besides data/ (in the global part) they change with the
# figures the site counts itself from its items (computed.py), as do the locality pages.
FIGURE_KINDS = ("dashboard", "indicator", "tasks", "report", "opendata", "widget")




class Fingerprints:
    def __init__(self, plan: Plan, global_digest: str, render_keys: dict[str, str],
                 today: date, pictures: dict[str, str] | None = None, figures: str = ""
                 ) -> None:
        self.plan, self.global_digest, self.render_keys = plan, global_digest, render_keys
        self.figures = figures  # digest of the computed figures
        self.pictures = pictures or {}
        self.today = today.isoformat()
        self._printed: dict[Entry, str] = {}  # an item is on many pages: printed once
        self._pagers: dict[int, tuple[list[str], str]] = {}  # see _pages_of
        # each language's menu, as a digest: it is part of every page's (28,000 at 10,000
        # items x 2), and hashing it whole into each of them was a fifth of this work
        self._menus = {lang: hashlib.sha256(repr([(spec.url, spec.title) for spec in
                                                   plan.nav(lang)]).encode()).hexdigest()
                       for lang in {spec.lang for spec in plan.pages}}
        # Pages that summarise the whole language (feeds list, widget) change with any item;
        # which calendars exist (linked from locality and event pages) with any event
        self._everything = {lang: hashlib.sha256(self._entries(entries).encode()).hexdigest()
                            for lang, entries in plan.entries.items()}
        events = {lang: [e for e in entries if e.item.type.key == "event"]
                  for lang, entries in plan.entries.items()}
        self._events = {lang: hashlib.sha256(self._entries(entries).encode()).hexdigest()
                        for lang, entries in events.items()}
        # listed entries of events, by identity (an easy-read page's own entry is not one)
        self._event_entries = frozenset(e for entries in events.values() for e in entries)

    def _pages_of(self, urls: list[str]) -> str:
        """A paginated list's pages, as a digest made once per list: every page of it shows
        them (a list of 400 pages hashed whole into each was 33 MB of text to hash at 10,000
        items x 2)."""
        found = self._pagers.get(id(urls))  # the list is held there: its id stays its own
        if found is None:
            found = self._pagers[id(urls)] = (
                urls, hashlib.sha256("\n".join(urls).encode()).hexdigest())
        return found[1]

    def _entries(self, entries: Iterable[Entry]) -> str:
        printed = self._printed
        return "|".join([printed.get(e) or self._print(e) for e in entries])

    def _print(self, e: Entry) -> str:
        # an item's page and cards link to its easy-read version: they change with it
        printed = self._printed[e] = (
            f"{e.url} {e.fallback:d} {e.item.digest} "
            f"{e.item.easy_read.digest if e.item.easy_read else ''} "
            f"{self.pictures.get(f'{e.item.key}.{e.item.lang}', '')}")
        return printed

    def page(self, spec: PageSpec) -> str:
        entry = spec.entry
        parts = [
            self.global_digest, spec.url, spec.kind, spec.template, spec.title,
            spec.description, spec.lang, spec.section,
            repr(sorted(spec.alternates.items())) if spec.alternates else "",
            self._menus.get(spec.lang, ""), self.render_keys.get(spec.url, ""),
            spec.taxonomy or "", spec.term.id if spec.term else "",
            repr([(t.id, n) for t, n in spec.terms]) if spec.terms else "",
            f"{spec.pager.number} {self._pages_of(spec.pager.urls)}" if spec.pager else "",
            self._entries([entry]) if entry else "",
            self._entries(spec.entries) if spec.entries else "",
            self._entries(spec.related) if spec.related else "",
            *(f"{name}:{self._entries(block)}" for name, block in spec.blocks.items()),
        ]
        if spec.kind in ("feeds", "widget"):
            parts.append(self._everything.get(spec.lang, ""))
        if spec.kind in FIGURE_KINDS or spec.taxonomy == "localities":
            parts.append(self.figures)
        if spec.taxonomy == "localities" or spec.kind == "home" or (
                spec.content_type is not None and spec.content_type.key == "event"):
            parts.append(self._events.get(spec.lang, ""))
        events = self._event_entries
        if spec.kind == "home" or (entry is not None and entry.item.type.key == "event") \
                or not events.isdisjoint(spec.entries) or not events.isdisjoint(spec.related) \
                or any(not events.isdisjoint(block) for block in spec.blocks.values()):
            # an event's "upcoming", "happening" or "past", on its page and on its cards
            # (in lists, among related items) depends on the day
            parts.append(self.today)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Manifest:
    """What the last build wrote to one output folder: page fingerprints and the other
    generated files (search index, sitemap), so a dirty build can delete what is gone. A
    manifest that cannot be read or is of another shape is told in one line and treated as
    absent: the next dirty build writes every page."""

    def __init__(self, cache_dir: Path | None, site_dir: Path) -> None:
        name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir / f"pages-{name}.json" if cache_dir else None
        self.previous: dict[str, str] = {}
        self.previous_files: dict[str, str] = {}  # site path -> digest of what was written
        if self.path is None or not self.path.exists():
            return
        try:
            stored = json.loads(self.path.read_bytes())
            pages, files = stored["pages"], stored["files"]
            if stored["format"] != MANIFEST_FORMAT or not (
                    isinstance(pages, dict) and isinstance(files, dict)
                    and all(isinstance(v, str) for v in (*pages.values(), *files.values()))
                    and all(_inside(path) for path in (*pages, *files))):
                raise ValueError("not a manifest")
        except (OSError, ValueError, TypeError, KeyError):
            tell("cache_damaged", self.path)
            return
        self.previous, self.previous_files = pages, files

    def forget(self) -> None:
        """Remove the record before a build rewrites the folder in place; `save` writes the
        new one when that build has finished."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def save(self, pages: dict[str, str], files: dict[str, str]) -> None:
        if self.path is None:
            return
        try:
            write_atomic(self.path, json.dumps({"format": MANIFEST_FORMAT, "pages": pages,
                                                "files": files}, sort_keys=True).encode())
        except OSError as error:
            tell("cache_unusable", self.path, reason=error.strerror or type(error).__name__)


def _inside(path: object) -> bool:
    """A site-relative path that stays in the site (a dirty build deletes what the manifest
    lists: an edited manifest must not reach a file outside the output folder)."""
    return isinstance(path, str) and not path.startswith(("/", "\\")) and ".." not in \
        path.replace("\\", "/").split("/") and ":" not in path
