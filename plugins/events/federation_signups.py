"""The ONE place where federation meets the sign-up service (``signups.py``): every call from
``federation_joins``, ``federation_out`` and ``federation_messages`` into sign-ups goes
through these small functions, so a change of the service's shape touches this module only.

The service's rules hold for remote people as for local ones (capacity, waiting list,
approval); inbound handlers run inside their job's transaction, so every call here passes
``commit=False``. State changes are told by the signal ``signals.participation_changed``
(with ``previous``, ``state`` — None when someone withdrew — and ``by_origin``), which
``federation_joins`` turns into Join, Leave, Accept and Reject.
"""

from __future__ import annotations

from datetime import datetime

from blinker import Signal

from quarter_node.plugin_api import Actor, InvalidInput, NotFound, PermissionDenied, db

from . import signals, signups
from .models import Event
from .participation_models import Participation, ParticipationState
from .participation_queries import find_participation, participation_by_uri

State = ParticipationState
GOING_STATES = (State.GOING,)
# What sign_up refuses with (closed, cancelled or past dates, a person declined before).
Refused = (PermissionDenied, NotFound, InvalidInput)


def participant_count(event: Event) -> int:
    """People going to the event (all occurrences), as announced in ``participantCount``."""
    return int(
        db.session.scalar(
            db.select(db.func.count(Participation.id)).where(
                Participation.event_id == event.id, Participation.state.in_(GOING_STATES)
            )
        )
        or 0
    )


def find_by_uri(uri: str | None) -> Participation | None:
    """The participation whose Join has id ``uri`` (theirs or ours)."""
    return participation_by_uri(uri) if uri else None


def find(actor: Actor, event: Event, occurrence_local: datetime | None) -> Participation | None:
    return find_participation(event, actor, occurrence_local)


def latest_joined(actor: Actor, event: Event) -> Participation | None:
    """The actor's most recent sign-up for ``event`` made by a Join (a Leave names only the
    event; for a series the Join was for one date)."""
    return db.session.scalar(
        db.select(Participation)
        .where(
            Participation.event_id == event.id,
            Participation.actor_id == actor.id,
            Participation.uri.is_not(None),
        )
        .order_by(Participation.created_at.desc(), Participation.id.desc())
        .limit(1)
    )


def sign_up_remote(
    actor: Actor, event: Event, occurrence: datetime | None, join_uri: str, message: str = ""
) -> signups.Outcome:
    """(a) A remote person's Join of one of our events: a sign-up as "going" (the service
    decides going, waiting or pending); the Join's id is kept for their Leave and for the
    answer. Raises one of ``Refused`` when the event takes no sign-up."""
    return signups.sign_up(
        actor, event, occurrence, State.GOING, uri=join_uri, message=message, commit=False
    )


def withdraw_remote(participation: Participation) -> None:
    """(a) Their Leave: the place goes to the next on the waiting list (the service)."""
    signups.withdraw(
        participation.actor, participation.event, participation.occurrence_local, commit=False
    )


def answer_from_organiser(participation: Participation, accepted: bool) -> None:
    """(b) The remote organiser's Accept or Reject of our member's Join (does not commit)."""
    signups.record_origin_answer(participation, State.GOING if accepted else State.REJECTED)


def participation_signal() -> Signal:
    """The service's signal of state changes (sender: the participation)."""
    return signals.participation_changed


def messaged_signal() -> Signal:
    """The organisers wrote to the participants (sender: the event; ``recipients`` are the
    remote participants' actors, whom federation writes to)."""
    return signals.participants_messaged
