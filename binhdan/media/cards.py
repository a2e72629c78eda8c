"""Share cards (1200×630 PNG) for Zalo and Facebook previews, and data cards with a figure,
drawn with Pillow and a bundled font that covers Vietnamese (DejaVu Sans, licence in
binhdan/vendor/fonts/). Text wraps at spaces only, so no word and none of its stacked marks
(ẫ ặ ự) is ever cut; a title too long for the card ends with "…" after a whole word.

Output is deterministic (same text, same bytes) and cached by a digest of everything drawn,
so a rebuild renders only the cards whose text changed; many new cards render on all cores.
A cached card's file name carries the digest of its bytes, checked before it is published: a
card missing, damaged or edited in the cache is drawn again.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from zlib_ng import zlib_ng

from .. import VENDOR_DIR
from ..common import parallel
from ..common.cache import CheckedFiles, digest, tell, usable_folder, write_atomic
from ..common.folders import temporary_folder
from ..model.site import INK, PAPER, Colours, rgb

FONTS = VENDOR_DIR / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
WIDTH, HEIGHT = 1200, 630
LAYOUT = "cards-v7"  # v7: written by zlib-ng
MUTED, BAR = "#4a5568", "#e2e8f0"
BAND_TOP = HEIGHT - 56  # the "illustrative" band: the bottom 56 px, full width


@dataclass(frozen=True)
class ShareCard:
    kicker: str  # "HƯỚNG DẪN"
    title: str
    detail: str  # localities, or the page's summary
    footer: str  # "Bình dân học vụ số – Tỉnh Tuyên Quang"
    colours: Colours
    band: str = ""  # "NỘI DUNG MINH HỌA" across the card when the item is invented

    @cached_property  # asked for by every page the card previews
    def key(self) -> str:
        return _digest("share", self.kicker, self.title, self.detail, self.footer,
                       self.band, self.colours.brand, self.colours.accent)


@dataclass(frozen=True)
class DataCard:
    value: str  # "72,5%"
    sentence: str  # "Xã Na Hang: 72,5% người trưởng thành … trên VNeID"
    target: str  # "Mục tiêu 2026: 80,0% · Chậm tiến độ"
    period: str  # "Số liệu tháng 10/2026"
    footer: str
    badge: str  # "DỮ LIỆU MINH HỌA" across the card when invented, else ""
    share: float | None  # value / target, for the bar
    colours: Colours

    @property
    def text(self) -> str:
        """Everything the card says, as one text alternative (link text, alt)."""
        parts = [self.sentence, self.target, self.period, self.badge.capitalize()]
        return " ".join(f"{part}." for part in parts if part)

    @cached_property  # asked for by every page the card previews
    def key(self) -> str:
        return _digest("data", self.value, self.sentence, self.target, self.period,
                       self.footer, self.badge, f"{self.share}", self.colours.brand,
                       self.colours.accent)


@cache
def _font_digest() -> str:
    return hashlib.sha256(REGULAR.read_bytes() + BOLD.read_bytes()).hexdigest()[:16]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((LAYOUT, _font_digest(), *parts)).encode()
                          ).hexdigest()[:20]


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


@lru_cache(maxsize=8192)
def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    """A word's (or a space's) advance width; syllables recur on every card. A line is
    measured as the sum of its words and spaces: DejaVu kerns no pair with a space, so the
    sum is the line's own width to the last bit (checked on 284,000 lines of titles,
    sentences and names). Measuring each candidate line whole was a sixth of a card."""
    return font.getlength(text)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Whole words per line; if the text does not fit, the last line ends with "…"."""
    words, result, current, used = text.split(), [], "", 0.0
    space = _length(font, " ")
    for index, word in enumerate(words):
        wide = used + space + _length(font, word) if current else _length(font, word)
        if wide <= width or not current:
            current, used = f"{current} {word}" if current else word, wide
            continue
        result.append(current)
        current, used = word, _length(font, word)
        if len(result) == lines:
            current = ""
            words = words[index:]
            break
    else:
        words = []
    if current:
        result.append(current)
    if words or len(result) > lines:  # cut: keep whole words and say so
        result = result[:lines]
        last = result[-1]
        while last and _length(font, last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else ""
        result[-1] = f"{last} …".strip()
    return result


@cache
def _share_frame(footer: str, kicker: str, colours: Colours) -> Image.Image:
    """What all cards of one section share (bands, unit name, section name): drawn once
    per worker, copied for each card."""
    canvas = _Canvas(colours)
    brand = colours.brand
    canvas.rectangle((0, 0, WIDTH, 96), brand)
    canvas.rectangle((0, 96, WIDTH, 104), colours.accent)
    canvas.text((60, 26), footer, _font(True, 34), PAPER, on=brand)
    canvas.text((60, 150), kicker.upper(), _font(True, 30), brand)
    canvas.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), colours.brand_dark)
    return canvas.image


