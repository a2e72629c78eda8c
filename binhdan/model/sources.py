"""Reading editors' files safely: strict UTF-8, NFC text, front matter and YAML with line numbers.

Everything that turns bytes from the repository into Python values goes through here, so that
every later check can point at the exact line an editor has to fix.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..common.problems import YAML_LOADER, Problem, Problems

Position = tuple[Any, ...]  # path inside a YAML document: ("steps", 2, "title")


class _Loader(YAML_LOADER):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2's plain scalars (see below): dates stay text so that our own
    parser can explain an impossible date ("31/02") instead of YAML failing."""


# YAML 1.1 surprises editors: "3:45" is read as the number 225, "no" as false, 2026-02-31 as
# a crash. Keep YAML 1.2's plain rules: true/false, decimal numbers, everything else is text.
_SURPRISING = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
               "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _SURPRISING]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|"
                              r"False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(
    r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))


@dataclass
class YamlDoc:
    """A parsed YAML document plus the line of every key and list entry (1-based)."""

    value: Any
    lines: dict[Position, int]

    def line(self, *position: Any) -> int | None:
        """The line of the deepest known position on the way to `position`."""
        for end in range(len(position), -1, -1):
            if position[:end] in self.lines:
                return self.lines[position[:end]]
        return None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def decode_text(raw: bytes, rel: str, problems: Problems) -> str | None:
    """Decode a file as UTF-8 (BOM accepted), normalised to NFC. None if it is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.add("bom_removed", rel, 1, warning=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.add("not_utf8", rel, guess=_guess_encoding(raw))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fixed = nfc(text)
    if fixed != text:
        line = _first_difference_line(text, fixed)
        problems.add("nfc_fixed", rel, line, warning=True)
    return fixed


def _guess_encoding(raw: bytes) -> str | tuple[str, str]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[1:200:2].count(0) > 20:
        return "UTF-16 (Word 'Unicode')"
    return "Windows-1258, TCVN3 hoặc VNI", "Windows-1258, TCVN3 or VNI"


def _first_difference_line(a: str, b: str) -> int:
    for number, (left, right) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False), 1):
        if left != right:
            return number
    return 1


@dataclass(frozen=True)
class _Control:
    """An invisible character that has no place in an editor's text, and what becomes of it:
    replaced in a field (a single line) or in a Markdown body, or refused."""

    name: tuple[str, str]  # (vi, en)
    in_field: str
    in_body: str
    refused: bool = False


_WORD_LINE_BREAK = _Control(("dấu xuống dòng của Word (Shift+Enter)",
                             "Word line break (Shift+Enter)"), " ", "  \n")
_WORD_PAGE_BREAK = _Control(("dấu ngắt trang của Word", "Word page break"), " ", "\n\n")
_BIDI = _Control(("ký tự đảo chiều chữ (có thể dùng để giả mạo chữ hiển thị)",
                  "text-direction override (it can disguise the text shown)"), "", "", True)
_CONTROLS = {
    "\v": _WORD_LINE_BREAK, "\u2028": _WORD_LINE_BREAK,
    "\f": _WORD_PAGE_BREAK, "\u2029": _WORD_PAGE_BREAK,
    "\0": _Control(("ký tự rỗng (NUL, dấu hiệu tệp hỏng)", "NUL character (a sign of a "
                                                             "damaged file)"), "", "", True),
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", _BIDI),
}
# What became of a character, for the message: (vi, en) by replacement
_DONE = {"": ("đã xóa", "removed"), " ": ("đã thay bằng dấu cách", "replaced with a space"),
         "  \n": ("đã thay bằng một lần xuống dòng", "replaced with a line break"),
         "\n\n": ("đã thay bằng một đoạn mới", "replaced with a new paragraph")}
_INVISIBLE = _Control(("ký tự điều khiển", "control character"), "", "")
# C0 and C1 controls but tab and newline, DEL, line/paragraph separators, bidi overrides and
# isolates ("Trojan source"), and the noncharacters XML cannot hold. Lone surrogates never
# get this far: strict UTF-8 decoding refuses them (not_utf8).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")


def scrub(text: str, rel: str, problems: Problems, first_line: int = 1,
          body: bool = False) -> str:
    """`text` without invisible control characters: Word's line and page breaks become a
    space in a field (`body=False`) or a line / paragraph break in a Markdown body; other
    controls are removed with a warning; text-direction overrides and NUL are removed and
    refused (an error). One problem per character and text, at its first line; the lines
    of a field stay where they were."""
    if not _CONTROL.search(text):
        return text
    found: dict[str, list[int]] = {}  # character -> [first line, count]
    line, scanned = first_line, 0

    def replace(match: re.Match[str]) -> str:
        nonlocal line, scanned
        line += text.count("\n", scanned, match.start())
        scanned = match.start()
        char = match.group()
        found.setdefault(char, [line, 0])[1] += 1
        control = _CONTROLS.get(char, _INVISIBLE)
        return control.in_body if body else control.in_field

    cleaned = _CONTROL.sub(replace, text)
    for char, (first, count) in found.items():
        control = _CONTROLS.get(char, _INVISIBLE)
        done = _DONE[control.in_body if body else control.in_field]
        problems.add("control_refused" if control.refused else "control_removed", rel, first,
                     warning=not control.refused, name=control.name,
                     unicode=f"U+{ord(char):04X}", count=count, done=done)
    return cleaned


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass
class FrontMatterDoc:
    meta: YamlDoc | None
    body: str
    body_line: int  # line number where the body starts


def split_front_matter(text: str, rel: str, problems: Problems) -> FrontMatterDoc | None:
    """Split '---' YAML front matter from the Markdown body, with line numbers kept."""
    if not text.startswith("---"):
        problems.add("no_front_matter", rel, 1)
        return None
    first = _FENCE.match(text)
    if not first:
        problems.add("no_front_matter", rel, 1)
        return None
    closing = _FENCE.search(text, first.end())
    if not closing:
        problems.add("front_matter_not_closed", rel, 1)
        return None
    yaml_text = text[first.end():closing.start()]
    body = text[closing.end():].lstrip("\n")
    body_line = text.count("\n", 0, closing.end()) + 1 + (len(text[closing.end():]) - len(body))
    body = scrub(body, rel, problems, body_line, body=True)
    # yaml_text keeps the first newline: lines match
    meta = load_yaml(yaml_text, rel, problems, FRONT_MATTER_MAX_NODES)
    if meta is None:
        return None
    if meta.value is None:
        meta.value = {}
    if not isinstance(meta.value, dict):
        problems.add("yaml_not_mapping", rel, 2)
        return None
    return FrontMatterDoc(meta, body, body_line)


MAX_DEPTH = 12  # levels of nesting: front matter needs 3 (steps, a step, its fields)
# Keys and values in one document: a guide of 30 steps has about 300; a province's villages
# about 20,000. Bounds the problems one file can cause (each field may have several).
FRONT_MATTER_MAX_NODES = 2_000
DATA_MAX_NODES = 200_000


def load_yaml(text: str, rel: str, problems: Problems,
              max_nodes: int = DATA_MAX_NODES) -> YamlDoc | None:
    """Parse YAML keeping line numbers; report syntax errors and duplicate keys. Invisible
    control characters are scrubbed first (the parser refuses most of them) and again from
    the values (a double-quoted "\v" is one too); references (aliases) and deep nesting are
    refused, so that reading any file takes time and memory in proportion to its size."""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.add("yaml_tab", rel, number)
            return None
    text = scrub(text, rel, problems)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        if not _bounded(node, rel, problems, max_nodes):
            return None
        lines: dict[Position, int] = {}
        ok = _record_lines(loader, node, (), lines, rel, problems)
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        _explain(error, text, rel, problems)
        return None
    except yaml.YAMLError as error:  # not tied to a place in the text
        problems.add("yaml_syntax", rel, detail=str(error).strip())
        return None
    finally:
        loader.dispose()
    if not ok:
        return None
    doc = YamlDoc(value, lines)
    if "\\" in text:  # only a double-quoted escape can still hold a control character
        doc.value = _scrub_values(doc.value, (), doc, rel, problems)
    return doc


def _bounded(root: yaml.Node, rel: str, problems: Problems, max_nodes: int) -> bool:
    """No node reached twice (an alias: '*name' repeating '&name', with which a few lines
    expand to billions of values), no nesting deeper than MAX_DEPTH, at most `max_nodes`."""
    seen: set[int] = set()
    queue = deque([(root, 1)])  # in file order, so that a message names the first excess
    while queue:
        node, depth = queue.popleft()
        line = node.start_mark.line + 1
        if id(node) in seen:
            problems.add("yaml_alias", rel, line)
            return False
        if depth > MAX_DEPTH:
            problems.add("yaml_too_deep", rel, line, limit=MAX_DEPTH)
            return False
        if len(seen) == max_nodes:
            problems.add("yaml_too_many", rel, line, limit=max_nodes)
            return False
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            queue.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            queue.extend((child, depth + 1) for child in node.value)
    return True


def _scrub_values(value: Any, position: Position, doc: YamlDoc, rel: str,
                  problems: Problems) -> Any:
    if isinstance(value, str):
        return scrub(value, rel, problems, doc.line(*position) or 1)
    if isinstance(value, dict):
        return {key: _scrub_values(inner, (*position, key), doc, rel, problems)
                for key, inner in value.items()}
    if isinstance(value, list):
        return [_scrub_values(inner, (*position, index), doc, rel, problems)
                for index, inner in enumerate(value)]
    return value


# The parser's words for the mistakes editors make -> the message that says what to do.
# Matched against "context problem"; the first match wins.
_YAML_MISTAKES = (
    ("while scanning a quoted scalar", "yaml_quote"),
    ("while parsing a quoted scalar", "yaml_backslash"),
    ("expected ',' or ']'", "yaml_bracket"),
    ("expected ',' or '}'", "yaml_bracket"),
    ("mapping values are not allowed", "yaml_colon"),
    ("found undefined alias", "yaml_reserved_start"),
    ("while scanning an alias", "yaml_reserved_start"),
    ("while scanning an anchor", "yaml_reserved_start"),
    ("cannot start any token", "yaml_reserved_start"),
    ("mapping keys are not allowed", "yaml_reserved_start"),
    ("could not determine a constructor", "yaml_reserved_start"),
    ("found duplicate anchor", "yaml_alias"),
    ("while scanning a block scalar", "yaml_block"),
    ("maximum nesting depth", "yaml_too_deep"),
    ("expected key", "yaml_indent"),
    ("expected '-' indicator", "yaml_indent"),
    ("expected <block end>", "yaml_indent"),
)
# Where the mistake is: where an unclosed quote or bracket opened, else where reading stopped
_AT_OPENING = ("yaml_quote", "yaml_bracket")
_FIELD_LINE = re.compile(r"^(\s*(?:- )?[\w-]+):[ ]+(.*?)\s*$")


def _explain(error: yaml.MarkedYAMLError, text: str, rel: str, problems: Problems) -> None:
    """A YAML error in plain words first (what to do on which line), the parser's after."""
    said = f"{error.context or ''} {error.problem or ''}"
    code = next((code for words, code in _YAML_MISTAKES if words in said), "yaml_syntax")
    mark = error.context_mark if code in _AT_OPENING and error.context_mark \
        else error.problem_mark or error.context_mark
    detail = (error.problem or error.context or "").strip()
    lines = text.split("\n")
    opened = _unclosed_quote(lines[:mark.line + 1] if mark else lines)
    if opened is not None:  # the parser read on into later lines and stopped far from it
        code, mark = "yaml_quote", opened
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    char = source_line[mark.column:mark.column + 1] if mark else ""
    field = _FIELD_LINE.match(source_line)
    if code == "yaml_colon" and field and ": " in field.group(2):
        code = "yaml_colon_in_value"
    suggestion = ""
    if field and not field.group(2).startswith(('"', "'")):
        escaped = field.group(2).replace("\\", "\\\\").replace('"', '\\"')
        suggestion = f'{field.group(1).strip()}: "{escaped}"'
    problems.add(code, rel, mark.line + 1 if mark else None, detail=detail, char=char,
                 suggestion=suggestion or 'title: "…"', limit=MAX_DEPTH,
                 closing={"[": "]", "{": "}"}.get(char, char))


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')


