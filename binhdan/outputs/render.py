"""Markdown to HTML for every page, on every core, remembered between builds.

MkDocs converts Markdown one page at a time on one core, building a new converter for each
page. Here the bodies (and a guide's step texts) are converted before MkDocs renders
templates: in a process pool on a cold build, and from a cache keyed by everything that
affects the output on later builds, so an edit re-renders only the pages it touches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..common import parallel
from ..model import markup, safety
from ..model.markup import FrontMatterMarkdown
from ..plan.pages import PageSpec, Plan

# The converter's own source is part of every cache key: a change to it never serves old HTML.
FORMAT = hashlib.sha256(b"".join(
    Path(source).read_bytes() for source in (markup.__file__, __file__, safety.__file__))
).hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    key: str
    src_uri: str
    page_url: str
    texts: tuple[str, ...]  # the body, each step's text, the audio transcript
    targets: tuple[tuple[str, str], ...]  # the links these texts use: content path -> URL


Rendered = tuple[str, ...]  # HTML of the body, each step's text, the audio transcript


def jobs(plan: Plan, settings: str) -> dict[str, Job]:
    """One job per page with Markdown, keyed by page URL. The key covers the item's file
    (its digest), the page's place and the pages its links point to."""
    result = {}
    for spec in plan.pages:
        if spec.entry is None:
            continue
        item = spec.entry.item
        texts = _texts(spec)  # the item's texts (item.links)
        if not any(texts):
            continue
        used = sorted({(path, plan.targets[path]) for _, _, path, page in item.links
                       if page and path in plan.targets})
        digest = hashlib.sha256(json.dumps(
            [settings, item.digest, spec.url, used], ensure_ascii=False).encode())
        result[spec.url] = Job(digest.hexdigest(), item.src_uri, spec.url, texts, tuple(used))
    return result


def _texts(spec: PageSpec) -> tuple[str, ...]:
    """The body, each step's text, then the audio transcript (see Portal.html)."""
    assert spec.entry is not None
    meta = spec.entry.item.meta
    steps = meta.get("steps", [])
    return (spec.body, *(step.get("text", "") for step in steps),
            meta.get("audio_transcript", ""))


def settings_fingerprint(extensions: list[Any], configs: Mapping[str, Any]) -> str:
    """Everything besides the text that changes the HTML: extensions, options, versions."""
    def stable(value: Any) -> Any:
        if callable(value):
            return f"{value.__module__}.{value.__qualname__}"
        if isinstance(value, dict):
            return {str(k): stable(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [stable(v) for v in value]
        return value if isinstance(value, str | int | float | bool | None) else repr(value)

    versions = [version("markdown"), version("pymdown-extensions"), version("nh3")]
    return json.dumps([FORMAT, versions, stable(extensions), stable(dict(configs))],
                      sort_keys=True)


_worker: FrontMatterMarkdown | None = None


def _start_worker(extensions: list[Any], configs: Mapping[str, Any]) -> None:
    global _worker
    _worker = FrontMatterMarkdown(extensions, configs)


def _render(job: Job) -> tuple[str, Rendered]:
    assert _worker is not None
    targets = dict(job.targets)
    return job.key, tuple(_worker.render(text, job.src_uri, job.page_url, targets)
                          if text else "" for text in job.texts)


def render_all(todo: list[Job], extensions: list[Any], configs: Mapping[str, Any]
               ) -> dict[str, Rendered]:
    """Convert every job, on all cores when there are enough of them."""
    return dict(parallel.map_all(_render, todo, chunksize=64, initializer=_start_worker,
                                 initargs=(extensions, dict(configs))))
