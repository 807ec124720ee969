"""Changing one occurrence of a series: cancel it, move or rename it, or restore it.

An occurrence is named by its ORIGINAL local start (what the rule says), stored in an
``OccurrenceException`` (RFC 5545's RECURRENCE-ID), so it stays the same occurrence however
often it is moved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quarter_node.plugin_api import InvalidInput, NotFound, PermissionDenied, _, db, utcnow

from . import signals
from .event_input import MAX_DURATION
from .models import Event, OccurrenceException
from .permissions import can_edit_event
from .recurrence import occurrence_at, series_bounds


def cancel_occurrence(user: Any, event: Event, original_start_local: datetime) -> None:
    """Cancel one date of a series; the others stay."""
    exception = _exception(user, event, original_start_local)
    exception.cancelled = True
    _save(event)


def change_occurrence(
    user: Any,
    event: Event,
    original_start_local: datetime,
    *,
    start_local: datetime | None = None,
    duration: int | None = None,
    title: str = "",
    place_name: str = "",
    note: str = "",
) -> None:
    """Move one date of a series, or give it another title, place or a note."""
    if duration is not None and not 0 <= duration <= MAX_DURATION:
        raise InvalidInput(_("The event must end after it starts and last at most 60 days."))
    exception = _exception(user, event, original_start_local)
    exception.cancelled = False
    exception.start_local = None if start_local == original_start_local else start_local
    exception.duration = None if duration == event.duration else duration
    exception.title = title.strip() or None
    exception.place_name = place_name.strip() or None
    exception.note = note.strip()
    _save(event)


def restore_occurrence(user: Any, event: Event, original_start_local: datetime) -> None:
    """Take back what was changed for one date: it follows the series again."""
    _require_series_date(user, event, original_start_local)
    event.exceptions = [
        e for e in event.exceptions if e.original_start_local != original_start_local
    ]
    _save(event)


def _require_series_date(user: Any, event: Event, original_start_local: datetime) -> None:
    if not can_edit_event(user, event):
        raise PermissionDenied(_("You cannot change this event."))
    if not event.is_recurring or occurrence_at(event, original_start_local) is None:
        raise NotFound(_("This event has no date at that time."))


def _exception(user: Any, event: Event, original_start_local: datetime) -> OccurrenceException:
    _require_series_date(user, event, original_start_local)
    for exception in event.exceptions:
        if exception.original_start_local == original_start_local:
            return exception
    exception = OccurrenceException(original_start_local=original_start_local, note="")
    event.exceptions.append(exception)
    return exception


def _save(event: Event) -> None:
    event.starts_at, event.ends_at = series_bounds(event)
    event.updated_at = utcnow()
    db.session.flush()
    signals.event_updated.send(event)
    db.session.commit()