def _unclosed_quote(lines: list[str]) -> yaml.Mark | None:
    """Where a value opens a quote it does not close on its line (YAML allows it; editors
    never mean it), if any: a parser error after it is a consequence of it."""
    for number, line in enumerate(lines):
        field = _FIELD_LINE.match(line)
        if field and field.group(2)[:1] in ('"', "'") and not _QUOTED.match(field.group(2)):
            return yaml.Mark(None, 0, number, field.start(2), None, None)
    return None


def _record_lines(
    loader: _Loader,
    node: yaml.Node,
    position: Position,
    lines: dict[Position, int],
    rel: str,
    problems: Problems,
) -> bool:
    lines.setdefault(position, node.start_mark.line + 1)
    ok = True
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = key if isinstance(key, str | int) else str(key)
            if key in seen:
                problems.add("yaml_duplicate_key", rel, key_node.start_mark.line + 1, str(key))
                ok = False
            seen.add(key)
            lines[(*position, key)] = key_node.start_mark.line + 1
            ok &= _record_lines(loader, value_node, (*position, key), lines, rel, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            ok &= _record_lines(loader, child, (*position, index), lines, rel, problems)
    return ok


MB = 1024 * 1024
DATA_MAX_BYTES = 2 * MB  # a province's villages take about 100 KB
MARKDOWN_MAX_BYTES = 1 * MB  # an item of 300 printed pages; longer belongs in a PDF
# Python-Markdown matches brackets one paragraph at a time in quadratic time: a paragraph of
# 5,000 links took minutes (3.11.4), 16,000 '[' take a minute in every version. A real
# paragraph has a handful; over this many, the build would hang instead of publishing.
BRACKETS_PER_PARAGRAPH = 200
_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d{1,9}[.)]\s|\||>|#)")
_CODE_FENCE = re.compile(r"\s*(?:`{3,}|~{3,})")


