"""Localised text as it appears on pages: dates, numbers and slugs per language."""

from __future__ import annotations

import sys
import types
from datetime import date, datetime

import pytest

from binhdan.common.problems import Problems
from binhdan.model.dates import VIETNAM
from binhdan.model.i18n import Localizer, load_labels
from binhdan.model.site import load_site
from binhdan.slugs import slugify
from conftest import FIXTURES


@pytest.fixture(scope="module")
def localizers() -> dict[str, Localizer]:
    problems = Problems()
    site = load_site(FIXTURES / "ea-trang", problems)
    assert site is not None and not problems.errors
    labels = load_labels(site, FIXTURES / "ea-trang" / "data", problems)
    return {code: Localizer(site, site.language(code), labels[code])
            for code in site.language_codes}


def test_vietnamese_and_english_formats(localizers: dict[str, Localizer]) -> None:
    vi, en = localizers["vi"], localizers["en"]
    assert vi.date(date(2026, 10, 10)) == "10/10/2026"
    assert en.date(date(2026, 10, 10)) == "10 October 2026"
    assert vi.number(1234.5) == "1.234,5"
    assert en.number(1234.5) == "1,234.5"
    start = datetime(2026, 10, 10, 7, 30, tzinfo=VIETNAM)
    assert vi.datetime(start) == "07:30, 10/10/2026"
    assert en.datetime(start) == "10 October 2026, 07:30"


def test_added_language_uses_its_data_labels_and_falls_back(
        localizers: dict[str, Localizer]) -> None:
    rad = localizers["rad"]
    assert rad.t("ui.home") == "[rad] Trang chủ"  # from data/locales/rad.yml
    assert rad.t("ui.published") == "Ngày đăng"  # not translated: first language
    assert rad.date(date(2026, 10, 10)) == "10/10/2026"  # locale: vi


@pytest.mark.parametrize(("title", "slug"), [
    ("Đăng ký", "dang-ky"),
    ("Đăng ký tài khoản VNeID mức 2", "dang-ky-tai-khoan-vneid-muc-2"),
    ("Chợ số – Nông thôn số 4T", "cho-so-nong-thon-so-4t"),
    ("Ngày hội 10/10", "ngay-hoi-10-10"),
    ("Ứng dụng Ưu đãi ở Đường Đồng", "ung-dung-uu-dai-o-duong-dong"),
])
def test_slugs_transliterate_vietnamese(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugs_do_not_change_when_another_transliterator_is_installed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """python-slugify prefers `unidecode` when it is importable: a site's addresses and
    heading anchors must not move because some other package installed it."""
    other = types.ModuleType("unidecode")
    other.unidecode = lambda text: "other"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unidecode", other)
    assert slugify("Đăng ký tài khoản") == "dang-ky-tai-khoan"
    assert slugify("Bước 1: Cài đặt", "_") == "buoc_1_cai_dat"
