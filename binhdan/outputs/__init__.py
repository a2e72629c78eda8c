"""The build pipeline and its outputs: each reads the plan and yields files (pages,
feeds, calendars, search, cards, pictures, open data, the web editor)."""
