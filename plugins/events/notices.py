"""The events plugin's notifications: what it tells people, and how the sentences read.

Each is a core notification of a kind of ours (``events.<kind>``) whose ``subject`` names the
event and date (``event:<id>`` or ``event:<id>:<occurrence key>``); ``describe`` writes the
sentence and link when the notifications page asks (hook ``quarter_notification_text``), in
the reader's language and only for events the reader may still see.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for

from quarter_node.plugin_api import Actor, _, db, notify

from .models import Event
from .recurrence import occurrence_key, parse_occurrence_key
from .visibility import can_view_event

REMINDER = "events.reminder"
MOVED_UP = "events.moved_up"
REQUEST = "events.request"  # for organisers: someone asks to take part
ACCEPTED = "events.accepted"
DECLINED = "events.declined"
MESSAGE = "events.message"  # the organisers wrote to participants


def subject_of(event: Event, occurrence_local: datetime | None) -> str:
    if occurrence_local is None:
        return f"event:{event.id}"
    return f"event:{event.id}:{occurrence_key(occurrence_local)}"


def parse_subject(subject: str) -> tuple[int, datetime | None] | None:
    kind, _sep, rest = subject.partition(":")
    event_id, _sep, key = rest.partition(":")
    if kind != "event" or not event_id.isdigit():
        return None
    return int(event_id), parse_occurrence_key(key) if key else None


def _tell(
    recipient: Actor, kind: str, participation: Any, actor: Any = None, text: str = ""
) -> None:
    subject = subject_of(participation.event, participation.occurrence_local)
    notify(recipient, kind, actor=actor, subject=subject, text=text)


def moved_up(participation: Any) -> None:
    _tell(participation.actor, MOVED_UP, participation)


def request_answered(participation: Any) -> None:
    kind = DECLINED if participation.state == "rejected" else ACCEPTED
    _tell(participation.actor, kind, participation)


def request_received(event: Event, participation: Any) -> None:
    """Tell the organising person (for group events: whoever created the event)."""
    organiser = event.organizer if event.group_id is None else event.created_by
    if organiser is not None:
        _tell(organiser, REQUEST, participation, actor=participation.actor)


def reminder(participation: Any) -> None:
    _tell(participation.actor, REMINDER, participation)


def message(recipient: Actor, event: Event, sender: Actor, text: str) -> None:
    notify(recipient, MESSAGE, actor=sender, subject=subject_of(event, None), text=text)


def describe(notification: Any, viewer: Any) -> tuple[str, str | None] | None:
    """Sentence and link of one of our notifications (None: not ours)."""
    if not str(notification.kind).startswith("events."):
        return None
    parsed = parse_subject(notification.subject or "")
    event = db.session.get(Event, parsed[0]) if parsed else None
    if event is None or not can_view_event(viewer, event):
        return _("An event you signed up for is no longer available."), None
    key = occurrence_key(parsed[1]) if parsed and parsed[1] else None
    link = url_for("events.show", event_id=event.id, occurrence=key)
    name = notification.actor.name if notification.actor is not None else ""
    sentences = {
        REMINDER: _("Reminder: %(title)s is coming up soon.", title=event.title),
        MOVED_UP: _("A place became free: you are now going to %(title)s.", title=event.title),
        REQUEST: _("%(name)s asks to take part in %(title)s.", name=name, title=event.title),
        ACCEPTED: _("You may take part in %(title)s.", title=event.title),
        DECLINED: _("Your request to take part in %(title)s was declined.", title=event.title),
        MESSAGE: _("The organisers of %(title)s wrote to the participants:", title=event.title),
    }
    if str(notification.kind) == REQUEST:
        link = url_for("events.participants", event_id=event.id)
    return sentences.get(str(notification.kind), event.title), link