def _band(canvas: _Canvas, text: str) -> None:
    """The "illustrative" label as a band across the bottom of the card, text centred: it
    survives the square and wide crops that Zalo and Facebook make of a preview."""
    if not text:
        return
    accent, font = canvas.colours.accent, _font(True, 30)
    canvas.rectangle((0, BAND_TOP, WIDTH, HEIGHT), accent)
    line = wrap(text, font, WIDTH - 80, 1)[0]
    canvas.text(((WIDTH - _length(font, line)) / 2, BAND_TOP + 11), line, font, INK,
                on=accent)


def render_share(card: ShareCard) -> bytes:
    canvas = _Canvas(card.colours, _share_frame(card.footer, card.kicker, card.colours))
    size, step = (56, 70) if card.band else (64, 80)  # the band takes room: smaller lines
    title_font = _font(True, size)
    y = 205
    for line in wrap(card.title, title_font, WIDTH - 120, 4):
        canvas.text((60, y), line, title_font, INK, once=True)
        y += step
    for line in wrap(card.detail, _font(False, 32), WIDTH - 120, 1):
        canvas.text((60, max(y + 20, 520)), line, _font(False, 32), MUTED)
    _band(canvas, card.band)
    return canvas.png()


def render_data(card: DataCard) -> bytes:
    canvas = _Canvas(card.colours)
    brand = card.colours.brand
    canvas.rectangle((0, 0, WIDTH, 96), brand)
    canvas.text((60, 26), card.footer, _font(True, 34), PAPER, on=brand)
    canvas.text((60, 120), card.value, _font(True, 120), brand)
    y = 275
    for line in wrap(card.sentence, _font(True, 40), WIDTH - 120, 3):
        canvas.text((60, y), line, _font(True, 40), INK, once=True)
        y += 52
    if card.share is not None:
        bar = (60, 446, WIDTH - 60, 474)
        canvas.rectangle(bar, BAR)
        filled = bar[0] + (bar[2] - bar[0]) * max(0.0, min(card.share, 1.0))
        canvas.rectangle((bar[0], bar[1], filled, bar[3]), brand)
    canvas.text((60, 490), card.target, _font(False, 32), INK)
    canvas.text((60, 532), card.period, _font(False, 28), MUTED)
    _band(canvas, card.badge)
    return canvas.png()


_STEPS = 8  # 9 shades per edge: smooth at card size, fewer colours to compress
_COVERED = bytes([0] + [255] * 255)  # any coverage at all: the pixel takes its shade


def _solid(colours: Colours) -> tuple[str, ...]:
    """The palette's first entries. PAPER is entry 0: see _Canvas."""
    return (PAPER, INK, colours.brand, colours.brand_dark, colours.accent, MUTED, BAR)


def _pairs(colours: Colours) -> tuple[tuple[str, str], ...]:
    """Each text colour over each background it is drawn on (anti-aliasing ramps)."""
    return ((PAPER, INK), (PAPER, colours.brand), (PAPER, MUTED), (colours.brand, PAPER),
            (colours.accent, INK))


@cache
def _palette(colours: Colours) -> tuple[list[tuple[int, int, int]],
                                        dict[tuple[str, str], list[int]]]:
    """Palette colours, and for each (background, text) pair the entries of its ramp."""
    palette = [rgb(colour) for colour in _solid(colours)]
    ramps = {}
    for background, text in _pairs(colours):
        start, end = rgb(background), rgb(text)
        ramp = []
        for step in range(_STEPS + 1):
            colour = tuple(round(a + (b - a) * step / _STEPS)
                           for a, b in zip(start, end, strict=True))
            if colour not in palette:
                palette.append(colour)  # type: ignore[arg-type]
            ramp.append(palette.index(colour))  # type: ignore[arg-type]
        ramps[(background, text)] = ramp
    return palette, ramps


