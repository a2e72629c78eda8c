"""Images as readers and editors meet them on the built site: phone photos upright, resized and
stripped of everything that could locate someone's home; awkward files (CMYK, transparent,
animated, damaged, missing) handled or reported in both languages; nothing rendered twice;
share cards, data cards and printed QR codes that work where people actually use them.

The awkward images are drawn here with Pillow, so no binary is committed."""

from __future__ import annotations

import hashlib
import io
import random
import re
import shutil
import unicodedata
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat

from binhdan.common.problems import MESSAGES
from binhdan.media import cards, images
from binhdan.model.site import Colours
from conftest import FIXTURES, ROOT, Built, build, check

SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"
NEWS = "content/news/lop-hoc-buon-mot.vi.md"  # an Ea Trang news item the tests give images
NEWS_PAGE = "tin-tuc/lop-hoc-buon-mot/"
# Where the test photos hide a home's position: EXIF, XMP and a JPEG / GIF comment.
MARKER = b"BINHDAN-TEST-HOME-21.8201N"
BODY = {  # body images of the news item: alt text -> file
    "Bìa tài liệu in": "bia-cmyk.jpg",
    "Biểu trưng của xã": "logo.png",
    "Huy hiệu lớp học": "huy-hieu.png",
    "Khung ảnh của xã": "khung.png",
    "Ảnh động hướng dẫn": "dong.gif",
}
RED, NAVY = (220, 0, 0), (0, 0, 128)


def writable_copy(target: Path) -> Path:
    """The Ea Trang fixture as conftest's `project` makes it, for module-scoped builds."""
    # without the build cache a session fixture may have left in the fixture folder
    shutil.copytree(FIXTURES / "ea-trang", target, ignore=shutil.ignore_patterns(".cache"))
    mkdocs_yml = target / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "../../../overrides", str(ROOT / "overrides")), encoding="utf-8")
    return target


def add_to_news(project: Path, front: str, body: str = "") -> None:
    """Front matter lines after the last one the item has, and Markdown after its body."""
    path = project / NEWS
    text = path.read_text(encoding="utf-8").replace("illustrative: true\n",
                                                    f"illustrative: true\n{front}")
    path.write_text(text + body, encoding="utf-8")


def line_of(project: Path, text: str) -> int:
    lines = (project / NEWS).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def phone_photo(path: Path) -> None:
    """4000×3000 as the sensor stores it, shown upright only through EXIF Orientation=6
    (rotate 90° clockwise), with GPS in EXIF and XMP and a comment, as phones and editors
    write them. The stored top-left quadrant is red: after turning it is top-right."""
    image = Image.new("RGB", (4000, 3000), NAVY)
    ImageDraw.Draw(image).rectangle((0, 0, 1999, 1499), fill=RED)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010E] = MARKER.decode()  # ImageDescription
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1], gps[2] = "N", (21.0, 49.0, 12.5)  # GPSLatitudeRef, GPSLatitude
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>' + MARKER + \
        b"</exif:GPSLatitude></x:xmpmeta>"
    image.save(path, exif=exif, xmp=xmp, comment=MARKER, quality=90)


def draw_awkward_images(folder: Path) -> None:
    phone_photo(folder / "anh.jpg")
    Image.new("CMYK", (800, 600), (0, 220, 220, 0)).save(folder / "bia-cmyk.jpg")
    palette = Image.new("P", (500, 400), 0)  # index 0 is transparent, index 1 red
    palette.putpalette([255, 255, 255, *RED])
    ImageDraw.Draw(palette).rectangle((100, 100, 399, 299), fill=1)
    palette.save(folder / "logo.png", transparency=0)
    badge = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(badge).ellipse((50, 50, 349, 349), fill=(*NAVY, 128))
    badge.save(folder / "huy-hieu.png")
    frame = Image.new("RGB", (400, 300), (255, 255, 255))  # white is the tRNS colour key
    ImageDraw.Draw(frame).rectangle((100, 75, 299, 224), fill=NAVY)
    frame.save(folder / "khung.png", transparency=(255, 255, 255))
    frames = [Image.new("RGB", (120, 90), colour) for colour in ("red", "green", "blue")]
    frames[0].save(folder / "dong.gif", save_all=True, append_images=frames[1:],
                   duration=200, loop=0, comment=MARKER)