# (path, rel) -> the file's inode, size and time of last write, and its reading pickled:
# `make serve` parses data/'s YAML again only when a file changed (the help points alone
# were 50 ms of every saved edit at 1,000 items x 2). Unpickling gives each build objects
# of its own, as parsing did.
_read_yaml: dict[tuple[str, str], tuple[tuple[int, int, int], bytes]] = {}


def load_yaml_file(path: Path, rel: str, problems: Problems) -> YamlDoc | None:
    stat = path.stat()
    if stat.st_size > DATA_MAX_BYTES:
        problems.add("data_file_too_large", rel, size=f"{stat.st_size / MB:.1f}",
                     limit=DATA_MAX_BYTES // MB)
        return None
    seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    kept = _read_yaml.get((str(path), rel))
    if kept is not None and kept[0] == seen:
        doc, told = pickle.loads(kept[1])
    else:  # read after the stat: a write in between is seen by the next build's stat
        found = Problems()
        text = decode_text(path.read_bytes(), rel, found)
        doc, told = None if text is None else load_yaml(text, rel, found), found.items
        _read_yaml[(str(path), rel)] = (seen, pickle.dumps((doc, told)))
    problems.items.extend(told)
    return doc


# Parsed files are cached by content; the parser's own source is part of the key so that a
# change to this module never serves an old parse.
PARSER_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass
class ParsedFile:
    """One Markdown file before validation: its front matter and what reading it found."""

    doc: FrontMatterDoc | None
    problems: list[Problem]


def parse_markdown_file(raw: bytes, rel: str) -> ParsedFile:
    problems = Problems()
    if len(raw) > MARKDOWN_MAX_BYTES:  # never handed to the parsers or the converter
        problems.add("text_file_too_large", rel, size=f"{len(raw) / MB:.1f}",
                     limit=MARKDOWN_MAX_BYTES // MB)
        return ParsedFile(None, problems.items)
    text = decode_text(raw, rel, problems)
    if text is not None and not text.strip():  # e.g. a language the web editor left blank
        problems.add("empty_file", rel, warning=True)
        return ParsedFile(None, problems.items)
    doc = split_front_matter(text, rel, problems) if text is not None else None
    if doc is not None:
        _check_paragraphs(doc, rel, problems)
    return ParsedFile(doc, problems.items)


def _check_paragraphs(doc: FrontMatterDoc, rel: str, problems: Problems) -> None:
    """Refuse a paragraph with so many brackets that converting it would take minutes.
    A paragraph ends at a blank line; list items, table rows, quotes and headings are
    converted one by one, so each starts its own; code blocks are never parsed for links."""
    count, start, in_code = 0, doc.body_line, False
    for number, line in enumerate(doc.body.split("\n"), doc.body_line):
        if _CODE_FENCE.match(line):
            in_code, count = not in_code, 0
        elif in_code:
            continue
        elif not line.strip():
            count, start = 0, number + 1
        else:
            if _BLOCK_START.match(line):
                count, start = 0, number
            count += line.count("[")
            if count > BRACKETS_PER_PARAGRAPH:
                problems.add("paragraph_too_many_links", rel, start,
                             limit=BRACKETS_PER_PARAGRAPH)
                return


def parse_key(raw: bytes, rel: str) -> str:
    return hashlib.sha256(f"{PARSER_DIGEST}\0{rel}\0".encode() + raw).hexdigest()
