"""Content items: read every Markdown file under content/, check it against the schema.

Phase one of the build (Pelican's "read everything first"): the result is a list of validated
`Item`s plus every problem found. Nothing here knows about MkDocs or HTML.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
import posixpath
import re
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..common.cache import Shelf, Store
from ..common.problems import Problem, Problems, Severity
from ..slugs import slugify
from .dates import DateProblem, parse_date, parse_datetime, start_of_day
from .events import RepeatProblem, parse_repeat
from .markup import file_links, images_without_alt, never_published, resolve
from .safety import unsafe_html
from .schema import (
    KIND_WORDS,
    PLACEHOLDER_TEXTS,
    PUBLISHABLE_EXTENSIONS,
    TAXONOMIES_BY_KEY,
    TYPES_BY_FOLDER,
    ContentType,
    Field,
    Kind,
)
from .site import ID_PATTERN, SiteConfig
from .sources import MB, ParsedFile, YamlDoc, parse_key, parse_markdown_file

EASY_SUFFIX = "-easy"  # "x.vi-easy.md": the easy-read version of "x.vi.md"
SHOWN_FIELDS = ("title", "summary")  # texts an item's page shows, with its body (plan_key)
_HIDDEN_SPACES = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_ODD_SPACES = re.compile("[\u00a0\u2007\u202f]")
# HTML in a plain-text field: a tag, a comment or a character reference ("&amp;", "&#106;")
_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|<!--|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+[0-9]*);")


@dataclass
class Item:
    """One language version of one piece of content, validated."""

    type: ContentType
    key: str  # translation group, shared by all language versions: "guides/cai-dat-vneid"
    lang: str
    src_uri: str  # path under content/: "guides/cai-dat-vneid.vi.md"
    source: str  # path for messages: "content/guides/cai-dat-vneid.vi.md"
    meta: dict[str, Any]
    body: str
    body_line: int = 1
    slug: str = ""
    doc: YamlDoc | None = None  # front matter with line numbers, for later checks
    digest: str = ""  # changes whenever the file (or, for a translation, its original) does
    easy: bool = False  # this is an easy-read version ("x.vi-easy.md") of the item `key`
    easy_read: Item | None = None  # the easy-read version of this item, in its language

    def line(self, *position: Any) -> int | None:
        return self.doc.line(*position) if self.doc else None

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def summary(self) -> str:
        return self.meta.get("summary") or ""

    @property
    def date(self) -> date | None:
        return self.meta.get("date")

    @property
    def topics(self) -> list[str]:
        return self.meta.get("topics", [])

    @property
    def audiences(self) -> list[str]:
        return self.meta.get("audiences", [])

    @property
    def localities(self) -> list[str]:
        return self.meta.get("localities", [])

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft"))

    @property
    def texts(self) -> list[tuple[int, str]]:
        """(first line, Markdown) of every text the item has: body, steps, transcript."""
        texts = [(self.body_line, self.body)]
        for index, step in enumerate(self.meta.get("steps", [])):
            texts.append((self.line("steps", index, "text") or 1, step.get("text", "")))
        if self.meta.get("audio_transcript"):
            texts.append((self.line("audio_transcript") or 1, self.meta["audio_transcript"]))
        return texts

    @property
    def versions(self) -> tuple[Item, ...]:
        """This item and its easy-read version, if it has one: both are published."""
        return (self, self.easy_read) if self.easy_read else (self,)

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Content files the item uses (content/-relative): its file fields (pictures,
        attachments, audio, video, captions) and every file its texts link to."""
        found = list(_file_values(self.type.fields, self.meta))
        found += [path for _, _, path, _ in self.links]
        return tuple(dict.fromkeys(found))

    @cached_property
    def links(self) -> tuple[tuple[int, str, str, bool], ...]:
        """(line, target as written, content path, whether to a page) of every relative link
        to a file (a page, a picture, a PDF) in the item's texts. Kept with the item by the
        shelf (Memory): a build in a new process does not scan 20,000 texts again."""
        return tuple((first + line - 1, target, resolve(target, self.src_uri), page)
                     for first, text in self.texts
                     for line, target, page in file_links(text))

    @cached_property
    def markup_findings(self) -> tuple[tuple[str, int, bool, tuple[tuple[str, str], ...]],
                                       ...]:
        """(problem code, line, whether only a warning, details) of what the sanitizer will
        remove from the item's texts and of images without a description. Kept with the
        item by the shelf, as `links` is."""
        found = []
        for first_line, text in self.texts:
            found += [(unsafe.code, first_line + unsafe.line - 1, not unsafe.blocks,
                       unsafe.params) for unsafe in unsafe_html(text)]
            found += [("body_image_alt", first_line + line - 1, False, (("value", target),))
                      for line, target in images_without_alt(text)]
        return tuple(found)

    @cached_property
    def relatedness(self) -> tuple[tuple[str, ...], frozenset[str], frozenset[str],
                                   frozenset[str], str, float]:
        """What related items are chosen by (plan/pages.py): topics in order and as a set,
        audiences, localities, type and time. Kept with the item (Memory's shelf)."""
        return (tuple(self.topics), frozenset(self.topics), frozenset(self.audiences),
                frozenset(self.localities), self.type.key, self.sort_time.timestamp())

    @cached_property
    def relatedness_key(self) -> str:
        """`relatedness` printed the same in every process (a set's order is not)."""
        topics, _, audiences, localities, kind, time = self.relatedness
        return repr((topics, sorted(audiences), sorted(localities), kind, time))

    @cached_property
    def plan_key(self) -> str:
        """Everything the page plan reads of this item, as a digest: all but the texts its
        page shows (title, summary and body: `pages._show_item`), so an edit of those keeps
        the plan. Kept with the item by the shelf."""
        fields = {name: value for name, value in self.meta.items() if name not in SHOWN_FIELDS}
        return hashlib.sha256(repr((self.type.folder, self.key, self.lang, self.src_uri,
                                    self.slug, fields)).encode()).hexdigest()

    @cached_property
    def sort_time(self) -> datetime:
        """When the item sorts in listings: its date, or its event start / issue date."""
        value = self.meta.get(self.type.sort_field) or self.meta.get("date")
        if isinstance(value, datetime):
            return value
        return start_of_day(value) if value else start_of_day(date(1970, 1, 1))


