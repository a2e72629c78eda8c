"""Markdown to HTML for every page, on every core, remembered between builds.

MkDocs converts Markdown one page at a time on one core, building a new converter for each
page. Here the bodies (and a guide's step texts) are converted before MkDocs renders
templates: in a process pool on a cold build, and from a cache keyed by everything that
affects the output on later builds, so an edit re-renders only the pages it touches.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..common import parallel
from ..common.cache import Store
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
    settings_digest = hashlib.sha256(settings.encode()).hexdigest()  # not 20,000 times
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
        # no file name or address holds a NUL: the fields cannot run into each other
        digest = hashlib.sha256("\0".join([settings_digest, item.digest, spec.url, *(
            f"{path}\0{url}" for path, url in used)]).encode())
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


class Converted(Mapping[str, Rendered]):
    """Page URL -> its texts as HTML. What was converted by this build is here; what the
    store holds is read when first asked for (`fetch` asks for many at once): a build in
    place renders a few pages and rewrites a few feeds, and reading the other 20,000 (50 MB
    at 10,000 items x 2) took 0.3 to 0.5 s of every rebuild. An entry found damaged then
    is converted again. A forked process opens the store for itself."""

    def __init__(self, jobs: dict[str, Job], fresh: dict[str, Rendered], store: Store,
                 extensions: list[Any], configs: Mapping[str, Any]) -> None:
        self._jobs = jobs
        self._texts = {url: fresh[job.key] for url, job in jobs.items() if job.key in fresh}
        self._store, self._opened_by = store, os.getpid()
        self._settings = (extensions, configs)

    def __contains__(self, url: object) -> bool:
        return url in self._jobs

    def __getitem__(self, url: str) -> Rendered:
        if url not in self._texts:
            if url not in self._jobs:
                raise KeyError(url)
            self.fetch([url])
        return self._texts[url]

    def __iter__(self) -> Iterator[str]:
        return iter(self._jobs)

    def __len__(self) -> int:
        return len(self._jobs)

    def fetch(self, urls: Iterable[str]) -> None:
        """Read these pages' texts from the store at once."""
        wanted = {url: self._jobs[url] for url in urls
                  if url in self._jobs and url not in self._texts}
        if not wanted:
            return
        keys = [job.key for job in wanted.values()]
        if self._opened_by == os.getpid():
            found = self._store.get(keys)
        else:  # a forked process: a connection of its own, and it writes nothing
            with Store(self._store.path) as store:
                found = store.get(keys)
        damaged = [job for job in wanted.values() if job.key not in found]
        if damaged:  # since the build began: made again
            fresh = render_all(damaged, *self._settings)
            if self._opened_by == os.getpid():
                self._store.put(fresh)
            found.update(fresh)
        self._texts.update((url, found[job.key]) for url, job in wanted.items())

    def close(self) -> None:
        """Tell what was found damaged; a preview keeps what this build read (Store). A
        read after this opens a connection of its own."""
        if self._opened_by == os.getpid():
            self._store.close()
            self._opened_by = -1
