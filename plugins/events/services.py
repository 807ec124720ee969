"""Creating, changing, postponing, cancelling and deleting events (one transaction each).

Every use case checks who acts (``permissions.py``), validates (``event_input.py``), stores,
sends the plugin's signal for federation and feeds, and commits once. Refusals raise the
node's errors (``PermissionDenied`` 403, ``InvalidInput`` 422, ``NotFound`` 404).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from quarter_node.plugin_api import (
    PermissionDenied,
    _,
    db,
    delete_image,
    render_markdown,
    store_image,
    utcnow,
)

from . import signals
from .event_input import EventInput, check
from .models import Event, EventCategory, EventStatus, EventVisibility
from .permissions import can_create_event, can_edit_event
from .recurrence import occurrence_at, series_bounds

GROUP_IS_PRIVATE = "members_only"
COPIED_FIELDS = (
    "title", "description", "timezone", "start_local", "duration", "all_day", "rrule",
    "place_name", "street_address", "postal_code", "locality", "region", "country",
    "latitude", "longitude", "online_url", "step_free", "sign_language", "hearing_loop",
    "accessibility_notes", "language", "contact", "visibility", "join_mode", "capacity",
)  # fmt: skip


def create_event(user: Any, data: EventInput, group: Any = None) -> Event:
    """A member creates a personal event, or an event of a group she belongs to (the group
    is then the organiser)."""
    if not can_create_event(user, group):
        raise PermissionDenied(_("Only members of this group can add events to it."))
    check(data, group)
    event = Event(
        ical_uid=f"{uuid.uuid4()}@{_node_host()}",
        organizer_id=group.actor_id if group is not None else user.actor_id,
        created_by_id=user.actor_id,
        group_id=group.id if group is not None else None,
        group=group,
    )
    _apply(event, data, user)
    db.session.add(event)
    db.session.flush()
    signals.event_created.send(event)
    db.session.commit()
    return event


def update_event(user: Any, event: Event, data: EventInput) -> Event:
    """The organiser changes an event; the series' exceptions that no longer match the
    rule are dropped (their occurrences no longer exist)."""
    _require_edit(user, event)
    check(data, event.group)
    _apply(event, data, user)
    _drop_orphaned_exceptions(event)
    _touch_and_send(event, signals.event_updated)
    return event


def postpone_event(user: Any, event: Event, new_start_local: datetime) -> Event:
    """Move the event to a new date and mark it postponed (people see it was moved)."""
    _require_edit(user, event)
    if event.status == EventStatus.CANCELLED:
        raise PermissionDenied(_("A cancelled event cannot be postponed."))
    event.start_local = new_start_local
    if event.all_day:
        event.start_local = new_start_local.replace(hour=0, minute=0, second=0, microsecond=0)
    event.status = EventStatus.POSTPONED
    _set_bounds(event)
    _drop_orphaned_exceptions(event)
    _touch_and_send(event, signals.event_updated)
    return event


def cancel_event(user: Any, event: Event) -> Event:
    """Cancel the whole event; it stays visible, marked cancelled."""
    _require_edit(user, event)
    event.status = EventStatus.CANCELLED
    _touch_and_send(event, signals.event_cancelled)
    return event


def reschedule_event(user: Any, event: Event) -> Event:
    """Undo a cancellation: the event takes place after all."""
    _require_edit(user, event)
    event.status = EventStatus.SCHEDULED
    _touch_and_send(event, signals.event_updated)
    return event


def delete_event(user: Any, event: Event) -> None:
    """Delete an event: it disappears from every page (the row stays as a tombstone so
    federation can say it is gone); its picture is removed."""
    _require_edit(user, event)
    event.deleted_at = utcnow()
    if event.image is not None:
        delete_image(event.image)
        event.image_id = None
    signals.event_deleted.send(event)
    db.session.commit()


def _require_edit(user: Any, event: Event) -> None:
    if not can_edit_event(user, event):
        raise PermissionDenied(_("You cannot change this event."))


def _touch_and_send(event: Event, signal: Any) -> None:
    event.updated_at = utcnow()
    db.session.flush()
    signal.send(event)
    db.session.commit()


def _apply(event: Event, data: EventInput, user: Any) -> None:
    for name in COPIED_FIELDS:
        setattr(event, name, getattr(data, name))
    if event.group is not None and str(event.group.visibility) == GROUP_IS_PRIVATE:
        event.visibility = EventVisibility.GROUP  # a private group's events stay inside it
    event.rrule = data.rrule or None
    event.description_html = render_markdown(data.description)
    event.category_rows = [EventCategory(category=slug) for slug in dict.fromkeys(data.categories)]
    _apply_image(event, data, user)
    _set_bounds(event)


def _apply_image(event: Event, data: EventInput, user: Any) -> None:
    if (data.remove_image or data.image_file is not None) and event.image is not None:
        delete_image(event.image)
        event.image = None
    if data.image_file is not None:
        event.image = store_image(data.image_file, owner=user.actor, alt_text=data.image_alt)
    event.image_alt = data.image_alt.strip()
    if event.image is not None:
        event.image.alt_text = event.image_alt


def _set_bounds(event: Event) -> None:
    event.starts_at, event.ends_at = series_bounds(event)


def _drop_orphaned_exceptions(event: Event) -> None:
    event.exceptions = [
        exception
        for exception in event.exceptions
        if occurrence_at(event, exception.original_start_local) is not None
    ]


def _node_host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).netloc or "localhost"
