"""Reading editors' files safely: strict UTF-8, NFC text, front matter and YAML with line numbers.

Everything that turns bytes from the repository into Python values goes through here, so that
every later check can point at the exact line an editor has to fix.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, Problems

Position = tuple[Any, ...]  # path inside a YAML document: ("steps", 2, "title")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster parsing


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
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
    meta = load_yaml(yaml_text, rel, problems)  # yaml_text keeps the first newline: lines match
    if meta is None:
        return None
    if meta.value is None:
        meta.value = {}
    if not isinstance(meta.value, dict):
        problems.add("yaml_not_mapping", rel, 2)
        return None
    return FrontMatterDoc(meta, body, body_line)


def load_yaml(text: str, rel: str, problems: Problems, line_offset: int = 0) -> YamlDoc | None:
    """Parse YAML keeping line numbers; report syntax errors and duplicate keys."""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.add("yaml_tab", rel, number + line_offset)
            return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        lines: dict[Position, int] = {}
        ok = _record_lines(loader, node, (), lines, rel, problems, line_offset)
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        detail = (error.problem or error.context or "").strip()
        problems.add("yaml_syntax", rel, line, detail=detail)
        return None
    finally:
        loader.dispose()
    return YamlDoc(value, lines) if ok else None


def _record_lines(
    loader: _Loader,
    node: yaml.Node,
    position: Position,
    lines: dict[Position, int],
    rel: str,
    problems: Problems,
    offset: int,
) -> bool:
    lines.setdefault(position, node.start_mark.line + 1 + offset)
    ok = True
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = key if isinstance(key, str | int) else str(key)
            if key in seen:
                problems.add("yaml_duplicate_key", rel, key_node.start_mark.line + 1 + offset,
                             str(key))
                ok = False
            seen.add(key)
            lines[(*position, key)] = key_node.start_mark.line + 1 + offset
            ok &= _record_lines(loader, value_node, (*position, key), lines, rel, problems, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            ok &= _record_lines(loader, child, (*position, index), lines, rel, problems, offset)
    return ok


def load_yaml_file(path: Path, rel: str, problems: Problems) -> YamlDoc | None:
    text = decode_text(path.read_bytes(), rel, problems)
    return None if text is None else load_yaml(text, rel, problems)


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
    text = decode_text(raw, rel, problems)
    if text is not None and not text.strip():  # e.g. a language the web editor left blank
        problems.add("empty_file", rel, warning=True)
        return ParsedFile(None, problems.items)
    doc = split_front_matter(text, rel, problems) if text is not None else None
    return ParsedFile(doc, problems.items)


def parse_key(raw: bytes, rel: str) -> str:
    return hashlib.sha256(f"{PARSER_DIGEST}\0{rel}\0".encode() + raw).hexdigest()