@dataclass
class Photos:
    project: Path
    built: Built
    originals: dict[Path, str]  # content image -> its sha256 before the build
    cache: dict[Path, int]  # cached variant -> mtime (ns) after the first build

    @property
    def page(self) -> BeautifulSoup:
        return self.built.html(NEWS_PAGE)

    def variants(self, img: Tag) -> dict[int, Path]:
        """Width -> the file a phone downloads for it, from a srcset on the news page."""
        found = {}
        for candidate in img["srcset"].split(","):
            url, width = candidate.split()
            found[int(width.removesuffix("w"))] = (self.built.site / NEWS_PAGE / url).resolve()
        return found

    def body_image(self, alt: str) -> Tag:
        return self.page.select_one(f'.portal-body picture img[alt="{alt}"]')


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mtimes(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.iterdir()}


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Photos:
    """One build of Ea Trang whose news item shows every awkward image (shared: ~2 s)."""
    root = tmp_path_factory.mktemp("photos")
    project = writable_copy(root / "project")
    draw_awkward_images(project / "content/news")
    add_to_news(project, "image: anh.jpg\nimage_alt: Người dân học cài VNeID ở nhà văn hóa buôn\n",
                "".join(f"\n![{alt}]({name})\n" for alt, name in BODY.items()))
    originals = {path: sha256(path) for path in (project / "content/news").iterdir()
                 if path.suffix in images.RASTER}
    built = build(project, root / "site")
    assert built.result.code == 0, built.result.out
    return Photos(project, built, originals, mtimes(project / ".cache/binhdan/images"))


def test_phone_photo_is_upright_resized_webp_with_jpeg_fallback(photos: Photos) -> None:
    cover = photos.page.select_one("picture > img.portal-cover")
    webp = cover.find_previous_sibling("source", type="image/webp")
    for img, kind in ((webp, "WEBP"), (cover, "JPEG")):
        variants = photos.variants(img)
        assert sorted(variants) == [360, 720, 1080, 1440]  # every images.WIDTHS fits 3000
        for width, path in variants.items():
            with Image.open(path) as image:
                assert (image.format, image.mode) == (kind, "RGB")
                assert image.size == (width, round(width * 4000 / 3000))  # portrait
                assert max(abs(a - b) for a, b in zip(image.getpixel((width - 4, 4)), RED,
                                                       strict=True)) < 40  # turned clockwise
                assert max(abs(a - b) for a, b in zip(image.getpixel((4, 4)), NAVY,
                                                       strict=True)) < 40
        assert img["sizes"] == images.SIZES
    assert (cover["width"], cover["height"]) == ("3000", "4000")  # no layout shift
    assert cover["src"].endswith("-720.jpg")
    assert cover["alt"] == "Người dân học cài VNeID ở nhà văn hóa buôn"
    # The cover is the first thing seen: fetched at once. Body images wait until scrolled to.
    assert not cover.has_attr("loading")
    for alt in BODY:
        img = photos.body_image(alt)
        assert (img["loading"], img["decoding"]) == ("lazy", "async"), alt
        assert img.has_attr("width") and img.has_attr("height"), alt
    published = {sha256(p) for p in photos.built.site.rglob("*") if p.is_file()}
    assert not published & set(photos.originals.values())  # originals stay in git


def test_no_metadata_reaches_the_site(photos: Photos) -> None:
    assert all(MARKER in path.read_bytes() for path in photos.originals
               if path.name in ("anh.jpg", "dong.gif"))  # the sources do carry it
    with Image.open(photos.project / "content/news/anh.jpg") as source:
        assert source.getexif().get_ifd(0x8825)[2] == (21.0, 49.0, 12.5)
    published = sorted((photos.built.site / "img").iterdir())
    assert len(published) == 4 * 2 + 3 * 2 + 3 * (2 * 2) + 1  # widths × (webp + fallback)
    for path in published:
        data = path.read_bytes()
        assert MARKER not in data and b"Exif\x00\x00" not in data, path.name
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info), \
                path.name


def test_originals_in_content_are_left_as_they_were(photos: Photos) -> None:
    assert {path: sha256(path) for path in photos.originals} == photos.originals


