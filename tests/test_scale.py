"""Pages do not grow with the site: no page lists every item, so a province's years of
content stay light to download and linear to build (timings live in `make bench`)."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench import COMMUNES, generate
from conftest import build


def page_sizes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("index.html")}


def test_page_weight_does_not_grow_with_the_number_of_items(tmp_path: Path) -> None:
    sizes = {}
    for items in (40, 400):
        project = tmp_path / f"n{items}"
        generate(items, project)
        built = build(project, tmp_path / f"site{items}", strict=False)
        assert built.result.code == 0, built.result.out
        sizes[items] = page_sizes(built.site)
    small, large = sizes[40], sizes[400]
    assert len(large) > 2 * len(small)  # ten times the items: many more pages
    for name in ("index.html", "en/index.html", "tin-tuc/index.html", "chu-de/vneid/index.html"):
        assert large[name] < 1.5 * small[name] + 2000, name  # listings paginate
    item_pages = [size for name, size in large.items() if "/muc-" in name]
    assert statistics.median(item_pages) < 1.2 * statistics.median(
        [size for name, size in small.items() if "/muc-" in name])
    by_locality = ("so-lieu/", "en/data/", "nguon-tin/", "en/feeds/")
    content_pages = {k: v for k, v in large.items() if not k.startswith(by_locality)}
    assert max(content_pages.values()) < 60_000
    # data and feeds pages grow with the number of localities (166 here), not of items:
    # a row of figures or feeds per locality, about 1 KB each with its labels for phones
    assert max(large.values()) < 1_100 * (COMMUNES + 1)
