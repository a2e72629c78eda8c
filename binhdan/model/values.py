"""Configuration values checked by their type before anything is written from them.

Values of data/site.yml and mkdocs.yml reach the web servers' configuration (`binhdan deploy`),
the Content-Security-Policy, the web editor's config.yml and the pages' links. nginx and Caddy
give quotes, semicolons, braces, `$`, spaces and line breaks a meaning, and a CSP splits on
`;` and spaces: a value holding one could add a header or cut a policy short. So each value
must match what its type allows (an allowlist of characters, then its form), and
`binhdan check` names the file, line and field long before a configuration is generated.
Standard URL parsers are no help here: RFC 3986 allows `'`, `;`, `$` and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..common.problems import Problems

Text = tuple[str, str]  # (Vietnamese, English)

# Characters an editor may type by mistake, named in words (the others by their code point).
_NAMED: dict[str, Text] = {
    " ": ("dấu cách", "a space"),
    "\t": ("phím Tab", "a Tab"),
    "\n": ("một lần xuống dòng", "a line break"),
    '"': ("dấu ngoặc kép \"", "a double quote \""),
    "'": ("dấu nháy đơn '", "a single quote '"),
    "`": ("dấu nháy ngược `", "a backtick `"),
    ";": ("dấu chấm phẩy ;", "a semicolon ;"),
    "{": ("dấu ngoặc nhọn {", "a brace {"),
    "}": ("dấu ngoặc nhọn }", "a brace }"),
    "$": ("ký hiệu $", "a dollar sign $"),
    "\\": ("dấu gạch chéo ngược \\", "a backslash \\"),
    "#": ("dấu #", "a hash sign #"),
    "?": ("dấu ?", "a question mark ?"),
    "@": ("dấu @", "an at sign @"),
    "%": ("dấu %", "a percent sign %"),
}
_NOT_TEXT: Text = ("không phải một dòng chữ", "it is not a line of text")
_NOT_FORM: Text = ("không đúng dạng", "it is not in that form")
_NOT_WEB: Text = ("không bắt đầu bằng https:// hoặc http://",
                  "it does not start with https:// or http://")
_BAD_PORT: Text = ("số cổng (sau dấu hai chấm) không hợp lệ",
                   "the port number (after the colon) is not valid")
SHOWN_LENGTH = 80  # a pasted paragraph is shown cut, not whole


@dataclass(frozen=True)
class ValueType:
    """What one kind of configuration value may hold: its characters, then its form."""

    kind: Text  # "a web address …", said in the message
    example: str
    characters: str  # a regular-expression character class, without the brackets
    form: re.Pattern[str]

    def fault(self, value: object) -> Text | None:
        """Why `value` is not of this type, in words for an editor; None when it is."""
        if not isinstance(value, str):
            return _NOT_TEXT
        if self is WEB_ADDRESS and not value.startswith(("https://", "http://")):
            return _NOT_WEB
        allowed = re.compile(f"[{self.characters}]")
        bad = next((char for char in value if not allowed.fullmatch(char)), None)
        if bad is not None:
            vi, en = _NAMED.get(bad) or (f"ký tự '{bad}' (U+{ord(bad):04X})" if bad.isprintable()
                                         else f"ký tự điều khiển U+{ord(bad):04X}",
                                         f"the character '{bad}' (U+{ord(bad):04X})"
                                         if bad.isprintable()
                                         else f"the control character U+{ord(bad):04X}")
            return f"có {vi}", f"it contains {en}"
        if self.form.fullmatch(value) is None:
            return _NOT_FORM
        if self is WEB_ADDRESS:
            try:
                urlsplit(value).port  # noqa: B018 (raises on a port over 65535)
            except ValueError:
                return _BAD_PORT
        return None

    def check(self, value: object, rel: str, line: int | None, field: str,
              problems: Problems, example: str | None = None) -> bool:
        """Report `value` when it is not of this type; True when it is."""
        fault = self.fault(value)
        if fault is not None:
            problems.add("bad_config_value", rel, line, field, value=shown(value),
                         reason=fault, kind=self.kind, example=example or self.example)
        return fault is None


def shown(value: object) -> str:
    """A value as an editor can read it in a message: line breaks and other invisible
    characters written out (\\n), long values cut."""
    text = value if isinstance(value, str) else repr(value)
    visible = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)
    return visible if len(visible) <= SHOWN_LENGTH else visible[:SHOWN_LENGTH] + "…"


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9._-]*"


def _plain(kind: Text, marks: str, example: str, form: str) -> ValueType:
    """A type of letters without accents, digits and `marks` only."""
    shown_marks = " ".join(marks)
    return ValueType((f"{kind[0]}, chỉ gồm chữ không dấu, số và các dấu {shown_marks}",
                      f"{kind[1]}, made of letters without accents, digits and {shown_marks} "
                      "only"), example, "A-Za-z0-9" + re.escape(marks), re.compile(form))


# An http(s) address with a host: what may be written into a server config or a CSP unquoted.
WEB_ADDRESS = _plain(
    ("một địa chỉ web đầy đủ, bắt đầu bằng https://", "a full web address starting with "
     "https://"), ".-_~:/", "https://gitlab.tinh.gov.vn/api/v4",
    rf"https?://(?:{_LABEL}\.)*{_LABEL}(?::[0-9]{{1,5}})?(?:/[A-Za-z0-9._~-]*)*")
# owner/name; GitLab nests groups: group/subgroup/name.
REPOSITORY = _plain(("tên kho mã dạng chủ/tên", "a repository name owner/name"), ".-_/",
                    "so-tttt/binh-dan-hoc-vu-so", rf"{_SEGMENT}(?:/{_SEGMENT})+")
# git's own rules for branch names (git check-ref-format), narrowed to plain characters.
BRANCH = _plain(("tên nhánh git", "a git branch name"), ".-_/", "main",
                rf"(?!.*\.\.)(?!.*\.lock(?:/|$))(?!.*\.(?:/|$)){_SEGMENT}(?:/{_SEGMENT})*")
APPLICATION_ID = _plain(("mã ứng dụng OAuth", "an OAuth application id"), ".-_",
                        "0123456789abcdef", r"[A-Za-z0-9][A-Za-z0-9._-]*")
WEB_PATH = _plain(("một đường dẫn web", "a web path"), ".-_~/", "oauth/authorize",
                  r"(?!.*(?:^|/)\.\.?(?:/|$))/?[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*/?")
# A Babel/CLDR locale: vi, en, vi_VN, zh-Hant.
LOCALE = _plain(("mã ngôn ngữ địa phương (locale) như vi, en, vi_VN", "a locale code such as "
                 "vi, en, vi_VN"), "_-", "vi", r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")
# A word of the site's addresses (data/locales/*.yml `paths:`): /tien-ich/.
URL_WORD = ValueType(
    ("một từ của địa chỉ trang: chữ thường không dấu, số, nối bằng '-'",
     "a word of the pages' addresses: lowercase letters without accents and digits joined "
     "by '-'"), "tien-ich", r"a-z0-9-", re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"))
EMAIL = ValueType(
    ("một địa chỉ thư điện tử", "an email address"), "binhdanhocvuso@tinh.gov.vn",
    r"A-Za-z0-9._+@-", re.compile(rf"[A-Za-z0-9._+-]+@(?:{_LABEL}\.)+[A-Za-z]{{2,}}"))
PHONE = ValueType(
    ("một số điện thoại: chữ số, dấu cách, dấu + - . ( )",
     "a phone number: digits, spaces and + - . ( )"), "0207 000 0000", r"0-9 +().-",
    re.compile(r"\+?[0-9(][0-9 ().-]{4,24}[0-9]"))
