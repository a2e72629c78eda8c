"""The build cache: a hint that makes rebuilds fast, never a source of truth.

A small persistent key-value store (stdlib SQLite: one file, atomic writes, fast batched
lookups) and checked files for binary outputs. Keys are digests of everything that shapes a
value, so a stale entry is never asked for; what is stored is checked before use, so a
damaged, truncated or edited entry is redone instead of published. A folder that cannot be
written, a locked or damaged database, an entry that fails its digest: each is told in one
line and the build carries on without that part of the cache (or rebuilds it), producing the
same site as a cold build.

Values are pickled, and unpickled only as plain data and the project's own dataclasses: a
planted pickle cannot run code. Digests catch damage and edits by tools; whoever can write
the digests too can also write the project itself (see docs/security.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import io
import json
import os
import pickle
import sqlite3
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .problems import Problem, Severity

_BATCH = 500
FORMAT = 2  # SQLite user_version: every entry carries the digest of its value
_COLUMNS = ["key", "value", "digest"]
CACHE_FOLDER = ".cache/binhdan"  # beside mkdocs.yml, unless its plugin says `cache_dir:`
_WAIT = 2.0  # seconds to wait for a database another program holds
_BUSY = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_UNWRITABLE = frozenset({"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH",
                         "SQLITE_FULL"})


def tell(code: str, path: Path | str, **params: object) -> None:
    """One bilingual line on the console: the cache is not content, nothing to fix by hand
    is required, and the build goes on."""
    problem = Problem(code, str(path), severity=Severity.WARNING,
                      params=tuple(params.items()))
    where = Path(path)
    if where.is_absolute() and where.is_relative_to(Path.cwd()):
        where = where.relative_to(Path.cwd())
    # one write: a line told by a process working beside the build (the search index) is
    # never cut by another's
    sys.stderr.write(f"CẢNH BÁO / WARNING  {where}: {problem.text('vi')} / "
                     f"{problem.text('en')}\n")
    sys.stderr.flush()


def usable_folder(folder: Path | None) -> Path | None:
    """`folder`, created if missing, when files can be written in it; else None (told in one
    line), and the build runs with no cache at all."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        tell("cache_unusable", folder, reason=error.strerror or type(error).__name__)
        return None
    return folder


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write by rename: a reader (or a published hard link) never sees a half-written file,
    and a file already linked into a published site is never changed in place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def read_checked(path: Path, expected: str) -> bytes | None:
    """The file's bytes if they match the digest recorded when it was written."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if digest(data) == expected else None


class CheckedFiles:
    """The files of one cache folder found intact, each with its device, inode, size and
    time of last write, kept in the folder (`RECORD`): a file with the same four has not
    been written since (the rule `make serve` always kept in memory). So a later build, in
    a new process too, reads again only the files that changed: at 10,000 items x 2 the
    cards alone are 490 MB, 1 to 6 s to read and hash on every rebuild. (Not the change
    time: linking a file into the site changes it.) A record that cannot be read is a
    record of nothing: every file is read again."""

    RECORD = ".checked.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            known = json.loads((folder / self.RECORD).read_bytes())
        except (OSError, ValueError):
            known = {}
        self._known: dict[str, list[Any]] = known if isinstance(known, dict) else {}
        self._seen: dict[str, list[Any]] = {}

    def names(self) -> list[str]:
        """The files the record knows (checked by `intact` or `linked` before use)."""
        return list(self._known)

    def intact(self, name: str, expected: str) -> bool:
        """Whether the file `name` of this folder still has the bytes recorded when it was
        written. (A name, not a path: 23,000 paths cost 0.4 s to make.)"""
        path = os.path.join(self.folder, name)
        try:
            stat = os.stat(path)
        except OSError:
            return False
        seen = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, expected]
        if self._known.get(name) != seen and read_checked(Path(path), expected) is None:
            return False
        self._seen[name] = seen
        return True

    def linked(self, name: str, path: str) -> bool:
        """Whether `path` (a file of the site an earlier build linked) is the file `name` of
        this folder, unchanged since the record was made: the same device, inode, size and
        time of last write. One look checks both the site's file and the cache's."""
        known = self._known.get(name)
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if not isinstance(known, list) or known[:4] != [stat.st_dev, stat.st_ino,
                                                        stat.st_size, stat.st_mtime_ns]:
            return False
        self._seen[name] = known
        return True

    def written(self, name: str, expected: str) -> None:
        """Record a file this build has just written with the bytes of digest `expected`."""
        with contextlib.suppress(OSError):
            stat = os.stat(os.path.join(self.folder, name))
            self._seen[name] = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns,
                                expected]

    def save(self) -> None:
        """Keep what this build checked (files it did not use drop out of the record)."""
        if self._seen == self._known:
            return
        with contextlib.suppress(OSError):  # read-only: the next build reads them again
            write_atomic(self.folder / self.RECORD, json.dumps(self._seen).encode())
        self._known = self._seen


# values whose constructors take plain values and do nothing else
_PLAIN_CLASSES = frozenset({("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
                            ("datetime", "timedelta"), ("datetime", "timezone")})


class _PlainData(pickle.Unpickler):
    """Only plain values (dates too) and the project's own dataclasses and enums: a pickle
    planted in the cache cannot name `os.system` or any other callable, and one that sets
    an attribute of a class it names (`Item.draft`) is refused and the class put back."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self._named: list[type] = []

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN_CLASSES:
            return super().find_class(module, name)  # built-in types: nothing can be set
        if module.startswith("binhdan."):
            found = super().find_class(module, name)
            if isinstance(found, type) and (dataclasses.is_dataclass(found)
                                            or issubclass(found, enum.Enum)):
                _PRISTINE.setdefault(found, {key: value for key, value in vars(found).items()
                                             if key != _PICKLE_CACHE})
                self._named.append(found)
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not stored in the build cache")

    def load(self) -> Any:
        try:
            return super().load()
        finally:
            for named in self._named:
                _put_back(named)


