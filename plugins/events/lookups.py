"""Finding what a URL names: an event its reader may see, a local group by handle."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort

from quarter_node.plugin_api import Actor, Group, db

from .models import Event
from .recurrence import (
    MAX_OCCURRENCES,
    Occurrence,
    all_occurrences,
    occurrence_at,
    occurrences,
    parse_occurrence_key,
)
from .visibility import can_view_event


def visible_event_or_404(user: Any, event_id: int) -> Event:
    """The event, or 404 for a missing one and for one the reader may not see (a refusal
    must not reveal that a members-only event exists)."""
    event = db.session.get(Event, event_id)
    if event is None or not can_view_event(user, event):
        abort(404)
    return event


def local_group(handle: str | None) -> Group | None:
    if not handle:
        return None
    return db.session.scalar(
        db.select(Group)
        .join(Actor, Group.actor_id == Actor.id)
        .where(Actor.handle == handle.lower(), Actor.domain == "")
    )


def chosen_occurrence(event: Event, key: str | None, now: Any) -> Occurrence:
    """The occurrence ``?occurrence=`` names, else the next one (else the last one)."""
    if key:
        original = parse_occurrence_key(key)
        found = occurrence_at(event, original) if original is not None else None
        if found is None:
            abort(404)
        return found
    soon = occurrences(event, now, now + timedelta(days=400))
    if soon:
        return soon[0]
    return all_occurrences(event, limit=MAX_OCCURRENCES)[-1]
