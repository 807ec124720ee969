"""Outbox, followers and following as paged ActivityStreams collections (what an outbox
holds is in ``outboxes.py``).

Pages are numbered (``?page=1`` is the newest); a collection document states the total and
links its first page, and each page links ``next`` (older) and ``prev`` (newer), which is how
Mastodon and most servers walk them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from federation import vocabulary as v
from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.social.models import Follow, FollowState


def page_size() -> int:
    return int(current_app.config["PAGE_SIZE"])


def _total(statement: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def collection(collection_id: str, statement: Select[Any], *, with_pages: bool = True) -> dict:
    """The collection document: total, and the first page when items may be listed."""
    document: dict[str, Any] = {
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": _total(statement),
    }
    if with_pages:
        document["first"] = f"{collection_id}?page=1"
    return v.with_context(document)


PageRenderer = Callable[[Sequence[Any]], list[Any]]


def collection_page(
    collection_id: str, statement: Select[Any], number: int, render: PageRenderer
) -> dict:
    """One page of ``statement`` (already ordered newest first), its result rows turned into
    items by ``render`` all at once (so a page can load what it needs in a few queries)."""
    size = page_size()
    rows = db.session.execute(statement.limit(size + 1).offset((number - 1) * size)).all()
    document: dict[str, Any] = {
        "id": f"{collection_id}?page={number}",
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": render(rows[:size]),
    }
    if len(rows) > size:
        document["next"] = f"{collection_id}?page={number + 1}"
    if number > 1:
        document["prev"] = f"{collection_id}?page={number - 1}"
    return v.with_context(document)


def each(render: Callable[[Any], Any]) -> PageRenderer:
    """A page renderer for one-entity rows, rendered one by one."""
    return lambda rows: [render(row[0]) for row in rows]


# --- who follows whom ----------------------------------------------------------------------


def followers_of(actor: Actor) -> Select[Any]:
    return _follow_ids(Follow.follower_id, Follow.followed_id == actor.id)


def following_of(actor: Actor) -> Select[Any]:
    return _follow_ids(Follow.followed_id, Follow.follower_id == actor.id)


def _follow_ids(side: Any, condition: Any) -> Select[Any]:
    """Actors on one side of accepted follows, newest follow first (suspended ones hidden)."""
    return (
        select(Actor)
        .join(Follow, side == Actor.id)
        .where(condition, Follow.state == FollowState.ACCEPTED, Actor.suspended_at.is_(None))
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    )