def _file_values(fields: tuple[Field, ...], meta: dict[str, Any]) -> Iterator[str]:
    for spec in fields:
        value = meta.get(spec.name)
        if spec.kind is Kind.FILE and isinstance(value, str):
            yield value
        elif spec.kind is Kind.OBJECTS and isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    yield from _file_values(spec.fields, row)


@dataclass
class _Raw:
    """A parsed file before schema validation and translation merging."""

    type: ContentType
    key: str
    lang: str
    src_uri: str
    source: str
    meta: dict[str, Any]
    doc: YamlDoc
    body: str
    body_line: int
    digest: str
    easy: bool = False

    @property
    def version(self) -> str:
        """What the file is within its group: a language ("vi"), or an easy-read version
        ("vi-easy")."""
        return f"{self.lang}{EASY_SUFFIX}" if self.easy else self.lang


@dataclass
class Memory:
    """What a long-running preview (`mkdocs serve`) keeps between rebuilds, so that an edit
    re-reads and re-checks only the files it touched. Every entry is keyed by what it was
    computed from; entries not used by the latest build are dropped."""

    # file -> its times of last write and change, size and inode, and its parse key
    stats: dict[str, tuple[int, int, int, int, str]] = field(default_factory=dict)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)  # parse key -> file
    # (file key, original's key, context) -> validated item and the problems it had
    validated: dict[tuple[str, str, str], tuple[Item | None, list[Problem]]] = field(
        default_factory=dict)
    # data/'s digest and the day -> the progress sheets' observations and their problems
    # (figures/progress.py): 20,000 rows are parsed again only when data/ changes
    sheets: dict[str, tuple[list[Any], list[Problem]]] = field(default_factory=dict)
    # build cache name -> the entries the last build read or wrote (common/cache.Store):
    # converted pages and unchanged feeds are not read and checked from the disk again
    stores: dict[str, dict[str, Any]] = field(default_factory=dict)
    # what they read (data/, the figures counted from content/, the day) -> the data cards
    data_cards: dict[str, list[Any]] = field(default_factory=dict)
    # the few fields they depend on -> every entry's related items (plan/pages.py)
    related: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # the digest of the last address check that found no clash (plan/pages.py)
    addresses: str = ""
    # what the page plan was made from -> the plan, its items and terms by name
    # (plan/pages.py): an edit of a title or a text keeps it
    plan: dict[str, bytes] = field(default_factory=dict)
    # where the reading and checking of content/ and the sheets are kept for a build in a
    # new process (`mkdocs build --dirty`, the first build of `make serve`); None: not yet
    # restored from it
    shelf: Shelf | None = None

    _SHEETS, _RELATED, _DATA_CARDS = "/sheets", "/related", "/data_cards"  # never a file
    _ADDRESSES, _PLAN = "/addresses", "/plan"  # name under content/

    def kept(self) -> dict[str, tuple[str, Any]]:
        """For the shelf: every file's stat, reading and checked items, the sheets, related
        items and data cards, each marked by the keys they were made from.
        (An item's easy-read version, kept with its own file, is set again by every build:
        `load_content`.)"""
        checked: dict[str, list[tuple[tuple[str, str, str], Item, list[Problem]]]] = {}
        for key, (item, found) in self.validated.items():
            if item.easy_read is not None:  # kept with its own file, not inside this one
                item = copy.copy(item)
                item.easy_read = None
            checked.setdefault(key[0], []).append((key, item, found))
        entries: dict[str, tuple[str, Any]] = {
            self._SHEETS: ("|".join(self.sheets), self.sheets),
            self._RELATED: ("|".join(self.related), self.related),
            self._DATA_CARDS: ("|".join(self.data_cards), self.data_cards),
            self._PLAN: ("|".join(self.plan), self.plan),
            self._ADDRESSES: (self.addresses, self.addresses)}
        for src_uri, (*seen, key) in self.stats.items():
            found = checked.get(key, [])
            mark = ":".join([*map(str, seen), key, *(f"{v[1]}/{v[2]}" for v, _, _ in found)])
            entries[src_uri] = (mark, (tuple(seen), key, self.parsed.get(key), found))
        return entries

    def restore(self, entries: dict[str, tuple[str, Any]]) -> list[str]:
        """Start from what the shelf kept (see `kept`). An entry of another shape is left
        out (its file is read and checked again): their names are returned."""
        dropped = []
        for name, (_, value) in entries.items():
            try:
                if name in (self._SHEETS, self._RELATED, self._DATA_CARDS, self._PLAN):
                    if not isinstance(value, dict):
                        raise TypeError(name)
                    setattr(self, name[1:], dict(value))
                    continue
                if name == self._ADDRESSES:
                    if not isinstance(value, str):
                        raise TypeError(name)
                    self.addresses = value
                    continue
                seen, key, parsed, found = value
                checked = {}
                for checked_key, item, problems in found:
                    if not (isinstance(item, Item) and isinstance(problems, list) and all(
                            isinstance(problem, Problem) for problem in problems)):
                        raise TypeError(name)
                    item.type = TYPES_BY_FOLDER[item.type.folder]  # one object per type
                    checked[tuple(checked_key)] = (item, problems)
                if not isinstance(parsed, ParsedFile) or len(seen) != 4:
                    raise TypeError(name)
                self.validated.update(checked)
                self.parsed[key] = parsed
                self.stats[name] = (*seen, key)
            except Exception:  # whatever shape it has, it is only not used
                dropped.append(name)
        return dropped


