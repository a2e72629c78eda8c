"""Pictures: resized variants, cleaned SVG, and share and data cards drawn from what they
are given."""
