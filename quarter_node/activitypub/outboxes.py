"""What the outbox collections list: the activities that were actually sent, with their ids.

A person's outbox holds the Create of each of their public and unlisted posts and the
Announce of each post they shared, newest first; a group's outbox holds the Announces by
which it relayed its public posts (FEP-1b12). Peers match what they walk here against what
they were sent, so an item carries the id of the sent activity: a share's ``uri``, and for
posts the id ``emitters`` gave the Create (or the group's relay), found by the ``p<id>-``
mark in one query per page. Posts whose activity was never stored (none should exist) keep
the fixed id ``/activities/<kind>/<post id>`` they were listed with before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, and_, exists, false, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from federation import vocabulary as v
from federation.activities import create, format_datetime
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import urls
from quarter_node.activitypub.emitters import announce_of_share, post_activity_prefix
from quarter_node.activitypub.models import OutboundActivity, Share
from quarter_node.activitypub.serializers import post_to_ap
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.posts.models import Post, Visibility

_CREATE, _ANNOUNCE = "create", "announce"


def _publicly_listed() -> Any:
    """Posts anybody may fetch: public or unlisted, not removed, not in a members-only group,
    by an author who is not suspended."""
    public_group = exists().where(
        Group.id == Post.group_id, Group.visibility == GroupVisibility.PUBLIC
    )
    author_active = exists().where(Actor.id == Post.author_id, Actor.suspended_at.is_(None))
    return and_(
        Post.visibility.in_([Visibility.PUBLIC, Visibility.UNLISTED]),
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
        or_(Post.group_id.is_(None), public_group),
        author_active,
    )


# --- a person's outbox -----------------------------------------------------------------------


def outbox_items(actor: Actor) -> Select[Any]:
    """Rows (``kind``, ``ref``, ``at``): the Creates of the actor's listed posts (``ref``: the
    post) and the Announces of their shares of listed posts (``ref``: the share), newest first.
    Nothing while the actor is suspended."""
    written = select(
        literal(_CREATE).label("kind"), Post.id.label("ref"), Post.created_at.label("at")
    ).where(Post.author_id == actor.id, _publicly_listed())
    shared = (
        select(literal(_ANNOUNCE).label("kind"), Share.id.label("ref"), Share.created_at)
        .join(Post, Post.id == Share.post_id)
        .where(Share.actor_id == actor.id, Share.uri.is_not(None), _publicly_listed())
    )
    items = union_all(written, shared).subquery()
    query = select(items.c.kind, items.c.ref, items.c.at)
    if actor.suspended_at is not None:
        query = query.where(false())
    return query.order_by(items.c.at.desc(), items.c.kind, items.c.ref.desc())


def render_outbox_page(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """The activities of one page of ``outbox_items``, loaded with three queries."""
    post_ids = [row.ref for row in rows if row.kind == _CREATE]
    share_ids = [row.ref for row in rows if row.kind == _ANNOUNCE]
    posts = _by_id(Post, post_ids, joinedload(Post.author))
    shares = _by_id(Share, share_ids)
    sent = sent_ids(list(posts.values()), _CREATE, v.CREATE)
    return [
        create_of(posts[row.ref], sent.get(row.ref))
        if row.kind == _CREATE
        else _embedless(announce_of_share(shares[row.ref]))
        for row in rows
    ]


def create_of(post: Post, sent_id: str | None = None) -> dict[str, Any]:
    """The Create of a post as listed in the outbox (no context: it is embedded)."""
    activity_id = sent_id or urls.activity_uri(_CREATE, str(post.id))
    return _embedless(create(urls.actor_uri(post.author), post_to_ap(post), id=activity_id))


# --- a group's outbox ------------------------------------------------------------------------


def group_outbox_posts(group: Group) -> Select[Any]:
    """A group's outbox: the public posts it relayed (FEP-1b12 Announces), newest first."""
    query = select(Post).where(Post.group_id == group.id, _publicly_listed())
    if group.actor.suspended_at is not None:
        query = query.where(false())
    return query.order_by(Post.created_at.desc(), Post.id.desc())


def group_announces(group: Group) -> Callable[[Sequence[Any]], list[dict[str, Any]]]:
    """Render a page of a group's relayed posts as its Announces (embedded Note)."""
    group_id = urls.actor_uri(group.actor)

    def render(rows: Sequence[Any]) -> list[dict[str, Any]]:
        posts = [row[0] for row in rows]
        sent = sent_ids(posts, _ANNOUNCE, v.ANNOUNCE, sender=group.actor)
        return [_group_announce(group, group_id, post, sent.get(post.id)) for post in posts]

    return render


def _group_announce(group: Group, group_id: str, post: Post, sent_id: str | None) -> dict:
    """Our own members' posts embed their Note; what a member elsewhere wrote into the group
    is announced by its id (its author's server holds it, with the author's addressing)."""
    fallback = urls.activity_uri(_ANNOUNCE, f"{group.actor.handle}-{post.id}")
    announce = {
        "id": sent_id or fallback,
        "type": v.ANNOUNCE,
        "actor": group_id,
        "published": format_datetime(post.created_at),
    }
    if not post.author.is_local:
        followers = urls.followers_uri(group.actor)
        return announce | {"object": post.uri, "to": [followers], "cc": [v.PUBLIC]}
    note = _embedless(post_to_ap(post))
    return announce | {"object": note, "to": note.get("to", []), "cc": note.get("cc", [])}


# --- the ids that were sent ------------------------------------------------------------------


def sent_ids(
    posts: list[Post], kind: str, activity_type: str, sender: Actor | None = None
) -> dict[int, str]:
    """Post id -> id of the first ``activity_type`` activity about it that its author (or
    ``sender``) sent since the post was written (earlier ones belonged to a deleted post whose
    row id the database gave out again)."""
    if not posts:
        return {}
    prefixes = {post.id: post_activity_prefix(post, kind) for post in posts}
    actor_ids = {sender.id} if sender is not None else {post.author_id for post in posts}
    rows = db.session.execute(
        select(OutboundActivity.uri, OutboundActivity.actor_id, OutboundActivity.created_at)
        .where(
            OutboundActivity.actor_id.in_(actor_ids),
            OutboundActivity.activity_type == activity_type,
            or_(*(OutboundActivity.uri.startswith(p, autoescape=True) for p in prefixes.values())),
        )
        .order_by(OutboundActivity.id)
    ).all()
    found: dict[int, str] = {}
    for post in posts:
        by = sender.id if sender is not None else post.author_id
        for uri, actor_id, at in rows:  # oldest first
            if actor_id == by and uri.startswith(prefixes[post.id]) and at >= post.created_at:
                found[post.id] = uri
                break
    return found


def _by_id(model: Any, ids: list[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _embedless(document: dict[str, Any]) -> dict[str, Any]:
    """An activity embedded in a collection carries no ``@context`` of its own."""
    return {key: value for key, value in document.items() if key != "@context"}
