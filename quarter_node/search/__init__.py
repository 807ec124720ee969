"""Full-text search: one index (``index.py``) that the core's posts and the plugins feed.

``models.py`` is the plain table of documents; the dialect's own full-text machinery sits
beside it (an FTS5 table on SQLite, a generated ``tsvector`` column on PostgreSQL; see
``schema.py``). ``posts.py`` keeps posts indexed, ``plugins.py`` wires the plugin hooks,
``services.py`` answers a search with each owner's visibility rules applied in SQL.
"""
