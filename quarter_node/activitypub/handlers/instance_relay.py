"""Relay traffic of the instance actor (see ``instance_relays``): subscriptions of other
servers to our relay, and what the relays we subscribe to announce.

A relay's ``Announce`` is believed for nothing but a pointer: the object is fetched from
its own origin and stored only when that origin says it is public. Relayed posts reach
no home timeline (nobody here follows their authors); they show on their authors'
profiles and in threads, as on Mastodon, where they only fill the federated timeline.
Objects a plugin stores itself (events) are offered to the plugins once fetched.
"""

from __future__ import annotations

import logging
from typing import Any

from federation import vocabulary as v
from federation.errors import InvalidDocument
from federation.objects import parse_object
from federation.readers import id_of, is_public, types_of
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import (
    ingest,
    instance_follows,
    instance_relays,
    policy,
    remote,
    urls,
)
from quarter_node.activitypub.handlers import Context, find_handler, register
from quarter_node.activitypub.keys import find_instance_actor

log = logging.getLogger(__name__)


def _subscribes_to_us(ctx: Context) -> bool:
    """A Follow of the public collection (Mastodon) or of our instance actor (LitePub)."""
    target = ctx.object_id
    if target in v.PUBLIC_SPELLINGS:
        return True
    me = find_instance_actor()
    return me is not None and target == urls.actor_uri(me)


@register(v.FOLLOW, when=_subscribes_to_us)
def subscribe(ctx: Context) -> bool:
    """Accept a server's subscription when the relay is on and its host is not limited."""
    from quarter_node.activitypub.handlers.follows import send_reject

    me = find_instance_actor()
    if me is None:
        return False
    if not instance_relays.relay_enabled() or policy.host_limited(ctx.actor.domain):
        send_reject(me, ctx.activity, ctx.actor)
        return True
    instance_follows.accept_instance_follower(ctx.activity, ctx.actor)
    return True


def _from_our_relay(ctx: Context) -> bool:
    return instance_relays.is_subscribed_relay(ctx.actor)


@register(v.ANNOUNCE, when=_from_our_relay)
def relayed(ctx: Context) -> bool:
    """Store (or update, or remove) what a relay we subscribe to passes on."""
    inner = ctx.object
    try:
        if isinstance(inner, dict) and set(types_of(inner)) & v.ACTIVITY_TYPES:
            return _relayed_activity(inner, ctx.actor)
        object_id = ctx.object_id
        return bool(object_id) and _store(str(object_id), ctx.actor)
    except (InvalidDocument, ingest.IngestRefused, remote.RemoteActorError) as error:
        log.info("relayed %s refused: %s", ctx.object_id, error)
        return False


def _relayed_activity(inner: dict[str, Any], relay: Actor) -> bool:
    # imported here: importing them first would register their handlers before ours
    from quarter_node.activitypub.handlers.relays import delete_if_gone, stored_post_of

    kinds = set(types_of(inner))
    author_uri = id_of(inner.get("actor"))
    object_id = id_of(inner.get("object"))
    if not author_uri or not object_id or urls.is_local_uri(author_uri):
        return False
    if v.CREATE in kinds:
        return _store(object_id, relay)
    author = remote.fetch_actor(author_uri)
    if v.DELETE in kinds:
        return delete_if_gone(inner, author)
    if v.UPDATE in kinds:
        post = stored_post_of(inner, author)
        if post is None:
            return _store(object_id, relay)
        return ingest.update_from_ap(post, remote.fetch_document(object_id))
    return False


def _offer_to_plugins(document: dict[str, Any], relay: Actor) -> bool | None:
    """A relay announces only an id, so a plugin cannot tell its own objects (an Event)
    from the Announce; once fetched, the object is offered to the plugins' handlers as the
    relay's ``Announce`` of the fetched document (what a relay embedding it would have
    sent). ``None`` when no plugin takes it: the core stores it as a post."""
    announce = {
        "type": v.ANNOUNCE,
        "actor": relay.uri,
        "object": document,
        "to": [v.PUBLIC],
    }
    offered = Context(activity=announce, actor=relay)
    handler = find_handler(offered, plugins_only=True)
    return handler(offered) if handler is not None else None


def _store(object_id: str, relay: Actor) -> bool:
    """Fetch the object from its origin; keep it when it is public and new here."""
    if urls.is_local_uri(object_id) or ingest.find_post(object_id) is not None:
        return False
    if not policy.host_allowed(remote.host_of(object_id)):
        return False  # a relay does not bring in what the admins cut off
    document = remote.fetch_document(object_id)
    if not is_public(document):
        return False
    offered = _offer_to_plugins(document, relay)
    if offered is not None:
        return offered
    author = remote.fetch_actor(parse_object(document).attributed_to)
    return ingest.from_ap(document, author, relevant=True) is not None
