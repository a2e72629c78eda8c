"""Atomic publishing: a build writes to a sibling folder and replaces `site/` only on success.

A web server may be serving `site/` while a build runs, and a build can fail halfway (an
error in content, a strict-mode warning, a full disk). Writing into a staging folder and
swapping it in with a rename means visitors see either the old site or the new one, never a
half-built or emptied one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from .pages import Plan


class StagedSite:
    """The staging folder of one build and the swap that publishes it."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.staging = self.target.with_name(f".{self.target.name}.building")
        self.previous = self.target.with_name(f".{self.target.name}.previous")
        for leftover in (self.staging, self.previous):  # from a build that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging.mkdir(parents=True)

    def publish(self) -> None:
        """Swap the finished build in: two renames on one file system. The previous site is
        deleted by a detached process: removing tens of thousands of files takes seconds
        the officer need not wait for (a leftover is removed by the next build)."""
        if self.target.exists():
            os.replace(self.target, self.previous)
        os.replace(self.staging, self.target)
        if not self.previous.exists():
            return
        rm = shutil.which("rm")
        if rm is None:
            shutil.rmtree(self.previous, ignore_errors=True)
            return
        subprocess.Popen([rm, "-rf", str(self.previous)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def build_summary(plan: Plan, target: Path, warnings: int, seconds: float) -> str:
    """One screen for the officer: what was published, in which languages, how long it took."""
    pages = Counter(spec.lang for spec in plan.pages)
    items = Counter(spec.entry.item.type for spec in plan.pages
                    if spec.entry and spec.kind == "item" and not spec.entry.fallback)
    item_counts = " · ".join(f"{t.label[0]}/{t.key} {n}" for t, n in
                             sorted(items.items(), key=lambda pair: pair[0].key))
    page_counts = " · ".join(f"{lang} {n}" for lang, n in pages.items())
    warned = (f"{warnings} (xem ở trên / listed above)" if warnings else "0")
    return "\n".join([
        f"Đã xuất bản / Published: {target} ({seconds:.1f} s)",
        f"  Trang theo ngôn ngữ / pages per language: {page_counts}",
        f"  Bài theo loại / items per type: {item_counts}",
        f"  Cảnh báo / warnings: {warned}",
    ])
