"""Problems found in content and data, explained to editors in Vietnamese and English.

Every check in the project reports through :class:`Problems` instead of raising, so that an
editor sees the whole list at once: which file, which line, which field, what is wrong and
what to do. Messages live in one catalogue (locales/messages.yml) so wording stays
consistent and testable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from importlib import resources

import yaml

# YAML safe loading by libyaml where PyYAML has it, ten times faster than its Python parser
# (the same constructors and resolvers): this catalogue, the labels, every file of a site
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_messages() -> dict[str, tuple[str, str]]:
    """The catalogue is data beside the interface labels (`locales/messages.yml`), so wording
    is edited in one format for both; read once, when the module is first imported."""
    text = (resources.files("binhdan") / "locales" / "messages.yml").read_text(encoding="utf-8")
    return {code: (texts["vi"], texts["en"])
            for code, texts in yaml.load(text, Loader=YAML_LOADER).items()}


# code -> (Vietnamese, English). Placeholders are filled from Problem.params.
MESSAGES: dict[str, tuple[str, str]] = _load_messages()


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the content or data tree."""

    code: str
    path: str  # relative to the project root, with forward slashes
    line: int | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR
    params: tuple[tuple[str, object], ...] = ()

    @property
    def where(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        return where + (f" [{self.field}]" if self.field else "")

    def text(self, lang: str) -> str:
        """The message in `lang`; a detail given as a (Vietnamese, English) pair is told in
        the message's own language."""
        vi, en = MESSAGES[self.code]
        template = vi if lang == "vi" else en
        values = {"field": self.field or "", **{
            key: (value[0] if lang == "vi" else value[1]) if isinstance(value, tuple) else value
            for key, value in self.params}}
        return template.format(**values)

    def format(self) -> str:
        label = "LỖI / ERROR" if self.severity is Severity.ERROR else "CẢNH BÁO / WARNING"
        return f"{label}  {self.where}\n  vi: {self.text('vi')}\n  en: {self.text('en')}"


@dataclass
class Problems:
    """Collects problems across the whole tree so an editor can fix them all in one pass."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        path: str,
        line: int | None = None,
        field: str | None = None,
        *,
        warning: bool = False,
        **params: object,
    ) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for problem code {code!r}")
        severity = Severity.WARNING if warning else Severity.ERROR
        self.items.append(Problem(code, path, line, field, severity, tuple(params.items())))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def report(self) -> str:
        """The whole list, errors first, in file order: what `binhdan check` prints."""
        def ordered(problems: list[Problem]) -> list[str]:
            return [p.format() for p in sorted(problems, key=lambda p: (p.path, p.line or 0))]

        blocks = []
        if self.errors:
            blocks += ["== Lỗi: phải sửa trước khi xuất bản / Errors: fix before publishing ==",
                       *ordered(self.errors)]
        if self.warnings:
            blocks += ["== Cảnh báo: đã tự xử lý, không chặn xuất bản / Warnings: handled "
                       "automatically, publishing goes ahead ==", *ordered(self.warnings)]
        summary = (f"{len(self.errors)} lỗi, {len(self.warnings)} cảnh báo / "
                   f"{len(self.errors)} errors, {len(self.warnings)} warnings")
        return "\n\n".join([*blocks, summary])

