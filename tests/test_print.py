"""Printed guides as a community digital team member prints them in Chromium: one or two A4
pages, no navigation, every picture (lazy ones too) small beside its step, and a QR code
that a phone scans back to the exact page under the site's address and sub-path."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from binhdan.media import qr
from conftest import Built, build, serve

SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
PDF_IMAGE = re.compile(rb"/Subtype\s*/Image")


def pages(pdf: bytes) -> int:
    return len(PDF_PAGE.findall(pdf))


@pytest.fixture
def printer(browser):  # type: ignore[no-untyped-def]
    """A phone-sized window (where the print button is pressed) with a sharp screen, so a
    printed QR code can be photographed off the page."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=3)
    page = context.new_page()
    page.add_init_script("window.print = () => { window.__printed = true; };")
    yield page
    context.close()


def test_every_guide_prints_on_two_pages_with_a_qr_code_that_scans(  # type: ignore[no-untyped-def]
        printer, example: Built, example_url: str) -> None:
    guides = sorted(p.parent.relative_to(example.site).as_posix() + "/"
                    for p in example.site.rglob("index.html")
                    if 'class="print-qr"' in p.read_text(encoding="utf-8"))
    assert len(guides) >= 18  # every guide, in both languages
    for path in guides:
        printer.emulate_media(media="screen")
        printer.goto(example_url + path)
        assert printer.get_by_role("button", name=re.compile("In hướng dẫn|Print this guide")
                                   ).is_visible(), path
        printer.emulate_media(media="print")
        assert printer.locator(".site-header").is_hidden(), path
        assert printer.locator(".portal-step__number").first.is_visible(), path
        qr = printer.locator(".print-footer svg.print-qr")
        box = qr.bounding_box()
        assert box and 100 < box["width"] < 130 and box["height"] == box["width"], path  # 30 mm
        found = zxingcpp.read_barcodes(Image.open(BytesIO(qr.screenshot())))
        assert [(code.format, code.text) for code in found] == \
            [(zxingcpp.BarcodeFormat.QRCode, SITE_URL + path)], path
        assert pages(printer.pdf(format="A4")) <= 2, path


QR_ADDRESSES = [
    SITE_URL,
    SITE_URL + "huong-dan/cai-dat-vneid/",
    SITE_URL + "en/guides/" + "dang-ky-tai-khoan-dinh-danh-dien-tu-muc-do-2-" * 6 + "/",  # long
    "https://xã.example.vn/h%C6%B0%E1%BB%9Bng-d%E1%BA%ABn/?lang=vi#b%C6%B0%E1%BB%9Bc-2",
    "http://localhost:8000/a/",
]


def test_qr_codes_scan_back_to_every_kind_of_address(printer) -> None:  # type: ignore[no-untyped-def]
    """Short and long addresses (higher QR versions), percent-encoded Vietnamese, a query and
    a fragment, a non-ASCII host: each code, drawn at the printed size, scans to its address."""
    for address in QR_ADDRESSES:
        printer.set_content(f'<body style="background:#fff">{qr.qr_code(address)}</body>'
                            "<style>svg{width:114px;height:114px}</style>")
        found = zxingcpp.read_barcodes(Image.open(BytesIO(printer.locator("svg").screenshot())))
        assert [(code.format, code.text) for code in found] == \
            [(zxingcpp.BarcodeFormat.QRCode, address)], address


def screenshot(number: int) -> bytes:
    """A phone screenshot of its own (a PDF keeps one copy of identical pictures)."""
    image = Image.new("RGB", (1080, 1920), (230, 240, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 200, 1000, 400), fill=(11, 79, 138))
    draw.rectangle((80, 600 + number * 40, 1000, 1700), outline=(0, 0, 0), width=8)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_guide_with_a_screenshot_per_step_prints_every_picture_on_two_pages(  # type: ignore[no-untyped-def]
        printer, project: Path, tmp_path: Path) -> None:
    pictures = project / "content/guides/anh"
    pictures.mkdir()
    for number in range(1, 11):
        (pictures / f"man-hinh-{number}.png").write_bytes(screenshot(number))
    steps = "".join(f"  - title: Bước thứ {n} của việc đăng ký\n    text: Làm theo màn hình "
                    f"thứ {n}, đọc kỹ từng chữ rồi bấm nút ở cuối màn hình.\n"
                    f"    image: anh/man-hinh-{n}.png\n    alt: Màn hình bước {n}\n"
                    for n in range(1, 9))
    (project / "content/guides/dang-ky-co-anh.vi.md").write_text(
        "---\ntitle: Đăng ký tài khoản, có ảnh từng bước\ndate: 2026-03-02\n"
        "summary: Tám bước, mỗi bước một ảnh màn hình.\nservice: VNeID\ndifficulty: co-ban\n"
        f"steps:\n{steps}---\nTrước khi bắt đầu, sạc đầy pin.\n\n"
        "![Màn hình đầu tiên](anh/man-hinh-9.png)\n\n![Màn hình cuối](anh/man-hinh-10.png)\n\n"
        "## Lưu ý\n\nKhông đọc mã OTP cho ai.\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    server, url = serve(built.site)
    try:
        printer.goto(url + "huong-dan/dang-ky-co-anh/")
        lazy = printer.locator('img[loading="lazy"]').count()
        assert lazy >= 9  # below the fold on a phone: not loaded until printing
        printer.get_by_role("button", name="In hướng dẫn").click()
        printer.wait_for_function("window.__printed === true")
        assert printer.evaluate("Array.from(document.images).every("
                                "i => i.complete && i.naturalWidth > 0)")
        pdf = printer.pdf(format="A4")
    finally:
        server.shutdown()
    assert pages(pdf) <= 2
    assert len(PDF_IMAGE.findall(pdf)) >= 10  # 8 steps and 2 in the text, none left out
