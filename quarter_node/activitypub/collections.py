"""Outbox, followers and following as paged ActivityStreams collections.

Pages are numbered (``?page=1`` is the newest); a collection document states the total and
links its first page, and each page links ``next`` (older) and ``prev`` (newer), which is how
Mastodon and most servers walk them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, exists, false, func, or_, select

from federation import vocabulary as v
from federation.activities import create, format_datetime
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import urls
from quarter_node.activitypub.serializers import post_to_ap
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.posts.models import Post, Visibility
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


def collection_page(
    collection_id: str, statement: Select[Any], number: int, render: Callable[[Any], Any]
) -> dict:
    """One page of ``statement`` (already ordered newest first), items made by ``render``."""
    size = page_size()
    rows = list(db.session.scalars(statement.limit(size + 1).offset((number - 1) * size)))
    document: dict[str, Any] = {
        "id": f"{collection_id}?page={number}",
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": [render(row) for row in rows[:size]],
    }
    if len(rows) > size:
        document["next"] = f"{collection_id}?page={number + 1}"
    if number > 1:
        document["prev"] = f"{collection_id}?page={number - 1}"
    return v.with_context(document)


# --- what the collections hold -----------------------------------------------------------------


def _publicly_listed() -> Any:
    """Posts anybody may fetch: public or unlisted, not removed, not in a members-only group."""
    public_group = exists().where(
        Group.id == Post.group_id, Group.visibility == GroupVisibility.PUBLIC
    )
    return and_(
        Post.visibility.in_([Visibility.PUBLIC, Visibility.UNLISTED]),
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
        or_(Post.group_id.is_(None), public_group),
    )


def _newest_first(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(Post.created_at.desc(), Post.id.desc())


def outbox_posts(actor: Actor) -> Select[Any]:
    """A person's outbox: their public and unlisted posts (nothing if suspended)."""
    query = select(Post).where(Post.author_id == actor.id, _publicly_listed())
    if actor.suspended_at is not None:
        query = query.where(false())
    return _newest_first(query)


def group_outbox_posts(group: Group) -> Select[Any]:
    """A group's outbox: the public posts it relayed (FEP-1b12 Announces)."""
    author_active = exists().where(Actor.id == Post.author_id, Actor.suspended_at.is_(None))
    query = select(Post).where(Post.group_id == group.id, _publicly_listed(), author_active)
    if group.actor.suspended_at is not None:
        query = query.where(false())
    return _newest_first(query)


def create_of(post: Post) -> dict[str, Any]:
    """The Create activity of a post as listed in the outbox (no context: it is embedded)."""
    note = post_to_ap(post)
    document = create(
        urls.actor_uri(post.author), note, id=urls.activity_uri("create", str(post.id))
    )
    return {key: value for key, value in document.items() if key != "@context"}


def announce_of(group: Group) -> Callable[[Post], dict[str, Any]]:
    """Render a group's relayed post as its Announce (embedded Note)."""
    group_id = urls.actor_uri(group.actor)

    def render(post: Post) -> dict[str, Any]:
        note = {k: val for k, val in post_to_ap(post).items() if k != "@context"}
        return {
            "id": urls.activity_uri("announce", f"{group.actor.handle}-{post.id}"),
            "type": v.ANNOUNCE,
            "actor": group_id,
            "object": note,
            "to": note.get("to", []),
            "cc": note.get("cc", []),
            "published": format_datetime(post.created_at),
        }

    return render


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