# What the first bytes of a file must be, by extension (a file renamed, cut off during an
# upload, or saved as something else is caught before a reader downloads it).
_ZIP = (b"PK\x03\x04",)
_SIGNATURES: dict[str, tuple[int, tuple[bytes, ...]]] = {
    ".pdf": (0, (b"%PDF-",)), ".docx": (0, _ZIP), ".xlsx": (0, _ZIP), ".pptx": (0, _ZIP),
    ".odt": (0, _ZIP), ".zip": (0, _ZIP), ".doc": (0, (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".m4a": (4, (b"ftyp",)), ".mp4": (4, (b"ftyp",)), ".ogg": (0, (b"OggS",)),
    ".oga": (0, (b"OggS",)), ".webm": (0, (b"\x1a\x45\xdf\xa3",)),
    ".vtt": (0, (b"WEBVTT", b"\xef\xbb\xbfWEBVTT")),
}
FILE_WARN_BYTES = {".mp4": 50 * MB, ".webm": 50 * MB}  # videos; everything else: 10 MB
FILE_WARN_DEFAULT = 10 * MB
FILE_MAX_BYTES = 100 * MB  # git hosts refuse larger files; no phone downloads them
# A file's stat is kept only once its time of last write is older than one tick of the
# clock that wrote it: a second write within the same tick would leave the same time
# ("racy clean", as git says). Times in whole seconds come from coarse clocks (FAT: 2 s,
# SMB, archives); others from the kernel's (a few ms).
_RACY_COARSE_NS, _RACY_FINE_NS = 2_000_000_000, 50_000_000
_ITEM_LIKE = re.compile(r"\.(md\.txt|markdown|md)$", re.IGNORECASE)


def regular_files(folder: Path, rel: str, problems: Problems) -> tuple[set[str], set[str]]:
    """Every regular file under `folder` as a '/'-separated relative path, and the paths
    refused (so that a link to one is not also called missing). A symbolic link
    (to a file or a folder, inside the project or out of it, broken or looping) and a
    special file (named pipe, socket, device) are errors and left out, so nothing outside the
    project is ever read or published: a link to /etc/passwd or to .git/config (which holds
    CI's token) never reaches the site, and a pipe never hangs the build. One pass of
    os.scandir, whose entries know their type without a system call per file."""
    found: set[str] = set()
    refused: set[str] = set()
    if folder.is_symlink():
        _not_regular(str(folder), rel, problems)
        return found, refused
    pending = [(str(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, path + "/"))
            elif entry.is_file(follow_symlinks=False):
                found.add(path)
            else:
                _not_regular(entry.path, f"{rel}/{path}", problems)
                refused.add(path)
    return found, refused


def _not_regular(path: str, rel: str, problems: Problems) -> None:
    """Report a link or a special file, saying what it is (where a link points)."""
    fix = ("Hãy xóa tệp này.", "Delete it.")
    if os.path.islink(path):
        target = os.readlink(path)
        kind = (f"một liên kết tượng trưng (symlink) trỏ tới '{target}'",
                f"a symbolic link (symlink) to '{target}'")
        fix = ("Hãy xóa liên kết này và chép chính tệp (hoặc thư mục) vào đây.",
               "Delete the link and copy the file (or folder) itself here.")
    elif stat.S_ISFIFO(os.lstat(path).st_mode):
        kind = ("một ống dẫn (FIFO)", "a named pipe (FIFO)")
    else:
        kind = ("một tệp đặc biệt của hệ thống (socket hoặc thiết bị)",
                "a special system file (a socket or a device)")
    problems.add("not_regular_file", rel, kind=kind, fix_vi=fix[0], fix_en=fix[1])


def file_uses(items: list[Item]) -> dict[str, str]:
    """Content path of every file an item uses -> the first item's file (for messages)."""
    used: dict[str, str] = {}
    for version in (version for item in items for version in item.versions):
        for path in version.files:
            used.setdefault(path, version.source)
    return used


def check_files(content_dir: Path, content_files: set[str], used: dict[str, str],
                problems: Problems, content_rel: str = "content") -> None:
    """Files beside the items (`used`: see file_uses): attachments, audio and video that
    are damaged or too large, items misnamed by a text editor (published as nothing), and
    files no item uses (not published: a list of residents' phone numbers left in content/
    never reaches the site)."""
    for path in sorted(content_files):
        name = posixpath.basename(path)
        rel = f"{content_rel}/{path}"
        if path.endswith(".md") or never_published(path):
            continue  # hidden files and folders (.gitkeep, .obsidian/), editors' backups
        if _ITEM_LIKE.search(name):
            problems.add("misnamed_item", rel, value=name,
                         suggestion=_ITEM_LIKE.sub(".md", name.lower()))
        elif path not in used:
            problems.add("unused_file", rel, warning=True)
        elif not path.lower().endswith(PUBLISHABLE_EXTENSIONS):
            problems.add("unpublishable_file", rel, used_in=used[path],
                         kind=posixpath.splitext(name)[1] or name,
                         allowed=", ".join(PUBLISHABLE_EXTENSIONS))
        elif not path.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")):
            _check_attachment(content_dir / path, rel, used[path], problems)


def _check_attachment(path: Path, rel: str, used_in: str, problems: Problems) -> None:
    size = path.stat().st_size
    suffix = path.suffix.lower()
    megabytes = f"{size / MB:.1f}"
    if size > FILE_MAX_BYTES:
        problems.add("file_too_large", rel, used_in=used_in, size=megabytes,
                     limit=FILE_MAX_BYTES // MB)
        return
    if size > FILE_WARN_BYTES.get(suffix, FILE_WARN_DEFAULT):
        problems.add("file_large", rel, warning=True, used_in=used_in, size=megabytes)
    if size == 0:  # whatever its name, not a damaged file of some kind: nothing at all
        problems.add("empty_attachment", rel, used_in=used_in)
        return
    with path.open("rb") as opened:
        head = opened.read(16)
        opened.seek(max(0, size - 2048))
        tail = opened.read()
    offset, signatures = _SIGNATURES.get(suffix, (0, ()))
    damaged = bool(signatures) and not any(head[offset:].startswith(sign)
                                           for sign in signatures)
    if suffix == ".mp3":  # an ID3 tag, or straight into an MPEG audio frame
        damaged = not (head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF
                                                   and head[1] & 0xE0 == 0xE0))
    if suffix == ".pdf" and not damaged and b"%%EOF" not in tail:
        damaged = True  # cut off during upload or copying
    if damaged:
        problems.add("corrupt_file", rel, used_in=used_in, kind=suffix.lstrip(".").upper())


def load_content(site: SiteConfig, content_dir: Path, problems: Problems,
                 content_rel: str = "content", store: Store | None = None,
                 memory: Memory | None = None, context: str = "",
                 markdown_files: list[str] | None = None) -> tuple[list[Item], list[Item]]:
    """Read, merge translations and validate every item under `content_dir`: the valid
    items, and the items with errors (not published, but their bodies are still checked, so
    one wrong field does not hide the rest of a file's problems). Parsing is cached in
    `store` by file content; `memory` reuses a previous build's work whose inputs are
    unchanged; `context` must change whenever anything else validation reads does (data/,
    which files exist)."""
    memory = memory or Memory()
    if markdown_files is None:
        markdown_files = sorted(path for path in regular_files(content_dir, content_rel,
                                                               problems)[0]
                                if path.endswith(".md"))
    raws, unreadable = _read_all(site, content_dir, markdown_files, content_rel, problems,
                                 store or Store(None), memory)
    groups: dict[str, dict[str, _Raw]] = {}
    for raw in raws:
        versions = groups.setdefault(raw.key, {})
        kept = versions.setdefault(raw.version, raw)
        if kept is not raw:  # café.vi.md beside cafe.vi.md: one would silently replace the other
            if _clean_name(raw) and not _clean_name(kept):  # keep the well-named file
                versions[raw.version] = raw
                kept, raw = raw, kept
            problems.add("same_name_files", raw.source, other=kept.source,
                         name=posixpath.basename(raw.key), lang=raw.lang)
    items: list[Item] = []
    rejected: list[Item] = []
    validator = _Validator(site, content_dir, problems)
    used: dict[tuple[str, str, str], tuple[Item, list[Problem]]] = {}

    def validated(raw: _Raw, primary: _Raw | None, inherited: dict[str, Any] | None
                  ) -> tuple[Item, bool]:
        """The checked item and whether it passed (if not, it is kept in `rejected`)."""
        key = (raw.digest, primary.digest if primary else "", context)
        if key in memory.validated:
            item, found = memory.validated[key]
            problems.items.extend(found)
        else:
            mark = len(problems.items)
            if primary is not None:
                _check_shared_fields(raw, primary, problems)
            item = validator.item(raw, inherited)
            item.digest = key[0] if primary is None else \
                hashlib.sha256(f"{key[0]}:{key[1]}".encode()).hexdigest()
            found = problems.items[mark:]
        used[key] = (item, found)
        if any(problem.severity is Severity.ERROR for problem in found):
            rejected.append(item)
            return item, False
        return item, True

    for key in sorted(groups):
        versions = groups[key]
        broken = unreadable.get(key, {})
        if not set(site.language_codes) & {*versions, *broken}:  # easy-read versions only
            for raw in versions.values():
                _easy_read_alone(raw, problems)
            continue
        original = _original_language(site, [*versions, *broken])
        if original in broken:  # checking its translations would only repeat its problem
            for raw in versions.values():
                problems.add("original_unreadable", raw.source, 1, warning=True,
                             other=broken[original])
            continue
        primary = _primary(site, versions)
        primary_item, primary_ok = validated(primary, None, None)
        published = {}  # language -> its published item, which an easy-read version joins
        if primary_ok:
            items.append(primary_item)
            published[primary.lang] = primary_item
        for lang in site.language_codes:
            raw = versions.get(lang)
            if raw is None or raw is primary:
                continue
            if not raw.body.strip() and not any(
                    f.translatable and raw.meta.get(f.name) not in (None, "", [])
                    for f in raw.type.fields):
                # The web editor writes every language's file; one with nothing of its own
                # is a translation not yet written, not a broken item.
                problems.add("translation_not_written", raw.source, 1, warning=True)
                continue
            # Shared fields come from the first language, already checked there (the values
            # that passed, if it has errors): a problem in them is reported once, on the file
            # that has it.
            item, ok = validated(raw, primary, primary_item.meta)
            if ok and primary_ok:
                items.append(item)
                published[lang] = item
            elif ok:  # its original has errors: checked, not published
                rejected.append(item)
        for item in published.values():  # kept between builds: the easy file may be gone
            item.easy_read = None
        for lang in site.language_codes:
            raw = versions.get(f"{lang}{EASY_SUFFIX}")
            if raw is None:
                continue
            # Shared fields (dates, topics, pictures) are the item's: one owner for each.
            easy, ok = validated(raw, primary, primary_item.meta)
            easy.easy = True
            if lang not in published:
                _easy_read_alone(raw, problems)
                rejected.append(easy)
            elif ok:
                published[lang].easy_read = easy
            else:
                rejected.append(easy)
    memory.validated = used
    return items, rejected


def _easy_read_alone(raw: _Raw, problems: Problems) -> None:
    problems.add("easy_read_without_original", raw.source, 1,
                 original=f"{raw.key}.{raw.lang}.md")


def _clean_name(raw: _Raw) -> bool:
    """Whether the file is already named as its address is (no accents, capitals, spaces)."""
    return posixpath.basename(raw.src_uri).startswith(posixpath.basename(raw.key) + ".")


def _primary(site: SiteConfig, versions: dict[str, _Raw]) -> _Raw:
    return versions[_original_language(site, versions)]


def _original_language(site: SiteConfig, languages: Iterable[str]) -> str:
    """The language translations inherit from: the default one, else the first present."""
    present = set(languages)
    for lang in site.language_codes:
        if lang in present:
            return lang
    raise AssertionError("a translation group is never empty")


def _check_shared_fields(raw: _Raw, primary: _Raw, problems: Problems) -> None:
    """A translation may repeat a shared field, but only with the same value."""
    for spec in raw.type.fields:
        if spec.translatable or spec.name not in raw.meta or spec.name not in primary.meta:
            continue
        if raw.meta[spec.name] != primary.meta[spec.name]:
            problems.add("translation_mismatch", raw.source, raw.doc.line(spec.name), spec.name,
                         lang=primary.lang, other=primary.source, value=raw.meta[spec.name],
                         expected=primary.meta[spec.name])


def _read_all(site: SiteConfig, content_dir: Path, markdown_files: list[str],
              content_rel: str, problems: Problems, store: Store, memory: Memory
              ) -> tuple[list[_Raw], dict[str, dict[str, str]]]:
    named = []
    fresh_bytes: dict[str, bytes] = {}
    stats: dict[str, tuple[int, int, int, int, str]] = {}
    started = time.time_ns()
    for src_uri in markdown_files:
        naming = _name(site, src_uri, f"{content_rel}/{src_uri}", problems)
        if naming is None:
            continue
        path = os.path.join(content_dir, src_uri)
        info = os.stat(path)
        known = memory.stats.get(src_uri)
        seen = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        if known and known[:4] == seen:
            key = known[4]
        else:
            with open(path, "rb") as handle:
                data = handle.read()
            key = parse_key(data, naming[3])
            fresh_bytes[key] = data
        # written just before this reading: read again next time (see _RACY_COARSE_NS)
        settled = started - info.st_mtime_ns > (
            _RACY_COARSE_NS if info.st_mtime_ns % 1_000_000_000 == 0 else _RACY_FINE_NS)
        stats[src_uri] = (*(seen if settled else (-1, -1, -1, -1)), key)
        named.append((naming, key))
    wanted = [key for _, key in named]
    parsed = {key: memory.parsed[key] for key in wanted if key in memory.parsed}
    parsed.update(store.get(key for key in wanted if key not in parsed))
    fresh = {}
    for naming, key in named:
        if key not in parsed and key not in fresh:
            data = fresh_bytes.get(key)
            if data is None:  # known by its stat, but evicted from every cache
                with open(os.path.join(content_dir, naming[4]), "rb") as handle:
                    data = handle.read()
            fresh[key] = parse_markdown_file(data, naming[3])
    store.put(fresh)
    parsed.update(fresh)
    memory.stats, memory.parsed = stats, {key: parsed[key] for key in wanted}
    raws = []
    unreadable: dict[str, dict[str, str]] = {}  # translation key -> language -> file
    for (content_type, key, lang, source, src_uri, easy), digest in named:
        result = parsed[digest]
        problems.items.extend(result.problems)
        if result.doc is not None and result.doc.meta is not None:
            doc = result.doc
            raws.append(_Raw(content_type, key, lang, src_uri, source, doc.meta.value,
                             doc.meta, doc.body, doc.body_line, digest, easy))
        elif any(problem.severity is Severity.ERROR for problem in result.problems):
            unreadable.setdefault(key, {})[lang] = source
    return raws, unreadable


def _name(site: SiteConfig, src_uri: str, source: str, problems: Problems
          ) -> tuple[ContentType, str, str, str, str, bool] | None:
    """Type, translation key, language and whether it is an easy-read version, from a file's
    place and name: "guides/x.vi.md", "guides/x.vi-easy.md"."""
    folder = src_uri.split("/", 1)[0] if "/" in src_uri else ""
    content_type = TYPES_BY_FOLDER.get(folder)
    if content_type is None:
        problems.add("unknown_type_folder", source, value=folder or "content/",
                     allowed=", ".join(TYPES_BY_FOLDER))
        return None
    stem = posixpath.basename(src_uri)[:-3]
    lang = site.default_language
    base, dot, suffix = stem.rpartition(".")
    variant = re.fullmatch(r"([a-z]{2,3})(-[a-z]+)", suffix) if dot else None
    if variant and variant[1] not in site.language_codes:
        variant = None  # "chu-ky-so.ca-nhan.md": a name with a dot, not a language
    if variant and variant[2] != EASY_SUFFIX:  # "x.vi-simple.md"
        problems.add("unknown_variant", source, value=suffix)
        return None
    easy = variant is not None
    if easy:
        suffix = variant[1]
    if dot and re.fullmatch(r"[a-z]{2,3}", suffix):
        if suffix not in site.language_codes:
            problems.add("unknown_language", source, value=suffix,
                         allowed=", ".join(site.language_codes))
            return None
        stem, lang = base, suffix
    clean_stem = slugify(stem)
    if not clean_stem:  # "!!!.vi.md", "...vi.md": nothing to make an address from
        problems.add("empty_file_name", source, value=posixpath.basename(src_uri), lang=lang)
        return None
    if clean_stem != stem:
        problems.add("file_name_fixed", source, warning=True, slug=clean_stem,
                     suggested=f"{clean_stem}.{lang}{EASY_SUFFIX if easy else ''}.md")
    key = posixpath.join(posixpath.dirname(src_uri), clean_stem)
    return content_type, key, lang, source, src_uri, easy


class _Validator:
    """Checks one item's fields against its type; reports every problem, keeps going."""

    def __init__(self, site: SiteConfig, content_dir: Path, problems: Problems) -> None:
        self.site, self.content_dir, self.problems = site, content_dir, problems

    def item(self, raw: _Raw, inherited: dict[str, Any] | None = None) -> Item:
        """Check one file; the item holds the fields that passed. A translation passes the
        first language's checked values as `inherited`; its shared fields are taken from
        there when it leaves them out."""
        content_type = raw.type
        meta = raw.meta
        for name in meta:
            if content_type.field(str(name)) is None:
                self.unknown_field(raw, raw.doc.line(name), str(name), content_type.key,
                                   content_type.field_names)
        shared = {f.name for f in content_type.fields if not f.translatable}
        own = {k: v for k, v in meta.items() if inherited is None or k not in shared}
        values = self.fields(raw, tuple(f for f in content_type.fields
                                        if inherited is None or f.name not in shared),
                             own, ())
        if inherited is not None:
            values.update({k: v for k, v in inherited.items() if k in shared})
            for spec in content_type.fields:  # a shared image still needs this language's alt
                if spec.name in shared and spec.alt and spec.name in values \
                        and not values.get(spec.alt):
                    self.problems.add("missing_alt", raw.source, 2, spec.alt,
                                      value=values[spec.name], alt=spec.alt)
        if content_type.one_of and not any(values.get(name) for name in content_type.one_of):
            self.problems.add("one_of_missing", raw.source, 2, type=content_type.key,
                              fields=", ".join(content_type.one_of))
        if content_type.body and not raw.body.strip():
            self.problems.add("empty_body", raw.source, raw.body_line, type=content_type.key,
                              why_vi=content_type.body[0], why_en=content_type.body[1])
        if not values.get("draft"):
            self.placeholders(raw, meta, ())
            if raw.body.strip() in PLACEHOLDER_TEXTS:
                self.problems.add("placeholder_left", raw.source, raw.body_line, None,
                                  value=raw.body.strip()[:40] + "…")
        if content_type.needs_consent and values.get("consent") is not True:
            self.consent(raw, values, first=inherited is None)
        start, end = values.get("start"), values.get("end")
        if start and end and end < start:
            self.problems.add("end_before_start", raw.source, raw.doc.line("end"), "end",
                              start=meta.get("start"), end=meta.get("end"))
        if start and values.get("repeat"):
            try:
                parse_repeat(values["repeat"], start)
            except RepeatProblem as problem:
                self.problems.add(problem.code, raw.source, raw.doc.line("repeat"), "repeat",
                                  value=values.pop("repeat"), start=meta.get("start"))
        slug = values.get("slug") or posixpath.basename(raw.key)
        return Item(content_type, raw.key, raw.lang, raw.src_uri, raw.source, values,
                    raw.body, raw.body_line, slug, raw.doc)

    def placeholders(self, raw: _Raw, value: Any, position: tuple[Any, ...]) -> None:
        """Texts `binhdan new` wrote that were never replaced: not publishable."""
        if isinstance(value, dict):
            for key, inner in value.items():
                self.placeholders(raw, inner, (*position, key))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                self.placeholders(raw, inner, (*position, index))
        elif isinstance(value, str) and value.strip() in PLACEHOLDER_TEXTS:
            self.problems.add("placeholder_left", raw.source, raw.doc.line(*position),
                              str(position[-1]) if position else None, value=value.strip())

    def consent(self, raw: _Raw, values: dict[str, Any], first: bool) -> None:
        """Identifiable people (a photo, a named person) may be published only with their
        consent (personal-data rules, Decree 13/2023/NĐ-CP). Shared fields are reported on
        the first language only."""
        people = [*values.get("people", [])] if first else []
        photo = bool((first and values.get("image")) or "![" in raw.body or "<img" in raw.body)
        if people or photo:
            self.problems.add("consent_missing", raw.source,
                              _line_of(raw, "consent", "people", "image"), "consent",
                              shown=(", ".join([*people, *(["ảnh"] if photo else [])]),
                                     ", ".join([*people, *(["photo"] if photo else [])])))

    def fields(self, raw: _Raw, specs: tuple[Field, ...], meta: dict[str, Any],
               position: tuple[Any, ...]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in specs:
            value = meta.get(spec.name)
            line = raw.doc.line(*position, spec.name)
            if value is None or value == "" or value == []:
                if spec.required:
                    code = "missing_field" if spec.name not in meta else "empty_field"
                    self.problems.add(code, raw.source, line or raw.doc.line(*position),
                                      spec.name, label_vi=spec.label[0], label_en=spec.label[1])
                continue
            checked = self.value(raw, spec, value, (*position, spec.name))
            if checked is not None:
                values[spec.name] = checked
        for spec in specs:
            if spec.alt and spec.name in values and not values.get(spec.alt):
                self.problems.add("missing_alt", raw.source, raw.doc.line(*position, spec.name),
                                  spec.alt, value=meta[spec.name], alt=spec.alt)
            if spec.transcript and spec.name in values and not values.get(spec.transcript):
                self.problems.add("missing_transcript", raw.source,
                                  raw.doc.line(*position, spec.name), spec.transcript,
                                  value=meta[spec.name], transcript=spec.transcript)
        return values

    def value(self, raw: _Raw, spec: Field, value: Any, position: tuple[Any, ...]) -> Any:
        line = raw.doc.line(*position)
        kind = spec.kind

        def wrong() -> None:
            vi, en = KIND_WORDS[kind]
            self.problems.add("wrong_type", raw.source, line, spec.name, expected_vi=vi,
                              expected_en=en, actual=_describe(value))

        if kind in (Kind.TEXT, Kind.URL, Kind.FILE, Kind.CHOICE, Kind.REF):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                wrong()
                return None
            value = self.clean_text(raw, spec, str(value), line)
            if value is None:
                return None
        if kind is Kind.TEXT:
            if spec.name == "slug" and not ID_PATTERN.match(value):
                suggested = slugify(value)  # "..", "/" and "!!!" leave nothing to suggest
                self.problems.add("bad_slug" if suggested else "empty_slug", raw.source, line,
                                  spec.name, value=value, suggested=suggested)
                return None
            return value
        if kind is Kind.MARKDOWN:
            if not isinstance(value, str):
                wrong()
                return None
            if spec.max_length and len(value) > spec.max_length:
                self.problems.add("markdown_too_long", raw.source, line, spec.name,
                                  length=len(value), limit=spec.max_length)
                return None
            return value.strip()
        if kind in (Kind.DATE, Kind.DATETIME):
            try:
                return parse_date(value) if kind is Kind.DATE else parse_datetime(value)
            except DateProblem as problem:
                self.problems.add(problem.code, raw.source, line, spec.name, **problem.params)
                return None
        if kind is Kind.BOOL:
            if not isinstance(value, bool):
                wrong()
                return None
            return value
        if kind is Kind.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                wrong()
                return None
            return value
        if kind is Kind.URL:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.problems.add("bad_url", raw.source, line, spec.name, value=value)
                return None
            return value
        if kind is Kind.FILE:
            return self.file(raw, spec, value, line)
        if kind is Kind.CHOICE:
            if value not in spec.choices:
                near = nearest(value, spec.choices)
                self.problems.add("bad_choice_near" if near else "bad_choice", raw.source,
                                  line, spec.name, value=value, suggestion=_either(near),
                                  allowed=", ".join(spec.choices))
                return None
            return value
        if kind in (Kind.REF, Kind.REFS):
            return self.refs(raw, spec, value, position)
        if kind is Kind.TEXTS:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                wrong()
                return None
            texts = [self.clean_text(raw, spec, v, line) for v in values]
            return None if None in texts else texts
        if kind is Kind.OBJECTS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                wrong()
                return None
            entries = []
            for index, entry in enumerate(value):
                for name in entry:
                    if not any(f.name == name for f in spec.fields):
                        self.unknown_field(raw, raw.doc.line(*position, index, name),
                                           str(name), f"{raw.type.key}.{spec.name}",
                                           [f.name for f in spec.fields])
                entries.append(self.fields(raw, spec.fields, entry, (*position, index)))
            return entries
        raise AssertionError(f"unhandled field kind {kind}")

    def clean_text(self, raw: _Raw, spec: Field, text: str, line: int | None) -> str | None:
        """One line of plain text, or None: hidden spaces are removed (a warning), a line
        break (it would end a calendar's line) or a text over the field's limit is refused,
        HTML is reported (it is shown as typed: escaped on pages, in feeds and calendars)."""
        cleaned = _ODD_SPACES.sub(" ", _HIDDEN_SPACES.sub("", text)).strip()
        if cleaned != text.strip():
            self.problems.add("text_cleaned", raw.source, line, spec.name, warning=True)
        if "\n" in cleaned:
            self.problems.add("multi_line", raw.source, line, spec.name,
                              lines=cleaned.count("\n") + 1)
            return None
        if spec.max_length and len(cleaned) > spec.max_length:
            self.problems.add("too_long", raw.source, line, spec.name, length=len(cleaned),
                              limit=spec.max_length)
            return None
        markup = _MARKUP.search(cleaned)
        if markup and spec.kind in (Kind.TEXT, Kind.TEXTS):
            self.problems.add("html_in_field", raw.source, line, spec.name, warning=True,
                              value=markup.group())
        return cleaned

    def unknown_field(self, raw: _Raw, line: int | None, name: str, type_key: str,
                      allowed: list[str]) -> None:
        near = nearest(name, allowed)
        self.problems.add("unknown_field_near" if near else "unknown_field", raw.source, line,
                          name, type=type_key, suggestion=_either(near),
                          allowed=", ".join(allowed))

    def refs(self, raw: _Raw, spec: Field, value: Any, position: tuple[Any, ...]) -> Any:
        assert spec.taxonomy
        terms = self.site.taxonomies.get(spec.taxonomy, {})
        many = spec.kind is Kind.REFS
        if many and isinstance(value, str) and _LIST_WITHOUT_BRACKETS.search(value):
            codes = [part.strip() for part in _LIST_WITHOUT_BRACKETS.split(value)]
            self.problems.add("refs_not_list", raw.source, raw.doc.line(*position), spec.name,
                              value=value, suggestion=", ".join(
                                  code if code in terms else (nearest(code, terms) or [code])[0]
                                  for code in codes if code))
            return None
        values = [value] if isinstance(value, str) or not many else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            vi, en = KIND_WORDS[spec.kind]
            self.problems.add("wrong_type", raw.source, raw.doc.line(*position), spec.name,
                              expected_vi=vi, expected_en=en, actual=_describe(value))
            return None
        result: list[str] = []
        for index, term_id in enumerate(values):
            if term_id not in terms and spec.taxonomy in self.site.unreadable:
                continue  # the data file's own error is reported; fixing it may fix this
            if term_id not in terms:
                line = raw.doc.line(*position, index) if many and not isinstance(value, str) \
                    else raw.doc.line(*position)
                near = nearest(term_id, terms)
                self.problems.add("unknown_ref_near" if near else "unknown_ref", raw.source,
                                  line, spec.name, value=term_id, suggestion=_either(near),
                                  source=f"data/{TAXONOMIES_BY_KEY[spec.taxonomy].file}",
                                  allowed=", ".join(sorted(terms)[:15]) or "-")
            elif term_id not in result:
                result.append(term_id)
        return result if many else (result[0] if result else None)

    def file(self, raw: _Raw, spec: Field, value: str, line: int | None) -> str | None:
        """Resolve a path relative to the Markdown file (or to content/ with a leading '/')."""
        if urlsplit(value).scheme:
            self.problems.add("missing_file", raw.source, line, spec.name, value=value,
                              looked="content/")
            return None
        base = "" if value.startswith("/") else posixpath.dirname(raw.src_uri)
        resolved = posixpath.normpath(posixpath.join(base, value.lstrip("/")))
        if spec.extensions and not resolved.lower().endswith(spec.extensions):
            self.problems.add("bad_file_kind", raw.source, line, spec.name, value=value,
                              allowed=", ".join(spec.extensions))
            return None
        if resolved.startswith("..") or not (self.content_dir / resolved).is_file():
            self.problems.add("missing_file", raw.source, line, spec.name, value=value,
                              looked=f"content/{resolved}")
            return None
        return resolved


_LIST_WITHOUT_BRACKETS = re.compile(r"[,;]")


def nearest(value: str, valid: Iterable[str]) -> list[str]:
    """The valid codes an editor probably meant: the same code written with capitals,
    diacritics or spaces ('VNeID', 'thanh toán số'), else the closest look-alikes."""
    by_folded = {slugify(code): code for code in valid}
    folded = slugify(value)
    if folded in by_folded:
        return [by_folded[folded]]
    return [by_folded[close] for close in difflib.get_close_matches(folded, by_folded, n=3)]


def _either(codes: list[str]) -> tuple[str, str]:
    quoted = [f"'{code}'" for code in codes]
    return " hoặc ".join(quoted), " or ".join(quoted)


def _line_of(raw: _Raw, *names: str) -> int | None:
    """The line of the first of these fields the file has."""
    return next((raw.doc.lines[(name,)] for name in names if (name,) in raw.doc.lines), None)


def _describe(value: Any) -> str | tuple[str, str]:
    """What the editor wrote, for a message: the value itself, or its kind in words."""
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "một danh sách", "a list"
    if isinstance(value, dict):
        return "một nhóm trường", "a group of fields"
    return f"'{value}'"
