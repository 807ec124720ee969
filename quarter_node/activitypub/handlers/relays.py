"""Activities a followed group relays to us (FEP-1b12): Announce(Create/Update/Delete).

A group on another server passes on what its members write into it, edit and delete, so
our people who follow the group see everything in it, also from members on third servers.
The group can only vouch for its own origin: an embedded activity or object of another
origin arrives cut down to references (``processing.relayed_references``) and its object
is fetched from the author's server, which applies its own access rules; a Delete is only
believed when that server no longer has the object.
"""

from __future__ import annotations

import logging
from typing import Any

from federation import vocabulary as v
from federation.errors import InvalidDocument
from federation.readers import id_of, types_of
from federation.safe_http import UnexpectedStatus
from federation.validation import same_origin
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import ingest, remote, urls
from quarter_node.activitypub.handlers import Context, register
from quarter_node.activitypub.handlers.notes import remove_remote_post
from quarter_node.posts import remote_groups
from quarter_node.posts.models import Post

log = logging.getLogger(__name__)

_GONE = (404, 410)


def _relays_activity(ctx: Context) -> bool:
    """A group relaying a member's activity (FEP-1b12, Lemmy): Announce(Create(...))."""
    return bool(set(ctx.object_types) & v.ACTIVITY_TYPES)


@register(v.ANNOUNCE, when=_relays_activity)
def relayed(ctx: Context) -> bool:
    """Apply what a group we follow relays; other relayed activities reach us directly."""
    inner = ctx.object
    author_uri = id_of(inner.get("actor"))
    if not author_uri or urls.is_local_uri(author_uri) or not ingest.is_followed_here(ctx.actor):
        return False  # our own members' activities come back to us, too
    kinds = set(types_of(inner))
    try:
        author = remote.fetch_actor(author_uri)
        if v.CREATE in kinds:
            return _create(ctx, inner, author)
        if v.UPDATE in kinds:
            return _update(ctx, inner, author)
        if v.DELETE in kinds:
            return delete_if_gone(inner, author)
    except (InvalidDocument, ingest.IngestRefused, remote.RemoteActorError) as error:
        log.info("relayed %s refused: %s", id_of(inner.get("id")), error)
    return False


def _object_of(ctx: Context, inner: dict[str, Any], author: Actor) -> dict[str, Any]:
    """The relayed object as its author's server vouches for it.

    Embedded content is believed only when the group, the member and the object share one
    origin (a member of the group's own server); anything else is fetched from its origin.
    """
    embedded = inner.get("object")
    object_id = id_of(embedded)
    if not object_id or not same_origin(object_id, author.uri):
        raise ingest.IngestRefused(f"{object_id} is not from the origin of {author.uri}")
    if isinstance(embedded, dict) and same_origin(author.uri, ctx.actor.uri):
        return embedded
    return remote.fetch_document(object_id)


def _create(ctx: Context, inner: dict[str, Any], author: Actor) -> bool:
    """Store the post as written into the relaying group (our replies go there, too)."""
    known = stored_post_of(inner, author)
    if known is not None:  # e.g. its author is followed here, too
        remote_groups.address_to_group(known, ctx.actor)
        return False
    if ingest.find_post(id_of(inner.get("object"))) is not None:
        return False
    post = ingest.from_ap(_object_of(ctx, inner, author), author, relevant=True)
    if post is None:
        return False
    remote_groups.address_to_group(post, ctx.actor)
    return True


def _update(ctx: Context, inner: dict[str, Any], author: Actor) -> bool:
    post = stored_post_of(inner, author)
    if post is None:
        return _create(ctx, inner, author)  # we missed the Create: the edit brings it
    return ingest.update_from_ap(post, _object_of(ctx, inner, author))


def delete_if_gone(inner: dict[str, Any], author: Actor) -> bool:
    """Remove the post only when its own server no longer serves it."""
    post = stored_post_of(inner, author)
    if post is None or post.deleted_at is not None:
        return False
    try:
        document = remote.fetch_document(str(post.uri))
    except UnexpectedStatus as error:
        if error.status not in _GONE:
            raise
    else:
        if v.TOMBSTONE not in types_of(document):
            return False
    remove_remote_post(post)
    return True


def stored_post_of(inner: dict[str, Any], author: Actor) -> Post | None:
    post = ingest.find_post(id_of(inner.get("object")))
    if post is None or post.uri is None or post.author_id != author.id:
        return None
    return post