class _Linked(pickle.Pickler):
    def __init__(self, file: io.BytesIO, name: Callable[[Any], tuple[str, ...] | None]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._name = name

    def persistent_id(self, obj: Any) -> tuple[str, ...] | None:
        return self._name(obj)


class _PlainLinked(_PlainData):
    """Names are found as the build's own objects, which a pickle could otherwise change
    (its BUILD sets attributes of whatever it names): each one found is compared, after
    loading, with what it held before, put back if changed, and the pickle refused."""

    def __init__(self, file: io.BytesIO, find: Callable[[tuple[str, ...]], Any]) -> None:
        super().__init__(file)
        self._find = find
        self._found: dict[int, tuple[Any, dict[str, Any]]] = {}

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and all(isinstance(part, str) for part in pid)):
            raise pickle.UnpicklingError("not a name")
        found = self._find(pid)
        if id(found) not in self._found:
            self._found[id(found)] = (found, dict(vars(found)))
        return found

    def load(self) -> Any:
        try:
            value = super().load()
        finally:
            changed = [(found, held) for found, held in self._found.values()
                       if not _holds(vars(found), held)]
            for found, held in changed:
                vars(found).clear()
                vars(found).update(held)
        if changed:
            raise pickle.UnpicklingError("a pickle changed an object it names")
        return value


def _holds(now: dict[str, Any], held: dict[str, Any]) -> bool:
    return len(now) == len(held) and all(now.get(key, _held) is value
                                         for key, value in held.items())


_held = object()  # no attribute's value


def dumps_linked(value: Any, name: Callable[[Any], tuple[str, ...] | None]) -> bytes:
    """`value` pickled, each object that `name` names (a tuple of strings) kept as its name:
    a build's plan refers to the items and terms of that build, which the next one reads
    again (see `loads_linked`)."""
    file = io.BytesIO()
    _Linked(file, name).dump(value)
    return file.getvalue()


def loads_linked(data: bytes, find: Callable[[tuple[str, ...]], Any]) -> Any:
    """What `dumps_linked` kept, each name replaced by the object `find` gives for it (which
    raises when there is none), as plain data (see _PlainData)."""
    return _PlainLinked(io.BytesIO(data), find).load()


# each class a pickle of the cache named, as the code made it
_PRISTINE: dict[type, dict[str, Any]] = {}


# what copyreg keeps on a class the first time one of its objects is pickled (the YAML
# memo, the stores, the shelf): not a change, and made again when it is gone
_PICKLE_CACHE = "__slotnames__"


def _put_back(named: type) -> None:
    """Undo whatever a pickle set on the class `named`, and refuse the pickle."""
    pristine, now = _PRISTINE[named], vars(named)
    if _PICKLE_CACHE in now and _PICKLE_CACHE not in pristine:
        delattr(named, _PICKLE_CACHE)
    if len(now) == len(pristine) and all(now.get(key) is value
                                          for key, value in pristine.items()):
        return
    for key in [key for key in now if key not in pristine]:
        delattr(named, key)
    for key, value in pristine.items():
        if now.get(key) is not value:
            setattr(named, key, value)
    raise pickle.UnpicklingError(f"{named.__name__} was changed by a pickle of the cache")


