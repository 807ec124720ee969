"""Update and Delete of remote actors, and Block (and its Undo) of local ones."""

from __future__ import annotations

from federation import vocabulary as v
from federation.actors import parse_actor
from federation.errors import InvalidDocument
from federation.readers import id_of
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import ingest, remote
from quarter_node.activitypub.handlers import Context, register, register_undo
from quarter_node.extensions import db
from quarter_node.social.block_services import forget_notifications
from quarter_node.social.blocks import block_of
from quarter_node.social.models import Block, Follow


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
    """A remote actor blocks one of ours: no follow remains in either direction, and the
    block is stored so that visibility and notifications keep the two apart here too."""
    target = ingest.local_actor(ctx.object_id)
    if target is None or target.id == ctx.actor.id:
        return False
    removed = _remove_follows(ctx.actor, target)
    forget_notifications(target, ctx.actor)
    stored = block_of(ctx.actor, target)
    if stored is None:
        db.session.add(Block(blocker_id=ctx.actor.id, blocked_id=target.id, uri=_uri_of(ctx)))
        return True
    if stored.uri is None:
        stored.uri = _uri_of(ctx)
    return removed > 0


@register_undo(v.BLOCK)
def undo_block(ctx: Context) -> bool:
    """The remote actor lifts its block; follows that ended stay ended."""
    found = db.session.scalar(db.select(Block).where(Block.uri == ctx.object_id))
    if found is None and isinstance(ctx.object, dict):
        target = ingest.local_actor(id_of(ctx.object.get("object")))
        found = block_of(ctx.actor, target) if target is not None else None
    if found is None or found.blocker_id != ctx.actor.id:
        return False
    db.session.delete(found)
    return True


def _remove_follows(remote: Actor, local: Actor) -> int:
    removed = 0
    for follower_id, followed_id in ((remote.id, local.id), (local.id, remote.id)):
        result = db.session.execute(
            db.delete(Follow).where(
                Follow.follower_id == follower_id, Follow.followed_id == followed_id
            )
        )
        removed += result.rowcount or 0
    return removed


def _uri_of(ctx: Context) -> str | None:
    """The Block's id, unless another stored block already has it (ids must stay unique)."""
    uri = str(ctx.activity.get("id") or "") or None
    taken = uri is not None and db.session.scalar(db.select(Block.id).where(Block.uri == uri))
    return None if taken else uri
