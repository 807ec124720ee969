"""Signing up across servers, as Mobilizon does: ``Join``, ``Leave``, ``Accept``, ``Reject``.

(a) A remote person's ``Join`` of one of our events is a sign-up through the sign-up service
(via ``federation_signups``). The answer follows the sign-up's state, told by the service's
signal ``participation_changed`` (``on_participation_changed``): ``Accept`` once the person
has a place (going: at once, when the organiser approves, or when they move up from the
waiting list), ``Reject`` when refused or removed, and nothing while the sign-up waits for
approval (``pending``) or for a place (``waiting``). Mobilizon answers a Join only when the
participant is approved and keeps everyone else "not approved"; it knows no waiting list,
so a waiting person is, to their server, simply not approved yet. ``Leave`` (or ``Undo`` of
the Join) withdraws.

(b) A member here signing up for a REMOTE event: the service stores it as ``pending`` and
the signal sends ``Join`` to its organiser (``send_join``); the organiser's ``Accept`` or
``Reject`` is recorded by ``signups.record_origin_answer``. Withdrawing (or keeping only an
interest) sends ``Leave`` (``send_leave``).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from federation import activities
from federation import vocabulary as v
from federation.readers import id_of, types_of
from federation.validation import same_origin
from quarter_node.plugin_api import (
    Actor,
    HandlerContext,
    InboundHandler,
    actor_uri,
    base_url,
    db,
    in_group_audience,
    is_enabled,
    new_activity_id,
    send_activity,
    utcnow,
)

from . import federation_signups as signups
from .ap_documents import activity_mark, author_of, event_uri, federates, group_only
from .models import Event, EventJoinMode
from .recurrence import occurrences

log = logging.getLogger(__name__)
_LOCAL_EVENT = re.compile(r"^/events/(?P<id>\d+)/?$")
ANSWERED_STATES = {"going": v.ACCEPT, "rejected": v.REJECT}
HELD_STATES = ("going", "waiting", "pending")  # a place or a request the organiser knows of


def local_event(uri: str | None) -> Event | None:
    """Our event whose id is ``uri`` (``<base>/events/17``), if it exists and is not deleted."""
    if not uri or not uri.startswith(f"{base_url()}/"):
        return None
    match = _LOCAL_EVENT.match(uri[len(base_url()) :])
    event = db.session.get(Event, int(match["id"])) if match else None
    return event if event is not None and event.is_local and event.deleted_at is None else None


def _next_occurrence(event: Event) -> datetime | None:
    """Mobilizon knows no series: a Join of a recurring event is for its next date."""
    if not event.is_recurring:
        return None
    now = utcnow()
    found = occurrences(event, now, now + timedelta(days=400))
    return found[0].original_start_local if found else None


def _may_join(actor: Actor, event: Event) -> bool:
    if not federates(event) or event.join_mode == EventJoinMode.CLOSED:
        return False
    return not group_only(event) or in_group_audience(actor, event.group)


def _request(join: dict[str, Any]) -> dict[str, Any]:
    """The Join as Accept/Reject embed it (Mobilizon matches the answer by its id)."""
    return {k: join[k] for k in ("id", "type", "actor", "object") if join.get(k)}


def answer_join(event: Event, participant: Actor, join: dict[str, Any], kind: str) -> None:
    """Send ``Accept`` or ``Reject`` of a remote Join, from the event's organiser."""
    build = activities.accept if kind == v.ACCEPT else activities.reject
    organizer = author_of(event)
    answer = build(
        actor_uri(organizer),
        _request(join),
        id=new_activity_id(kind.lower(), activity_mark(event)),
    )
    send_activity(organizer, answer, recipients=[participant])


def _joins_our_event(ctx: HandlerContext) -> bool:
    return local_event(ctx.object_id) is not None


def join(ctx: HandlerContext) -> bool:
    """(a) A remote person signs up for one of our events; the answer comes from the signal
    (see the module docstring)."""
    event = local_event(ctx.object_id)
    if event is None or ctx.actor.is_local:
        return False
    if not _may_join(ctx.actor, event):
        answer_join(event, ctx.actor, ctx.activity, v.REJECT)
        return True
    join_id = id_of(ctx.activity.get("id")) or ""
    if signups.find_by_uri(join_id) is not None:
        return False  # delivered again
    message = ctx.activity.get("participationMessage")
    try:
        outcome = signups.sign_up_remote(
            ctx.actor,
            event,
            _next_occurrence(event),
            join_id,
            message if isinstance(message, str) else "",
        )
    except signups.Refused as refusal:  # past, cancelled, declined before
        log.info("Join of event %s refused: %s", event.id, refusal)
        answer_join(event, ctx.actor, ctx.activity, v.REJECT)
        return True
    mine = outcome.participation
    if mine is not None and mine.uri != join_id and outcome.state == "going":
        answer_join(event, ctx.actor, ctx.activity, v.ACCEPT)  # a new Join of a kept place
    return True


