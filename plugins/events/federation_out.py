"""Local events go out: Create, Update and Delete of an ``Event``, like posts (FEP-1b12).

The services send the plugin's signals inside their transaction; the subscribers here hand
the activity to the node's outbox in that same transaction (a rollback takes it back).
The person who made the event sends it to her followers; a group event is also passed on
by the group to its followers (its remote members) as an ``Announce``, and an event only
for the group's members goes that way alone. Members-only events never leave the node.
Updates (also postponing and cancelling: ``ical:status`` CANCELLED) and the Delete reach
every inbox that heard of the event before.
"""

from __future__ import annotations

from typing import Any

from federation import activities
from federation import vocabulary as v
from quarter_node.plugin_api import (
    actor_uri,
    base_url,
    followers_uri,
    inboxes_reached,
    is_enabled,
    new_activity_id,
    send_activity,
    utcnow,
)

from . import signals
from .ap_documents import (
    activity_mark,
    audience,
    author_of,
    event_document,
    event_uri,
    federates,
)
from .federation_signups import participant_count
from .models import Event


def image_url(event: Event) -> str | None:
    """The event's picture as peers fetch it (served by the plugin at a fixed path)."""
    if event.image_id is not None:
        return f"{base_url()}/events/{event.id}/image"
    return event.image_url or None


def document_of(event: Event) -> dict[str, Any]:
    """The Event JSON of a local event as it is now (sent and served alike)."""
    return event_document(event, image_url(event), participant_count(event))


def _send(event: Event, activity: dict[str, Any], inboxes: list[str]) -> None:
    """By the author to her followers (public events), and relayed by the group."""
    addressed = audience(event)
    author = author_of(event)
    send_activity(
        author,
        activity,
        followers_of=author if addressed.author_followers else None,
        inboxes=inboxes,
        public=addressed.public,
    )
    if event.group is None:
        return
    group_actor = event.group.actor
    relay = activities.announce(
        actor_uri(group_actor),
        activity,
        id=new_activity_id("announce", activity_mark(event)),
        to=[followers_uri(group_actor)],
        cc=[v.PUBLIC] if addressed.public else [],
    )
    send_activity(group_actor, relay, followers_of=group_actor, public=addressed.public)


def _active(event: Event) -> bool:
    return is_enabled("events") and federates(event)


def on_event_created(event: Event) -> None:
    if not _active(event):
        return
    create = activities.create(
        actor_uri(author_of(event)),
        document_of(event),
        id=new_activity_id("create", activity_mark(event)),
    )
    _send(event, create, [])


def on_event_changed(event: Event) -> None:
    """Edits, postponements, cancellations (the status says so) and date changes."""
    if not _active(event):
        return
    update = activities.update(
        actor_uri(author_of(event)),
        document_of(event),
        id=new_activity_id("update", activity_mark(event)),
        updated=event.updated_at or utcnow(),
    )
    _send(event, update, inboxes_reached(activity_mark(event)))


def on_event_deleted(event: Event) -> None:
    if not _active(event):
        return
    inboxes = inboxes_reached(activity_mark(event))
    if not inboxes:
        return  # it never left the node
    addressed = audience(event)
    delete = activities.delete_with_tombstone(
        actor_uri(author_of(event)),
        event_uri(event),
        id=new_activity_id("delete", activity_mark(event)),
        to=addressed.to,
        cc=addressed.cc,
        former_type=v.EVENT,
        deleted=event.deleted_at or utcnow(),
    )
    _send(event, delete, inboxes)


_SUBSCRIBERS = (
    (signals.event_created, on_event_created),
    (signals.event_updated, on_event_changed),
    (signals.event_cancelled, on_event_changed),
    (signals.event_deleted, on_event_deleted),
)


def _receiver(subscriber: Any) -> Any:
    def receive(sender: Any, **_details: Any) -> None:
        subscriber(sender)

    return receive


def connect() -> None:
    """Subscribe once per process (each connection would send every activity again)."""
    for signal, subscriber in _SUBSCRIBERS:
        signal.connect(_receiver(subscriber), weak=False)


connect()
