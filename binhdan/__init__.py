"""Static portal generator for Vietnam's "Bình dân học vụ số" movement.

The core owns the build, in layers that import only downwards (pyproject's import-linter
contracts, run by `make test`):

- `adapter`: MkDocs' plugin, which only translates; `cli`: the `binhdan` command.
- `publishing`: one build session from staging folder to a published site; server configs.
- `outputs`: the pipeline and every output (pages, feeds, search, cards, open data, editor).
- `plan`: the portal's state and its page plan: every page, feed and address it publishes.
- `figures`: progress data against the plans' targets, and what the site counts itself.
- `media`: pictures, SVG cleaning and share/data cards (drawing only).
- `model`: content and settings read from files, and their checks.
- `common`: problems in two languages, the build cache, worker pools.

`slugs` keeps its path: every site's mkdocs.yml names `binhdan.slugs.heading_id`.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # its code and data are part of every build's digest
VENDOR_DIR = PACKAGE_DIR / "vendor"  # third-party bundles and fonts, each with its licence
