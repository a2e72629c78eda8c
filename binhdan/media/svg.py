"""Uploaded SVG made safe to publish.

An SVG is a document, not a picture: opened on its own (its address, a link to it) it can run
a script in the portal's origin, and even as <img> it can point at other servers. Every SVG a
published page uses is parsed by defusedxml (no entities, no external DTD: no XXE, no
"billion laughs") and rebuilt from what is harmless: SVG elements with no script, no event
handler, no foreign (HTML) content, no reference outside the file. What was removed is
returned so the editor is told; a file that cannot be parsed safely is refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# What drawing programs add for their own use (layers, export settings, licence metadata):
# never rendered, dropped without a word.
EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/",
    "http://www.bohemiancoding.com/sketch/ns", "http://www.serif.com/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Graphs/1.0/", "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
    "http://ns.adobe.com/Variables/1.0/", "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/ImageReplacement/1.0/", "http://ns.adobe.com/GenericCustomNamespace/1.0/",
    "http://ns.adobe.com/xap/1.0/",
})
# SVG elements that run code, embed HTML or other documents, or change links when animated.
FORBIDDEN = frozenset({"script", "foreignObject", "handler", "listener", "iframe", "embed",
                       "object", "audio", "video", "canvas"})
ANIMATIONS = frozenset({"set", "animate", "animateColor"})  # may rewrite href or on*
# In CSS and presentation attributes: url() to anything but "#id", @import, escapes that could
# spell either, and the old script hooks of IE and Firefox.
_UNSAFE_CSS = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|\\|expression\s*\(|"
                         r"javascript:|-moz-binding|behavior\s*:", re.IGNORECASE)
_STYLESHEET_PI = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)
ElementTree.register_namespace("", SVG)
ElementTree.register_namespace("xlink", XLINK)


class Refused(Exception):
    """The file cannot be published: `code` is its problem (svg_entities, svg_unreadable)."""

    def __init__(self, code: str, detail: str | tuple[str, str] = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def sanitise(data: bytes) -> tuple[bytes, list[str]]:
    """The SVG with only harmless content, and what was removed (for the editor)."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise Refused("svg_entities") from error
    except ElementTree.ParseError as error:
        raise Refused("svg_unreadable", str(error)) from error
    if _name(root.tag) != "svg":
        raise Refused("svg_unreadable", (f"tệp là <{_name(root.tag)}>, không phải <svg>",
                                         f"the file is <{_name(root.tag)}>, not <svg>"))
    if root.tag != f"{{{SVG}}}svg":
        raise Refused("svg_unreadable", (f'thiếu xmlns="{SVG}"', f'no xmlns="{SVG}"'))
    removed: list[str] = []
    if _STYLESHEET_PI.search(data):  # processing instructions are not kept by the parser
        removed.append("<?xml-stylesheet?>")
    try:
        _clean(root, removed)
        cleaned = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    except RecursionError as error:  # nested beyond what any drawing needs
        raise Refused("svg_unreadable", ("lồng quá nhiều tầng", "nested too deeply")) from error
    return cleaned, list(dict.fromkeys(removed))


def _clean(element: ElementTree.Element, removed: list[str]) -> None:
    for attribute, value in list(element.attrib.items()):
        reason = _unsafe_attribute(attribute, value)
        if reason is not None:
            del element.attrib[attribute]
            if reason:
                removed.append(reason)
    for child in list(element):
        reason = _unsafe_element(child)
        if reason is None:
            _clean(child, removed)
            continue
        element.remove(child)
        if reason:
            removed.append(reason)


def _unsafe_element(element: ElementTree.Element) -> str | None:
    """Why the element goes ("" to drop it without a word), or None to keep it."""
    namespace, name = _split(element.tag)
    if not isinstance(element.tag, str) or namespace in EDITOR_NAMESPACES:
        return ""
    if namespace != SVG or name in FORBIDDEN:
        return f"<{name}>"
    if name in ANIMATIONS:
        target = _name(element.get("attributeName", "")).strip().lower()
        if target == "href" or target.startswith("on"):
            return f"<{name} attributeName=\"{target}\">"
    if name == "style" and _UNSAFE_CSS.search(element.text or ""):
        return "<style> (url() / @import)"
    return None


def _unsafe_attribute(attribute: str, value: str) -> str | None:
    """Why the attribute goes ("" to drop it without a word), or None to keep it."""
    namespace, name = _split(attribute)
    if namespace in EDITOR_NAMESPACES:
        return ""
    if name.lower().startswith("on"):
        return f"{name}=…"
    if namespace not in ("", XLINK, XML) or (namespace == XML and name == "base"):
        return f"{name}=…"
    if name == "href" and not value.strip().startswith("#"):
        return f'{name}="{value.strip()[:60]}"'
    if _UNSAFE_CSS.search(value):
        return f'{name}="{value.strip()[:60]}"'
    return None


def _split(tag: str) -> tuple[str, str]:
    if isinstance(tag, str) and tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag if isinstance(tag, str) else ""


def _name(tag: str) -> str:
    return _split(tag)[1].rpartition(":")[2]