@cache
def _lookup(colours: Colours, background: str, text: str) -> bytes:
    """Coverage (0-255) of a text pixel -> the palette entry of that shade, as a table for
    `bytes.translate` (Image.point rounds its table in Python on every call: a tenth of a
    card's time)."""
    ramp = _palette(colours)[1][(background, text)]
    return bytes(ramp[round(level * _STEPS / 255)] for level in range(256))


class _Canvas:
    """A palette image with exactly anti-aliased text. Each text is drawn as a coverage mask
    and mapped to its colour ramp, so no colour search (quantisation) is needed: a card
    costs about 1.5 ms and 21 KB, and the same text gives the same bytes (with one build
    of ISA-L: its code depends on the processor).

    The image is one pixel wider than the card, everything drawn one pixel to the right:
    its first column is PAPER (palette entry 0; `png` sets it again before writing), which
    is also the byte that starts each row of a PNG's pixel data (filter type 0, none). So
    the image's bytes are that data as they are, compressed without a copy row by row."""

    def __init__(self, colours: Colours, frame: Image.Image | None = None) -> None:
        """A blank card, or a copy of `frame` to draw on."""
        self.colours = colours
        if frame is not None:
            self.image = frame.copy()
        else:
            self.image = Image.new("P", (1 + WIDTH, HEIGHT), self.index(PAPER))
        self.draw = ImageDraw.Draw(self.image)

    def index(self, colour: str) -> int:
        return _solid(self.colours).index(colour)

    def rectangle(self, box: tuple[float, float, float, float], colour: str) -> None:
        left, top, right, bottom = box
        self.draw.rectangle((1 + left, top, 1 + right, bottom), fill=self.index(colour))

    def text(self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont,
             colour: str, on: str = PAPER, once: bool = False) -> None:
        """Draw `text`. `once`: a text no other card shows (a title's line) is drawn word by
        word, each word at its place in the line: its words recur on other cards."""
        if not once:
            self._paste(xy, _text(text, font, self.colours, on, colour))
            return
        x, end = xy[0], 0
        for match in re.finditer(r"\S+", text):  # each word after the words and spaces
            x += _length(font, " ") * (match.start() - end)  # before it (see _length)
            self._paste((x, xy[1]), _word(match[0], font, self.colours, on, colour))
            x, end = x + _length(font, match[0]), match.end()

    def _paste(self, xy: tuple[float, float],
               drawn: tuple[Image.Image, Image.Image, int, int] | None) -> None:
        if drawn is not None:
            shades, covered, left, top = drawn
            self.image.paste(shades, (1 + int(xy[0]) + left, int(xy[1]) + top), covered)

    def png(self) -> bytes:
        """The card as an 8-bit palette PNG. Pillow's PNG writer spent 1.4 of its 2.1 ms
        per card in zlib; zlib-ng's deflate (level 2, filtered) takes about 0.6 ms for the
        same data and writes 24 KB. ISA-L's (0.2 ms) was tried and dropped: the same card
        now and then came out in other bytes (it reads memory it has not set), so two
        builds of one site differed."""
        # the filter bytes, whatever was drawn: a word wider than the card, centred, starts
        # left of its edge
        self.image.paste(self.index(PAPER), (0, 0, 1, HEIGHT))
        palette = b"".join(bytes(colour) for colour in _palette(self.colours)[0])
        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)  # 8-bit, palette
        return b"".join((PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                         _chunk(b"IDAT", _deflate(self.image.tobytes())),
                         _chunk(b"IEND", b"")))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data (PNG spec, section 5.3)."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib_ng.crc32(kind + data)))


def _deflate(data: bytes) -> bytes:
    """zlib data, the same bytes for the same card on this machine."""
    compressor = zlib_ng.compressobj(2, zlib_ng.DEFLATED, 15, 8, zlib_ng.Z_FILTERED)
    return compressor.compress(data) + compressor.flush()


