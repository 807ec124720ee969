"""Remote events stored here: an ``EventInfo`` (read by ``federation.events.parse_event``)
becomes an ``Event`` row with ``uri`` set, shown in the calendars beside ours.

The organiser is the remote actor; the place, address, online link, zone, capacity, join
mode and status are kept as sent. The wall-clock start is taken in the event's own zone so
the calendar shows the organiser's time. Remote HTML passes the node's allowlist. Events
not addressed to the public are shown to this node's members only. Only what fits our
columns is kept (a country given as a name instead of a code is left out).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from federation.errors import InvalidDocument
from federation.event_info import EventInfo
from quarter_node.plugin_api import Actor, db, sanitize_remote_html, utcnow

from . import search
from .models import (
    DEFAULT_TIMEZONE,
    Event,
    EventCategory,
    EventJoinMode,
    EventStatus,
    EventVisibility,
)
from .recurrence import series_bounds

_JOIN_MODES = {"free": EventJoinMode.FREE, "restricted": EventJoinMode.APPROVAL}
MAX_DURATION_MINUTES = 60 * 24 * 60  # two months; anything longer is an error


def find_remote(uri: str | None) -> Event | None:
    """A stored remote event by its ActivityPub id (also one deleted since)."""
    if not uri:
        return None
    return db.session.scalar(db.select(Event).where(Event.uri == uri))


def _duration(info: EventInfo) -> int:
    if info.start is None or info.end is None or info.end <= info.start:
        return 60
    return min(int((info.end - info.start).total_seconds() // 60), MAX_DURATION_MINUTES)


def _status(info: EventInfo) -> EventStatus:
    return EventStatus.CANCELLED if info.cancelled else EventStatus.SCHEDULED


def _apply_place(event: Event, info: EventInfo) -> None:
    place, address = info.place, info.place.address if info.place else None
    event.place_name = ((place.name if place else None) or "")[:200]
    street = (address.street or address.text or "") if address else ""
    event.street_address = street[:200]
    event.postal_code = ((address.postal_code if address else None) or "")[:20]
    event.locality = ((address.locality if address else None) or "")[:100]
    event.region = ((address.region if address else None) or "")[:100]
    country = (address.country if address else None) or ""
    event.country = country.upper() if len(country) == 2 else ""
    event.latitude = place.latitude if place else None
    event.longitude = place.longitude if place else None
    event.online_url = (info.online_url or "")[:2048]


def _apply(event: Event, info: EventInfo) -> None:
    if info.start is None:
        raise InvalidDocument("an event without a start cannot be shown in a calendar")
    event.title = (info.name or "").strip()[:200] or info.id[:200]
    event.description = ""
    event.description_html = sanitize_remote_html(info.content or "")
    event.timezone = info.timezone or DEFAULT_TIMEZONE
    event.start_local = info.start.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
    event.duration = _duration(info)
    event.all_day = False
    event.rrule = None
    _apply_place(event, info)
    image = info.images[0] if info.images else None
    event.image_url = image.url[:2048] if image else ""
    event.image_alt = (image.alt or "") if image else ""
    event.language = (info.language or "")[:10]
    event.status = _status(info)
    event.visibility = EventVisibility.PUBLIC if info.public else EventVisibility.MEMBERS
    event.join_mode = _JOIN_MODES.get(info.join_mode or "", EventJoinMode.CLOSED)
    event.capacity = info.capacity if info.capacity and info.capacity > 0 else None
    slugs = dict.fromkeys(slug[:50] for slug in info.categories)
    if set(slugs) != set(event.categories):
        event.category_rows = [EventCategory(category=slug) for slug in slugs]
    event.starts_at, event.ends_at = series_bounds(event)
    event.updated_at = utcnow()


def store_remote_event(info: EventInfo, organizer: Actor) -> Event:
    """Add or refresh the remote event ``info`` organised by ``organizer`` (uncommitted).
    A deleted one sent again (an organiser may undo a deletion) comes back."""
    event = find_remote(info.id)
    if event is None:
        event = Event(uri=info.id, ical_uid=(info.uuid or info.id)[:500])
        db.session.add(event)
    event.organizer_id = organizer.id
    event.organizer = organizer
    event.deleted_at = None
    _apply(event, info)
    db.session.flush()
    search.reindex(event)
    return event


def remove_remote_event(event: Event) -> bool:
    """The organiser deleted it: it disappears from every page (sign-ups stay with the row)."""
    if event.deleted_at is not None:
        return False
    event.deleted_at = utcnow()
    search.reindex(event)
    return True
