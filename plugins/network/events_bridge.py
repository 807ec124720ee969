"""The network's calendar borrows the events plugin: its queries, its month arithmetic and
its templates' pieces, so a member's event looks and behaves here as it does there.

The events plugin is another built-in plugin that may be switched off. Its modules are
imported only inside functions, after ``is_enabled("events")`` said it is on; with it off
the calendar answers ``None`` and the pages say that there is no calendar. (A hook would be
the way for an installed plugin; two built-in plugins shipped together may share code.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from quarter_node.plugin_api import Actor, current_account, db, is_enabled, utcnow


@dataclass(frozen=True)
class Month:
    """One month of the network's calendar: its occurrences in time order."""

    first: date
    previous: date
    following: date
    occurrences: list[Any]


def events_available() -> bool:
    return is_enabled("events")


def month_of_events(month: str | None, domains: frozenset[str]) -> Month | None:
    """The visible occurrences of the members' events in ``month`` ("YYYY-MM", default:
    this month); ``None`` while the events plugin is off."""
    if not events_available():
        return None
    from plugins.events import calendar_grid as grid
    from plugins.events.queries import EventFilters, occurrences_between

    first = grid.parse_month(month, utcnow().astimezone(grid.ZONE).date())
    found = occurrences_between(
        current_account(), *grid.month_window(first), EventFilters(organizer_domains=domains)
    )
    return Month(first, grid.previous_month(first), grid.next_month(first), found)


def upcoming_events(domains: frozenset[str], per_node: int = 3) -> dict[str, list[Any]]:
    """The next visible occurrences (within the events plugin's upcoming horizon, a year)
    of each member's events, by domain, from one query (empty while events is off)."""
    if not events_available():
        return {}
    from plugins.events.queries import UPCOMING_HORIZON, EventFilters, occurrences_between

    now = utcnow()
    filters = EventFilters(organizer_domains=domains)
    found: dict[str, list[Any]] = {}
    for occurrence in occurrences_between(current_account(), now, now + UPCOMING_HORIZON, filters):
        shown = found.setdefault(occurrence.event.organizer.domain, [])
        if len(shown) < per_node:
            shown.append(occurrence)
    return found


def last_event_at(domains: frozenset[str]) -> dict[str, datetime]:
    """When each member last published an event (visible to the reader), by domain."""
    if not events_available():
        return {}
    from sqlalchemy import func, select
    from sqlalchemy.orm import aliased

    from plugins.events.models import Event
    from plugins.events.visibility import visible_events_filter

    organizer = aliased(Actor)  # the visibility rule has its own subqueries over actors
    query = (
        select(organizer.domain, func.max(Event.created_at))
        .join(Event, Event.organizer_id == organizer.id)
        .where(organizer.domain.in_(sorted(domains)), visible_events_filter(current_account()))
        .group_by(organizer.domain)
    )
    return {domain: at for domain, at in db.session.execute(query) if at is not None}
