"""Static search index built for phones on 3G: a query downloads a few small files.

Why not Pagefind (measured on a 10,000 × 2 site, docs/benchmark.md): each query downloaded
1.1–2.0 MB (a fixed 220 KB of script, WebAssembly and page metadata, then 0.3–0.5 MB index
chunks for common words), and indexing took 44 s and 2.9 GB. Here, per language:

- every word is folded (tones, vowel marks and đ removed: "Đăng ký" -> "dang ky"), so queries
  match with or without diacritics;
- terms are sharded by their first letters; a shard that grows too large is split by a
  longer prefix, so a query loads only the shards of its words (tens of KB);
- each posting is a document number and three bits saying where the word was found
  (title, lead, body), varint-encoded; documents are numbered newest first;
- titles, addresses and summaries sit in small document shards, fetched only for the
  results shown.

The browser half is overrides/assets/search.js; both halves must fold text identically.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .cache import Store

FORMAT = 1
SHARD_LIMIT = 24_000  # bytes of postings before a shard is split by a longer prefix
DOCS_PER_SHARD = 20
TITLE, LEAD, BODY = 4, 2, 1  # where a word was found (bit flags)

_MARKDOWN_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|`[^`]*`|<[^>]+>|[#*_>|\[\]]")
_TOKEN = re.compile(r"[a-z0-9]+")


def _fold_table() -> dict[int, str]:
    """Every accented Latin letter mapped to its base letter(s), đ to d."""
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c))
        if base != char and base.isascii():
            table[code] = base.lower()
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lowercase without tone marks, vowel marks or the bar of đ: "Đường" -> "duong"."""
    return text.translate(_FOLD).lower()


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(fold(text)) if len(t) > 1 or t.isdigit()]


def plain(markdown: str) -> str:
    """Markdown without link targets, images, code and markup characters."""
    return _MARKDOWN_NOISE.sub(" ", markdown)


def _terms(title: str, lead: str, body: str) -> str:
    """A document's words with where each was found, compactly: "vneid4 cai7 dat7"."""
    found: dict[str, int] = {}
    for flag, text in ((TITLE, title), (LEAD, lead), (BODY, body)):
        for term in tokens(text):
            found[term] = found.get(term, 0) | flag
    return " ".join(f"{term}{flags}" for term, flags in found.items())


def _all_terms(docs: list[Document], store: Store) -> list[str]:
    """Every document's terms; tokenising 20,000 documents takes seconds, so they are kept
    in the build cache by the text they came from (a rebuild reads only edited ones)."""
    keys = [hashlib.sha256("\x1f".join((f"{FORMAT}", doc.title, doc.lead, doc.body)).encode()
                           ).hexdigest() for doc in docs]
    known = store.get(keys)
    fresh = {key: _terms(doc.title, doc.lead, doc.body)
             for key, doc in zip(keys, docs, strict=True) if key not in known}
    store.put(fresh)
    known.update(fresh)
    return [known[key] for key in keys]


@dataclass(frozen=True)
class Document:
    url: str  # site-relative page URL
    title: str
    kind: str  # "Hướng dẫn", shown with the result
    summary: str
    lead: str  # summary, step titles and texts, headings: weighs more than the body
    body: str


def build_index(documents: Iterable[Document], store: Store | None = None) -> dict[str, str]:
    """All files of one language's index: {relative path: JSON text}."""
    docs = list(documents)
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for number, terms in enumerate(_all_terms(docs, store or Store(None))):
        for pair in terms.split():
            postings[pair[:-1]][number] = int(pair[-1])
    encoded = {term: _encode(hits) for term, hits in postings.items()}
    shards = _shard(encoded)
    files = {f"t/{prefix}.json": json.dumps({t: encoded[t] for t in terms}, sort_keys=True,
                                            separators=(",", ":"))
             for prefix, terms in shards.items()}
    for start in range(0, len(docs), DOCS_PER_SHARD):
        chunk = docs[start:start + DOCS_PER_SHARD]
        files[f"d/{start // DOCS_PER_SHARD}.json"] = json.dumps(
            [[d.url, d.title, d.kind, d.summary] for d in chunk], ensure_ascii=False,
            separators=(",", ":"))
    files["manifest.json"] = json.dumps(
        {"format": FORMAT, "documents": len(docs), "per_shard": DOCS_PER_SHARD,
         "shards": sorted(shards)}, separators=(",", ":"))
    return files


def _encode(hits: dict[int, int]) -> str:
    """Document numbers ascending, each as varint((gap << 3) | where-flags), base64."""
    out = bytearray()
    previous = 0
    for number in sorted(hits):
        value = ((number - previous) << 3) | hits[number]
        previous = number
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return base64.b64encode(bytes(out)).decode("ascii")


def _shard(encoded: dict[str, str]) -> dict[str, list[str]]:
    """Group terms by prefix, lengthening the prefix of any group that is too big."""
    result: dict[str, list[str]] = {}
    pending = [(1, sorted(encoded))]
    while pending:
        length, terms = pending.pop()
        groups: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            groups[term[:length]].append(term)
        for prefix, members in groups.items():
            size = sum(len(encoded[t]) + len(t) for t in members)
            longer = [t for t in members if len(t) > length]
            if size > SHARD_LIMIT and longer:
                short = [t for t in members if len(t) <= length]
                if short:  # the prefix itself is a word: it keeps a shard of its own
                    result[prefix + "$"] = short
                pending.append((length + 1, longer))
            else:
                result[prefix] = members
    return result
