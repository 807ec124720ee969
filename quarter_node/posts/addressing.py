"""The explicit audience of a local post: the people it names (``PostAddressee`` rows).

Mentioned people are addressed whatever the visibility (they get a Mention tag, are named in
``cc`` and hear of the post). For a DIRECT post they are the whole audience besides the
author, so a reply to a direct post keeps the conversation's people: the parent's author
and the parent's addressees, whether or not the reply names them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from quarter_node.accounts.models import Actor
from quarter_node.activitypub.models import PostAddressee
from quarter_node.errors import InvalidInput
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility


def audience_of(author: Actor, named: Iterable[Actor], parent: Post | None) -> list[Actor]:
    """Who a new post addresses: the people named, and for a reply to a direct post the
    people of that conversation. The author never addresses herself."""
    actors = list(named)
    if parent is not None and parent.visibility == Visibility.DIRECT:
        actors = [parent.author, *addressees_of(parent), *actors]
    unique = {actor.id: actor for actor in actors if actor.id != author.id}
    return list(unique.values())


def require_audience(visibility: Visibility, audience: list[Actor]) -> None:
    """A direct post that names nobody would reach nobody: say so instead of storing it."""
    if visibility == Visibility.DIRECT and not audience:
        raise InvalidInput(
            _(
                "A direct post needs at least one person: mention them with @name, "
                "or @name@example.org for someone on another server."
            )
        )


def addressees_of(post: Post) -> list[Actor]:
    return list(
        db.session.scalars(
            select(Actor)
            .join(PostAddressee, PostAddressee.actor_id == Actor.id)
            .where(PostAddressee.post_id == post.id)
            .order_by(PostAddressee.id)
        )
    )


def add_addressees(post: Post, actors: Iterable[Actor]) -> None:
    """Address ``actors`` too (those already addressed stay as they are)."""
    known = {actor.id for actor in addressees_of(post)} | {post.author_id}
    for actor in actors:
        if actor.id not in known:
            db.session.add(PostAddressee(post_id=post.id, actor_id=actor.id))
            known.add(actor.id)
    db.session.flush()
