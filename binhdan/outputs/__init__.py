"""The build pipeline and its outputs: each reads the plan and yields files (pages,
search, cards, pictures, open data, the web editor; feeds come from plan/feeds.py)."""
