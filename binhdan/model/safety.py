"""Raw HTML in editors' Markdown, made safe for a government page.

Editors paste from Word, Zalo and web pages, and Markdown lets raw HTML through: a `<script>`,
an `onclick`, a `javascript:` link or a pasted embed could deface the page or attack readers.
Every piece of HTML converted from Markdown is cleaned by nh3 (the Ammonia allowlist
sanitizer) with the allowlist below; `binhdan check` scans the Markdown with the same
allowlist so the editor learns, with the line, what was removed and why.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit, urlunsplit

import nh3

# Videos may be embedded from these hosts only (https); the deployment's CSP frame-src
# lists the same hosts.
EMBED_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com")

# What Python-Markdown and our extensions produce, plus harmless inline HTML editors use.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
_GENERIC = {"id", "class", "lang", "dir", "title"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC,
    "a": {"href", "hreflang"},
    "abbr": set(),
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading",
               "referrerpolicy"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_ATTRIBUTES = ("href", "src", "cite")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """An iframe keeps its src only when it points to an allowed host over https, rewritten
    the way `embed_source` reads it."""
    if tag == "iframe" and attribute == "src":
        return embed_source(value).source
    return value


class Embed(NamedTuple):
    """An embedded frame's address as published (None: refused, `code` and `params` say why)."""

    source: str | None
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()


def embed_source(src: str) -> Embed:
    """The address an embedded frame is published with, built again from its parsed parts so
    that what the browser loads is exactly what was checked: `//host` and `http:` become
    https (the page itself is https), the host is lowercased without a trailing dot, and
    what a browser would read differently from Python (a backslash, a user name before '@',
    another port) is refused."""
    value = src.strip()
    problem = _address_problem(0, value)
    if problem:
        return Embed(None, problem.code, problem.params)
    parts = urlsplit(value)  # readable: checked above
    host = (parts.hostname or "").rstrip(".")
    if (not host or parts.scheme.lower() not in ("", "http", "https") or "\\" in value
            or parts.username is not None or not _default_port(parts)):
        return Embed(None, "odd_address", (("value", _shown(value)),))
    if host not in EMBED_HOSTS:
        return Embed(None, "unsafe_iframe", (("host", host), ("allowed", ", ".join(EMBED_HOSTS))))
    return Embed(urlunsplit(("https", host, parts.path, parts.query, parts.fragment)))


def _default_port(parts: SplitResult) -> bool:
    try:
        return parts.port in (None, 443)
    except ValueError:  # not a number
        return False


def _shown(value: str, limit: int = 60) -> str:
    """A value as a message quotes it: whole, or visibly shortened."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


# What is left of an embed or a pasted image once its unsafe address is gone.
_EMPTY_EMBED = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>|<img(?![^>]*\ssrc=)[^>]*>")


def clean(html: str) -> str:
    """The HTML with everything outside the allowlist removed (script and style contents too)."""
    if "<" not in html:
        return html
    cleaned = nh3.clean(html, tags=set(TAGS), attributes=ATTRIBUTES,
                        url_schemes=set(URL_SCHEMES), attribute_filter=_keep_attribute,
                        link_rel=None, strip_comments=True)
    return _EMPTY_EMBED.sub("", cleaned)


@dataclass(frozen=True)
class Unsafe:
    """One thing the sanitizer will remove, for the editor: its problem code and details."""

    line: int  # 1-based, within the scanned text
    code: str  # a problem code (problems.MESSAGES) saying what is removed and why
    params: tuple[tuple[str, str], ...]

    @property
    def blocks(self) -> bool:
        """Removed dangers are warnings; a picture or a link to a content file written as raw
        HTML is an error: it would be published broken (the file is not published with it)."""
        return self.code in ("raw_image", "raw_link")


# Tags that run code, load other documents, draw outside the text or collect what readers
# type. Any other tag outside the allowlist is only markup: the tag goes, its text stays.
ACTIVE_TAGS = frozenset({
    "applet", "base", "button", "embed", "form", "frame", "frameset", "input", "link", "math",
    "meta", "noscript", "object", "script", "select", "style", "svg", "template", "textarea",
})

# A Markdown link or image target as Python-Markdown reads it: in <angle brackets> (then it
# may hold spaces), or bare with balanced parentheses (a Wikipedia address, "ke-hoach(1).pdf").
LINK_TARGET = r"(?:[^\s()]|\((?:[^\s()]|\([^\s()]*\))*\))+"
# Inline links and images `](target "title")` and reference definitions `[id]: target
# "title"`, a title in any quotes or parentheses. Groups: the target (angle, bare) before its
# title, so the first group that matched is the target.
MARKDOWN_LINK = re.compile(
    rf"\]\(\s*(?:<([^>\n]+)>|({LINK_TARGET}))"
    r"(?:\s+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
    r"|^[ \t]*\[[^\]]+\]:[ \t]*(?:<([^>\n]+)>|(\S+))"
    r"(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?", re.MULTILINE)
_TEXT_GROUPS = (1, 3, 4, 6)  # <targets> and titles: text, never HTML
# An image's description: text in the page (its alt attribute), never HTML.
_IMAGE_ALT = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?=[(\[])")

# Fenced blocks, and code spans of any number of backticks within one paragraph.
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)",
                   re.MULTILINE | re.DOTALL)
# Python-Markdown's autolinks (<https://...>, <name@example.com>): any other <x:y> is a tag.
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>]*|[^<> !]+@[^@<> ]+)>", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{[^}\n]*?(?<![\w-])(on[a-z]+|style)\s*=")


def _blank(match: re.Match[str]) -> str:
    """Code samples are text, not HTML: blank them out, keeping the line numbers."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked out like code (text, not HTML), lines kept."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = (" " if char != "\n" else char for char in text[start:end])
    return "".join(chars)


