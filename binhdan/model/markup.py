"""Links between content files, as editors write them: `[text](../guides/cai-dat-vneid.vi.md)`.

Editors link to the Markdown file; visitors need the page's URL. MkDocs resolves such links in
page bodies itself; this module does the same for Markdown held in front matter (a guide
step's text) and checks every link before the build, so `binhdan check` reports a broken
link with its file and line instead of the build discovering it late.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from html import unescape
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from .safety import LINK_TARGET, MARKDOWN_LINK, clean

_LINK = MARKDOWN_LINK  # the first group that matched is the target
# Editor backups and swap files (x.md~, .x.md.swp, #x.md#): never published, like dotfiles.
_BACKUP = re.compile(r"(~|\.sw[a-p]|\.bak)$|^#.*#$")


def file_links(markdown: str) -> tuple[tuple[int, str, bool], ...]:
    """(line, target as written, whether to a Markdown file) of every relative link to a
    file: a page, an image, a PDF."""
    found = []
    for line, target in _targets(markdown):
        try:
            parts = urlsplit(unescape(target))
        except ValueError:  # "http://[oops" is no file; the HTML check reports the address
            continue
        if parts.scheme or parts.netloc or not parts.path or target.startswith("#"):
            continue
        found.append((line, target, parts.path.endswith(".md")))
    return tuple(found)


def _targets(markdown: str) -> Iterator[tuple[int, str]]:
    """(line, target as written) of every Markdown link, image and reference definition."""
    for match in _LINK.finditer(markdown):
        target = next(group for group in match.groups() if group)
        yield markdown.count("\n", 0, match.start()) + 1, target


def never_published(path: str) -> bool:
    """Hidden files and folders (.env, .git/, .obsidian/) and editor backups: they are never
    published (and the server refuses them), so a link to one would be a dead link."""
    return any(part.startswith(".") for part in path.split("/")) \
        or bool(_BACKUP.search(posixpath.basename(path)))


# ![](file) and ![][reference], with an optional attribute list ({.decorative})
_IMAGE_NO_ALT = re.compile(
    rf"!\[\s*\](?:\(\s*(?:<([^>\n]+)>|({LINK_TARGET}))[^)]*\)|\[([^\]]*)\])(\{{[^}}]*\}})?")


def images_without_alt(markdown: str) -> Iterator[tuple[int, str]]:
    """(line, target or reference) of Markdown images with an empty description not marked
    decorative."""
    for match in _IMAGE_NO_ALT.finditer(markdown):
        if match.group(4) and "decorative" in match.group(4):
            continue
        yield markdown.count("\n", 0, match.start()) + 1, next(filter(None, match.groups()))


def resolve(target: str, src_uri: str) -> str:
    """The content path a link written in `src_uri` points to ('/...' = from content/)."""
    # "Ke%20hoach.pdf" is the file "Ke hoach.pdf", and so is "Ke&#32;hoach.pdf"
    path = unquote(urlsplit(unescape(target)).path)
    base = "" if path.startswith("/") else posixpath.dirname(src_uri)
    return posixpath.normpath(posixpath.join(base, path.lstrip("/")))


def relative_url(target: str, page_url: str) -> str:
    """Site-relative `target` ("huong-dan/x/") as seen from the page at `page_url`."""
    start = page_url.rstrip("/") or "."
    relative = posixpath.relpath(target.rstrip("/") or ".", start)
    return relative + "/" if target.endswith("/") or target == "" else relative


class _LinkRewriter(Treeprocessor):
    """Turns links to content files into links to their pages, relative to the page."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.src_uri = ""
        self.page_url = ""
        self.targets: Mapping[str, str] = {}

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            value = element.get(attribute) if attribute else None
            if not value:
                continue
            value = value.replace(AMP_SUBSTITUTE, "&")  # entities, as the editor wrote them
            try:
                parts = urlsplit(unescape(value))
            except ValueError:  # "http://[oops": left for the sanitizer, which drops it
                continue
            if parts.scheme or value.startswith(("#", "/")):
                continue
            path = resolve(value, self.src_uri)
            site_path = self.targets.get(path, path)
            url = relative_url(site_path, self.page_url)
            element.set(attribute, url + (f"#{parts.fragment}" if parts.fragment else ""))


class _LinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_LinkRewriter(md), "binhdan_links", 5)


class FrontMatterMarkdown:
    """Renders Markdown (bodies and front-matter texts) with the site's extensions, resolved
    links, and raw HTML cleaned by the allowlist sanitizer."""

    def __init__(self, extensions: list[Any], configs: Mapping[str, Any]) -> None:
        self._md = Markdown(extensions=[*extensions, _LinkExtension()],
                            extension_configs=dict(configs))
        self._rewriter: _LinkRewriter = self._md.treeprocessors["binhdan_links"]

    def render(self, text: str, src_uri: str, page_url: str,
               targets: Mapping[str, str]) -> str:
        self._rewriter.src_uri, self._rewriter.page_url = src_uri, page_url
        self._rewriter.targets = targets
        return clean(self._md.reset().convert(text or ""))
