"""Page addresses from Vietnamese text: "Đăng ký tài khoản" -> "dang-ky-tai-khoan"."""

from __future__ import annotations

import re

from slugify import slugify as _slugify

# already an address: python-slugify gives it back as it is, after 10 µs of work (every file
# name of a build: 0.2 s of a one-edit rebuild at 10,000 items x 2)
_ADDRESS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str, separator: str = "-") -> str:
    """Transliterate (đ -> d, ư -> u, tones dropped) and join words with `separator`."""
    if separator == "-" and _ADDRESS.fullmatch(text):
        return text
    # the backend named: "auto" looks for the optional `unidecode` on every call, and a
    # failed import is not remembered (a tenth of converting a page with Vietnamese
    # headings); it would also change the addresses wherever `unidecode` is installed
    return _slugify(text, separator=separator, backend="text-unidecode")


def heading_id(text: str, separator: str) -> str:
    """Markdown `toc` extension hook: Vietnamese headings get readable anchors (#buoc-1)."""
    return slugify(text, separator)
