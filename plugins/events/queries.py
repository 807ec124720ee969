"""The listings: upcoming and past occurrences, calendar windows, per group, place, category.

Every query starts from ``visible_events_filter`` (no listing can show an event its reader
may not see), selects the events whose span meets the window by their stored UTC bounds,
then expands them into occurrences (``recurrence.py``) and keeps those in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from quarter_node.plugin_api import Actor, db

from .models import Event, EventCategory
from .recurrence import Occurrence, occurrences
from .visibility import visible_events_filter

UPCOMING_HORIZON = timedelta(days=366)
PAST_HORIZON = timedelta(days=2 * 366)


@dataclass(frozen=True)
class EventFilters:
    """What a listing is narrowed to (all optional)."""

    category: str | None = None
    group_id: int | None = None
    place: str | None = None  # the place's name, compared case-insensitively
    organizer_id: int | None = None
    # organisers on these servers only ("host[:port]"; the network plugin's calendar)
    organizer_domains: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        return any(
            v is not None for v in (self.category, self.group_id, self.place, self.organizer_id)
        )


def events_in_window(
    user: Any, start: datetime, end: datetime, filters: EventFilters
) -> list[Event]:
    """Visible events with at least one occurrence possibly in ``[start, end)``."""
    query = (
        select(Event)
        .where(visible_events_filter(user))
        .where(Event.starts_at < end)
        .where(or_(Event.ends_at.is_(None), Event.ends_at > start))
        .options(
            selectinload(Event.exceptions),
            selectinload(Event.category_rows),
            selectinload(Event.organizer),  # listings name a remote event's server
        )
    )
    if filters.category:
        query = query.where(
            Event.id.in_(
                select(EventCategory.event_id).where(EventCategory.category == filters.category)
            )
        )
    if filters.group_id is not None:
        query = query.where(Event.group_id == filters.group_id)
    if filters.place:
        query = query.where(func.lower(Event.place_name) == filters.place.strip().lower())
    if filters.organizer_id is not None:
        query = query.where(Event.organizer_id == filters.organizer_id)
    if filters.organizer_domains is not None:
        organizers = select(Actor.id).where(Actor.domain.in_(sorted(filters.organizer_domains)))
        query = query.where(Event.organizer_id.in_(organizers))
    return list(db.session.scalars(query))


def occurrences_between(
    user: Any, start: datetime, end: datetime, filters: EventFilters | None = None
) -> list[Occurrence]:
    """Every visible occurrence overlapping ``[start, end)``, in time order (cancelled ones
    included, marked)."""
    found = [
        occurrence
        for event in events_in_window(user, start, end, filters or EventFilters())
        for occurrence in occurrences(event, start, end)
    ]
    return sorted(found, key=lambda o: (o.start, o.event.id))


def upcoming(
    user: Any, now: datetime, filters: EventFilters | None = None, limit: int = 50
) -> list[Occurrence]:
    """What is on from now (including what is going on right now), soonest first."""
    return occurrences_between(user, now, now + UPCOMING_HORIZON, filters)[:limit]


def past(
    user: Any, now: datetime, filters: EventFilters | None = None, limit: int = 50
) -> list[Occurrence]:
    """What has ended, latest first."""
    found = occurrences_between(user, now - PAST_HORIZON, now, filters)
    return [o for o in reversed(found) if o.end <= now][:limit]


def known_places(user: Any) -> list[str]:
    """Names of the places of visible events, for the place filter."""
    names = db.session.scalars(
        select(Event.place_name)
        .where(visible_events_filter(user), Event.place_name != "")
        .distinct()
        .order_by(Event.place_name)
    )
    return list(names)
