"""Signing up for events: going or interested, capacity with a waiting list, approval.

The rules, for local people and remote actors alike (federation calls these services with
the remote ``Actor`` and the id of its ``Join``):

- ``going`` takes a place; ``interested`` takes none. Capacity counts per occurrence, only
  people who are going; NULL means unlimited.
- A full occurrence puts new people on the waiting list (first come, first served); when
  someone going withdraws or is removed, the first one waiting moves up and is told so.
- Join mode ``approval``: requests wait (``pending``) until the organiser or the group's
  moderators approve (then going or waiting, as places allow) or reject them.
- Closed, cancelled, deleted and past events or dates take no sign-ups.

Never more people going than places, also when many sign up at once: every change first
locks the event's row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite a write to the row
takes the database's write lock), so counting places and taking one happen as one step.
Each service commits once (``commit=False`` when the caller owns the transaction, as inbound
ActivityPub handlers do) and returns ``(participation, state)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update

from quarter_node.plugin_api import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    _,
    db,
    utcnow,
)

from . import notices, signals
from .models import Event, EventJoinMode, EventStatus, EventVisibility
from .participation_models import Participation, ParticipationState
from .participation_queries import (
    find_participation,
    places_left,
    same_occurrence,
)
from .permissions import can_edit_event
from .recurrence import occurrence_at
from .visibility import can_view_event

State = ParticipationState
WISHES = (State.GOING, State.INTERESTED)
HOLDS_A_REQUEST = (State.GOING, State.WAITING, State.PENDING)


class Outcome(NamedTuple):
    """What a service did: the participation and its state now (None: withdrawn)."""

    participation: Participation | None
    state: str | None


def can_manage_participants(user: Any, event: Event) -> bool:
    """Organisers (the person, the group's moderators) and node moderators see the list,
    approve, reject and write to participants: exactly those who may change the event."""
    return can_edit_event(user, event)


def sign_up(
    actor: Actor,
    event: Event,
    occurrence_local: datetime | None,
    state: str,
    *,
    uri: str | None = None,
    message: str = "",
    now: datetime | None = None,
    commit: bool = True,
) -> Outcome:
    """``actor`` says they are going to (or interested in) one occurrence of ``event``."""
    now = now or utcnow()
    if state not in WISHES:
        raise InvalidInput(_("Please choose whether you are going or interested."))
    _require_may_take_part(actor, event)
    occurrence_local = _open_occurrence(event, occurrence_local, now)
    lock_event(event)
    participation = find_participation(event, actor, occurrence_local)
    previous = participation.state if participation is not None else None
    if previous == State.REJECTED:
        raise PermissionDenied(_("The organisers declined your request for this event."))
    if state == State.GOING and previous in HOLDS_A_REQUEST:
        return Outcome(participation, previous)  # asked again: nothing changes
    if participation is None:
        participation = Participation(
            event_id=event.id, actor_id=actor.id, occurrence_local=occurrence_local, state=""
        )
        db.session.add(participation)
    participation.uri = uri or participation.uri
    participation.message = message.strip()[:2000]
    target = _arrival_state(actor, event, occurrence_local, state)
    if target in (State.WAITING, State.PENDING):
        participation.created_at = now  # joins the end of the queue
    _change(participation, target, now)
    if previous == State.GOING:
        _move_up(event, occurrence_local, now)
    if target == State.PENDING and event.is_local:
        notices.request_received(event, participation)
    _finish(commit)
    return Outcome(participation, target)


def withdraw(
    actor: Actor,
    event: Event,
    occurrence_local: datetime | None,
    *,
    now: datetime | None = None,
    commit: bool = True,
) -> Outcome:
    """``actor`` no longer takes part; a freed place goes to the first one waiting.
    Withdrawing twice is harmless (a repeated ``Leave``)."""
    now = now or utcnow()
    occurrence_local = _normalise(event, occurrence_local)
    lock_event(event)
    participation = find_participation(event, actor, occurrence_local)
    if participation is None:
        return Outcome(None, None)
    previous = participation.state
    db.session.delete(participation)
    db.session.flush()
    signals.participation_changed.send(
        participation, previous=previous, state=None, by_origin=False
    )
    if previous == State.GOING:
        _move_up(event, occurrence_local, now)
    _finish(commit)
    return Outcome(participation, None)


def approve(
    organiser: Any,
    participation: Participation,
    *,
    now: datetime | None = None,
    commit: bool = True,
) -> Outcome:
    """The organiser lets a request in: going if there is a place, else waiting."""
    now = now or utcnow()
    event = _managed_event(organiser, participation)
    if participation.state not in (State.PENDING, State.REJECTED):
        raise InvalidInput(_("This person is not waiting for an answer."))
    lock_event(event)
    has_place = _has_place(event, participation.occurrence_local)
    _change(participation, State.GOING if has_place else State.WAITING, now)
    notices.request_answered(participation)
    _finish(commit)
    return Outcome(participation, participation.state)


def reject(
    organiser: Any,
    participation: Participation,
    *,
    now: datetime | None = None,
    commit: bool = True,
) -> Outcome:
    """The organiser declines a request, or takes back someone's place (which then goes to
    the first one waiting)."""
    now = now or utcnow()
    event = _managed_event(organiser, participation)
    if participation.state not in HOLDS_A_REQUEST:
        raise InvalidInput(_("This person is not signed up for going."))
    lock_event(event)
    previous = participation.state
    _change(participation, State.REJECTED, now)
    notices.request_answered(participation)
    if previous == State.GOING:
        _move_up(event, participation.occurrence_local, now)
    _finish(commit)
    return Outcome(participation, State.REJECTED)


def record_origin_answer(
    participation: Participation, state: str, *, now: datetime | None = None
) -> Outcome:
    """A remote event's origin accepted (``going``) or rejected our member's ``Join``.
    Federation calls this after verifying the answer comes from the event's organiser; the
    origin keeps the capacity, so no rules are applied here. Does not commit (inbound
    handlers run inside the job's transaction)."""
    if state not in (State.GOING, State.WAITING, State.REJECTED):
        raise InvalidInput("unknown answer")
    previous = participation.state
    participation.state = state
    participation.updated_at = now or utcnow()
    db.session.flush()
    signals.participation_changed.send(
        participation, previous=previous, state=state, by_origin=True
    )
    return Outcome(participation, state)


# --- the rules ---------------------------------------------------------------------------


def lock_event(event: Event) -> None:
    """Serialise every sign-up change of one event until the transaction ends."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    else:  # SQLite locks the whole database for the first write of a transaction
        db.session.execute(
            update(Event).where(Event.id == event.id).values(updated_at=Event.updated_at)
        )


def _require_may_take_part(actor: Actor, event: Event) -> None:
    if actor.suspended_at is not None:
        raise PermissionDenied(_("This account cannot sign up."))
    if actor.is_local:
        user = actor.user
        if user is None or not user.is_active or not can_view_event(user, event):
            raise NotFound(_("There is no such event."))
    elif event.visibility != EventVisibility.PUBLIC or event.deleted_at is not None:
        raise NotFound(_("There is no such event."))
    if event.join_mode == EventJoinMode.CLOSED:
        raise PermissionDenied(_("This event takes no sign-ups here."))
    if event.status == EventStatus.CANCELLED:
        raise PermissionDenied(_("This event is cancelled."))


def _normalise(event: Event, occurrence_local: datetime | None) -> datetime | None:
    """One-off events store no occurrence; a series needs one."""
    if not event.is_recurring:
        return None
    if occurrence_local is None:
        raise InvalidInput(_("Please choose a date of this series."))
    return occurrence_local


def _open_occurrence(event: Event, occurrence_local: datetime | None, now: datetime) -> Any:
    occurrence_local = _normalise(event, occurrence_local)
    occurrence = occurrence_at(event, occurrence_local or event.start_local)
    if occurrence is None:
        raise NotFound(_("This event has no date at that time."))
    if occurrence.is_cancelled:
        raise PermissionDenied(_("This date is cancelled."))
    if occurrence.end <= now:
        raise PermissionDenied(_("This date is over."))
    return occurrence_local


def _arrival_state(
    actor: Actor, event: Event, occurrence_local: datetime | None, wish: str
) -> State:
    if wish == State.INTERESTED:
        return State.INTERESTED
    if not event.is_local:
        return State.PENDING  # the event's origin decides, and answers with Accept/Reject
    if event.join_mode == EventJoinMode.APPROVAL and not _is_organiser(actor, event):
        return State.PENDING
    return State.GOING if _has_place(event, occurrence_local) else State.WAITING


def _is_organiser(actor: Actor, event: Event) -> bool:
    return actor.id in (event.organizer_id, event.created_by_id)


def _has_place(event: Event, occurrence_local: datetime | None) -> bool:
    left = places_left(event, occurrence_local)
    return left is None or left > 0


def _move_up(event: Event, occurrence_local: datetime | None, now: datetime) -> None:
    """Give free places to those waiting, in the order they came."""
    while _has_place(event, occurrence_local):
        first = db.session.scalar(
            select(Participation)
            .where(
                Participation.event_id == event.id,
                same_occurrence(occurrence_local),
                Participation.state == State.WAITING,
            )
            .order_by(Participation.created_at, Participation.id)
            .limit(1)
        )
        if first is None:
            return
        _change(first, State.GOING, now)
        notices.moved_up(first)


def _change(participation: Participation, state: str, now: datetime) -> None:
    previous = participation.state or None
    participation.state = state
    participation.updated_at = now
    db.session.flush()
    signals.participation_changed.send(
        participation, previous=previous, state=state, by_origin=False
    )


def _finish(commit: bool) -> None:
    """Commit, unless the caller owns the transaction (an inbound ActivityPub handler runs
    inside its job's transaction and passes ``commit=False``)."""
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _managed_event(user: Any, participation: Participation) -> Event:
    event = participation.event
    if not can_manage_participants(user, event):
        raise PermissionDenied(_("Only the organisers can answer requests."))
    return event


@signals.event_updated.connect
def _fill_places_after_edit(event: Event, **_kwargs: Any) -> None:
    """An organiser raised the capacity (or removed it): those waiting move up at once.
    Runs inside the edit's transaction, which already holds the event's row lock."""
    if event.status == EventStatus.CANCELLED:
        return
    waiting_dates = db.session.scalars(
        select(Participation.occurrence_local)
        .where(Participation.event_id == event.id, Participation.state == State.WAITING)
        .distinct()
    ).all()
    for occurrence_local in waiting_dates:
        _move_up(event, occurrence_local, utcnow())
