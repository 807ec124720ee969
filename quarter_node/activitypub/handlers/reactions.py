"""Like and Announce (boost), and the generic Undo. A group's relaying Announce is in
``relays``."""

from __future__ import annotations

import logging

from federation import vocabulary as v
from federation.errors import InvalidDocument
from federation.readers import id_of
from quarter_node.activitypub import ingest, remote
from quarter_node.activitypub.handlers import Context, register, register_undo, undo_handler
from quarter_node.activitypub.models import Share
from quarter_node.extensions import db
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.posts.models import Like

log = logging.getLogger(__name__)


@register(v.UNDO)
def undo(ctx: Context) -> bool:
    """Take back an earlier activity, by its embedded type or, for a bare id, by trying."""
    kinds = ctx.object_types or [v.FOLLOW, v.LIKE, v.ANNOUNCE, v.BLOCK]
    for kind in kinds:
        handler = undo_handler(kind)
        if handler is not None and handler(ctx):
            return True
    return False


@register(v.LIKE)
def like(ctx: Context) -> bool:
    post = ingest.find_post(ctx.object_id)
    if post is None or post.deleted_at is not None:
        return False
    existing = db.session.scalar(
        db.select(Like).where(Like.actor_id == ctx.actor.id, Like.post_id == post.id)
    )
    if existing is not None:
        return False
    db.session.add(Like(actor_id=ctx.actor.id, post_id=post.id, uri=str(ctx.activity["id"])))
    db.session.flush()
    if post.author.is_local:
        notify(post.author, NotificationKind.LIKE, actor=ctx.actor, post_id=post.id)
    return True


@register_undo(v.LIKE)
def undo_like(ctx: Context) -> bool:
    found = db.session.scalar(db.select(Like).where(Like.uri == ctx.object_id))
    if found is None and isinstance(ctx.object, dict):
        post = ingest.find_post(id_of(ctx.object.get("object")))
        found = (
            db.session.scalar(
                db.select(Like).where(Like.actor_id == ctx.actor.id, Like.post_id == post.id)
            )
            if post is not None
            else None
        )
    if found is None or found.actor_id != ctx.actor.id:
        return False
    db.session.delete(found)
    return True


@register(v.ANNOUNCE)
def announce(ctx: Context) -> bool:
    """A boost: a Share of a post we know; a post we do not know only when a local person
    follows the booster (then it is fetched from its origin and stored)."""
    post = ingest.find_post(ctx.object_id)
    if post is None and ctx.object_id and ingest.is_followed_here(ctx.actor):
        post = _fetch_post(ctx.object_id)
    if post is None or post.deleted_at is not None:
        return False
    if db.session.scalar(
        db.select(Share.id).where(Share.actor_id == ctx.actor.id, Share.post_id == post.id)
    ):
        return False
    db.session.add(Share(actor_id=ctx.actor.id, post_id=post.id, uri=str(ctx.activity["id"])))
    return True


def _fetch_post(uri: str):  # noqa: ANN202  (Post | None)
    try:
        document = remote.fetch_document(uri)
        author = remote.fetch_actor(str(id_of(document.get("attributedTo")) or ""))
        return ingest.from_ap(document, author, relevant=True)
    except (InvalidDocument, ingest.IngestRefused, remote.RemoteActorError) as error:
        log.info("announced object %s refused: %s", uri, error)
        return None


@register_undo(v.ANNOUNCE)
def undo_announce(ctx: Context) -> bool:
    found = db.session.scalar(db.select(Share).where(Share.uri == ctx.object_id))
    if found is None or found.actor_id != ctx.actor.id:
        return False
    db.session.delete(found)
    return True