def unsafe_html(markdown: str) -> list[Unsafe]:
    """What `clean` would remove from this Markdown's HTML, with line numbers."""
    if not any(marker in markdown for marker in ("<", ":", "{", "&")):  # "&colon;" is ":"
        return []
    text = _AUTOLINK.sub(_blank, _CODE.sub(_blank, markdown))
    newlines = [match.start() for match in re.finditer("\n", text)]  # blanking keeps them

    def line_of(match: re.Match[str]) -> int:
        return bisect_left(newlines, match.start()) + 1

    found: list[Unsafe] = []
    text_only: list[tuple[int, int]] = []  # alt texts, titles, <targets>: never HTML
    for match in MARKDOWN_LINK.finditer(text):
        line = line_of(match)
        target = unescape(next(group for group in match.groups() if group)).strip()
        problem = _address_problem(line, target)  # as a browser reads it: &#106; is j
        if problem:
            found.append(problem)
        text_only += [match.span(group) for group in _TEXT_GROUPS if match.group(group)]
    text_only += [match.span(1) for match in _IMAGE_ALT.finditer(text)]
    text = _blank_spans(text, text_only)
    for match in _ATTR_LIST.finditer(text):
        found.append(_attribute_problem(line_of(match), match.group(1), None))
    if "<" in text:
        scanner = _Scanner()
        scanner.feed(text)
        scanner.close()
        found.extend(scanner.found)
    return sorted(found, key=lambda unsafe: unsafe.line)


def _scheme(value: str) -> str | None:
    """An address's scheme, lowercased ('' for a path), or None when it cannot be read
    ("http://[oops")."""
    try:
        return urlsplit(value).scheme.lower()
    except ValueError:
        return None


def _address_problem(line: int, value: str) -> Unsafe | None:
    """Why the sanitizer drops this address (an unsafe scheme, unreadable), or None."""
    scheme = _scheme(value)
    if scheme is None:
        return Unsafe(line, "odd_address", (("value", _shown(value)),))
    if not scheme or scheme in URL_SCHEMES:
        return None
    if scheme == "data" and value.lower().startswith("data:image"):
        return Unsafe(line, "pasted_image", ())
    return Unsafe(line, "unsafe_url", (("value", _shown(value, 40)), ("scheme", scheme)))


def _attribute_problem(line: int, name: str, tag: str | None) -> Unsafe:
    """What a removed attribute really is: code run on an event, a style of its own, or an
    attribute that means nothing here (`tag` None: in an attribute list `{: ...}`)."""
    where = f"<{tag}>" if tag else "{: }"
    if name.startswith("on"):
        return Unsafe(line, "unsafe_attribute", (("attribute", name), ("tag", where)))
    if name == "style":
        return Unsafe(line, "unsafe_style", (("tag", where),))
    allowed = sorted(ATTRIBUTES["*"] | ATTRIBUTES.get(tag or "", set()))
    return Unsafe(line, "unknown_attribute",
                  (("attribute", name), ("tag", where), ("allowed", ", ".join(allowed))))


class _Scanner(HTMLParser):
    """Walks raw HTML inside Markdown and notes what the allowlist does not allow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "img":
            source = dict(attrs).get("src") or ""
            self.found.append(Unsafe(line, "raw_image", (("value", _shown(source)),)))
            return
        href = dict(attrs).get("href") or "" if tag == "a" else ""
        if href and _scheme(href.strip()) == "" and not href.startswith(("#", "/")):
            # not resolved like a Markdown link: broken on the page, its file unpublished
            self.found.append(Unsafe(line, "raw_link", (("value", _shown(href)),)))
        if "." in tag or tag.partition(":")[0] in URL_SCHEMES:  # <tel:0912...>, <www.x.vn>
            self.found.append(Unsafe(line, "angle_address", (("value", _shown(tag)),)))
            return
        if tag not in TAGS:
            code = "unsafe_tag" if tag in ACTIVE_TAGS else "unknown_tag"
            self.found.append(Unsafe(line, code, (("tag", tag),)))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name == "markdown":
                continue  # md_in_html's own (read the inside as Markdown); without it, harmless
            if name not in allowed:
                self.found.append(_attribute_problem(line, name, tag))
            elif tag == "iframe" and name == "src" and value:
                embed = embed_source(value)
                if embed.source is None:
                    self.found.append(Unsafe(line, embed.code, embed.params))
            elif name in _URL_ATTRIBUTES and value:
                problem = _address_problem(line, value.strip())
                if problem:
                    self.found.append(problem)

    handle_startendtag = handle_starttag
