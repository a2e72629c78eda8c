"""The build pipeline and its outputs: each reads the plan and yields files (pages, feeds
and calendars, search, cards, pictures, open data, the web editor)."""
