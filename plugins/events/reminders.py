"""Reminders before a date one is going to: a notification in the web UI, and a mail when
the node sends mail.

A periodic job looks every quarter of an hour for local people going to a date that starts
within the configured hours (setting ``reminder_hours``, default 24). Each participation
remembers the start it was reminded of (``reminded_for``): nobody hears twice of the same
date, and a date that moved is reminded again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quarter_node.plugin_api import (
    Actor,
    _,
    crontab,
    db,
    in_language_of,
    is_enabled,
    mail_configured,
    periodic_job,
    plugin_setting,
    send_mail,
    utcnow,
)

from . import notices
from .display import when_text
from .models import Event, EventStatus
from .participation_models import Participation, ParticipationState
from .recurrence import Occurrence, occurrence_at, occurrence_key


@periodic_job(crontab(minute="*/15"))
def remind_participants() -> None:
    """The worker's schedule: every 15 minutes."""
    try:
        send_due_reminders()
    finally:
        db.session.remove()


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind everyone due at ``now`` (tests pass a time); returns how many were reminded."""
    now = now or utcnow()
    hours = int(plugin_setting("events", "reminder_hours") or 0)
    if hours <= 0 or not is_enabled("events"):
        return 0
    horizon = now + timedelta(hours=hours)
    reminded = 0
    for participation in _candidates(now, horizon):
        occurrence = _occurrence(participation)
        if occurrence is None or occurrence.is_cancelled:
            continue
        if not now < occurrence.start <= horizon or participation.reminded_for == occurrence.start:
            continue
        participation.reminded_for = occurrence.start
        notices.reminder(participation)
        if mail_configured():
            _mail(participation, occurrence)
        reminded += 1
    db.session.commit()
    return reminded


def _candidates(now: datetime, horizon: datetime) -> list[Participation]:
    """Local people going to events that may have a date in ``(now, horizon]``."""
    return list(
        db.session.scalars(
            select(Participation)
            .join(Event, Event.id == Participation.event_id)
            .join(Actor, Actor.id == Participation.actor_id)
            .where(
                Participation.state == ParticipationState.GOING,
                Actor.domain == "",
                Event.deleted_at.is_(None),
                Event.status != EventStatus.CANCELLED,
                Event.starts_at <= horizon + timedelta(days=1),  # moved dates: a day of slack
                (Event.ends_at.is_(None)) | (Event.ends_at > now - timedelta(days=1)),
            )
            .options(selectinload(Participation.event), selectinload(Participation.actor))
        )
    )


def _occurrence(participation: Participation) -> Occurrence | None:
    event = participation.event
    return occurrence_at(event, participation.occurrence_local or event.start_local)


def _mail(participation: Participation, occurrence: Occurrence) -> None:
    user = participation.actor.user
    if user is None or not user.is_active:
        return
    event = participation.event
    link = current_app.config["BASE_URL"].rstrip("/") + f"/events/{event.id}"
    if participation.occurrence_local is not None:
        link += "?occurrence=" + occurrence_key(participation.occurrence_local)
    with in_language_of(user):
        subject = _("Reminder: %(title)s", title=occurrence.title)
        body = _mail_body(occurrence, link)
    send_mail(user, subject, body)


def _mail_body(occurrence: Occurrence, link: str) -> str:
    lines: list[Any] = [
        _("You are going to %(title)s.", title=occurrence.title),
        "",
        _("When: %(when)s", when=when_text(occurrence)),
    ]
    if occurrence.place_name:
        lines.append(_("Where: %(place)s", place=occurrence.place_name))
    lines += ["", link, "", _("If you cannot come, please withdraw on the event page.")]
    return "\n".join(str(line) for line in lines)
