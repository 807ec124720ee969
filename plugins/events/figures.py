"""The events plugin's share of activity figures (hook ``quarter_activity_records``).

The network dashboard counts events and their participants per server and period. It asks
every enabled plugin instead of reading this plugin's tables, so the network plugin keeps
working (without event figures) where the events plugin is disabled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from quarter_node.plugin_api import ActivityRecord, Actor, db

from .models import Event, EventStatus, EventVisibility
from .participation_models import Participation, ParticipationState


def activity_records(since: datetime) -> list[ActivityRecord]:
    """Public events not cancelled or deleted whose (first) date is at or after ``since``,
    each with the people known here to go: events count when they take place."""
    going = (
        select(func.count(Participation.id))
        .where(
            Participation.event_id == Event.id,
            Participation.state == ParticipationState.GOING,
        )
        .scalar_subquery()
    )
    query = (
        select(Event.starts_at, Event.organizer_id, Actor.domain, going)
        .join(Actor, Actor.id == Event.organizer_id)
        .where(
            Event.starts_at >= since,
            Event.deleted_at.is_(None),
            Event.status != EventStatus.CANCELLED,
            Event.visibility == EventVisibility.PUBLIC,
        )
    )
    return [
        ActivityRecord("event", at, organizer_id, domain, int(count or 0))
        for at, organizer_id, domain, count in db.session.execute(query)
    ]