def test_cmyk_print_file_becomes_rgb(photos: Photos) -> None:
    img = photos.body_image("Bìa tài liệu in")
    assert (img["width"], img["height"]) == ("800", "600")
    webp = img.find_previous_sibling("source", type="image/webp")
    for tag, kind in ((webp, "WEBP"), (img, "JPEG")):
        variants = photos.variants(tag)
        assert sorted(variants) == [360, 720, 800]
        for path in variants.values():
            with Image.open(path) as image:
                assert (image.format, image.mode) == (kind, "RGB")
                red, green, blue = image.getpixel((10, 10))
                assert red > 200 and green < 100 and blue < 100  # not inverted, not grey


@pytest.mark.parametrize(("alt", "inside"), [("Biểu trưng của xã", (*RED, 255)),
                                             ("Huy hiệu lớp học", (*NAVY, 128)),
                                             ("Khung ảnh của xã", (*NAVY, 255))])
def test_transparent_png_keeps_its_alpha(photos: Photos, alt: str,
                                         inside: tuple[int, int, int, int]) -> None:
    img = photos.body_image(alt)
    webp = img.find_previous_sibling("source", type="image/webp")
    for tag, kind in ((webp, "WEBP"), (img, "PNG")):
        for path in photos.variants(tag).values():
            with Image.open(path) as image:
                assert (image.format, image.mode) == (kind, "RGBA"), path.name
                assert image.getpixel((1, 1))[3] == 0  # the corner stays see-through
                centre = image.getpixel((image.width // 2, image.height // 2))
                assert max(abs(a - b) for a, b in zip(centre, inside, strict=True)) < 12


def test_animated_gif_keeps_its_frames(photos: Photos) -> None:
    img = photos.body_image("Ảnh động hướng dẫn")
    (path,) = photos.variants(img).values()
    with Image.open(path) as image:
        assert (image.format, image.n_frames, image.size) == ("GIF", 3, (120, 90))
    assert "content/news/dong.gif" in photos.built.result.out  # warned: heavy on phones


def test_a_second_build_renders_no_image(photos: Photos, tmp_path: Path) -> None:
    assert "binhdan: 6 images rendered, 0 from the cache" in photos.built.result.out
    assert re.search(r"binhdan: \d+ share and data cards drawn, 0 from", photos.built.result.out)
    cards_before = mtimes(photos.project / ".cache/binhdan/cards")
    again = build(photos.project, tmp_path / "site")
    assert again.result.code == 0, again.result.out
    assert "images rendered" not in again.result.out
    assert "cards drawn" not in again.result.out
    assert mtimes(photos.project / ".cache/binhdan/images") == photos.cache  # none rewritten
    assert mtimes(photos.project / ".cache/binhdan/cards") == cards_before
    first, second = photos.built.site / "img", again.site / "img"
    assert sorted(p.name for p in second.iterdir()) == sorted(p.name for p in first.iterdir())
    assert all(sha256(path) == sha256(first / path.name) for path in second.iterdir())


def assert_reported(project: Path, tmp_path: Path, *expected: str) -> None:
    """`binhdan check` and the build both stop with the editor's report, never a traceback."""
    for result in (check(project), build(project, tmp_path / "site").result):
        assert result.code != 0, result.out
        assert "Traceback" not in result.out, result.out
        for text in expected:
            assert text in result.out, (text, result.out)


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(out, "JPEG")
    return out.getvalue()[:4000]


@pytest.mark.parametrize("data", [random.Random(2026).randbytes(20_000), truncated_jpeg()],
                         ids=["random-bytes", "truncated"])
def test_a_damaged_image_is_reported_in_both_languages(project: Path, tmp_path: Path,
                                                       data: bytes) -> None:
    (project / "content/news/hong.jpg").write_bytes(data)
    add_to_news(project, "image: hong.jpg\nimage_alt: Ảnh lớp học\n")
    vi, en = (text.format(used_in=NEWS) for text in MESSAGES["corrupt_image"])
    assert_reported(project, tmp_path, "LỖI / ERROR  content/news/hong.jpg", f"vi: {vi}",
                    f"en: {en}")


def test_a_missing_cover_image_names_the_file_field_and_line(project: Path,
                                                            tmp_path: Path) -> None:
    add_to_news(project, "image: khong-co.jpg\nimage_alt: Ảnh lớp học\n")
    vi, en = MESSAGES["missing_file"]
    values = {"field": "image", "value": "khong-co.jpg", "looked": "content/news/khong-co.jpg"}
    assert_reported(project, tmp_path, f"{NEWS}:{line_of(project, 'image: khong-co.jpg')} [image]",
                    f"vi: {vi.format(**values)}", f"en: {en.format(**values)}")


def test_a_missing_body_image_names_the_file_and_line(project: Path, tmp_path: Path) -> None:
    add_to_news(project, "", "\n![Sơ đồ đường đến nhà văn hóa](so-do.png)\n")
    vi, en = MESSAGES["broken_file_link"]
    values = {"value": "so-do.png", "target": "content/news/so-do.png"}
    assert_reported(project, tmp_path, f"{NEWS}:{line_of(project, '](so-do.png)')}\n",
                    f"vi: {vi.format(**values)}", f"en: {en.format(**values)}")


def vietnamese_letters() -> list[str]:
    """Every Vietnamese letter, both cases, with each of the five tones (and none)."""
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền sắc ngã hỏi nặng
    lower = [unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy"
             for tone in tones]
    return [*lower, *(letter.upper() for letter in lower), "đ", "Đ"]


@pytest.mark.parametrize("font_file", [cards.REGULAR, cards.BOLD], ids=lambda p: p.name)
def test_bundled_font_has_every_vietnamese_letter(font_file: Path) -> None:
    font = ImageFont.truetype(str(font_file), 40)

    def drawn(text: str) -> bytes:
        image = Image.new("L", (120, 120))
        ImageDraw.Draw(image).text((20, 20), text, font=font, fill=255)
        assert image.getbbox() is not None, text
        return image.tobytes()

    letters = vietnamese_letters()
    assert len(letters) == 12 * 6 * 2 + 2 and all(len(letter) == 1 for letter in letters)
    notdef = drawn("\ue000")  # a private-use character: the font's "no such glyph" box
    assert drawn("\u0378") == notdef  # an unassigned one draws the very same box
    shapes = {drawn(letter) for letter in letters}
    assert notdef not in shapes
    assert len(shapes) == len(letters)  # no two letters share a glyph (no fallback box)


def test_share_card_is_a_deterministic_png_without_tofu() -> None:
    card = cards.ShareCard("Hướng dẫn",
                           "Đăng ký tài khoản định danh điện tử mức độ 2 — ẫ ặ ự",
                           "Xã Na Hang · Xã Lâm Bình", "Bình dân học vụ số – Tỉnh Tuyên Quang",
                           Colours())
    png = cards.render_share(card)
    assert png == cards.render_share(card)  # same text, same bytes: caches and diffs hold
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))

    def with_title(title: str) -> bytes:
        return cards.render_share(replace(card, title=title))

    tofu = with_title("\ue000")
    for letter, bare in (("ẫ", "a"), ("ặ", "a"), ("ự", "u"), ("Đ", "D"), ("ở", "o")):
        drawn = with_title(letter)
        assert drawn != tofu, letter  # a real glyph, not the missing-glyph box
        assert drawn != with_title(bare), letter  # its marks are drawn


