"""Events in the node's search index: title, description and place, found as the event's
own visibility allows (``visible_events_filter``), never after deletion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import exists, select

from quarter_node.plugin_api import (
    SearchDocument,
    SearchKind,
    _l,
    db,
    index_for_search,
    remove_from_search,
)

from . import signals
from .models import Event
from .visibility import visible_events_filter

KIND = "event"


def event_document(event: Event) -> SearchDocument:
    """The words an event is found by; the place is part of the text (its name, street,
    town), so searching for a place finds what happens there."""
    place = " ".join(
        part
        for part in (event.place_name, event.street_address, event.postal_code, event.locality)
        if part
    )
    return SearchDocument(
        url=f"/events/{event.id}",
        title=event.title,
        text="\n".join(part for part in (place, event.description) if part),
        kind=KIND,
        object_id=event.id,
        language=event.language or None,
        created_at=event.created_at,
        author_id=event.organizer_id,
        group_id=event.group_id,
    )


def documents_for(obj: Any) -> list[SearchDocument]:
    """``quarter_search_documents``: a live event's document, nothing for anything else."""
    if isinstance(obj, Event) and obj.deleted_at is None:
        return [event_document(obj)]
    return []


def all_documents() -> Iterator[SearchDocument]:
    """``quarter_search_all_documents``: every event not deleted."""
    query = select(Event).where(Event.deleted_at.is_(None)).execution_options(yield_per=500)
    for event in db.session.scalars(query):
        yield event_document(event)


def kinds(viewer: Any) -> list[SearchKind]:
    """``quarter_search_kinds``: events, each found only by who may see it."""

    def visible(object_id: Any) -> Any:
        return exists().where(Event.id == object_id, visible_events_filter(viewer))

    return [SearchKind(KIND, "events", _l("Events"), visible)]


def reindex(event: Event) -> None:
    """Index the event again (after any change), or drop it once deleted."""
    if event.deleted_at is None:
        index_for_search(event)
    else:
        remove_from_search(f"{KIND}:{event.id}")


def _on_change(event: Event, **_ignored: Any) -> None:
    reindex(event)


for _signal in (
    signals.event_created,
    signals.event_updated,
    signals.event_cancelled,
    signals.event_deleted,
):
    _signal.connect(_on_change, weak=False)
