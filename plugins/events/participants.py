"""What organisers and members read of sign-ups: the participant list, its CSV export,
messages to participants, a member's own upcoming sign-ups, the sign-up box of an event page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quarter_node.plugin_api import Actor, InvalidInput, PermissionDenied, _, db, utcnow

from . import notices, signals
from .models import Event, EventJoinMode, EventStatus
from .participation_models import Participation, ParticipationState
from .participation_queries import (
    find_participation,
    occurrence_key_of,
    places_left,
    waiting_position,
)
from .recurrence import Occurrence, occurrence_at
from .signups import can_manage_participants
from .visibility import visible_events_filter

State = ParticipationState
LIST_ORDER = (State.GOING, State.WAITING, State.PENDING, State.INTERESTED, State.REJECTED)
MESSAGE_MAX = 5000
# A spreadsheet runs cells starting with these as formulas (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("name", "handle", "state", "occurrence", "since", "message")


def participations(event: Event, occurrence_local: datetime | None = None) -> list[Participation]:
    """The event's sign-ups (of one date, if given), in list order: state, then arrival."""
    query = (
        select(Participation)
        .where(Participation.event_id == event.id)
        .options(selectinload(Participation.actor))
        .order_by(Participation.occurrence_local, Participation.created_at, Participation.id)
    )
    if occurrence_local is not None:
        query = query.where(Participation.occurrence_local == occurrence_local)
    rows = list(db.session.scalars(query))
    return sorted(rows, key=lambda row: LIST_ORDER.index(State(row.state)))


def by_state(rows: list[Participation]) -> dict[str, list[Participation]]:
    grouped: dict[str, list[Participation]] = {state: [] for state in LIST_ORDER}
    for row in rows:
        grouped[row.state].append(row)
    return grouped


def full_handle(actor: Actor, host: str) -> str:
    """``anna@quartier.example`` (no leading ``@``, which spreadsheets read as a formula)."""
    return f"{actor.handle}@{actor.domain or host}"


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def participants_csv(event: Event, rows: list[Participation], host: str) -> str:
    """The participant list as CSV with a header row (UTF-8, one row per sign-up)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        cells = (
            row.actor.name,
            full_handle(row.actor, host),
            row.state,
            row.occurrence_local.isoformat(timespec="minutes") if row.occurrence_local else "",
            row.updated_at.isoformat(timespec="seconds"),
            row.message,
        )
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def message_participants(
    user: Any, event: Event, text: str, occurrence_local: datetime | None = None
) -> int:
    """The organisers write to everyone signed up (of one date, if given), except those
    declined. Local people get a notification; remote people are handed to federation
    (signal ``participants_messaged``) as a direct post. Returns how many were reached."""
    if not can_manage_participants(user, event):
        raise PermissionDenied(_("Only the organisers can write to the participants."))
    text = text.strip()
    if not text or len(text) > MESSAGE_MAX:
        raise InvalidInput(_("Please write a message of at most %(n)d characters.", n=MESSAGE_MAX))
    recipients = {
        row.actor.id: row.actor
        for row in participations(event, occurrence_local)
        if row.state != State.REJECTED
    }
    local = [actor for actor in recipients.values() if actor.is_local]
    remote = [actor for actor in recipients.values() if not actor.is_local]
    for actor in local:
        notices.message(actor, event, user.actor, text)
    # Federation's seam: it sends the text to ``remote`` as a direct Note.
    signals.participants_messaged.send(event, sender=user.actor, text=text, recipients=remote)
    db.session.commit()
    return len(recipients)


@dataclass(frozen=True)
class SignupBox:
    """What the event page shows about signing up for the chosen date."""

    open: bool  # sign-up possible for this date
    reason: str  # why not, when closed
    participation: Participation | None
    places_left: int | None
    waiting_position: int | None
    going: int
    may_manage: bool
    occurrence_key: str | None  # to send with the form (series only)


def signup_box(user: Any, event: Event, occurrence: Occurrence) -> SignupBox:
    occurrence_local = occurrence_key_of(event, occurrence)
    mine = find_participation(event, user.actor, occurrence_local) if user else None
    left = places_left(event, occurrence_local)
    going = sum(1 for row in participations(event, occurrence_local) if row.state == State.GOING)
    return SignupBox(
        open=not _closed_reason(event, occurrence),
        reason=_closed_reason(event, occurrence),
        participation=mine,
        places_left=left,
        waiting_position=waiting_position(mine) if mine and mine.state == State.WAITING else None,
        going=going,
        may_manage=user is not None and can_manage_participants(user, event),
        occurrence_key=occurrence.key if event.is_recurring else None,
    )


def _closed_reason(event: Event, occurrence: Occurrence) -> str:
    if event.join_mode == EventJoinMode.CLOSED:
        return _("This event takes no sign-ups here.")
    if event.status == EventStatus.CANCELLED or occurrence.is_cancelled:
        return _("This date is cancelled.")
    if occurrence.end <= utcnow():
        return _("This date is over.")
    return ""


@dataclass(frozen=True)
class MySignup:
    participation: Participation
    occurrence: Occurrence


def my_upcoming(user: Any, now: datetime | None = None) -> list[MySignup]:
    """What ``user`` signed up for and has not ended yet, soonest first (declined ones
    left out; events they may no longer see too)."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Participation)
        .join(Event, Event.id == Participation.event_id)
        .where(
            Participation.actor_id == user.actor_id,
            Participation.state != State.REJECTED,
            visible_events_filter(user),
            (Event.ends_at.is_(None)) | (Event.ends_at > now - timedelta(days=1)),
        )
        .options(selectinload(Participation.event))
    )
    found = []
    for row in rows:
        occurrence = occurrence_at(row.event, row.occurrence_local or row.event.start_local)
        if occurrence is not None and occurrence.end > now:
            found.append(MySignup(row, occurrence))
    return sorted(found, key=lambda item: item.occurrence.start)
