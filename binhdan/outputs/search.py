"""Static search index built for phones on 3G: a query downloads a few small files.

Why not Pagefind (measured on a 10,000 × 2 site, docs/benchmark.md): each query downloaded
1.1–2.0 MB (a fixed 220 KB of script, WebAssembly and page metadata, then 0.3–0.5 MB index
chunks for common words), and indexing took 44 s and 2.9 GB. Here, per language:

- every word is folded (tones, vowel marks and đ removed: "Đăng ký" -> "dang ky"), so queries
  match with or without diacritics;
- abbreviations and synonyms (data/abbreviations.yml) are added to the words of every page
  that has one of them: a page saying "căn cước công dân" is found by "cccd", one saying
  "CCCD" by "can cuoc cong dan". The manifest maps each phrase to one word of its group, so
  the query "can cuoc cong dan" looks for that phrase (as "cccd"), not four scattered words
  ("cuộc gọi", "công an", "dẫn");
- terms are sharded by their first letters; a shard that grows too large is split by a
  longer prefix, so a query loads only the shards of its words (tens of KB);
- each posting is a document number and a strength from 1 to 7 (three bits): how much the
  word says what the page is about (its title or the service a guide teaches, weighed by
  how much of that name the word is; its summary, step titles and headings; its step texts
  and requirements; its body); varint-encoded;
- documents are numbered step-by-step guides first, then other learning material, then the
  rest, newest first within each; the manifest says how much each range weighs, so that for
  the same match a resident gets the guide before the news about it;
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..common.cache import Store
from ..model import schema

FORMAT = 2
SHARD_LIMIT = 24_000  # bytes of postings before a shard is split by a longer prefix
DOCS_PER_SHARD = 20
BODY, LEAD, OUTLINE, NAME = 1, 2, 3, 4  # strengths by where a word was found
# A word of the title (or of a guide's service) is stronger the more of it the word is:
# in "VNeID" it is all of it (7); in a ten-word title one word of many (5). Halving steps,
# so a short title does not outweigh the kind of page (KIND_WEIGHTS) by much.
NAME_SHARES = ((1 / 2, 7), (1 / 4, 6), (1 / 8, 5))
# How much a match weighs by the kind of page: a resident typing "vneid" wants the guide that
# teaches it before the news or the story that mentions it.
KIND_WEIGHTS = {schema.GUIDE.key: 1.5, schema.INFOGRAPHIC.key: 1.2, schema.VIDEO.key: 1.2,
                schema.MATERIAL.key: 1.2}
# Everything a document's terms depend on besides its text: part of their cache key, so
# changing a rule re-reads every document.
_RULES = json.dumps([FORMAT, BODY, LEAD, OUTLINE, NAME, NAME_SHARES])

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


MAX_WORD = 40  # longer "words" are addresses or pasted codes nobody types into a search box


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(fold(text))
            if (len(t) > 1 or t.isdigit()) and len(t) <= MAX_WORD]


def plain(markdown: str) -> str:
    """Markdown without link targets, images, code and markup characters."""
    return _MARKDOWN_NOISE.sub(" ", markdown)


@dataclass(frozen=True)
class Texts:
    """What a document's words are read from besides its title, name and summary."""

    headings: str  # step titles and headings: the page's outline, as strong as its summary
    lead: str  # step texts and requirements: weigh more than the body
    body: str


@dataclass(frozen=True)
class Document:
    url: str  # site-relative page URL
    title: str
    kind: str  # "Hướng dẫn", shown with the result
    summary: str
    # Its texts, made only when the build cache does not hold its words yet (stripping the
    # Markdown of 20,000 bodies took a second of every rebuild at 10,000 items x 2)
    texts: Callable[[], Texts]
    # A digest of everything its words and texts are made from but the rules here (title,
    # name, summary, the sources of `texts` and the code that makes them): the cache's key
    made_from: str
    content_type: str = ""  # its key ("guide"): see KIND_WEIGHTS
    name: str = ""  # what the page teaches, when it says so (a guide's `service`: "VNeID")