class Store:
    """`None` path = no caching (every lookup misses, nothing is written). `kept` is what a
    long-running preview keeps of this store between builds (entries already read and
    checked, or written): only what the previous build did not use is read from the disk.
    On closing it holds what this build used."""

    def __init__(self, path: Path | None, kept: dict[str, Any] | None = None) -> None:
        self.path = self._path = path
        self._db: sqlite3.Connection | None = None
        self._writable = True
        self._damaged = 0  # entries that failed their check, told once on closing
        self._kept = kept
        # what this build read or wrote, for `kept` (none without it: a cold build's feeds
        # are hundreds of MB, never all held at once)
        self._used: dict[str, Any] | None = {} if kept is not None else None
        if path is not None:
            self._db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=_WAIT)
            columns = [row[1] for row in db.execute("pragma table_info(entries)")]
            if not columns:
                return _created(db)
            if columns == _COLUMNS and db.execute("pragma user_version").fetchone()[0] == FORMAT:
                return db
            db.close()
            return self._rebuild(path)
        except sqlite3.Error as error:
            if db is not None:
                db.close()
            if _kind(error) == "damaged":
                return self._rebuild(path)
            tell("cache_busy" if _kind(error) == "busy" else "cache_unusable", path,
                 reason=str(error))
        except OSError as error:
            tell("cache_unusable", path, reason=error.strerror or type(error).__name__)
        return None

    def _rebuild(self, path: Path) -> sqlite3.Connection | None:
        """A damaged database, or one of another shape, is replaced by an empty one."""
        tell("cache_damaged", path)
        try:
            for leftover in (path, path.with_name(path.name + "-journal")):
                leftover.unlink(missing_ok=True)
            return _created(sqlite3.connect(path, timeout=_WAIT))
        except (sqlite3.Error, OSError) as error:
            tell("cache_unusable", path, reason=str(error))
            return None

    def get(self, keys: Iterable[str]) -> dict[str, Any]:
        """Entries whose value matches its digest and unpickles as plain data; the others
        are left out, so their callers make them again (and told when the store closes)."""
        found: dict[str, Any] = {}
        wanted = list(dict.fromkeys(keys))
        if self._kept is not None:
            found = {key: self._kept[key] for key in wanted if key in self._kept}
            wanted = [key for key in wanted if key not in found]
        if self._db is None or not wanted:
            self._remember(found)
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start:start + _BATCH]
                marks = ",".join("?" * len(chunk))
                for key, value, stored in self._db.execute(  # bytes, whatever was written
                        "select key, cast(value as blob), cast(digest as blob) from entries "
                        f"where key in ({marks})", chunk):
                    try:
                        if digest(value).encode() != stored:
                            raise ValueError("digest")
                        found[key] = _PlainData(io.BytesIO(value)).load()
                    except Exception:  # any damage at all: the entry is made again
                        self._damaged += 1
        except sqlite3.Error as error:
            self._failed(error)
        self._remember(found)
        return found

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have an entry, without reading them (`get` checks what it reads,
        and its caller makes again an entry that turns out damaged)."""
        wanted = list(dict.fromkeys(keys))
        found = {key for key in wanted if key in self._kept} if self._kept is not None else set()
        if self._kept is not None:  # a preview keeps them for the next rebuild too
            self._remember({key: self._kept[key] for key in found})
        wanted = [key for key in wanted if key not in found]
        if self._db is None:
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start:start + _BATCH]
                found.update(key for (key,) in self._db.execute(
                    f"select key from entries where key in ({','.join('?' * len(chunk))})",
                    chunk))
        except sqlite3.Error as error:
            self._failed(error)
        return found

    def _remember(self, entries: Mapping[str, Any]) -> None:
        if self._used is not None:
            self._used.update(entries)

    def put(self, values: Mapping[str, Any]) -> None:
        self._remember(values)
        if self._db is None or self._path is None or not self._writable or not values:
            return
        pickled = {key: pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
                   for key, value in values.items()}
        try:
            with self._db:
                self._db.executemany("insert or replace into entries values (?, ?, ?)",
                                     ((key, data, digest(data)) for key, data in pickled.items()))
        except sqlite3.Error as error:
            if _kind(error) == "unwritable":  # reading goes on; nothing new is kept
                self._writable = False
                tell("cache_unusable", self._path, reason=str(error))
            else:
                self._failed(error)

    def _failed(self, error: sqlite3.Error) -> None:
        """A database that breaks while in use: rebuilt if damaged, else left alone and the
        build goes on without it."""
        assert self._db is not None and self._path is not None
        self._db.close()
        self._db = None
        self._damaged = 0  # the whole file is told instead
        if _kind(error) == "damaged":
            self._db = self._rebuild(self._path)
        else:
            tell("cache_busy" if _kind(error) == "busy" else "cache_unusable", self._path,
                 reason=str(error))

    def close(self) -> None:
        if self._kept is not None and self._used is not None:
            self._kept.clear()
            self._kept.update(self._used)
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._damaged and self._path is not None:
            tell("cache_entries_damaged", self._path, count=self._damaged)
            self._damaged = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Shelf:
    """What one build keeps for the next one in a new process (`mkdocs build --dirty` after
    an edit, the first build of `make serve`): named values, each with a mark that changes
    whenever its value does. They are pickled in `SHARDS` files by name, and a build writes
    again only the files whose marks changed: an edit rewrites a few of them, not the
    checked reading of every file (70 MB at 10,000 items x 2). A file
    is used only when the same code (`version`) wrote it and its bytes match the digest in
    its first line; it is unpickled as plain data, as the Store's entries are. A file that
    cannot be read or written only means the next build does that work again."""

    SHARDS = 32
    LARGEST = 1 << 30  # bytes: a shard at 10,000 items x 2 is 2 to 5 MB

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = hashlib.sha256(version.encode()).hexdigest()  # one word, any version
        self._marks: list[dict[str, str]] = [{} for _ in range(self.SHARDS)]  # what each holds

    def _path(self, index: int) -> Path:
        return self.folder / f"{index:02x}.pickle"

    def load(self) -> dict[str, tuple[str, Any]]:
        """Every name kept, with its mark and value."""
        entries: dict[str, tuple[str, Any]] = {}
        damaged = 0
        for index in range(self.SHARDS):
            shard = self._read(self._path(index))
            if shard is None:  # written again by the next save, even with nothing in it
                damaged += 1
                self._marks[index] = {"": "damaged"}
                continue
            self._marks[index] = {name: mark for name, (mark, _) in shard.items()}
            entries.update(shard)
        if damaged:
            tell("cache_entries_damaged", self.folder, count=damaged)
        return entries

    def _read(self, path: Path) -> dict[str, tuple[str, Any]] | None:
        """A shard's entries: none when missing or written by other code, None when damaged
        (not a regular file, too big, its digest fails, anything but plain data in it)."""
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return {}
        except OSError:  # a link, or not ours to read
            return None
        try:
            with os.fdopen(handle, "rb") as opened:
                info = os.fstat(opened.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > self.LARGEST:
                    return None
                head, _, body = opened.read().partition(b"\n")
        except OSError:
            return None
        version, _, expected = head.decode(errors="replace").partition(" ")
        if version != self.version:
            return {}
        try:
            if digest(body) != expected:
                raise ValueError("digest")
            shard = _PlainData(io.BytesIO(body)).load()
            if isinstance(shard, dict) and all(
                    isinstance(name, str) and isinstance(entry, tuple) and len(entry) == 2
                    and isinstance(entry[0], str) for name, entry in shard.items()):
                return shard
        except Exception:  # any damage at all: made again
            pass
        return None

    def forget(self, names: Iterable[str]) -> None:
        """Entries the caller could not use: the next save writes their shards again."""
        for name in names:
            self._marks[self._shard(name)].pop(name, None)

    def _shard(self, name: str) -> int:
        return zlib.crc32(name.encode()) % self.SHARDS

    def save(self, entries: Mapping[str, tuple[str, Any]]) -> None:
        """Keep `entries` (name -> mark, value) in place of what was kept. Never raises: a
        shard that cannot be written is made again by the next build."""
        shards: list[dict[str, tuple[str, Any]]] = [{} for _ in range(self.SHARDS)]
        for name, entry in entries.items():
            shards[self._shard(name)][name] = entry
        for index, shard in enumerate(shards):
            marks = {name: mark for name, (mark, _) in shard.items()}
            if marks == self._marks[index]:
                continue
            try:
                body = pickle.dumps(shard, pickle.HIGHEST_PROTOCOL)
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomic(self._path(index),
                             f"{self.version} {digest(body)}\n".encode() + body)
            except Exception:  # a full or read-only disk, a value that cannot be kept
                continue
            self._marks[index] = marks


def _created(db: sqlite3.Connection) -> sqlite3.Connection:
    with db:
        db.execute("create table entries "
                   "(key text primary key, value blob not null, digest text not null)")
        db.execute(f"pragma user_version = {FORMAT}")
    return db


def _kind(error: sqlite3.Error) -> str:
    """busy (another program holds it), unwritable, or damaged (anything else: not a
    database, malformed, a missing table or column)."""
    name = getattr(error, "sqlite_errorname", "")
    if name in _BUSY:
        return "busy"
    if name in _UNWRITABLE:
        return "unwritable"
    return "damaged"


def tree_digest(paths: Iterable[Path]) -> str:
    """Digest of every file under `paths` (names relative to each path, and bytes), in a
    stable order: the same project in another folder (a new CI checkout) has the same digest,
    so its caches still serve it."""
    digest = hashlib.sha256()
    for index, root in enumerate(paths):
        digest.update(f"{index}\0".encode())
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else \
            ([root] if root.is_file() else [])
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode() if path != root
                          else path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
