"""The search index: one small interface, two backends (SQLite FTS5, PostgreSQL full text).

``index(document)`` and ``remove(key)`` write in the caller's transaction; ``search`` finds
candidate documents, restricted by a condition the caller builds from each owner's
visibility rule, so the page is one query and nothing invisible is returned.

User input never reaches a full-text syntax as written: ``words`` keeps only the words of
a query, which each backend turns into its own safe form (FTS5: every word a quoted prefix
term; PostgreSQL: ``websearch_to_tsquery``, which never raises on odd input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
    text,
)

from quarter_node.extensions import db
from quarter_node.plugins.types import SearchDocument
from quarter_node.search.models import SearchEntry

# Marks around matched words in snippets: private-use characters, removed from every
# indexed text, so the view can escape the snippet and then turn exactly these into <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


@dataclass(frozen=True)
class Hit:
    """One found document as a results page shows it."""

    kind: str
    object_id: int
    url: str
    title: str
    snippet: str
    created_at: datetime
    author_id: int | None = None


def words(query: str) -> list[str]:
    """The words of a user's query (letters and digits), without any search syntax."""
    return _WORD.findall(query)[:MAX_WORDS]


def index(document: SearchDocument, connection: Connection | None = None) -> None:
    """Add or replace the document under its key, in the current transaction."""
    conn = connection or db.session.connection()
    _delete(conn, document.kind, document.object_id)
    conn.execute(
        insert(SearchEntry.__table__).values(
            kind=document.kind,
            object_id=document.object_id,
            url=document.url,
            title=_MARKS.sub("", document.title)[:500],
            text=_MARKS.sub("", document.text),
            language=document.language,
            created_at=document.created_at,
            author_id=document.author_id,
            group_id=document.group_id,
        )
    )


def remove(key: str, connection: Connection | None = None) -> None:
    """Drop the document ``"<kind>:<id>"`` (nothing happens when it is not indexed)."""
    kind, _sep, object_id = key.partition(":")
    _delete(connection or db.session.connection(), kind, int(object_id))


def clear() -> None:
    """Empty the whole index (before a rebuild)."""
    db.session.execute(delete(SearchEntry))


def _delete(conn: Connection, kind: str, object_id: int) -> None:
    table = SearchEntry.__table__
    conn.execute(delete(table).where(table.c.kind == kind, table.c.object_id == object_id))


def search(
    query_words: list[str], condition: ColumnElement[bool], *, offset: int, limit: int
) -> list[Hit]:
    """Documents matching all ``query_words`` (best first, then newest) among those
    ``condition`` keeps; one query."""
    if db.engine.dialect.name == "postgresql":
        statement = _postgres_query(query_words)
    else:
        statement = _sqlite_query(query_words)
    statement = statement.where(condition).offset(offset).limit(limit)
    return [Hit(*row) for row in db.session.execute(statement)]


def _columns() -> tuple:
    e = SearchEntry
    return (e.kind, e.object_id, e.url, e.title)


def _sqlite_query(query_words: list[str]):  # noqa: ANN202  (a Select)
    fts = table("search_fts", column("rowid"), column("rank"))
    match = " ".join('"' + word.replace('"', "") + '"*' for word in query_words)
    snippet = func.snippet(literal_column("search_fts"), -1, MARK_START, MARK_END, "…", 24)
    return (
        select(*_columns(), snippet, SearchEntry.created_at, SearchEntry.author_id)
        .select_from(SearchEntry)
        .join(fts, fts.c.rowid == SearchEntry.id)
        .where(text("search_fts MATCH :match").bindparams(match=match))
        .order_by(fts.c.rank, SearchEntry.created_at.desc())
    )


def _postgres_query(query_words: list[str]):  # noqa: ANN202  (a Select)
    plain = " ".join(query_words)
    tsquery = func.websearch_to_tsquery("german", plain).op("||")(
        func.websearch_to_tsquery("simple", plain)
    )
    vector = literal_column("search_documents.search_vector")
    options = f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=12'
    snippet = func.ts_headline("german", SearchEntry.text, tsquery, options)
    return (
        select(*_columns(), snippet, SearchEntry.created_at, SearchEntry.author_id)
        .where(vector.op("@@")(tsquery))
        .order_by(func.ts_rank(vector, tsquery).desc(), SearchEntry.created_at.desc())
    )
