"""What the dialects add to ``search_documents`` outside the models, and how schema
comparisons leave it alone.

The migration creates, on SQLite only, the FTS5 table ``search_fts`` (with its shadow
tables ``search_fts_*`` and three triggers keeping it in step), and on PostgreSQL only the
generated column ``search_vector`` with its GIN index. The models cannot describe either,
so autogenerate and the models-vs-migrations test skip them through ``include_object``.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "search_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_search_documents_vector"


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: False for the dialect-specific full-text objects."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == VECTOR_COLUMN:
        return False
    return not (type_ == "index" and name == VECTOR_INDEX)