class Synonyms:
    """The words search takes as one, from data/abbreviations.yml. Each group has folded
    phrases ("cccd", "can cuoc cong dan", "the can cuoc") and one word that stands for the
    group: its first one-word phrase ("cccd"), else its first phrase written as one word.
    A text holding a phrase of a group also holds the words of the others and that word."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.groups: list[tuple[list[tuple[str, ...]], str]] = []
        self.starts: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for group in groups:
            phrases = list(dict.fromkeys(filter(None, (tuple(tokens(p)) for p in group))))
            if len(phrases) > 1:
                word = next((p[0] for p in phrases if len(p) == 1), "".join(phrases[0]))
                for phrase in phrases:
                    self.starts[phrase[0]].append((phrase, len(self.groups)))
                self.groups.append((phrases, word))
        self.key = json.dumps(self.groups)  # part of the cache key of every document

    def phrases(self) -> dict[str, str]:
        """Each phrase of several words and the word of its group ("can cuoc cong dan":
        "cccd"): the browser reads a query holding the phrase as that word, so it finds the
        phrase and its synonyms, not the phrase's words scattered over a page."""
        return {" ".join(phrase): word for phrases, word in self.groups
                for phrase in phrases if len(phrase) > 1}

    def words(self, text: str) -> tuple[Counter[str], int]:
        """A text's words with how often each is there, synonyms added (each phrase found
        lends the others as many words as it has), and the text's own number of words."""
        words = tokens(text)
        found = Counter(words)
        for start, first in enumerate(words):
            for phrase, number in self.starts.get(first, ()):
                if tuple(words[start:start + len(phrase)]) == phrase:
                    phrases, word = self.groups[number]
                    lent = {term for other in phrases for term in other} | {word}
                    found.update({term: len(phrase) for term in lent - set(phrase)})
        return found, len(words)


def _terms(doc: Document, synonyms: Synonyms) -> str:
    """A document's words with their strengths, compactly: "vneid7 cai3 dat1"."""
    found: dict[str, int] = {}
    texts = doc.texts()
    for strength, text in ((BODY, texts.body), (LEAD, texts.lead),
                           (OUTLINE, f"{doc.summary}. {texts.headings}")):
        for term in synonyms.words(text)[0]:
            found[term] = strength
    for name in (doc.title, doc.name):
        counts, length = synonyms.words(name)
        for term, count in counts.items():
            share = next((level for least, level in NAME_SHARES if count >= least * length),
                         NAME)
            found[term] = max(found.get(term, 0), share)
    return " ".join(f"{term}{strength}" for term, strength in found.items())


def _document_keys(docs: list[Document], synonyms: Synonyms) -> list[str]:
    """Each document's key in the build cache: what its words are made from, and the rules."""
    rules = f"{_RULES}\x1f{synonyms.key}\x1f"
    return [hashlib.sha256(f"{rules}{doc.made_from}".encode()).hexdigest() for doc in docs]


def _all_terms(docs: list[Document], keys: list[str], synonyms: Synonyms, store: Store
               ) -> list[str]:
    """Every document's terms; tokenising 20,000 documents takes seconds, so they are kept
    in the build cache by what they came from (a rebuild reads only edited ones)."""
    known = store.get(keys)
    fresh = {key: _terms(doc, synonyms)
             for key, doc in zip(keys, docs, strict=True) if key not in known}
    store.put(fresh)
    known.update(fresh)
    return [known[key] for key in keys]


# A run of documents ends after one whose key's first bytes are a multiple of this: about
# 512 documents each, cut where their content says, so that an edit, an added or a removed
# document changes only its own run. Each run's postings are kept in the build cache.
_RUN = 512
# a run's postings: term -> (first hit, number of its last document, the varints of the
# other hits), numbers counted from the run's first document (see _varint)
Run = dict[str, tuple[int, int, bytes]]


def _runs(keys: list[str]) -> list[tuple[int, str]]:
    """(first document, cache key) of each run of documents."""
    runs, start = [], 0
    for end, key in enumerate(keys, 1):
        if int(key[:8], 16) % _RUN == 0 or end == len(keys):
            runs.append((start, hashlib.sha256(
                f"run {FORMAT} {' '.join(keys[start:end])}".encode()).hexdigest()))
            start = end
    return runs