def png_rows(png: bytes) -> tuple[int, list[bytes]]:
    """A PNG's palette size and its rows as stored (filter byte first), read with zlib."""
    chunks, at = {}, 8
    while at < len(png):
        size = int.from_bytes(png[at:at + 4], "big")
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + size]
        assert int.from_bytes(png[at + 8 + size:at + 12 + size], "big") == zlib.crc32(
            kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + size
    width = int.from_bytes(chunks[b"IHDR"][:4], "big")
    data = zlib.decompress(chunks[b"IDAT"])
    return len(chunks[b"PLTE"]) // 3, [data[y:y + width + 1]
                                       for y in range(0, len(data), width + 1)]


def test_cards_are_sound_pngs_drawn_edge_to_edge() -> None:
    """Cards are written by our own PNG code (ISA-L's deflate): every chunk's checksum holds,
    every row starts with a valid filter byte and uses only palette entries that exist, and
    the picture covers the card from its first column to its last, nothing shifted (the
    canvas carries a column of its own for the rows' filter bytes). Even a word too wide
    for the card, centred in the "illustrative" band, starts nowhere left of the card."""
    colours = Colours(brand="#7a1f1f", accent="#f6c945")
    share = cards.render_share(cards.ShareCard(
        "Tin tức", "Một tiêu đề", "Xã Na Hang", "Bình dân học vụ số", colours,
        band="NỘI DUNG MINH HỌA"))
    data = cards.render_data(cards.DataCard(
        "72,5%", "Xã Na Hang: 72,5%", "Mục tiêu 2026: 80,0%", "Tháng 10/2026",
        "Bình dân học vụ số", "", 0.5, colours))
    too_wide = cards.render_share(cards.ShareCard(
        "Tin tức", "T", "", "Bình dân học vụ số", colours, band="W" * 60))
    for png in (share, data, too_wide):
        with Image.open(io.BytesIO(png)) as image:
            image.verify()  # structure and checksums, as a strict reader checks them
        with Image.open(io.BytesIO(png)) as image:
            assert (image.format, image.mode, image.size) == ("PNG", "P", (1200, 630))
            rgb = image.convert("RGB")
        entries, rows = png_rows(png)
        assert len(rows) == 630 and {row[0] for row in rows} == {0}
        assert max(max(row[1:]) for row in rows) < entries
        for x in (0, 1199):
            assert rgb.getpixel((x, 0)) == rgb.getpixel((x, 95)) == (0x7a, 0x1f, 0x1f)
            assert rgb.getpixel((x, 300)) == (0xff, 0xff, 0xff)
    with Image.open(io.BytesIO(share)) as image:
        rgb = image.convert("RGB")
    for x in (0, 1199):
        assert rgb.getpixel((x, 100)) == rgb.getpixel((x, 629)) == (0xf6, 0xc9, 0x45)
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    assert rgb.getpixel((60, 460)) == (0x7a, 0x1f, 0x1f)  # the bar, filled from its start
    assert rgb.getpixel((59, 460)) == rgb.getpixel((1141, 460)) == (0xff, 0xff, 0xff)
    assert rgb.getpixel((1140, 460)) != (0x7a, 0x1f, 0x1f)  # half: its end is not filled
    # the figure's ink starts where Pillow puts it when it draws the text 60 px in
    plain = Image.new("L", (400, 200))
    ImageDraw.Draw(plain).text((60, 0), "72,5%", font=ImageFont.truetype(str(cards.BOLD), 120),
                               fill=255)
    inked = [x for x in range(200) for y in range(120, 260)
             if rgb.getpixel((x, y)) != (0xff, 0xff, 0xff)]
    assert min(inked) == plain.getbbox()[0] > 60


