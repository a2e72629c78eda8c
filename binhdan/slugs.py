"""Page addresses from Vietnamese text: "Đăng ký tài khoản" -> "dang-ky-tai-khoan"."""

from __future__ import annotations

from slugify import slugify as _slugify


def slugify(text: str, separator: str = "-") -> str:
    """Transliterate (đ -> d, ư -> u, tones dropped) and join words with `separator`."""
    return _slugify(text, separator=separator)


def heading_id(text: str, separator: str) -> str:
    """Markdown `toc` extension hook: Vietnamese headings get readable anchors (#buoc-1)."""
    return slugify(text, separator)
