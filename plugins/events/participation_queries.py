"""Reading sign-ups: one person's participation, places left, waiting positions.

(The rules that change them are in ``signups.py``.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from quarter_node.plugin_api import Actor, db

from .models import Event
from .participation_models import Participation, ParticipationState
from .recurrence import Occurrence

State = ParticipationState


def find_participation(
    event: Event, actor: Actor, occurrence_local: datetime | None
) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(
            Participation.event_id == event.id,
            Participation.actor_id == actor.id,
            same_occurrence(occurrence_local),
        )
    )


def going_count(event: Event, occurrence_local: datetime | None) -> int:
    return db.session.scalar(
        select(func.count(Participation.id)).where(
            Participation.event_id == event.id,
            same_occurrence(occurrence_local),
            Participation.state == State.GOING,
        )
    )


def places_left(event: Event, occurrence_local: datetime | None) -> int | None:
    """Free places of an occurrence (None: unlimited)."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - going_count(event, occurrence_local))


def waiting_position(participation: Participation) -> int:
    """1 for the first one on the waiting list."""
    ahead = db.session.scalar(
        select(func.count(Participation.id)).where(
            Participation.event_id == participation.event_id,
            same_occurrence(participation.occurrence_local),
            Participation.state == State.WAITING,
            (Participation.created_at < participation.created_at)
            | (
                (Participation.created_at == participation.created_at)
                & (Participation.id < participation.id)
            ),
        )
    )
    return ahead + 1


def occurrence_key_of(event: Event, occurrence: Occurrence) -> datetime | None:
    """What ``occurrence_local`` a participation in ``occurrence`` stores."""
    return occurrence.original_start_local if event.is_recurring else None


def participation_by_uri(uri: str) -> Participation | None:
    """The participation a remote ``Join`` (by its id) made, for ``Leave``/``Undo``."""
    return db.session.scalar(select(Participation).where(Participation.uri == uri))


def same_occurrence(occurrence_local: datetime | None) -> Any:
    if occurrence_local is None:
        return Participation.occurrence_local.is_(None)
    return Participation.occurrence_local == occurrence_local
