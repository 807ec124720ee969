"""Update and Delete of remote actors, and Block."""

from __future__ import annotations

from federation import vocabulary as v
from federation.actors import parse_actor
from federation.errors import InvalidDocument
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import ingest, remote
from quarter_node.activitypub.handlers import Context, register
from quarter_node.extensions import db
from quarter_node.social.models import Follow


def _updates_actor(ctx: Context) -> bool:
    return bool(set(ctx.object_types) & v.ACTOR_TYPES)


@register(v.UPDATE, when=_updates_actor)
def update_actor(ctx: Context) -> bool:
    """A profile change: the actor's own signed document replaces what we cached."""
    if ctx.object_id != ctx.actor.uri:
        return False
    try:
        info = parse_actor(ctx.object)
    except InvalidDocument:
        remote.fetch_actor(ctx.actor.uri or "", refresh=True)
        return True
    remote.store_actor(info)
    return True


def _deletes_actor(ctx: Context) -> bool:
    return ctx.object_id == ctx.actor.uri


@register(v.DELETE, when=_deletes_actor)
def delete_actor(ctx: Context) -> bool:
    """The account is gone: its row goes, and with it (by cascade) its posts, follows,
    likes, shares and keys."""
    db.session.execute(db.delete(Actor).where(Actor.id == ctx.actor.id))
    return True


@register(v.BLOCK)
def block(ctx: Context) -> bool:
    """A remote actor blocks one of ours: no follow remains in either direction."""
    target = ingest.local_actor(ctx.object_id)
    if target is None:
        return False
    pairs = ((ctx.actor.id, target.id), (target.id, ctx.actor.id))
    removed = 0
    for follower_id, followed_id in pairs:
        result = db.session.execute(
            db.delete(Follow).where(
                Follow.follower_id == follower_id, Follow.followed_id == followed_id
            )
        )
        removed += result.rowcount or 0
    return removed > 0
