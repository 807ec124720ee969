"""Keyset pagination of post listings by (time, post id), newest first.

Pages are addressed by the post they start after (``?before=<cursor>``, "Older") or before
(``?after=<cursor>``, "Newer"), so new posts never shift a page and deep pages stay fast.
The ``Page`` object fits the ``pagination`` macro of ``_macros.html``.

Most listings sort by the post's own ``created_at``; the home timeline sorts by the time a
post entered it (its latest share by someone followed, see ``posts/home.py``), so the cursor
holds that time: ``paginate_entries``.

Each page also says which stretch of time it covers, ``[older_bound, newer_bound)``: from its
oldest post (open when nothing is older) up to the next newer post outside the page (open on
the first page). The pages of one walk tile the time line, so plugin entries placed by time
(``posts/plugin_entries.py``) land on exactly one page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import ColumnElement, Select, Subquery, and_, or_, select
from sqlalchemy.orm import aliased

from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.posts.timelines import card_loading

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


Cursor = tuple[datetime, int]


@dataclass
class Page:
    items: list[Post]
    has_prev: bool  # newer posts exist
    has_next: bool  # older posts exist
    prev_url: str | None
    next_url: str | None
    # Who shared a listed post into the home timeline (post id -> sharer).
    shared_by: dict[int, Actor] = field(default_factory=dict)
    # The time each listed post is sorted by (post id -> time), and the range the page covers.
    listed_at: dict[int, datetime] = field(default_factory=dict)
    older_bound: datetime | None = None
    newer_bound: datetime | None = None
    # Plugins' entries inside the range, newest first (``posts/plugin_entries.py``).
    entries: list[Any] = field(default_factory=list)


def encode_cursor(at: datetime, post_id: int) -> str:
    return f"{(at - _EPOCH) // _MICROSECOND}-{post_id}"


def decode_cursor(raw: str | None) -> Cursor | None:
    """None for a missing or malformed cursor (a bad link shows the first page)."""
    if not raw:
        return None
    micros, _sep, post_id = raw.partition("-")
    if not (micros.isdigit() and post_id.isdigit()) or len(micros) > 18:
        return None
    return _EPOCH + int(micros) * _MICROSECOND, int(post_id)


@dataclass(frozen=True)
class _Keyset:
    """How one listing is sorted and read: its two sort columns, how rows are fetched and
    which cursor a fetched row stands at."""

    at: ColumnElement[Any]
    post_id: ColumnElement[Any]
    fetch: Callable[[Select[Any]], list[Any]]
    cursor_of: Callable[[Any], Cursor]


def paginate_posts(
    query: Select[Any],
    page_args: Mapping[str, str],
    *,
    page_size: int | None = None,
    endpoint: str | None = None,
    **url_values: Any,
) -> Page:
    """One page of ``query`` (a ``select(Post)``, already filtered; any ORDER BY is replaced;
    authors, groups and images are loaded along).

    ``page_args`` is usually ``request.args``; links go to ``endpoint`` (default: the current
    one, with the current view arguments) plus ``url_values``.
    """
    keyset = _Keyset(
        at=Post.created_at,
        post_id=Post.id,
        fetch=lambda statement: list(db.session.scalars(statement)),
        cursor_of=lambda post: (post.created_at, post.id),
    )
    query = query.order_by(None).options(*card_loading())
    window = _window(query, keyset, page_args, page_size)
    page = _page(window, keyset, _link_maker(endpoint, url_values))
    page.listed_at = {post.id: post.created_at for post in window.rows}
    return page


def paginate_entries(
    entries: Subquery,
    page_args: Mapping[str, str],
    *,
    page_size: int | None = None,
    endpoint: str | None = None,
    **url_values: Any,
) -> Page:
    """One page of timeline entries: ``entries`` has one row per post (``post_id``), the
    time it is listed at (``at``) and who shared it (``sharer_id``, NULL when listed for
    itself). Posts, their cards' data and the sharers come in one query."""
    sharer = aliased(Actor)
    query = (
        select(Post, entries.c.at, sharer)
        .join(entries, entries.c.post_id == Post.id)
        .outerjoin(sharer, sharer.id == entries.c.sharer_id)
        .options(*card_loading())
    )
    keyset = _Keyset(
        at=entries.c.at,
        post_id=entries.c.post_id,
        fetch=lambda statement: list(db.session.execute(statement).all()),
        cursor_of=lambda row: (row[1], row[0].id),
    )
    window = _window(query, keyset, page_args, page_size)
    page = _page(window, keyset, _link_maker(endpoint, url_values))
    page.items = [row[0] for row in window.rows]
    page.shared_by = {row[0].id: row[2] for row in window.rows if row[2] is not None}
    page.listed_at = {row[0].id: row[1] for row in window.rows}
    return page


@dataclass(frozen=True)
class _Window:
    """The rows of one page, newest first; whether newer/older rows exist; the time range
    the page covers (see the module docstring)."""

    rows: list[Any]
    has_prev: bool
    has_next: bool
    older_bound: datetime | None
    newer_bound: datetime | None


def _window(
    query: Select[Any], keyset: _Keyset, page_args: Mapping[str, str], page_size: int | None
) -> _Window:
    size = page_size or current_app.config["PAGE_SIZE"]
    before, after = decode_cursor(page_args.get("before")), decode_cursor(page_args.get("after"))
    if after is not None and before is None:
        rows = _newer_than(query, keyset, after, size)
        page = rows[:size][::-1]
        # The row past the page is the next newer one; the cursor's row is older than all.
        newer = keyset.cursor_of(rows[size])[0] if len(rows) > size else None
        older = keyset.cursor_of(page[-1])[0] if page else after[0]
        return _Window(page, len(rows) > size, True, older, newer)
    rows = _older_than(query, keyset, before, size)
    page = rows[:size]
    # Walking older, the next newer row is the one the cursor names.
    older = keyset.cursor_of(page[-1])[0] if len(rows) > size else None
    newer = before[0] if before is not None else None
    return _Window(page, before is not None, len(rows) > size, older, newer)


def _page(window: _Window, keyset: _Keyset, link: Callable[..., str]) -> Page:
    rows = window.rows
    return Page(
        items=rows,
        has_prev=window.has_prev and bool(rows),
        has_next=window.has_next and bool(rows),
        prev_url=link(after=encode_cursor(*keyset.cursor_of(rows[0]))) if rows else None,
        next_url=link(before=encode_cursor(*keyset.cursor_of(rows[-1]))) if rows else None,
        older_bound=window.older_bound,
        newer_bound=window.newer_bound,
    )


def _older_than(query: Select[Any], keyset: _Keyset, cursor: Cursor | None, size: int) -> list:
    at, post_id = keyset.at, keyset.post_id
    if cursor is not None:
        query = query.where(or_(at < cursor[0], and_(at == cursor[0], post_id < cursor[1])))
    return keyset.fetch(query.order_by(at.desc(), post_id.desc()).limit(size + 1))


def _newer_than(query: Select[Any], keyset: _Keyset, cursor: Cursor, size: int) -> list:
    at, post_id = keyset.at, keyset.post_id
    query = query.where(or_(at > cursor[0], and_(at == cursor[0], post_id > cursor[1])))
    return keyset.fetch(query.order_by(at.asc(), post_id.asc()).limit(size + 1))


def _link_maker(endpoint: str | None, url_values: dict[str, Any]):  # noqa: ANN202
    target = endpoint or request.endpoint
    values = {**(request.view_args or {}), **url_values} if endpoint is None else url_values

    def link(**cursor: str) -> str:
        return url_for(target, **values, **cursor)

    return link
