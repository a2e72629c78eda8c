"""One build of the portal, engine-agnostic: load everything, check it, plan the pages.

`load_portal` is what both the MkDocs plugin and `binhdan check` call, so the command line and
the build can never disagree about what is wrong. `PortalView` is what templates see.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from .content import Item, load_content
from .dates import start_of_day, today
from .i18n import Localizer, load_labels
from .pages import Entry, PageSpec, Plan, Urls, build_plan
from .problems import Problems
from .site import SiteConfig, Term, load_site


@dataclass
class Portal:
    site: SiteConfig
    items: list[Item]
    localizers: dict[str, Localizer]
    plan: Plan
    today: date
    # Static files under their cache-busting names ("assets/portal.css?v=1a2b3c4d"), set by
    # the engine adapter that knows where they live.
    assets: dict[str, str] = field(default_factory=dict)

    def urls(self, lang: str) -> Urls:
        return Urls(self.localizers[lang], self.site.default_language)

    def page_meta(self, spec: PageSpec, site_url: str) -> dict[str, Any]:
        """Front matter MkDocs and the theme read: template, title, language, alternates."""
        base = site_url if site_url.endswith("/") or not site_url else site_url + "/"
        return {
            "template": spec.template,
            "title": spec.title,
            "description": spec.description,
            "lang": spec.lang,
            "alternates": [
                {"lang": lang, "url": url, "abs_url": base + url}
                for lang, url in spec.alternates.items()
            ],
            "lastmod": self.last_changed(spec).isoformat(),
        }

    def last_changed(self, spec: PageSpec) -> date:
        """When the page's content last changed: from content dates, never the build time,
        so the same commit builds to the same bytes."""
        if spec.entry is not None and spec.kind != "home":
            item = spec.entry.item
            return item.meta.get("updated") or item.date or self.newest
        shown = [*spec.entries, *(e for block in spec.blocks.values() for e in block)]
        dates = [e.item.meta.get("updated") or e.item.date for e in shown]
        return max((d for d in dates if d), default=self.newest)

    @cached_property
    def newest(self) -> date:
        dates = [i.meta.get("updated") or i.date for i in self.items if i.date]
        return max(dates, default=date(2025, 1, 1))

    def not_found_page(self) -> PageSpec:
        """The site's single 404 page, in the first language with links to every home."""
        lang = self.site.default_language
        return PageSpec(lang, "", "notfound", "404.html",
                        self.localizers[lang].t("ui.not_found_title"), "404.md", ("404",),
                        alternates={code: self.urls(code).home()
                                    for code in self.site.language_codes})

    def robots_txt(self, site_url: str) -> str:
        lines = ["User-agent: *", "Allow: /"]
        if site_url:
            lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
        return "\n".join(lines) + "\n"


def load_portal(root: Path, content_dir: Path, data_dir: str = "data"
                ) -> tuple[Portal | None, Problems]:
    """Read data and content, validate everything, plan the pages. Never raises for bad
    content: every problem is in the returned list."""
    problems = Problems()
    site = load_site(root, problems, data_dir)
    if site is None:
        return None, problems
    labels = load_labels(site, root / data_dir, problems, data_dir)
    localizers = {code: Localizer(site, site.language(code), labels[code])
                  for code in site.language_codes}
    content_rel = _relative(content_dir, root)
    items = load_content(site, content_dir, problems, content_rel)
    publishing_day = today()
    plan = build_plan(site, items, localizers, publishing_day)
    problems.extend(plan.problems)
    return Portal(site, items, localizers, plan, publishing_day), problems


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class PortalView:
    """What a template sees as `portal`: the page being built and helpers in its language."""

    def __init__(self, portal: Portal, spec: PageSpec) -> None:
        self.portal = portal
        self.spec = spec
        self.site = portal.site
        self.lang = spec.lang
        self.i18n = portal.localizers[spec.lang]
        self.urls = portal.urls(spec.lang)

    # Text
    def t(self, key: str, **params: object) -> str:
        return self.i18n.t(key, **params)

    def pick(self, values: dict[str, str]) -> str:
        return self.i18n.pick(values)

    @property
    def site_name(self) -> str:
        return self.pick(self.site.name)

    @property
    def unit_name(self) -> str:
        return self.pick(self.site.unit_name)

    def date(self, value: Any) -> str:
        return self.i18n.date(value)

    def datetime(self, value: Any) -> str:
        return self.i18n.datetime(value)

    def number(self, value: float, decimals: int | None = None) -> str:
        return self.i18n.number(value, decimals)

    def choice(self, field: str, value: str) -> str:
        return self.i18n.choice(field, value)

    def language_name(self, code: str) -> str:
        return self.site.language(code).name

    # Taxonomies
    def term(self, taxonomy: str, term_id: str) -> Term:
        return self.site.term(taxonomy, term_id)

    def term_name(self, taxonomy: str, term_id: str) -> str:
        return self.i18n.name(self.term(taxonomy, term_id))

    def term_url(self, taxonomy: str, term_id: str) -> str:
        return self.urls.term(taxonomy, term_id)

    def taxonomy_url(self, taxonomy: str) -> str:
        return f"{self.urls.prefix}{self.i18n.path(taxonomy)}/"

    def section_url(self, type_key: str) -> str:
        return self.urls.section(type_key)

    def children(self, taxonomy: str, term_id: str) -> list[Term]:
        return [t for t in self.site.taxonomies[taxonomy].values()
                if t.extra.get("parent") == term_id]

    @property
    def home_url(self) -> str:
        return self.urls.home()

    def asset(self, path: str) -> str:
        return self.portal.assets.get(path, path)

    @property
    def menu(self) -> list[dict[str, Any]]:
        """The language's sections, with the current one marked."""
        entries = []
        for spec in self.portal.plan.nav(self.lang):
            title = self.t("ui.home") if spec.kind == "home" else spec.title
            entries.append({"title": title, "url": spec.url,
                            "current": spec.url == self.spec.url,
                            "in_section": spec.section == self.spec.section})
        return entries

    # Languages
    @property
    def switcher(self) -> list[dict[str, Any]]:
        """Every other language with the URL of this page there (or that language's home)."""
        links = []
        for language in self.site.languages:
            if language.code == self.lang:
                continue
            url = self.spec.alternates.get(language.code)
            links.append({"lang": language.code, "name": language.name,
                          "url": url if url is not None else self.portal.urls(
                              language.code).home(), "same_page": url is not None})
        return links

    def in_every_language(self) -> list[PortalView]:
        return [PortalView(self.portal, replace(self.spec, lang=code))
                for code in self.site.language_codes]

    # Events
    def is_upcoming(self, entry: Entry) -> bool:
        start = entry.item.meta.get("start")
        return bool(start and start >= start_of_day(self.portal.today))