def _withdraw(ctx: HandlerContext, event_uri_: str | None, join_id: str | None) -> bool:
    event = local_event(event_uri_)
    if event is None:
        return False
    participation = signups.find_by_uri(join_id) if join_id else None
    if participation is None:
        participation = signups.find(ctx.actor, event, _next_occurrence(event))
    if participation is None:
        participation = signups.latest_joined(ctx.actor, event)
    if participation is None or participation.actor_id != ctx.actor.id:
        return False
    if participation.event_id != event.id:
        return False
    signups.withdraw_remote(participation)
    return True


def leave(ctx: HandlerContext) -> bool:
    """(a) They take their sign-up back."""
    return _withdraw(ctx, ctx.object_id, None)


def undo_join(ctx: HandlerContext) -> bool:
    """(a) ``Undo`` of their Join, as some servers say ``Leave``."""
    joined = ctx.object if isinstance(ctx.object, dict) else {}
    return _withdraw(ctx, id_of(joined.get("object")), id_of(joined.get("id")))


# --- (b) our members and remote events ----------------------------------------------------------


def _answers_our_join(ctx: HandlerContext) -> bool:
    embedded = ctx.object if isinstance(ctx.object, dict) else {}
    if embedded and v.JOIN not in types_of(embedded):
        return False
    join_id = ctx.object_id
    if not join_id or not join_id.startswith(f"{base_url()}/"):
        return False
    return signups.find_by_uri(join_id) is not None


def answered(ctx: HandlerContext) -> bool:
    """(b) The remote organiser accepts or rejects our member's sign-up."""
    participation = signups.find_by_uri(ctx.object_id)
    event = db.session.get(Event, participation.event_id) if participation else None
    if event is None or event.uri is None or not same_origin(event.uri, ctx.actor.uri):
        return False
    accepted = v.ACCEPT in types_of(ctx.activity)
    new_state = "going" if accepted else "rejected"
    if participation.state == new_state:
        return False
    signups.answer_from_organiser(participation, accepted)
    return True


def send_join(participation: Any, event: Event, actor: Actor) -> None:
    """(b) Ask a remote event's organiser for a place; pending until they answer. The id
    is the one the sign-up was given, else a fresh one (a Join that was left loses its id,
    so asking again is a new request)."""
    join_id = participation.uri or new_activity_id("join", f"evj{event.id}")
    participation.uri = join_id
    organizer = event.organizer
    request = activities.join(
        actor_uri(actor),
        str(event.uri),
        id=join_id,
        organizer=actor_uri(organizer),
        message=participation.message or None,
    )
    send_activity(actor, request, recipients=[organizer])


def send_leave(event: Event, actor: Actor) -> None:
    """(b) Our member withdraws from a remote event."""
    organizer = event.organizer
    request = activities.leave(
        actor_uri(actor),
        str(event.uri),
        id=new_activity_id("leave", f"evj{event.id}"),
        organizer=actor_uri(organizer),
    )
    send_activity(actor, request, recipients=[organizer])


def event_of(participation: Any) -> Event | None:
    return db.session.get(Event, participation.event_id)


def _our_members_change(
    participation: Any, event: Event, actor: Actor, previous: str | None, state: str | None
) -> None:
    """(b) A member's sign-up for a remote event: asking for a place sends Join; giving
    up a place or a request (withdrawn, or only interested now) sends Leave."""
    if state == "pending" and previous != "pending":
        send_join(participation, event, actor)
    elif previous in HELD_STATES and state in (None, "interested") and participation.uri:
        send_leave(event, actor)
        if state is not None:
            participation.uri = None


def _their_change(participation: Any, event: Event, actor: Actor, state: str | None) -> None:
    """(a) A remote person's sign-up for our event got its place or was refused."""
    kind = ANSWERED_STATES.get(str(state))
    if kind is None or not participation.uri:
        return
    request = {
        "id": participation.uri,
        "type": v.JOIN,
        "actor": actor_uri(actor),
        "object": event_uri(event),
    }
    answer_join(event, actor, request, kind)


def on_participation_changed(
    participation: Any,
    *,
    previous: str | None = None,
    state: str | None = None,
    by_origin: bool = False,
    **_details: Any,
) -> None:
    """The sign-up service's signal, inside the change's transaction: tells the other
    server what changed (nothing when the change is itself the other server's answer)."""
    if by_origin or previous == state or not is_enabled("events"):
        return
    event = event_of(participation)
    actor = db.session.get(Actor, participation.actor_id)
    if event is None or actor is None:
        return
    if actor.is_local and event.uri is not None:
        _our_members_change(participation, event, actor, previous, state)
    elif not actor.is_local and event.is_local and state is not None:
        _their_change(participation, event, actor, state)


HANDLERS = [
    InboundHandler(v.JOIN, join, when=_joins_our_event),
    InboundHandler(v.LEAVE, leave, when=_joins_our_event),
    InboundHandler(v.JOIN, undo_join, undo=True),
    InboundHandler(v.ACCEPT, answered, when=_answers_our_join),
    InboundHandler(v.REJECT, answered, when=_answers_our_join),
]


def connect() -> None:
    """Listen to the sign-up service's signal, once per process."""
    signups.participation_signal().connect(on_participation_changed, weak=False)


connect()