@lru_cache(maxsize=512)
def _word(text: str, font: ImageFont.FreeTypeFont, colours: Colours, on: str, colour: str
          ) -> tuple[Image.Image, Image.Image, int, int] | None:
    """A word of a title or sentence (about 20 KB of masks): syllables recur across cards."""
    return _text.__wrapped__(text, font, colours, on, colour)


@lru_cache(maxsize=256)
def _text(text: str, font: ImageFont.FreeTypeFont, colours: Colours, on: str, colour: str
          ) -> tuple[Image.Image, Image.Image, int, int] | None:
    """A text's shades and the pixels it covers, and its offset: the same footer, locality,
    period or target appears on hundreds of cards and is drawn once per worker."""
    left, top, right, bottom = (int(v) for v in font.getbbox(text))
    if right <= left or bottom <= top:
        return None
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255)
    coverage = mask.tobytes()
    shades = Image.frombytes("P", mask.size, coverage.translate(_lookup(colours, on, colour)))
    return shades, Image.frombytes("L", mask.size, coverage.translate(_COVERED)), left, top


def _draw(job: tuple[ShareCard | DataCard, Path]) -> tuple[str, Path]:
    """Draw one card into the cache folder (in a worker: only its name travels back)."""
    card, folder = job
    data = render_share(card) if isinstance(card, ShareCard) else render_data(card)
    path = folder / f"{card.key}-{digest(data)}.png"
    write_atomic(path, data)
    return card.key, path


_CACHED = re.compile(r"([0-9a-f]{20})-([0-9a-f]{64})\.png")  # card key, digest of the bytes


@dataclass
class Drawing:
    """Cards being drawn in the background (`missing`), and those the cache already has
    (`cached`: key -> file name), checked as they are placed (`files`)."""

    folder: Path
    cards: dict[str, ShareCard | DataCard]
    cached: dict[str, str]
    missing: int
    pending: Iterator[tuple[str, Path]]
    checked: CheckedFiles  # the next build need not read again the cards checked now

    def files(self, placed: Callable[[str], str] | None = None
              ) -> Iterator[tuple[str, Path | None]]:
        """Every card's key and file; None: `placed(key)`, where an earlier build put the
        card in the site being rebuilt, is still that file, and is left alone (one look at
        it, not three: 23,500 cards at 10,000 items x 2). A cached card found missing,
        damaged or edited is drawn again."""
        again, damaged = [], 0
        for key, name in self.cached.items():
            if placed is not None and self.checked.linked(name, placed(key)):
                yield key, None
            elif self.checked.intact(name, name.removesuffix(".png").split("-")[1]):
                yield key, self.folder / name
            else:
                if os.path.lexists(self.folder / name):  # else simply gone: drawn again
                    damaged += 1
                again.append((self.cards[key], self.folder))
        if damaged:
            tell("cache_entries_damaged", self.folder, count=damaged)
        self.missing += len(again)
        for key, path in [*parallel.map_all(_draw, again), *self.pending]:
            named = _CACHED.fullmatch(path.name)
            if named:
                self.checked.written(path.name, named[2])
            yield key, path
        self.checked.save()


def draw_all(cards: Iterable[ShareCard | DataCard], cache_dir: Path | None) -> Drawing:
    """Start drawing the cards not in `cache_dir` (a temporary folder when there is no
    cache) with their own bytes, on every core. The cards the folder's record knows (and,
    when many are not in it, its other files) are checked when placed."""
    cache_dir = usable_folder(cache_dir) or temporary_folder("binhdan-cards-")
    unique = {card.key: card for card in cards}
    checked = CheckedFiles(cache_dir)
    cached: dict[str, str] = {}

    def find(names: Iterable[str]) -> None:
        for name in names:
            named = _CACHED.fullmatch(name)
            if named and named[1] in unique and named[1] not in cached:
                cached[named[1]] = name

    find(checked.names())
    if len(unique) - len(cached) >= parallel.POOL_THRESHOLD:  # a build that did not get to
        find(entry.name for entry in os.scandir(cache_dir))   # record what it drew, or none
    missing = [(card, cache_dir) for key, card in unique.items() if key not in cached]
    return Drawing(cache_dir, unique, cached, len(missing),
                   parallel.start_all(_draw, missing), checked)
