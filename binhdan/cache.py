"""A small persistent key-value store for build caches (stdlib SQLite: one file, atomic
writes, fast batched lookups). Values are pickled; keys are content digests, so a stale
entry can never be returned for changed input."""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_BATCH = 500


class Store:
    """`None` path = no caching (every lookup misses, nothing is written)."""

    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute("create table if not exists entries "
                             "(key text primary key, value blob not null)")

    def get(self, keys: Iterable[str]) -> dict[str, Any]:
        if self._db is None:
            return {}
        found: dict[str, Any] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start:start + _BATCH]
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(
                    f"select key, value from entries where key in ({marks})", chunk):
                found[key] = pickle.loads(value)
        return found

    def put(self, values: Mapping[str, Any]) -> None:
        if self._db is None or not values:
            return
        with self._db:
            self._db.executemany(
                "insert or replace into entries values (?, ?)",
                ((k, pickle.dumps(v, pickle.HIGHEST_PROTOCOL)) for k, v in values.items()))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
