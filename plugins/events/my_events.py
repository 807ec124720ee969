"""What belongs in a member's personal feed: the events she organises and those she
signed up for (going, interested, on the waiting list or waiting for approval).

The one place that knows how sign-ups are stored, as far as feeds are concerned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from quarter_node.plugin_api import db

from .models import Event
from .participation_models import Participation, ParticipationState
from .visibility import visible_events_filter

#: Sign-ups that put an event into one's calendar (a rejected request does not).
SIGNED_UP_STATES = (
    ParticipationState.GOING,
    ParticipationState.INTERESTED,
    ParticipationState.WAITING,
    ParticipationState.PENDING,
)


def signed_up_event_ids(actor_id: int) -> Any:
    """A subquery of the ids of the events ``actor_id`` signed up for (any date)."""
    return select(Participation.event_id).where(
        Participation.actor_id == actor_id, Participation.state.in_(SIGNED_UP_STATES)
    )


def signed_up_dates(actor_id: int) -> dict[int, frozenset[datetime]]:
    """For series ``actor_id`` signed up for date by date (and does not organise): event
    id -> the original local starts of those dates. A sign-up for the whole event (no
    date) leaves the event out of this map: the feed then shows it whole."""
    rows = db.session.execute(
        select(Participation.event_id, Participation.occurrence_local)
        .join(Event, Event.id == Participation.event_id)
        .where(Participation.actor_id == actor_id, Participation.state.in_(SIGNED_UP_STATES))
        .where(Event.organizer_id != actor_id)
    ).all()
    dates: dict[int, set[datetime]] = {}
    whole: set[int] = set()
    for event_id, occurrence_local in rows:
        if occurrence_local is None:
            whole.add(event_id)
        else:
            dates.setdefault(event_id, set()).add(occurrence_local)
    return {k: frozenset(v) for k, v in dates.items() if k not in whole}


def personal_feed_filter(user: Any) -> ColumnElement[bool]:
    """SQL condition: the events of ``user``'s personal feed, as far as she may see them
    (an event that became members-only for a group she left drops out)."""
    actor_id = user.actor_id
    return and_(
        visible_events_filter(user),
        or_(Event.organizer_id == actor_id, Event.id.in_(signed_up_event_ids(actor_id))),
    )
