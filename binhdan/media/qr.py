"""QR codes on printed pages: a phone camera opens the page's address from paper.

zxing-cpp encodes (C++: it tries the eight masks and keeps the one the standard scores best,
in under a millisecond where pure-Python segno took 5-9 ms, which counted thousands of times
at 10,000 guides); segno's SVG writer draws the modules as one path, the compact form the
pages have always carried.
"""

from __future__ import annotations

import hashlib
import io
from importlib.metadata import version

from ..common import parallel
from ..common.cache import Store

# a viewBox and no fixed size: the print stylesheet scales the whole code (a fixed
# width/height was clipped, not scaled, and did not scan)
SVG_SETTINGS = {"scale": 1, "border": 4, "svgclass": "print-qr", "lineclass": None,
                "omitsize": True, "xmldecl": False, "svgns": False, "nl": False}
ERROR_CORRECTION = "M"  # medium: survives a smudged print
VERSION = (f"{version('zxing-cpp')}|{version('segno')}|{ERROR_CORRECTION}|"
           f"{sorted(SVG_SETTINGS.items())}")
"""Changes whenever a code for the same address could be drawn differently (a cache key)."""


def qr_code(url: str) -> str:
    """An inline SVG QR code that opens `url`, with the 4-module quiet zone the standard
    asks for. The encoders are loaded when a code is drawn (0.04 s): a rebuild that draws
    none never does."""
    import segno.writers
    import zxingcpp

    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode,
                                   ec_level=ERROR_CORRECTION)
    modules = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    height, width = modules.shape[:2]
    pixels = modules.tobytes()  # 0 = dark, 255 = light
    matrix = tuple(bytearray(pixel < 128 for pixel in pixels[row * width:(row + 1) * width])
                   for row in range(height))
    out = io.BytesIO()
    segno.writers.write_svg(matrix, (width, height), out, **SVG_SETTINGS)
    return out.getvalue().decode()


def draw_all(urls: list[str], store: Store) -> dict[str, str]:
    """The QR code of each address, kept in the build cache; new codes are drawn on all
    cores (thousands of guides on a big site)."""
    keys = {url: hashlib.sha256(f"{VERSION}|{url}".encode()).hexdigest() for url in urls}
    known = store.get(keys.values())
    fresh = dict(parallel.map_all(_keyed, [(key, url) for url, key in keys.items()
                                           if key not in known]))
    store.put(fresh)
    known.update(fresh)
    return {url: known[key] for url, key in keys.items()}


def _keyed(job: tuple[str, str]) -> tuple[str, str]:
    key, url = job
    return key, qr_code(url)
