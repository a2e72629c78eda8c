"""The example portal in a real browser (Chromium) at phone size: language switching lands on
the same page, pages fit a 360 px screen, and the menu opens."""

from __future__ import annotations

import pytest

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def test_switching_language_keeps_the_page(phone, example_url: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(example_url + "huong-dan/dang-ky-tai-khoan-vneid/")
    assert phone.locator("html").get_attribute("lang") == "vi"
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_load_state()
    assert phone.url == example_url + "en/guides/dang-ky-tai-khoan-vneid/"
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.get_by_role("link", name="Tiếng Việt").first.click()
    phone.wait_for_load_state()
    assert phone.url == example_url + "huong-dan/dang-ky-tai-khoan-vneid/"


@pytest.mark.parametrize("path", ["", "en/", "huong-dan/", "huong-dan/dang-ky-tai-khoan-vneid/",
                                  "chu-de/vneid/", "dia-phuong/", "su-kien/", "so-lieu/",
                                  "so-lieu/vneid-xac-nhan/", "so-lieu/nhiem-vu/",
                                  "so-lieu/bao-cao/2026-10/", "dia-phuong/lam-binh/",
                                  "tim-kiem/"])
def test_pages_fit_a_phone_screen(phone, example_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(example_url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
    assert phone.locator("h1").count() == 1


def test_menu_lists_the_sections(phone, example_url: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(example_url)
    phone.locator("summary", has_text="Danh mục").click()
    nav = phone.locator(".menu--compact nav")
    nav.get_by_role("link", name="Hướng dẫn").wait_for(state="visible")
    labels = nav.locator("a").all_inner_texts()
    assert any("Sự kiện" in label for label in labels)
    assert not any("Đăng ký tài khoản VNeID" in label for label in labels)
