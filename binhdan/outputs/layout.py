"""Pages rendered by the core: the Jinja templates in overrides/ over the plan, on every core.

Templates only lay things out: everything they show comes from `PortalView` (`portal` in a
template), never from an engine's page object. Pages are independent of each other, so they
are rendered in forked worker processes that start with the whole portal in memory; each
worker writes its pages to the build's scratch folder and hands back only their addresses.
The bytes are the same whether one process renders every page or several share them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context

from ..common import parallel
from ..plan.pages import PageSpec
from ..plan.portal import SERVICE_WORKER, Portal, PortalView


@functools.lru_cache(maxsize=2)
def of_theme(folder: Path, digest: str) -> Layout:
    """The templates of a theme in the state `digest` names (the build's global digest
    covers the theme's files): `mkdocs serve` compiles them once, not on every save."""
    return Layout(folder)


class Layout:
    """The templates of one theme folder. Every value in an HTML or XML template is escaped:
    editors' text is never trusted as HTML."""

    def __init__(self, folder: Path) -> None:
        self.env = Environment(loader=FileSystemLoader(folder), auto_reload=False,
                               autoescape=lambda name: bool(name) and name.endswith(
                                   (".html", ".xml")))
        self.env.filters["url"] = _link

    def render(self, template: str, values: dict[str, Any]) -> str:
        return self.env.get_template(template).render(values)

    def page(self, view: PortalView) -> bytes:
        """A page's HTML as it is written (characters the encoding cannot hold as references,
        as MkDocs wrote them)."""
        html = self.render(view.spec.template, {"portal": view})
        return html.encode("utf-8", errors="xmlcharrefreplace")


@pass_context
def _link(context: Any, value: str) -> str:
    """Links from the page's depth ("../../tin-tuc/"), the same for every page at that depth,
    so cards and menus are rendered once and reused."""
    return context["portal"].link(value)


# What forked workers render from: set by `start_pages` before the workers start.
_work: tuple[Portal, Layout, list[PageSpec], Path] | None = None


def start_pages(portal: Portal, layout: Layout, specs: list[PageSpec], folder: Path,
                threshold: int = parallel.POOL_THRESHOLD) -> parallel.Shared:
    """Start rendering `specs` into `folder` (as `<url>index.html`) on the other cores when
    there are `threshold` pages or more; the result's `results()` renders this process's
    share and yields each page's address."""
    global _work
    _work = (portal, layout, specs, folder)
    return parallel.Shared(_render_page, range(len(specs)), chunksize=16,
                           threshold=threshold)


def pages_done() -> None:
    """The build's pages are rendered (or abandoned): the build is not kept alive here."""
    global _work
    _work = None


def _render_page(index: int) -> str:
    assert _work is not None
    portal, layout, specs, folder = _work
    spec = specs[index]
    address = f"{spec.url}index.html"
    path = folder / address
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(layout.page(PortalView(portal, spec)))
    return address


def special_pages(portal: Portal, layout: Layout) -> Iterable[tuple[str, bytes]]:
    """The 404 page (one for the whole site, served at any address) and the service worker."""
    not_found = portal.not_found_page()
    yield not_found.template, layout.page(PortalView(portal, not_found))
    yield SERVICE_WORKER, layout.render(SERVICE_WORKER, {
        "portal": portal.worker_view()}).encode("utf-8", errors="xmlcharrefreplace")
