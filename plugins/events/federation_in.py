"""Remote events come in: Create, Update, Delete and Announce of an ActivityPub ``Event``.

The node's inbox verified the sender and the activity's origin before these handlers run
(in the worker, inside the job's transaction). An event is stored only when somebody here
has a reason to see it: its sender (or organiser) is followed from here, it is addressed
to one of our actors, or a group followed from here passes it on. Only the event's own
origin may change or delete it; a group relaying a Delete is believed only when the
event's own server no longer serves it.
"""

from __future__ import annotations

import logging
from typing import Any

from federation import vocabulary as v
from federation.errors import InvalidDocument
from federation.events import parse_event
from federation.readers import id_of, ids_of, types_of
from federation.safe_http import UnexpectedStatus
from federation.validation import same_origin
from quarter_node.plugin_api import (
    Actor,
    HandlerContext,
    InboundHandler,
    base_url,
    fetch_remote_actor,
    fetch_remote_document,
    find_actor,
    is_followed_here,
    kept_as_public,
)

from .models import DEFAULT_TIMEZONE
from .remote_events import find_remote, remove_remote_event, store_remote_event

log = logging.getLogger(__name__)
_GONE = (404, 410)
_CHANGES = frozenset({v.CREATE, v.UPDATE})


def _is_event(document: Any) -> bool:
    return isinstance(document, dict) and v.EVENT in types_of(document)


def _addressed_here(document: dict[str, Any], activity: dict[str, Any]) -> bool:
    """Whether one of our own actors is among the addressees."""
    found = [*ids_of(document.get("to")), *ids_of(document.get("cc"))]
    found += [*ids_of(activity.get("to")), *ids_of(activity.get("cc"))]
    return any(uri.startswith(f"{base_url()}/") and find_actor(uri) for uri in found)


def _organizer(info: Any, sender: Actor) -> Actor:
    """The organiser the event names (Mobilizon's ``actor``, else ``attributedTo``): the
    sender, or another actor of the sender's origin (a group's event sent by a member, or
    the other way round); the sender when nothing else can be found."""
    for uri in (info.organizer, info.attributed_to):
        if uri == sender.uri:
            return sender
        if uri and same_origin(uri, sender.uri):
            found = fetch_remote_actor(uri)
            if found is not None:
                return found
    return sender


def _store(document: dict[str, Any], sender: Actor, *, relevant: bool) -> bool:
    """Store or refresh an Event the sender's origin vouches for."""
    try:
        info = parse_event(document, default_timezone=DEFAULT_TIMEZONE)
    except InvalidDocument as error:
        log.info("event refused: %s", error)
        return False
    if not same_origin(info.id, sender.uri) or info.draft:
        return False
    known = find_remote(info.id)
    organizer = _organizer(info, sender)
    if known is None and not (relevant or is_followed_here(organizer)):
        return False
    if known is not None and not same_origin(known.organizer.uri, sender.uri):
        return False
    try:
        store_remote_event(info, organizer)
    except InvalidDocument as error:
        log.info("event %s refused: %s", info.id, error)
        return False
    return True


# --- Create / Update ---------------------------------------------------------------------------


def _creates_event(ctx: HandlerContext) -> bool:
    return _is_event(ctx.object)


def create_or_update(ctx: HandlerContext) -> bool:
    relevant = (
        is_followed_here(ctx.actor)
        or _addressed_here(ctx.object, ctx.activity)
        or kept_as_public(ctx.object, ctx.actor)
    )
    if v.UPDATE in types_of(ctx.activity) and find_remote(ctx.object_id) is None and not relevant:
        return False
    return _store(ctx.object, ctx.actor, relevant=relevant)


# --- Delete ------------------------------------------------------------------------------------


def _deletes_event(ctx: HandlerContext) -> bool:
    return find_remote(ctx.object_id) is not None


def delete(ctx: HandlerContext) -> bool:
    event = find_remote(ctx.object_id)
    if event is None or not same_origin(event.uri, ctx.actor.uri):
        return False
    return remove_remote_event(event)


# --- Announce by a followed group ----------------------------------------------------------------


def _inner(ctx: HandlerContext) -> dict[str, Any] | None:
    return ctx.object if isinstance(ctx.object, dict) else None


def _announces_event(ctx: HandlerContext) -> bool:
    """Announce(Event), Announce(Create/Update(Event)) or Announce(Delete) of a stored event."""
    inner = _inner(ctx)
    if inner is None:
        return find_remote(ctx.object_id) is not None
    if _is_event(inner):
        return True
    if set(types_of(inner)) & _CHANGES:
        return _is_event(inner.get("object"))
    return v.DELETE in types_of(inner) and find_remote(id_of(inner.get("object"))) is not None


def _vouched(ctx: HandlerContext, document: Any) -> dict[str, Any]:
    """The event as its own server vouches for it: embedded content is believed only when it
    comes from the relaying group's own origin; anything else is fetched from its origin."""
    event_id = id_of(document)
    if not event_id:
        raise InvalidDocument("no event id")
    if _is_event(document) and same_origin(event_id, ctx.actor.uri):
        return document
    return fetch_remote_document(event_id)


def _still_served(uri: str) -> bool:
    try:
        document = fetch_remote_document(uri)
    except UnexpectedStatus as error:
        if error.status in _GONE:
            return False
        raise
    return v.TOMBSTONE not in types_of(document)


def announced(ctx: HandlerContext) -> bool:
    if not is_followed_here(ctx.actor):
        return False
    inner = _inner(ctx)
    if inner is not None and v.DELETE in types_of(inner):
        event = find_remote(id_of(inner.get("object")))
        if event is None or event.uri is None or _still_served(event.uri):
            return False
        return remove_remote_event(event)
    shared = inner.get("object") if inner is not None and not _is_event(inner) else ctx.object
    try:
        document = _vouched(ctx, shared)
        info_origin = fetch_remote_actor(str(id_of(document.get("attributedTo")) or ""))
    except (InvalidDocument, UnexpectedStatus) as error:
        log.info("announced event refused: %s", error)
        return False
    sender = info_origin if info_origin is not None else ctx.actor
    if not same_origin(id_of(document), sender.uri):
        return False
    return _store(document, sender, relevant=True)


HANDLERS = [
    InboundHandler(v.CREATE, create_or_update, when=_creates_event),
    InboundHandler(v.UPDATE, create_or_update, when=_creates_event),
    InboundHandler(v.DELETE, delete, when=_deletes_event),
    InboundHandler(v.ANNOUNCE, announced, when=_announces_event),
]
