"""Keeps posts in the search index, local and remote alike, in the writing transaction.

The core's signals (``post_published``/``post_edited``/``post_deleted``) are sent for local
posts only; remote posts arrive through ingestion and moderators hide posts without a
signal. So the index follows the ``Post`` rows themselves: after each flush, every post
added or changed is indexed again (or removed when deleted or hidden), every post removed
is dropped, with Core statements on the flush's own connection.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from quarter_node.plugins.types import SearchDocument
from quarter_node.posts.models import Post
from quarter_node.search import index

KIND = "post"
TITLE_LENGTH = 80
_BLOCK_END = re.compile(r"</p>|<br\s*/?>|</li>|</h\d>", re.IGNORECASE)


def post_document(post: Post) -> SearchDocument:
    """What the index keeps of a post: its plain text (from the sanitised HTML, so remote
    posts read like local ones), its first words as title, its page on this node."""
    with_breaks = _BLOCK_END.sub("\n", post.content_html or "")
    plain = html.unescape(nh3.clean(with_breaks, tags=set())).strip()
    first_line = (plain.splitlines() or [""])[0]
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[:TITLE_LENGTH] + "…"
    return SearchDocument(
        url=f"/posts/{post.id}",
        title=title,
        text=plain,
        kind=KIND,
        object_id=post.id,
        language=post.language,
        created_at=post.created_at,
        author_id=post.author_id,
        group_id=post.group_id,
    )


def is_searchable(post: Post) -> bool:
    """Deleted and hidden posts leave the index; so do replies' placeholders."""
    return post.deleted_at is None and post.hidden_at is None


# The columns ``post_document`` and ``is_searchable`` read: a post flushed again for
# anything else (its uri, counters, links to other rows) keeps its index entry as it is.
_INDEXED_COLUMNS = (
    "content_html",
    "language",
    "created_at",
    "author_id",
    "group_id",
    "deleted_at",
    "hidden_at",
)


def _document_changed(post: Post) -> bool:
    attributes = inspect(post).attrs
    return any(attributes[name].history.has_changes() for name in _INDEXED_COLUMNS)


def _after_flush(session: Session, _context: Any) -> None:
    connection = session.connection()
    for post in session.deleted:
        if isinstance(post, Post):
            index.remove(f"{KIND}:{post.id}", connection)
    changed = [o for o in session.new if isinstance(o, Post)]
    changed += [o for o in session.dirty if isinstance(o, Post) and _document_changed(o)]
    for post in changed:
        if is_searchable(post):
            index.index(post_document(post), connection)
        else:
            index.remove(f"{KIND}:{post.id}", connection)


def init_app() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
