"""The site's identity and reference data, read from data/: nothing about one province is in code.

`data/site.yml` names the unit (province or commune), its languages, publishing policy and
the web editor's git host (`cms:`, used by cms.py);
`data/topics.yml`, `audiences.yml`, `localities.yml` and `story-models.yml` are the taxonomies
that content refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..common.problems import Problems
from .schema import TAXONOMIES, Taxonomy
from .sources import YamlDoc, load_yaml_file
from .values import (
    APPLICATION_ID,
    BRANCH,
    EMAIL,
    LOCALE,
    PHONE,
    REPOSITORY,
    WEB_ADDRESS,
    WEB_PATH,
    Text,
    ValueType,
    shown,
)

Localized = dict[str, str]  # language code -> text

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNTRANSLATED_POLICIES = ("fallback", "omit")
UNIT_LEVELS = ("province", "commune")
SHARE_CARDS = ("items", "sections", "none")


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as used in file names, URLs and lang="": vi, en, hnj, rad
    name: str  # in its own language: "Tiếng Việt"
    locale: str  # Babel/CLDR locale for dates and numbers
    # A language with a few items only (a minority language, often audio-first): its items
    # get pages, framed by the first language's interface; no listings, search or feeds.
    items_only: bool = False


@dataclass(frozen=True)
class Term:
    """One entry of a taxonomy: a topic, audience, locality or story model."""

    id: str
    name: Localized
    description: Localized = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    line: int | None = None  # where it is defined, for messages

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class ItemRef:
    """An item named in data/ (a step of an audience's `path`): its key, the same in every
    language ("guides/dang-ky-tai-khoan-vneid"), and where it is written, for messages."""

    key: str
    line: int | None


@dataclass(frozen=True)
class Colours:
    """The unit's colours (site.yml `colours:`): `brand` for the header, buttons, links and
    the bands of share cards (white text on it, dark text beside it), `accent` for the
    highlights of share cards (dark text on it)."""

    brand: str = "#0b4f8a"
    accent: str = "#ffc94d"

    @property
    def brand_dark(self) -> str:
        """The brand colour a quarter darker (footer, pressed buttons)."""
        return "#" + "".join(f"{round(c * 0.75):02x}" for c in rgb(self.brand))

    @property
    def css(self) -> str:
        """Appended to the stylesheet: the page's colours follow site.yml."""
        return (f":root{{--brand:{self.brand};--link:{self.brand};"
                f"--brand-dark:{self.brand_dark}}}")


INK, PAPER = "#1a202c", "#ffffff"  # text and page colours of the stylesheet and the cards
# What each colour meets: white text on brand buttons and bands, brand links on the page,
# its tinted boxes (--tint, --note in portal.css); dark text on accent badges. WCAG AA needs
# 4.5:1 against each.
COLOUR_PARTNERS = {"brand": (PAPER, "#f4f7fb", "#fff4e5"), "accent": (INK,)}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
CONTACT_FIELDS: dict[str, ValueType] = {"email": EMAIL, "phone": PHONE}
# A query parameter of the feedback portal's address: a plain value, or where the page's
# address or title goes.
_FEEDBACK_PARAMETER = r"[A-Za-z0-9._~-]+=(?:[A-Za-z0-9._~%-]*|\{url\}|\{title\})"
_NO_PAGE_ADDRESS = ("không có {url}, nên cổng góp ý không biết người đọc báo lỗi trang nào",
                    "it has no {url}, so the feedback portal would not know which page "
                    "the reader means")


class _PageTemplate(ValueType):
    """A web address with {url} (and {title}) filled in per page: its address part is
    checked as any web address first, so an editor hears the precise reason."""

    def fault(self, value: object) -> Text | None:
        if isinstance(value, str):
            fault = WEB_ADDRESS.fault(value.split("?", 1)[0])
            if fault is not None:
                return fault
            if "{url}" not in value:
                return _NO_PAGE_ADDRESS
        return super().fault(value)


FEEDBACK_PORTAL = _PageTemplate(
    ("một địa chỉ web bắt đầu bằng https://, có {url} ở chỗ cổng góp ý nhận địa chỉ trang "
     "(và {title} ở chỗ nhận tên trang, nếu cổng có)", "a web address starting with https:// "
     "with {url} where the feedback portal takes the page's address (and {title} where it "
     "takes the page's title, if it does)"),
    "https://dichvucong.tinh.gov.vn/gop-y?trang={url}&tieu-de={title}",
    r"A-Za-z0-9._~:/?=&%{}-",
    re.compile(rf"{WEB_ADDRESS.form.pattern}"
               rf"\?{_FEEDBACK_PARAMETER}(?:&{_FEEDBACK_PARAMETER})*"))
FEEDBACK_FIELDS: dict[str, ValueType] = {"portal": FEEDBACK_PORTAL, "email": EMAIL,
                                         "phone": PHONE, "zalo": WEB_ADDRESS}
_FEEDBACK_EXAMPLES = {"zalo": "https://zalo.me/1234567890"}
_PAGE_FIELDS = re.compile(r"\{(url|title)\}")


@dataclass(frozen=True)
class Feedback:
    """Where a reader reports that a page is wrong or did not help (site.yml `feedback:`,
    its email and phone taken from `contact:` unless it names its own). Every channel is a
    plain link, so reporting works without JavaScript and without a third-party script."""

    portal: str = ""  # the unit's feedback portal, {url} and {title} filled per page
    email: str = ""
    phone: str = ""
    zalo: str = ""  # the unit's Zalo Official Account
    illustrative: bool = False

    def portal_link(self, url: str, title: str) -> str:
        """The portal's address for one page, its address and title URL-encoded (filled in
        one pass: a title holding "{url}" stays text)."""
        values = {"url": url, "title": title}
        return _PAGE_FIELDS.sub(lambda match: quote(values[match[1]], safe=""), self.portal)

    def mail_link(self, subject: str, body: str) -> str:
        """A prefilled message (RFC 6068: %20 for spaces, UTF-8 percent-encoded)."""
        return f"mailto:{self.email}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


# Git hosts an officer can sign in to (see "Soạn bài trên trình duyệt" in the editor guide).
BACKENDS = ("github", "gitlab", "gitea", "forgejo", "git-gateway")
# What each needs besides `backend`: a self-hosted Gitea/Forgejo has no default address and
# signs in with PKCE only.
REQUIRED = {"github": ("repo",), "gitlab": ("repo",),
            "gitea": ("repo", "api_root", "base_url", "app_id"),
            "forgejo": ("repo", "api_root", "base_url", "app_id")}


@dataclass(frozen=True)
class CmsSettings:
    """The `cms:` block of data/site.yml: where the web editor (cms.py) reads and commits
    content."""

    backend: str
    repo: str = ""  # owner/name
    branch: str = "main"
    api_root: str = ""  # self-hosted GitLab / Gitea / Forgejo, GitHub Enterprise
    base_url: str = ""  # OAuth server (GitHub) or the Git host's address (Gitea, Forgejo)
    auth_endpoint: str = ""
    app_id: str = ""  # OAuth application id: sign-in with PKCE, no server (GitLab, Gitea)
    review: bool = False  # saves become pull/merge requests that someone publishes
    local_backend: bool = False  # also try `npx decap-server` on the officer's computer


# key -> (kind, Vietnamese and English description for messages). Every text is checked by
# its type (values.py): the addresses reach the web server's CSP (deploy.admin_csp), all of
# them the editor's config.yml.
_CMS_SETTINGS: dict[str, tuple[str | ValueType, str, str]] = {
    "backend": ("choice", "nơi lưu nội dung", "where content is stored"),
    "repo": (REPOSITORY, "kho mã (chủ/tên)", "repository (owner/name)"),
    "branch": (BRANCH, "nhánh", "branch"),
    "api_root": (WEB_ADDRESS, "địa chỉ API", "API address"),
    "base_url": (WEB_ADDRESS, "địa chỉ máy chủ đăng nhập", "sign-in server address"),
    "auth_endpoint": (WEB_PATH, "đường dẫn đăng nhập", "sign-in path"),
    "app_id": (APPLICATION_ID, "mã ứng dụng OAuth", "OAuth application id"),
    "review": ("bool", "duyệt trước khi đăng", "review before publishing"),
    "local_backend": ("bool", "thử trên máy (decap-server)", "local trial (decap-server)"),
}


def _cms_settings(doc: YamlDoc, rel: str, problems: Problems) -> CmsSettings | None:
    """Check the optional `cms:` block of site.yml; None when it is absent or unusable."""
    raw = doc.value.get("cms") if isinstance(doc.value, dict) else None
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add("wrong_type", rel, doc.line("cms"), "cms", expected_vi="một nhóm trường "
                     "(backend, repo, branch...)", expected_en="a group of fields (backend, "
                     "repo, branch...)", actual=repr(raw))
        return None
    errors = len(problems.errors)
    for key in raw:
        if key not in _CMS_SETTINGS:
            problems.add("unknown_field", rel, doc.line("cms", key), f"cms.{key}",
                         type="site.yml cms", allowed=", ".join(_CMS_SETTINGS))
    values: dict[str, Any] = {}
    for key, (kind, label_vi, label_en) in _CMS_SETTINGS.items():
        value = raw.get(key)
        line, name = doc.line("cms", key), f"cms.{key}"
        if value is None or value == "":
            if key == "backend" or key in REQUIRED.get(str(raw.get("backend")), ()):
                problems.add("missing_field", rel, line or doc.line("cms"), name,
                             label_vi=label_vi, label_en=label_en)
            continue
        if kind == "bool":
            if not isinstance(value, bool):
                problems.add("wrong_type", rel, line, name, expected_vi="true hoặc false",
                             expected_en="true or false", actual=repr(value))
            values[key] = value is True
            continue
        if isinstance(kind, ValueType):
            kind.check(value, rel, line, name, problems)
        elif value not in BACKENDS:
            problems.add("bad_choice", rel, line, name, value=shown(value),
                         allowed=", ".join(BACKENDS))
        values[key] = value
    if len(problems.errors) > errors:
        return None
    return CmsSettings(**values)


def tel_link(phone: str) -> str:
    """A phone number as a tap-to-call link: "0207 000 0000" -> "tel:02070000000"."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [c / 255 for c in rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass
class SiteConfig:
    root: Path
    name: Localized
    unit_name: Localized
    unit_level: str
    publisher: Localized
    contact: dict[str, Any]
    languages: list[Language]
    feedback: Feedback
    untranslated: str
    page_size: int
    illustrative_data: bool
    share_cards: str  # items | sections | none: which pages get their own preview image
    taxonomies: dict[str, dict[str, Term]]
    # "CĐS" -> {"vi": "chuyển đổi số"}: spelt out when a text is read on the radio
    abbreviations: dict[str, Localized] = field(default_factory=dict)
    # per language, the words search takes as one: an abbreviation, its reading and its
    # synonyms ("CCCD", "căn cước công dân", "thẻ căn cước"), from the same file
    synonyms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    cms: CmsSettings | None = None  # the web editor's git host (`cms:`), None when not set
    colours: Colours = field(default_factory=Colours)
    unreadable: set[str] = field(default_factory=set)  # taxonomies whose file has an error

    @property
    def default_language(self) -> str:
        return self.languages[0].code

    @property
    def language_codes(self) -> list[str]:
        """Every language content may be written in."""
        return [language.code for language in self.languages]

    @property
    def site_language_codes(self) -> list[str]:
        """The languages with a whole site (home, listings, search, feeds): not those that
        have a few items only."""
        return [language.code for language in self.languages if not language.items_only]

    def interface_language(self, code: str) -> str:
        """The language a page's menus and labels are in: its own, or the first language's
        for a language with a few items only (they have no sections of their own)."""
        return self.default_language if self.language(code).items_only else code

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)

    def pick(self, values: Localized, lang: str) -> str:
        """A localized value in `lang`, else in the default language, else any."""
        if not values:
            return ""
        return values.get(lang) or values.get(self.default_language) or next(
            iter(values.values()))

    def term(self, taxonomy: str, term_id: str) -> Term:
        return self.taxonomies[taxonomy][term_id]


def load_site(root: Path, problems: Problems, data_dir: str = "data") -> SiteConfig | None:
    """Read data/site.yml and the taxonomies; None when site.yml itself is unusable."""
    data = root / data_dir
    rel = f"{data_dir}/site.yml"
    doc = load_yaml_file(data / "site.yml", rel, problems) if (data / "site.yml").exists() \
        else None
    if doc is None:
        if not (data / "site.yml").exists():
            problems.add("bad_config", rel, detail_vi="không tìm thấy tệp data/site.yml.",
                         detail_en="data/site.yml was not found.")
        return None
    reader = _ConfigReader(doc, rel, problems)
    languages = reader.languages()
    if not languages:
        return None
    codes = [language.code for language in languages]
    site = SiteConfig(
        root=root,
        name=reader.localized("name", codes, required=True),
        unit_name=reader.localized("unit_name", codes, required=True),
        unit_level=reader.choice("unit_level", UNIT_LEVELS, "province"),
        publisher=reader.localized("publisher", codes, required=True),
        contact=(contact := reader.contact()),
        languages=languages,
        feedback=reader.feedback(contact),
        untranslated=reader.choice("untranslated", UNTRANSLATED_POLICIES, "fallback"),
        page_size=reader.positive_int("page_size", 12),
        illustrative_data=reader.flag("illustrative_data"),
        share_cards=reader.choice("share_cards", SHARE_CARDS, "items"),
        colours=reader.colours(),
        cms=_cms_settings(doc, rel, problems),
        taxonomies={},
    )
    for taxonomy in TAXONOMIES:
        terms = load_taxonomy(data, data_dir, taxonomy, codes, problems)
        if terms is None:  # its YAML error is the one to fix: no "not defined" for each use
            site.unreadable.add(taxonomy.key)
        site.taxonomies[taxonomy.key] = terms or {}
    _check_taxonomy_refs(site, data_dir, problems)
    site.abbreviations, site.synonyms = _abbreviations(
        data / "abbreviations.yml", f"{data_dir}/abbreviations.yml", problems, codes)
    return site


ABBREVIATION_FIELDS = ("short", "full", "synonyms")


def _abbreviations(path: Path, rel: str, problems: Problems, codes: list[str]
                   ) -> tuple[dict[str, Localized], dict[str, list[tuple[str, ...]]]]:
    """data/abbreviations.yml: a list of {short: CĐS, full: chuyển đổi số}; `full` is read
    in the first language, or per language: {full: {vi: mã xác thực một lần, en: one-time
    password}}. A language without a reading keeps the abbreviation. `synonyms` (a list, or
    lists per language) are words search takes as the same; a row may hold only synonyms.
    Returns the radio readings and, per language, the groups of words search takes as one."""
    readings: dict[str, Localized] = {}
    groups: dict[str, list[tuple[str, ...]]] = {code: [] for code in codes}
    doc = load_yaml_file(path, rel, problems) if path.exists() else None
    if doc is None or doc.value is None:
        return readings, groups
    for index, row in enumerate(doc.value if isinstance(doc.value, list) else [None]):
        fields = row if isinstance(row, dict) else {}
        for key in fields:
            if key not in ABBREVIATION_FIELDS:
                problems.add("unknown_field", rel, doc.line(index, key), str(key),
                             type="abbreviations.yml", allowed=", ".join(ABBREVIATION_FIELDS))
        synonyms = _per_language(fields.get("synonyms", []), codes, list)
        if synonyms is None or not all(isinstance(word, str) and word.strip()
                                       for words in synonyms.values() for word in words):
            problems.add("wrong_type", rel, doc.line(index, "synonyms"), "synonyms",
                         expected_vi="danh sách từ cùng nghĩa: 'synonyms: [thẻ căn cước]', "
                         "hoặc theo từng ngôn ngữ: 'synonyms: {vi: [thẻ căn cước], en: [ID "
                         "card]}'", expected_en="a list of words that mean the same: "
                         "'synonyms: [thẻ căn cước]', or per language: 'synonyms: {vi: [thẻ "
                         "căn cước], en: [ID card]}'", actual=repr(fields["synonyms"]))
            continue
        short, full = fields.get("short"), _per_language(fields.get("full"), codes, str)
        if "synonyms" in fields and "short" not in fields and "full" not in fields:
            full = {}  # synonyms only: for search, nothing to spell out on the radio
        elif isinstance(short, str) and full:
            readings[short] = full
        else:
            problems.add("wrong_type", rel, doc.line(index), "full", expected_vi=
                         "'short: CĐS' và 'full: chuyển đổi số' (hoặc 'full: {vi: …, en: …}')",
                         expected_en="'short: CĐS' and 'full: chuyển đổi số' (or "
                         "'full: {vi: …, en: …}')", actual=repr(row))
            continue
        for code in codes:
            named = [short, full[code]] if code in full else [short] if short else []
            group = tuple(dict.fromkeys(named + synonyms.get(code, [])))
            if len(group) > 1:
                groups[code].append(group)
    return readings, groups


def _per_language(value: Any, codes: list[str], kind: type) -> dict[str, Any] | None:
    """{vi: …, en: …} with known language codes; a plain value is the first language's."""
    value = {codes[0]: value} if isinstance(value, kind) else value
    if isinstance(value, dict) and value and all(code in codes and isinstance(v, kind)
                                                 for code, v in value.items()):
        return value
    return None


class _ConfigReader:
    """Typed access to site.yml that reports problems with the line of the offending key."""

    KNOWN = ("name", "unit_name", "unit_level", "publisher", "contact", "languages",
             "untranslated", "page_size", "illustrative_data", "share_cards", "cms",
             "colours", "feedback")

    def __init__(self, doc: YamlDoc, rel: str, problems: Problems) -> None:
        self.doc, self.rel, self.problems = doc, rel, problems
        self.raw = doc.value if isinstance(doc.value, dict) else {}
        for key in self.raw:
            if key not in self.KNOWN:
                problems.add("unknown_field", rel, doc.line(key), str(key), type="site.yml",
                             allowed=", ".join(self.KNOWN))

    def languages(self) -> list[Language]:
        entries = self.raw.get("languages")
        if not isinstance(entries, list) or not entries:
            self.problems.add("missing_field", self.rel, self.doc.line("languages"),
                              "languages", label_vi="ngôn ngữ", label_en="languages")
            return []
        languages = []
        for index, entry in enumerate(entries):
            code = entry.get("code") if isinstance(entry, dict) else None
            if not isinstance(code, str) or not ID_PATTERN.match(code):
                self.problems.add("wrong_type", self.rel, self.doc.line("languages", index),
                                  "languages", expected_vi="mục có 'code: vi'",
                                  expected_en="an entry with 'code: vi'", actual=repr(entry))
                continue
            locale = entry.get("locale", code)
            if not LOCALE.check(locale, self.rel, self.doc.line("languages", index, "locale"),
                                f"languages.{code}.locale", self.problems):
                locale = code
            items_only = entry.get("items_only", False)
            if not isinstance(items_only, bool) or (items_only and not languages):
                self.problems.add("items_only_wrong", self.rel,
                                  self.doc.line("languages", index, "items_only"),
                                  "items_only", language=code, value=items_only)
                items_only = False
            languages.append(Language(code=code, name=str(entry.get("name", code)),
                                      locale=locale, items_only=items_only))
        return languages

    def contact(self) -> dict[str, Any]:
        """`contact: {email: …, phone: …, illustrative: true}`: the footer's mailto: and tel:
        links."""
        return self.links("contact", CONTACT_FIELDS, {}, ("'email: …' và 'phone: …'",
                                                          "'email: …' and 'phone: …'"))

    def feedback(self, contact: dict[str, Any]) -> Feedback:
        """`feedback: {portal: …{url}…, email: …, phone: …, zalo: …, illustrative: true}`.
        Email and phone not given here are the contact's (one owner for each)."""
        chosen = self.links("feedback", FEEDBACK_FIELDS, _FEEDBACK_EXAMPLES,
                            ("'portal: …', 'email: …', 'phone: …' hoặc 'zalo: …'",
                             "'portal: …', 'email: …', 'phone: …' or 'zalo: …'"))
        given = self.raw.get("feedback")
        borrowed = {name: contact[name] for name in ("email", "phone")
                    if name in contact and not (isinstance(given, dict) and name in given)}
        if borrowed and contact.get("illustrative"):
            chosen["illustrative"] = True
        return Feedback(**borrowed, **chosen)

    def links(self, key: str, fields: dict[str, ValueType], examples: dict[str, str],
              expected: Text) -> dict[str, Any]:
        """A block of values that become links on every page (`contact:`, `feedback:`), each
        checked by its type, and its `illustrative` flag; the valid ones."""
        raw = self.raw.get(key) or {}
        if not isinstance(raw, dict):
            self.problems.add("wrong_type", self.rel, self.doc.line(key), key,
                              expected_vi=expected[0], expected_en=expected[1],
                              actual=repr(raw))
            return {}
        valid: dict[str, Any] = {}
        for name, value in raw.items():
            line, field_name = self.doc.line(key, name), f"{key}.{name}"
            kind = fields.get(name)
            if name == "illustrative":
                valid[name] = self.flag(key, "illustrative")
            elif kind is None:
                self.problems.add("unknown_field", self.rel, line, field_name,
                                  type=f"site.yml {key}",
                                  allowed=", ".join([*fields, "illustrative"]))
            elif value is not None and kind.check(value, self.rel, line, field_name,
                                                  self.problems, examples.get(name)):
                valid[name] = value
        return valid

    def flag(self, *position: str) -> bool:
        """A true/false value (a quoted "false" would otherwise count as true)."""
        value: Any = self.raw
        for key in position:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None and not isinstance(value, bool):
            self.problems.add("wrong_type", self.rel, self.doc.line(*position),
                              ".".join(position), expected_vi="true hoặc false",
                              expected_en="true or false", actual=repr(value))
        return value is True

    def localized(self, key: str, codes: list[str], required: bool = False) -> Localized:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.problems.add("missing_field", self.rel, None, key, label_vi=key,
                                  label_en=key)
            return {}
        if not _check_localized(value, codes, self.rel, self.doc.line(key), key,
                                self.problems):
            return {}
        return _as_localized(value, codes[0])

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.raw.get(key, default)
        if value not in allowed:
            self.problems.add("bad_choice", self.rel, self.doc.line(key), key, value=value,
                              allowed=", ".join(allowed))
            return default
        return str(value)

    def colours(self) -> Colours:
        """`colours: {brand: "#0b4f8a", accent: "#ffc94d"}`: each #rrggbb, each readable
        with the text drawn on it."""
        raw = self.raw.get("colours") or {}
        default = Colours()
        if not isinstance(raw, dict):
            self.problems.add("wrong_type", self.rel, self.doc.line("colours"), "colours",
                              expected_vi="'brand: \"#0b4f8a\"' và 'accent: \"#ffc94d\"'",
                              expected_en="'brand: \"#0b4f8a\"' and 'accent: \"#ffc94d\"'",
                              actual=repr(raw))
            return default
        chosen = {}
        for name, value in raw.items():
            line = self.doc.line("colours", name)
            if name not in COLOUR_PARTNERS:
                self.problems.add("unknown_field", self.rel, line, f"colours.{name}",
                                  type="site.yml colours", allowed=", ".join(COLOUR_PARTNERS))
                continue
            if not (isinstance(value, str) and _HEX.fullmatch(value)):
                self.problems.add("bad_colour", self.rel, line, f"colours.{name}",
                                  value=repr(value))
                continue
            ratio, partner = min((contrast(value, other), other)
                                 for other in COLOUR_PARTNERS[name])
            if ratio < 4.5:
                self.problems.add("low_contrast", self.rel, line, f"colours.{name}",
                                  value=value, text=partner, ratio=f"{ratio:.1f}")
            else:
                chosen[name] = value.lower()
        return Colours(**chosen)

    def positive_int(self, key: str, default: int) -> int:
        value = self.raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problems.add("wrong_type", self.rel, self.doc.line(key), key,
                              expected_vi="một số nguyên dương", expected_en="a positive "
                              "whole number", actual=repr(value))
            return default
        return value


def load_taxonomy(data: Path, data_dir: str, taxonomy: Taxonomy, codes: list[str],
                  problems: Problems) -> dict[str, Term] | None:
    """Read one data/*.yml list of terms, checking every row; None when the file exists
    but cannot be read at all (its problem is reported)."""
    path = data / taxonomy.file
    rel = f"{data_dir}/{taxonomy.file}"
    if not path.exists():
        return {}
    doc = load_yaml_file(path, rel, problems)
    if doc is None:
        return None
    if doc.value is None:
        return {}
    if not isinstance(doc.value, list):
        problems.add("wrong_type", rel, 1, None, expected_vi="một danh sách (mỗi mục bắt đầu "
                     "bằng '- ')", expected_en="a list (each entry starts with '- ')",
                     actual=type(doc.value).__name__)
        return None
    terms: dict[str, Term] = {}
    first_line: dict[str, int] = {}
    known = [f.name for f in taxonomy.fields]
    for index, row in enumerate(doc.value):
        line = doc.line(index)
        if not isinstance(row, dict):
            problems.add("yaml_not_mapping", rel, line)
            continue
        ok = True
        steps: dict[str, tuple[ItemRef, ...] | None] = {}  # lists of items, read once
        for key in row:
            if key not in known:
                problems.add("unknown_field", rel, doc.line(index, key), str(key),
                             type=taxonomy.file, allowed=", ".join(known))
                ok = False
        for spec in taxonomy.fields:
            value = row.get(spec.name)
            if value is None:
                if spec.required:
                    problems.add("missing_field", rel, line, spec.name, label_vi=spec.name,
                                 label_en=spec.name)
                    ok = False
                continue
            if spec.kind == "id" and not (isinstance(value, str) and ID_PATTERN.match(value)):
                problems.add("wrong_type", rel, doc.line(index, spec.name), spec.name,
                             expected_vi="mã chữ thường không dấu, nối bằng '-' (vd. 'dich-vu-"
                             "cong')", expected_en="a lowercase id joined by '-' (e.g. "
                             "'online-services')", actual=repr(value))
                ok = False
            if spec.kind == "localized":
                ok &= _check_localized(value, codes, rel, doc.line(index, spec.name),
                                       spec.name, problems)
            if spec.kind == "items":
                steps[spec.name] = _item_refs(value, doc, (index, spec.name), rel, problems)
                ok &= steps[spec.name] is not None
        if not ok:
            continue
        term_id = str(row[taxonomy.id_field])
        if term_id in terms:
            problems.add("duplicate_id", rel, line, taxonomy.id_field, value=term_id,
                         other_line=first_line[term_id])
            continue
        first_line[term_id] = line or 0
        localized = {
            f.name: _as_localized(row.get(f.name), codes[0])
            for f in taxonomy.fields if f.kind == "localized"
        }
        extra = {f.name: row[f.name] for f in taxonomy.fields
                 if f.kind not in ("localized",) and f.name in row}
        extra.update({k: v for k, v in localized.items() if k not in ("name", "description")})
        extra.update(steps)
        terms[term_id] = Term(term_id, localized["name"], localized.get("description", {}),
                              extra, line)
    return terms


def _item_refs(value: Any, doc: YamlDoc, position: tuple[Any, ...], rel: str,
               problems: Problems) -> tuple[ItemRef, ...] | None:
    """A list of items, one a line, in order: whether each exists is known only once the
    content is read (pages.py checks it)."""
    if not (isinstance(value, list) and all(isinstance(key, str) and key.strip()
                                            for key in value)):
        problems.add("wrong_type", rel, doc.line(*position), position[-1],
                     expected_vi="danh sách bài theo thứ tự, mỗi dòng một bài: "
                     "'- guides/dang-ky-tai-khoan-vneid'", expected_en="a list of items in "
                     "order, one a line: '- guides/dang-ky-tai-khoan-vneid'",
                     actual=repr(value))
        return None
    return tuple(ItemRef(key.strip(), doc.line(*position, step))
                 for step, key in enumerate(value))


def _check_localized(value: Any, codes: list[str], rel: str, line: int | None, name: str,
                     problems: Problems) -> bool:
    """A text per language: {vi: ..., en: ...}; a plain text counts as the first language."""
    if isinstance(value, str):
        return True
    if not isinstance(value, dict):
        problems.add("wrong_type", rel, line, name, expected_vi="'vi: ...' và 'en: ...'",
                     expected_en="'vi: ...' and 'en: ...'", actual=repr(value))
        return False
    ok = True
    for key, text in value.items():
        if key not in codes:
            problems.add("unknown_language_key", rel, line, name, value=key,
                         allowed=", ".join(codes))
            ok = False
        elif not isinstance(text, str) or not text.strip():
            problems.add("empty_field", rel, line, f"{name}.{key}")
            ok = False
    if codes[0] not in value:
        problems.add("missing_translation_label", rel, line, name, lang=codes[0])
        ok = False
    return ok


def _as_localized(value: Any, default_lang: str) -> Localized:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {default_lang: str(value)}


def _check_taxonomy_refs(site: SiteConfig, data_dir: str, problems: Problems) -> None:
    for taxonomy in TAXONOMIES:
        for spec in taxonomy.fields:
            if spec.kind != "ref" or not spec.ref:
                continue
            targets = site.taxonomies[spec.ref]
            for term in site.taxonomies[taxonomy.key].values():
                value = term.extra.get(spec.name)
                if value is not None and value not in targets:
                    problems.add("unknown_ref", f"{data_dir}/{taxonomy.file}", term.line, spec.name,
                                 value=value, source=f"{data_dir}/{TAXONOMIES_BY_FILE[spec.ref]}",
                                 allowed=", ".join(sorted(targets)[:12]))


TAXONOMIES_BY_FILE = {t.key: t.file for t in TAXONOMIES}