def heads(built: Built) -> dict[str, BeautifulSoup]:
    """Every published HTML page's <head> (enough for meta tags, and quick to parse)."""
    found = {}
    for path in sorted(built.site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found[path.relative_to(built.site).as_posix()] = BeautifulSoup(
            text[:text.index("</head>")], "html.parser")
    return found


def meta(head: BeautifulSoup, key: str) -> str | None:
    tag = head.find("meta", attrs={"property": key}) or head.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_page_has_a_share_preview(example: Built) -> None:
    pages = {name: head for name, head in heads(example).items()  # not the widget, editor
             if "noindex" not in (meta(head, "robots") or "")}
    assert len(pages) > 200
    locales = {"vi": "vi_VN", "en": "en_US"}
    cards_used = set()
    for name, head in pages.items():
        title = meta(head, "og:title")
        assert title and head.title.get_text().startswith(title), name
        assert meta(head, "og:locale") == locales[head.html["lang"]], name
        assert meta(head, "twitter:card") == "summary_large_image", name
        image = meta(head, "og:image")
        assert image and image.startswith(SITE_URL + "og/") and image.endswith(".png"), name
        cards_used.add(image.removeprefix(SITE_URL))
    for card in cards_used:
        with Image.open(example.site / card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), card


def test_english_pages_share_english_cards(example: Built) -> None:
    by_url = {meta(head, "og:url"): head for head in heads(example).values()
              if meta(head, "og:url")}
    pairs = 0
    for url, head in by_url.items():
        english = head.find("link", rel="alternate", hreflang="en")
        if head.html["lang"] != "vi" or english is None or english["href"] not in by_url:
            continue
        other = by_url[english["href"]]
        assert (meta(head, "og:locale"), meta(other, "og:locale")) == ("vi_VN", "en_US")
        assert meta(other, "og:image") != meta(head, "og:image"), (url, english["href"])
        pairs += 1
    assert pairs > 50
    home, english_home = by_url[SITE_URL], by_url[SITE_URL + "en/"]
    assert meta(english_home, "og:image") != meta(home, "og:image")


@pytest.mark.parametrize("mode", ["sections", "none"])
def test_large_sites_can_share_fewer_cards(project: Path, tmp_path: Path, mode: str) -> None:
    """`share_cards: sections` gives an item its section's picture (fewer cards to draw on a
    first build); `none` gives every page of a language the home page's picture."""
    site_yml = project / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + f"share_cards: {mode}\n",
                        encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    image = {name: meta(head, "og:image") for name, head in heads(built).items()}
    guides = [image[f"huong-dan/{slug}/index.html"]
              for slug in ("cai-dat-vneid", "bao-mat-tai-khoan", "nop-ho-so-truc-tuyen")]
    expected = image["huong-dan/index.html" if mode == "sections" else "index.html"]
    assert expected and guides == [expected] * 3
    assert (image["tin-tuc/index.html"] == expected) is (mode == "none")


@pytest.mark.parametrize("dashboard", ["so-lieu/", "en/data/"])
def test_dashboard_data_cards_exist_with_their_figure_as_text(example: Built,
                                                              dashboard: str) -> None:
    page = example.html(dashboard)
    links = page.select('section.data-indicator a[download][href$=".png"]')
    assert len(links) >= 8
    assert len({link["href"] for link in links}) == len(links)
    for link in links:
        with Image.open(example.site / dashboard / link["href"]) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), link["href"]
        figure = re.match(r"[^:]+: (\S+) – ", link.get_text())
        assert figure, link.get_text()  # "Tỉnh Tuyên Quang: 92,8% – Cán bộ ..."
        latest = link.find_parent("section").select("table tbody tr")[-1]
        assert latest.td.get_text(strip=True) == figure[1], link.get_text()