def _run_postings(terms: list[str]) -> Run:
    """The postings of one run of documents, from each one's terms ("vneid7 cai3")."""
    # each hit (number << 3) | strength: a run holds thousands, one append each
    hits: dict[str, list[int]] = defaultdict(list)
    strengths = {str(strength): strength for strength in range(8)}
    for number, line in enumerate(terms):
        here = number << 3
        for pair in line.split():
            hits[pair[:-1]].append(here | strengths[pair[-1]])
    run: Run = {}
    for term, found in hits.items():
        rest = bytearray()
        for hit, before in zip(found[1:], found, strict=False):
            _varint(rest, hit - (before & ~7))
        run[term] = (found[0], found[-1] >> 3, bytes(rest))
    return run


def _postings(docs: list[Document], synonyms: Synonyms, store: Store) -> dict[str, str]:
    """Each term's hits over every document, encoded (see _varint), run by run: a rebuild
    after an edit reads the others' from the build cache and joins them."""
    keys = _document_keys(docs, synonyms)
    runs = _runs(keys)
    if not runs:
        return {}
    known = store.get(key for _, key in runs)
    ends = [start for start, _ in runs[1:]] + [len(docs)]
    missing = [(start, end, key) for (start, key), end in zip(runs, ends, strict=True)
               if not isinstance(known.get(key), dict)]
    if missing:  # their documents' terms, read or made, for the runs not kept
        wanted = [number for start, end, _ in missing for number in range(start, end)]
        made = _all_terms([docs[n] for n in wanted], [keys[n] for n in wanted], synonyms,
                          store)
        terms = dict(zip(wanted, made, strict=True))
        fresh = {key: _run_postings([terms[n] for n in range(start, end)])
                 for start, end, key in missing}
        store.put(fresh)
        known.update(fresh)
    joined: dict[str, bytearray] = {}
    last: dict[str, int] = {}  # each term's last document so far
    for start, key in runs:
        for term, (first, end, rest) in known[key].items():
            number = start + (first >> 3)
            if term in joined:
                encoded = joined[term]
                _varint(encoded, ((number - last[term]) << 3) | (first & 7))
            else:
                encoded = joined[term] = bytearray()
                _varint(encoded, first + (start << 3))
            encoded += rest
            last[term] = start + end
    return {term: base64.b64encode(encoded).decode("ascii")
            for term, encoded in joined.items()}


def build_index(documents: Iterable[Document], synonyms: Sequence[Sequence[str]] = (),
                store: Store | None = None) -> dict[str, str]:
    """All files of one language's index: {relative path: JSON text}. `documents` come
    newest first; `synonyms` are the language's groups of words taken as one."""
    docs = sorted(documents, key=lambda doc: -KIND_WEIGHTS.get(doc.content_type, 1))  # stable
    same = Synonyms(synonyms)
    encoded = _postings(docs, same, store or Store(None))
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
         "weights": _weight_ranges(docs), "phrases": same.phrases(), "shards": sorted(shards)},
        ensure_ascii=False, separators=(",", ":"))
    return files


def _weight_ranges(docs: list[Document]) -> list[list[float]]:
    """[[end, weight], ...]: documents numbered below `end` (and not in an earlier range)
    weigh `weight`; the browser multiplies a document's score by it."""
    ranges: list[list[float]] = []
    for number, doc in enumerate(docs):
        weight = KIND_WEIGHTS.get(doc.content_type, 1)
        if ranges and ranges[-1][1] == weight:
            ranges[-1][0] = number + 1
        else:
            ranges.append([number + 1, weight])
    return ranges


def _varint(out: bytearray, value: int) -> None:
    """Append `value`, 7 bits a byte, low first, the high bit set on all but the last. A
    term's hits are document numbers ascending, each varint((gap << 3) | strength), then
    base64 (overrides/assets/search.js reads them)."""
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


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
            if size > SHARD_LIMIT and longer and len(members) > 1:  # one word: can't split
                short = [t for t in members if len(t) <= length]
                if short:  # the prefix itself is a word: it keeps a shard of its own
                    result[prefix + "$"] = short
                pending.append((length + 1, longer))
            else:
                result[prefix] = members
    return result
