"""Interface text, URL words, dates and numbers in each configured language.

Labels come from the package's locale files (vi, en) and can be overridden or extended per
site in data/locales/<code>.yml, so a province adds a language (e.g. H'Mông) with a data file
and no code. A label missing in one language falls back to the site's first language.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, get_day_names
from babel.numbers import format_decimal

from ..common.problems import YAML_LOADER, Problems
from .site import Language, SiteConfig, Term
from .sources import load_yaml_file


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = "" if value is None else str(value)
    return flat


def _package_labels(code: str) -> dict[str, str]:
    resource = resources.files("binhdan") / "locales" / f"{code}.yml"
    if not resource.is_file():
        return {}
    return dict(_parsed_labels(resource.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=16)
def _parsed_labels(text: str) -> tuple[tuple[str, str], ...]:
    """Parsed once per text: `mkdocs serve` rebuilds on every save (a third of a second)."""
    return tuple(_flatten(yaml.load(text, Loader=YAML_LOADER) or {}).items())


def load_labels(site: SiteConfig, data_dir: Path, problems: Problems,
                data_rel: str = "data") -> dict[str, dict[str, str]]:
    """Labels per language: package defaults, then the site's data/locales/<code>.yml."""
    default = site.default_language
    base = {**_package_labels("en"), **_package_labels(default)}
    site_default = _site_labels(data_dir, data_rel, default, problems)
    result = {}
    for language in site.languages:
        result[language.code] = {
            **base, **site_default,
            **_package_labels(language.code),
            **_site_labels(data_dir, data_rel, language.code, problems),
        }
    return result


def _site_labels(data_dir: Path, data_rel: str, code: str, problems: Problems) -> dict[str, str]:
    path = data_dir / "locales" / f"{code}.yml"
    if not path.is_file():
        return {}
    doc = load_yaml_file(path, f"{data_rel}/locales/{code}.yml", problems)
    return _flatten(doc.value) if doc and isinstance(doc.value, dict) else {}


def _babel_locale(code: str, fallback: str) -> Locale:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(fallback)


@dataclass
class Localizer:
    """Everything a template needs to speak one language."""

    site: SiteConfig
    language: Language
    labels: dict[str, str]

    def __post_init__(self) -> None:
        self._locale = _babel_locale(self.language.locale, self.site.languages[0].locale)

    @property
    def lang(self) -> str:
        return self.language.code

    def t(self, key: str, **params: object) -> str:
        """The label `key` in this language, with {placeholders} filled in."""
        text = self.labels.get(key)
        if text is None:
            raise KeyError(f"missing interface label {key!r}")
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return key in self.labels

    def date(self, value: date | datetime | None, pattern: str = "formats.date") -> str:
        """`pattern` names the label holding the date pattern (default: the full date)."""
        if value is None:
            return ""
        return format_date(value, self.t(pattern), locale=self._locale)

    def datetime(self, value: datetime) -> str:
        return format_datetime(value, self.t("formats.datetime"), tzinfo=value.tzinfo,
                               locale=self._locale)

    def time(self, value: datetime) -> str:
        return format_datetime(value, self.t("formats.time"), tzinfo=value.tzinfo,
                               locale=self._locale)

    def number(self, value: float | int, decimals: int | None = None) -> str:
        return _number(value, decimals, self._locale)

    def pick(self, values: dict[str, str]) -> str:
        return self.site.pick(values, self.lang)

    def name(self, term: Term) -> str:
        return self.pick(term.name)

    def path(self, key: str) -> str:
        """The URL word for a section in this language: 'guide' -> 'huong-dan'."""
        return self.t(f"paths.{key}")

    def choice(self, field: str, value: str) -> str:
        key = f"choices.{field}.{value}"
        return self.t(key) if self.has(key) else value

    def day_names(self) -> dict[int, str]:
        """Weekdays in this language, Monday = 0 ("Thứ Hai"), for repeating events."""
        return dict(get_day_names("wide", locale=self._locale))


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _number(value: float | int, decimals: int | None, locale: Locale) -> str:
    """Babel's formatting, kept: data pages and reports show the same figures thousands of
    times (2 s of a 1,000-item build went to formatting them again)."""
    if decimals is not None:
        return format_decimal(value, format=f"#,##0.{'0' * decimals}" if decimals else "#,##0",
                              locale=locale)
    return format_decimal(value, locale=locale)