def test_a_huge_photo_is_published_small_with_a_warning_naming_its_item(
        project: Path, tmp_path: Path) -> None:
    """A 40-megapixel camera file: published at phone sizes, the editor told where it is
    used, and the build goes ahead."""
    Image.new("RGB", (7300, 5500), NAVY).save(project / "content/news/lon.jpg", quality=60)
    add_to_news(project, "image: lon.jpg\nimage_alt: Ảnh lớp học rất lớn\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    assert "CẢNH BÁO / WARNING  content/news/lon.jpg" in built.result.out
    assert "Used in: " + NEWS in built.result.out and "7300×5500" in built.result.out
    cover = built.html(NEWS_PAGE).select_one("img.portal-cover")
    assert max(int(c.split()[1][:-1]) for c in cover["srcset"].split(",")) == 1440


def test_an_image_too_large_to_open_safely_is_an_error(project: Path, tmp_path: Path) -> None:
    Image.new("L", (14000, 14000)).save(project / "content/news/bom.png")  # 196 Mpx, 190 KB
    add_to_news(project, "image: bom.png\nimage_alt: Ảnh\n")
    assert_reported(project, tmp_path, "LỖI / ERROR  content/news/bom.png",
                    "too large to process safely (196 million pixels", f"Used in: {NEWS}")


def test_a_decorative_image_has_an_empty_description_on_purpose(project: Path,
                                                                tmp_path: Path) -> None:
    Image.new("RGB", (600, 40), NAVY).save(project / "content/news/vach.png")
    add_to_news(project, "", "\n![](vach.png){.decorative}\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    img = built.html(NEWS_PAGE).select_one(".portal-body picture img")
    assert img["alt"] == "" and "decorative" in img["class"]


def test_screenshots_and_infographics_stay_sharp(photos: Photos, project: Path,
                                                tmp_path: Path) -> None:
    """A PNG graphic is not turned into a blurry JPEG: PNG fallback, lossless WebP; its
    scaled-down sizes stay as sharp and lighter than the full size is twice."""
    graphic = Image.new("RGB", (1200, 800), (255, 255, 255))  # an infographic's colours
    draw, bold = ImageDraw.Draw(graphic), ImageFont.truetype(str(cards.BOLD), 60)
    draw.rectangle((0, 0, 1200, 160), fill=(178, 34, 34))
    draw.text((40, 40), "Nhận biết cuộc gọi lừa đảo", fill=(255, 255, 255), font=bold)
    draw.text((40, 240), "Bước 1: mở VNeID", fill=(0, 0, 0), font=bold)
    draw.text((40, 400), "Bước 2: quét mã QR", fill=(30, 90, 50), font=bold)
    draw.rectangle((0, 640, 1200, 800), fill=(20, 40, 100))
    draw.text((40, 680), "Bình dân học vụ số", fill=(255, 220, 120), font=bold)
    graphic.save(project / "content/news/man-hinh.png")
    add_to_news(project, "", "\n![Màn hình VNeID](man-hinh.png)\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    img = built.html(NEWS_PAGE).select_one('img[alt="Màn hình VNeID"]')
    assert img["src"].endswith(".png")
    webp = img.find_previous_sibling("source")["srcset"].split(",")[-1].split()[0]
    with Image.open(built.site / NEWS_PAGE / webp) as variant, \
            Image.open(project / "content/news/man-hinh.png") as source:
        assert variant.size == source.size
        assert variant.convert("RGB").tobytes() == source.tobytes()  # lossless
        full = (built.site / NEWS_PAGE / webp).stat().st_size
        scaled = [candidate.split()[0] for candidate in
                  img.find_previous_sibling("source")["srcset"].split(",")[:-1]]
        assert len(scaled) == 3, scaled  # 360, 720 and 1080 px
        for url in scaled:
            # a phone takes a scaled one: not many times the full size (lossless, the
            # blended edges made the 720 px one of an infographic 7 times as heavy)
            path = built.site / NEWS_PAGE / url
            assert path.stat().st_size < 2 * full, (url, path.stat().st_size, full)
            with Image.open(path) as small:  # and as it was drawn, scaled
                expected = source.resize(small.size, Image.LANCZOS)
                difference = ImageChops.difference(small.convert("RGB"), expected)
                assert max(ImageStat.Stat(difference).mean) < 1.5, url


def test_card_text_wraps_between_words_only() -> None:
    font = ImageFont.truetype(str(cards.BOLD), 64)
    title = ("Hướng dẫn người cao tuổi ở thôn bản vùng sâu đăng ký tài khoản định danh điện "
             "tử mức hai và dùng sổ sức khỏe điện tử trên ứng dụng VNeID ẫ ặ ự") * 2
    lines = cards.wrap(title, font, 1080, 4)
    assert len(lines) == 4 and lines[-1].endswith(" …")
    assert all(font.getlength(line) <= 1080 for line in lines)
    words = " ".join(lines).removesuffix(" …").split()
    assert words == title.split()[:len(words)]  # whole words, in order, none cut


def test_the_units_colours_reach_pages_and_cards(project: Path, tmp_path: Path) -> None:
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8")
                        + 'colours:\n  brand: "#7a1f1f"\n  accent: "#f6c945"\n',
                        encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    page = built.html(NEWS_PAGE)
    css = page.select_one('link[rel=stylesheet]')["href"]
    assert "--brand:#7a1f1f" in (built.site / NEWS_PAGE / css.split("?")[0]).read_text()
    card = meta(page.find("head"), "og:image").removeprefix("https://eatrang.example.gov.vn/")
    with Image.open(built.site / card) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((10, 10)) == (0x7a, 0x1f, 0x1f)  # the top band
        assert rgb.getpixel((10, 100)) == (0xf6, 0xc9, 0x45)  # the accent line


def test_colours_too_pale_for_their_text_are_refused(project: Path) -> None:
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8")
                        + 'colours:\n  brand: "#8fb3d9"\n  accent: vang\n', encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "data/site.yml:" in result.out and "[colours.brand]" in result.out
    assert "contrast 2.0:1, at least 4.5:1" in result.out
    assert "[colours.accent]" in result.out and "Write a 6-digit colour code" in result.out
