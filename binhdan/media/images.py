"""Photos as phones need them: upright, stripped of EXIF and GPS, resized to a few widths,
WebP with a JPEG fallback (PNG for graphics and transparent images). Originals in git are
never published, so a photo with the GPS position of someone's home can never reach the
site by accident; only the variants of pictures published pages show are.

Every picture an item uses (drafts' too, so a damaged one is caught before its day) goes
through here. Results are cached by the image's bytes and these settings: an unchanged
image is never rendered twice. Each cached variant's digest is recorded when it is written and
checked before it is published: a variant that is missing, damaged or edited in the cache is
rendered again, never published.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..common import parallel
from ..common.cache import CheckedFiles, digest, tell, usable_folder, write_atomic
from ..common.folders import temporary_folder
from ..common.problems import Problems
from . import svg

RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")
WIDTHS = (360, 720, 1080, 1440)
# Photos: lossy WebP 75 and JPEG 80. Graphics (PNG/GIF sources: screenshots, infographics,
# logos) keep sharp text: PNG fallback, and lossless WebP when they have few colours.
SETTINGS = ("v5 cascade webp75/85/lossless1024 jpeg80 png flat-scaled256 "
            + " ".join(map(str, WIDTHS)))
FLAT_COLOURS = 1024
# A flat graphic scaled down gains thousands of blended colours along every edge: saved
# lossless as they are, a 720 px infographic was 169 KB (its 1080 px original 25 KB) and
# took 0.7 s to encode. Mapped back to a palette of this many, it is 39 KB and as sharp.
SCALED_FLAT_COLOURS = 256
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485  # Pillow's guard against decompression bombs
WARN_BYTES = 5 * 1024 * 1024
WARN_PIXELS = 6000 * 6000
OUTPUT = "img"  # site folder of the variants
SIZES = "(min-width: 46rem) 44rem, 100vw"  # the content column is at most 46rem wide


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative: "img/3f2a…-720.webp"
    width: int
    height: int
    kind: str  # webp | jpeg | png | gif
    digest: str  # of the cached file's bytes: checked before the file is published


@dataclass(frozen=True)
class Picture:
    """What a page needs to show one image: its size and every variant."""

    width: int
    height: int
    variants: tuple[Variant, ...]

    def of(self, kind: str) -> list[Variant]:
        return [v for v in self.variants if v.kind == kind]

    @property
    def fallback(self) -> list[Variant]:
        return [v for v in self.variants if v.kind != "webp"]

    @property
    def medium(self) -> Variant:
        """The fallback near 720 px: for posters, feeds and og:image."""
        fallbacks = self.fallback
        return next((v for v in fallbacks if v.width >= 720), fallbacks[-1])

    @property
    def largest(self) -> Variant:
        return self.fallback[-1]


@dataclass
class Results:
    pictures: dict[str, Picture]  # content path -> picture
    files: dict[str, Path]  # site path -> file to publish (in the cache)
    rendered: int = 0  # images rendered in this build (the rest came from the cache)
    # content path -> the SVG as published (sanitised: see svg.py); refused ones are absent
    svgs: dict[str, bytes] = field(default_factory=dict)


def process_all(content_dir: Path, paths: Iterable[str], cache_dir: Path | None,
                problems: Problems, content_rel: str = "content",
                referenced_by: Callable[[str], str | None] | None = None) -> Results:
    """Variants for every raster image in `paths` (relative to content_dir), and every SVG
    sanitised. Images not in the cache (or whose cached variants fail their digest) are
    rendered on all cores (a phone photo takes about a second)."""
    paths = sorted(paths)
    cache_dir = usable_folder(cache_dir) or temporary_folder("binhdan-images-")
    results = Results({}, {})
    keys: dict[str, tuple[str, int]] = {}  # content path -> (cache key, size in bytes)
    for path in (p for p in paths if p.lower().endswith(RASTER)):
        data = (content_dir / path).read_bytes()
        keys[path] = (hashlib.sha256(SETTINGS.encode() + data).hexdigest()[:20], len(data))
    cached: dict[str, Picture] = {}
    damaged = 0
    checked = CheckedFiles(cache_dir)
    for key in {key for key, _ in keys.values()}:
        manifest = cache_dir / f"{key}.txt"
        if manifest.exists():
            picture = _cached_picture(manifest, key, checked)
            if picture is None:
                damaged += 1
            else:
                cached[key] = picture
    if damaged:
        tell("cache_entries_damaged", cache_dir, count=damaged)
    missing = {key: path for path, (key, _) in keys.items() if key not in cached}
    rendered = dict(parallel.map_all(
        _render_job, [(key, str(content_dir / path), str(cache_dir))
                      for key, path in missing.items()], chunksize=1, threshold=2))
    for path, (key, size) in keys.items():
        rel, where = f"{content_rel}/{path}", (referenced_by(path) if referenced_by else None)
        if key in rendered:
            picture, notes = rendered[key]
            for code, warning, params in notes:
                problems.add(code, rel, None, None, warning=warning, used_in=where or "-",
                             **params)
            if picture is None:
                continue
            if missing.get(key) == path:  # once per distinct image
                _write_manifest(cache_dir / f"{key}.txt", picture)
                for variant in picture.variants:
                    checked.written(Path(variant.url).name, variant.digest)
                results.rendered += 1
        else:
            picture = cached[key]
        if size > WARN_BYTES or picture.width * picture.height > WARN_PIXELS:
            problems.add("image_too_large", rel, None, None, warning=True,
                         size=f"{size / 1024 / 1024:.1f}",
                         dimensions=f"{picture.width}×{picture.height}", used_in=where or "-")
        for variant in picture.variants:
            results.files[variant.url] = cache_dir / Path(variant.url).name
        results.pictures[path] = picture
    checked.save()
    for path in (p for p in paths if p.lower().endswith(".svg")):
        _sanitise_svg(content_dir, path, f"{content_rel}/{path}", results, problems,
                      referenced_by(path) if referenced_by else None)
    return results


def _sanitise_svg(content_dir: Path, path: str, rel: str, results: Results, problems: Problems,
                  used_in: str | None) -> None:
    """What is published of an SVG: its harmless content only (the editor is told what was
    removed), or nothing when it cannot be parsed safely."""
    try:
        results.svgs[path], removed = svg.sanitise((content_dir / path).read_bytes())
    except svg.Refused as refused:
        problems.add(refused.code, rel, used_in=used_in or "-", detail=refused.detail)
        return
    if removed:
        problems.add("svg_unsafe_removed", rel, warning=True, used_in=used_in or "-",
                     removed=", ".join(removed))


Note = tuple[str, bool, dict[str, object]]  # problem code, is a warning, its details


def _render_job(job: tuple[str, str, str]) -> tuple[str, tuple[Picture | None, list[Note]]]:
    key, source, cache_dir = job
    notes: list[Note] = []
    picture = _render(Path(source).read_bytes(), key, Path(cache_dir), notes)
    return key, (picture, notes)


def _render(data: bytes, key: str, cache_dir: Path, notes: list[Note]) -> Picture | None:
    """Every variant, written to the cache with its digest."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as bomb:  # refused before a pixel is decoded
        pixels = re.search(r"\((\d+) pixels\)", str(bomb))
        notes.append(("image_too_many_pixels", False, {
            "millions": int(pixels[1]) // 1_000_000 if pixels else "?",
            "limit": 2 * MAX_PIXELS // 1_000_000}))
        return None
    except (UnidentifiedImageError, OSError, SyntaxError):
        notes.append(("corrupt_image", False, {}))
        return None
    graphic = image.format in ("PNG", "GIF")
    if getattr(image, "is_animated", False):
        # An animation keeps its frames; only its metadata goes (Pillow drops EXIF).
        name = f"{key}-{image.width}.gif"
        out = io.BytesIO()  # not the source's comment:
        image.save(out, "GIF", save_all=True, optimize=True, comment=b"")
        notes.append(("animated_image", True, {}))
        return Picture(image.width, image.height, (Variant(
            f"{OUTPUT}/{name}", image.width, image.height, "gif",
            _store(cache_dir / name, out.getvalue())),))
    image = ImageOps.exif_transpose(image)  # upright first: the EXIF that says how goes next
    # alpha, or a transparent palette entry or colour key (PNG tRNS in P, L and RGB images)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")  # CMYK, palette, 16-bit...
    image.info = {}  # writers copy some of it (a JPEG comment may hold a place or a name)
    fallback_kind = "png" if transparent or graphic else "jpeg"
    flat = graphic and image.getcolors(FLAT_COLOURS) is not None
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    variants = []
    resized = image
    # largest first, each smaller size from the one before (a quarter of the work of
    # resizing the full photo every time, and no visible difference)
    for width in sorted(set(widths), reverse=True):
        height = round(image.height * width / image.width)
        if width != resized.width:
            resized = resized.resize((width, height), Image.LANCZOS)
        encoded = resized  # the next size is made from the full colours
        if flat and width != image.width:
            encoded = resized.quantize(SCALED_FLAT_COLOURS, Image.Quantize.FASTOCTREE,
                                       dither=Image.Dither.NONE)
            if transparent:  # a PNG with a full alpha channel, as the original has
                encoded = encoded.convert("RGBA")
        for kind in ("webp", fallback_kind):
            name = f"{key}-{width}.{'jpg' if kind == 'jpeg' else kind}"
            out = io.BytesIO()
            if kind == "webp" and flat:
                encoded.save(out, "WEBP", lossless=True, quality=100, method=4)
            elif kind == "webp":
                encoded.save(out, "WEBP", quality=85 if graphic else 75, method=4)
            elif kind == "jpeg":
                encoded.save(out, "JPEG", quality=80, optimize=True, progressive=True)
            else:
                encoded.save(out, "PNG", optimize=True)
            variants.append(Variant(f"{OUTPUT}/{name}", width, height, kind,
                                    _store(cache_dir / name, out.getvalue())))
    variants.sort(key=lambda v: (v.width, v.kind != "webp"))  # srcsets list small to large
    return Picture(image.width, image.height, tuple(variants))


def _store(path: Path, data: bytes) -> str:
    write_atomic(path, data)
    return digest(data)


def _write_manifest(path: Path, picture: Picture) -> None:
    lines = [f"{picture.width} {picture.height}"]
    lines += [f"{v.url} {v.width} {v.height} {v.kind} {v.digest}" for v in picture.variants]
    write_atomic(path, ("\n".join(lines) + "\n").encode())


def _cached_picture(path: Path, key: str, checked: CheckedFiles) -> Picture | None:
    """The picture a manifest describes, if it can be read and every variant it lists is
    this image's own, there with the bytes it was written with; else None (it is rendered
    again)."""
    try:
        first, *rest = path.read_text(encoding="utf-8").splitlines()
        width, height = map(int, first.split())
        variants = []
        for line in rest:
            url, w, h, kind, expected = line.split()
            variants.append(Variant(url, int(w), int(h), kind, expected))
    except (OSError, ValueError):  # unreadable, not UTF-8, a line of another shape
        return None
    if not variants or not all(
            v.url == f"{OUTPUT}/{Path(v.url).name}" and Path(v.url).name.startswith(f"{key}-")
            and checked.intact(Path(v.url).name, v.digest)
            for v in variants):
        return None
    return Picture(width, height, tuple(variants))


def picture_html(picture: Picture, alt: str, link: Callable[[str], str], *,
                 lazy: bool = True, css: str = "") -> str:
    """<picture> with WebP and fallback srcsets, width/height against layout shifts."""
    def srcset(variants: list[Variant]) -> str:
        return ", ".join(f"{link(v.url)} {v.width}w" for v in variants)

    webp = picture.of("webp")
    medium = picture.medium
    source = (f'<source type="image/webp" srcset="{srcset(webp)}" sizes="{SIZES}">'
              if webp else "")
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    css_attr = f' class="{css}"' if css else ""
    return (f"<picture>{source}<img{css_attr} src=\"{link(medium.url)}\" "
            f'srcset="{srcset(picture.fallback)}" sizes="{SIZES}" width="{picture.width}" '
            f'height="{picture.height}" alt="{escape(alt)}"{loading}></picture>')


_IMG = re.compile(r"<img\s([^>]*?)/?>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def rewrite_images(html: str, resolve: Callable[[str], str | None],
                   pictures: dict[str, Picture], link: Callable[[str], str],
                   simple: bool = False) -> str:
    """Body images (<img> from Markdown) become <picture> with variants; `resolve` turns an
    <img src> back into a content path."""
    def replace(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        path = resolve(attrs.get("src", ""))
        picture = pictures.get(path) if path else None
        if picture is None:
            return match.group(0)
        alt = unescape(attrs.get("alt", ""))
        if simple:  # feeds: one plain image, readers handle <picture> unevenly
            medium = picture.medium
            return (f'<img src="{link(medium.url)}" width="{medium.width}" '
                    f'height="{medium.height}" alt="{escape(alt)}">')
        return picture_html(picture, alt, link, css=attrs.get("class", ""))

    return _IMG.sub(replace, html)

