"""Keyset pagination of post listings by (created_at, id), newest first.

Pages are addressed by the post they start after (``?before=<cursor>``, "Older") or before
(``?after=<cursor>``, "Newer"), so new posts never shift a page and deep pages stay fast.
The ``Page`` object fits the ``pagination`` macro of ``_macros.html``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select, and_, or_

from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.posts.timelines import card_loading

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass
class Page:
    items: list[Post]
    has_prev: bool  # newer posts exist
    has_next: bool  # older posts exist
    prev_url: str | None
    next_url: str | None


def encode_cursor(post: Post) -> str:
    return f"{(post.created_at - _EPOCH) // _MICROSECOND}-{post.id}"


def decode_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """None for a missing or malformed cursor (a bad link shows the first page)."""
    if not raw:
        return None
    micros, _sep, post_id = raw.partition("-")
    if not (micros.isdigit() and post_id.isdigit()) or len(micros) > 18:
        return None
    return _EPOCH + int(micros) * _MICROSECOND, int(post_id)


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
    size = page_size or current_app.config["PAGE_SIZE"]
    before, after = decode_cursor(page_args.get("before")), decode_cursor(page_args.get("after"))
    query = query.order_by(None).options(*card_loading())
    if after is not None and before is None:
        rows = _newer_than(query, after, size)
        items, has_prev, has_next = rows[:size][::-1], len(rows) > size, True
    else:
        rows = _older_than(query, before, size)
        items, has_prev, has_next = rows[:size], before is not None, len(rows) > size
    link = _link_maker(endpoint, url_values)
    return Page(
        items=items,
        has_prev=has_prev and bool(items),
        has_next=has_next and bool(items),
        prev_url=link(after=encode_cursor(items[0])) if items else None,
        next_url=link(before=encode_cursor(items[-1])) if items else None,
    )


def _older_than(query: Select[Any], cursor: tuple[datetime, int] | None, size: int) -> list[Post]:
    if cursor is not None:
        at, post_id = cursor
        query = query.where(
            or_(Post.created_at < at, and_(Post.created_at == at, Post.id < post_id))
        )
    query = query.order_by(Post.created_at.desc(), Post.id.desc()).limit(size + 1)
    return list(db.session.scalars(query))


def _newer_than(query: Select[Any], cursor: tuple[datetime, int], size: int) -> list[Post]:
    at, post_id = cursor
    query = query.where(or_(Post.created_at > at, and_(Post.created_at == at, Post.id > post_id)))
    query = query.order_by(Post.created_at.asc(), Post.id.asc()).limit(size + 1)
    return list(db.session.scalars(query))


def _link_maker(endpoint: str | None, url_values: dict[str, Any]):  # noqa: ANN202
    target = endpoint or request.endpoint
    values = {**(request.view_args or {}), **url_values} if endpoint is None else url_values

    def link(**cursor: str) -> str:
        return url_for(target, **values, **cursor)

    return link
