"""Static portal generator for Vietnam's "Bình dân học vụ số" movement.

Core modules (content, site, pages, i18n, ...) know nothing of MkDocs; `binhdan.plugin` is
the thin adapter that plugs them into `mkdocs build` and `mkdocs serve`.
"""
