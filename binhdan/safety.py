"""Raw HTML in editors' Markdown, made safe for a government page.

Editors paste from Word, Zalo and web pages, and Markdown lets raw HTML through: a `<script>`,
an `onclick`, a `javascript:` link or a pasted embed could deface the page or attack readers.
Every piece of HTML converted from Markdown is cleaned by nh3 (the Ammonia allowlist
sanitizer) with the allowlist below; `binhdan check` scans the Markdown with the same
allowlist so the editor learns, with the line, what was removed and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

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
    """An iframe keeps its src only when it points to an allowed host over https."""
    if tag == "iframe" and attribute == "src" and not embed_allowed(value):
        return None
    return value


def embed_allowed(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and parts.hostname in EMBED_HOSTS


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
    code: str  # unsafe_tag | unsafe_iframe | unsafe_attribute | unsafe_url | pasted_image |
    # raw_image | raw_link
    params: tuple[tuple[str, str], ...]

    @property
    def blocks(self) -> bool:
        """Removed dangers are warnings; a picture or a link to a content file written as raw
        HTML is an error: it would be published broken (the file is not published with it)."""
        return self.code in ("raw_image", "raw_link")


_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_MARKDOWN_URL = re.compile(r"\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.-]*):([^)\s>]*)")
_ATTR_LIST = re.compile(r"\{[^}\n]*?\b(on[a-z]+|style)\s*=")


def _blank(match: re.Match[str]) -> str:
    """Code samples are text, not HTML: blank them out, keeping the line numbers."""
    return re.sub(r"[^\n]", " ", match.group(0))


def unsafe_html(markdown: str) -> list[Unsafe]:
    """What `clean` would remove from this Markdown's HTML, with line numbers."""
    if not any(marker in markdown for marker in ("<", ":", "{")):
        return []
    text = _AUTOLINK.sub(_blank, _CODE.sub(_blank, markdown))
    found: list[Unsafe] = []
    for match in _MARKDOWN_URL.finditer(text):
        scheme = match.group(1).lower()
        if scheme not in URL_SCHEMES:
            line = text.count("\n", 0, match.start()) + 1
            found.append(_url_problem(line, scheme, f"{match.group(1)}:{match.group(2)}"))
    for match in _ATTR_LIST.finditer(text):
        found.append(Unsafe(text.count("\n", 0, match.start()) + 1, "unsafe_attribute",
                            (("attribute", match.group(1)), ("tag", "{: }"))))
    if "<" in text:
        scanner = _Scanner()
        scanner.feed(text)
        scanner.close()
        found.extend(scanner.found)
    return sorted(found, key=lambda unsafe: unsafe.line)


def _url_problem(line: int, scheme: str, value: str) -> Unsafe:
    if scheme == "data" and value.lower().startswith("data:image"):
        return Unsafe(line, "pasted_image", ())
    shown = value if len(value) <= 40 else value[:37] + "…"
    return Unsafe(line, "unsafe_url", (("value", shown), ("scheme", scheme)))


class _Scanner(HTMLParser):
    """Walks raw HTML inside Markdown and notes what the allowlist does not allow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "img":
            source = dict(attrs).get("src") or ""
            self.found.append(Unsafe(line, "raw_image", (("value", source[:60]),)))
            return
        href = dict(attrs).get("href") or "" if tag == "a" else ""
        if href and not urlsplit(href).scheme and not href.startswith(("#", "/")):
            # not resolved like a Markdown link: broken on the page, its file unpublished
            self.found.append(Unsafe(line, "raw_link", (("value", href[:60]),)))
        if tag not in TAGS:
            self.found.append(Unsafe(line, "unsafe_tag", (("tag", tag),)))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found.append(Unsafe(line, "unsafe_attribute",
                                         (("attribute", name), ("tag", f"<{tag}>"))))
                continue
            if name not in _URL_ATTRIBUTES or not value:
                continue
            if tag == "iframe" and not embed_allowed(value):
                host = urlsplit(value.strip()).hostname or value
                self.found.append(Unsafe(line, "unsafe_iframe",
                                         (("host", host), ("allowed", ", ".join(EMBED_HOSTS)))))
                continue
            scheme = urlsplit(value.strip()).scheme.lower()
            if scheme and scheme not in URL_SCHEMES:
                self.found.append(_url_problem(line, scheme, value.strip()))

    handle_startendtag = handle_starttag

