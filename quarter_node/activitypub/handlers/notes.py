"""Create, Update and Delete of posts (Note, Article, Page, Question)."""

from __future__ import annotations

import logging
from typing import Any

from federation import vocabulary as v
from federation.errors import InvalidDocument
from federation.readers import id_of, types_of
from quarter_node.activitypub import group_relay, ingest, remote
from quarter_node.activitypub.handlers import Context, register
from quarter_node.activitypub.models import Share
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.posts.models import Like, Post
from quarter_node.posts.services import has_replies

log = logging.getLogger(__name__)

POST_TYPES = frozenset({v.NOTE, v.ARTICLE, v.PAGE, v.QUESTION})


def _is_post(document: Any) -> bool:
    return bool(set(types_of(document)) & POST_TYPES)


def _embedded_or_fetched(ctx: Context) -> dict[str, Any] | None:
    """The object as sent, or fetched from its origin when only its id came."""
    if isinstance(ctx.object, dict):
        return ctx.object
    return remote.fetch_document(ctx.object_id) if ctx.object_id else None


@register(v.CREATE)
def create(ctx: Context) -> bool:
    document = _embedded_or_fetched(ctx)
    if not _is_post(document):
        return False
    known = ingest.find_post(id_of(document.get("id")))
    try:
        post = ingest.from_ap(document, ctx.actor)
    except (InvalidDocument, ingest.IngestRefused) as error:
        log.info("Create refused: %s", error)
        return False
    if post is None or known is not None:
        return False
    group_relay.relay(post, ctx.activity)
    return True


def _updates_post(ctx: Context) -> bool:
    return _is_post(ctx.object)


@register(v.UPDATE, when=_updates_post)
def update(ctx: Context) -> bool:
    """An edit: only of a stored post, only by its author (the origin is checked earlier)."""
    post = ingest.find_post(ctx.object_id)
    if post is None or post.uri is None or post.author_id != ctx.actor.id:
        return False
    if id_of(ctx.object.get("attributedTo")) not in (None, ctx.actor.uri):
        return False
    try:
        changed = ingest.update_from_ap(post, ctx.object)
    except InvalidDocument:
        return False
    if changed:
        group_relay.relay(post, ctx.activity)
    return changed


def _deletes_object(ctx: Context) -> bool:
    return ctx.object_id != ctx.actor.uri


@register(v.DELETE, when=_deletes_object)
def delete(ctx: Context) -> bool:
    post = ingest.find_post(ctx.object_id)
    if post is None or post.uri is None or post.author_id != ctx.actor.id:
        return False
    if post.deleted_at is not None:
        return False
    group_relay.relay(post, ctx.activity)
    remove_remote_post(post)
    return True


def remove_remote_post(post: Post) -> None:
    """Remove a post its author deleted; with replies it stays as a placeholder, like ours."""
    if not has_replies(post):
        db.session.delete(post)
        db.session.flush()
        return
    post.deleted_at = utcnow()
    post.content_html = ""
    for model in (Like, Share):
        db.session.execute(db.delete(model).where(model.post_id == post.id))
    db.session.execute(db.delete(Notification).where(Notification.post_id == post.id))
