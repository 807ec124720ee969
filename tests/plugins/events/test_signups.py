"""Signing up: going and interested, capacity and waiting list, approval, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from plugins.events import signals
from plugins.events.occurrence_services import cancel_occurrence
from plugins.events.participation_models import Participation
from plugins.events.participation_queries import (
    find_participation,
    participation_by_uri,
    places_left,
    waiting_position,
)
from plugins.events.services import cancel_event, update_event
from plugins.events.signups import approve, record_origin_answer, reject, sign_up, withdraw
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.plugin_api import utcnow
from tests.plugins.events.helpers import event_input, make_event


def soon(days: int = 3, hour: int = 18) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(
        tzinfo=None, hour=hour, minute=0, second=0, microsecond=0
    )


def states(event) -> dict[str, str]:
    rows = db.session.scalars(db.select(Participation).where(Participation.event_id == event.id))
    return {row.actor.handle: row.state for row in rows}


def kinds_for(user) -> list[str]:
    rows = db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user.actor_id)
    )
    return [str(row.kind) for row in rows]


def test_going_takes_a_place_and_a_full_event_puts_people_on_the_waiting_list(factories) -> None:
    organiser = factories.user("orga")
    anna, bert, cleo = factories.user("anna"), factories.user("bert"), factories.user("cleo")
    event = make_event(organiser, start_local=soon(), capacity=1)
    assert sign_up(anna.actor, event, None, "going").state == "going"
    assert places_left(event, None) == 0
    assert sign_up(bert.actor, event, None, "going").state == "waiting"
    assert sign_up(cleo.actor, event, None, "interested").state == "interested"
    assert states(event) == {"anna": "going", "bert": "waiting", "cleo": "interested"}
    bert_row = find_participation(event, bert.actor, None)
    assert waiting_position(bert_row) == 1
    # asking again changes nothing
    assert sign_up(bert.actor, event, None, "going").state == "waiting"


def test_when_someone_going_withdraws_the_first_waiting_moves_up_and_is_told(factories) -> None:
    organiser = factories.user("orga")
    anna, bert, cleo = factories.user("anna"), factories.user("bert"), factories.user("cleo")
    event = make_event(organiser, start_local=soon(), capacity=1)
    sign_up(anna.actor, event, None, "going")
    sign_up(bert.actor, event, None, "going")
    sign_up(cleo.actor, event, None, "going")
    assert waiting_position(find_participation(event, cleo.actor, None)) == 2
    outcome = withdraw(anna.actor, event, None)
    assert outcome.state is None
    assert states(event) == {"bert": "going", "cleo": "waiting"}
    assert "events.moved_up" in kinds_for(bert) and kinds_for(cleo) == []
    assert waiting_position(find_participation(event, cleo.actor, None)) == 1
    # switching from going to interested also frees the place
    assert sign_up(bert.actor, event, None, "interested").state == "interested"
    assert states(event) == {"bert": "interested", "cleo": "going"}
    # withdrawing twice is harmless
    assert withdraw(anna.actor, event, None).participation is None


def test_capacity_counts_per_date_of_a_series(factories) -> None:
    organiser, anna, bert = factories.user("orga"), factories.user("anna"), factories.user("bert")
    start = soon()
    event = make_event(organiser, start_local=start, rrule="FREQ=WEEKLY;COUNT=3", capacity=1)
    first, second = start, start + timedelta(days=7)
    assert sign_up(anna.actor, event, first, "going").state == "going"
    assert sign_up(bert.actor, event, first, "going").state == "waiting"
    assert sign_up(bert.actor, event, second, "going").state == "going"
    with pytest.raises(InvalidInput):
        sign_up(bert.actor, event, None, "going")  # a series needs a date
    with pytest.raises(NotFound):
        sign_up(bert.actor, event, start + timedelta(days=1), "going")  # no such date


def test_approval_requests_wait_for_the_organiser(factories) -> None:
    organiser = factories.user("orga")
    anna, bert, outsider = factories.user("anna"), factories.user("bert"), factories.user()
    event = make_event(organiser, start_local=soon(), join_mode="approval", capacity=1)
    assert sign_up(anna.actor, event, None, "going", message="Darf ich?").state == "pending"
    assert sign_up(bert.actor, event, None, "going").state == "pending"
    assert "events.request" in kinds_for(organiser)
    anna_row = find_participation(event, anna.actor, None)
    bert_row = find_participation(event, bert.actor, None)
    with pytest.raises(PermissionDenied):
        approve(outsider, anna_row)
    assert approve(organiser, anna_row).state == "going"
    assert approve(organiser, bert_row).state == "waiting"  # the only place is taken
    assert "events.accepted" in kinds_for(anna)
    # the organiser takes anna's place back: it goes to bert
    assert reject(organiser, anna_row).state == "rejected"
    assert states(event) == {"anna": "rejected", "bert": "going"}
    assert "events.declined" in kinds_for(anna)
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, event, None, "going")  # a declined person cannot just come back


def test_group_moderators_answer_requests_for_group_events(factories) -> None:
    owner, member, anna = factories.user("owner"), factories.user("member"), factories.user()
    group = factories.group("garten", owner=owner, members=(member,))
    event = make_event(member, group=group, start_local=soon(), join_mode="approval")
    row = sign_up(anna.actor, event, None, "going").participation
    assert approve(owner, row).state == "going"


def test_closed_cancelled_and_past_events_take_no_sign_ups(factories) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    closed = make_event(organiser, start_local=soon(), join_mode="closed")
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, closed, None, "going")
    cancelled = make_event(organiser, start_local=soon())
    cancel_event(organiser, cancelled)
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, cancelled, None, "interested")
    past = make_event(organiser, start_local=soon(days=-3))
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, past, None, "going")
    # a running event can be joined until it ends; the moment after, no more
    event = make_event(organiser, start_local=soon())
    later = event.ends_at + timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, event, None, "going", now=later)
    series = make_event(organiser, start_local=soon(), rrule="FREQ=WEEKLY;COUNT=3")
    second = series.start_local + timedelta(days=7)
    cancel_occurrence(organiser, series, second)
    with pytest.raises(PermissionDenied):
        sign_up(anna.actor, series, second, "going")
    assert sign_up(anna.actor, series, series.start_local, "going").state == "going"
    with pytest.raises(InvalidInput):
        sign_up(anna.actor, series, series.start_local, "maybe")
    assert db.session.scalar(db.select(db.func.count(Participation.id))) == 1


def test_people_who_may_not_see_an_event_cannot_sign_up(factories) -> None:
    owner, outsider = factories.user("owner"), factories.user("outsider")
    group = factories.group("garten", owner=owner)
    event = make_event(owner, group=group, start_local=soon(), visibility="group")
    with pytest.raises(NotFound):
        sign_up(outsider.actor, event, None, "going")
    remote = factories.remote_actor("rita")
    members_only = make_event(owner, start_local=soon(), visibility="members")
    with pytest.raises(NotFound):
        sign_up(remote, members_only, None, "going")


def test_remote_people_sign_up_with_their_join_id_and_the_signal_tells_federation(
    factories,
) -> None:
    organiser = factories.user("orga")
    rita = factories.remote_actor("rita")
    event = make_event(organiser, start_local=soon(), join_mode="approval")
    heard: list[tuple[str | None, str | None]] = []

    def listener(participation, previous, state, by_origin) -> None:
        heard.append((previous, state))

    signals.participation_changed.connect(listener)
    try:
        join_id = "https://social.example/activities/join/1"
        outcome = sign_up(rita, event, None, "going", uri=join_id)
        assert outcome.participation.uri == join_id and outcome.state == "pending"
        approve(organiser, outcome.participation)
        withdraw(rita, event, None)
    finally:
        signals.participation_changed.disconnect(listener)
    assert heard == [(None, "pending"), ("pending", "going"), ("going", None)]


def test_raising_the_capacity_lets_those_waiting_move_up(factories) -> None:
    organiser = factories.user("orga")
    anna, bert, cleo = factories.user("anna"), factories.user("bert"), factories.user("cleo")
    event = make_event(organiser, start_local=soon(), capacity=1)
    for person in (anna, bert, cleo):
        sign_up(person.actor, event, None, "going")
    update_event(organiser, event, event_input(start_local=event.start_local, capacity=2))
    assert states(event) == {"anna": "going", "bert": "going", "cleo": "waiting"}
    assert "events.moved_up" in kinds_for(bert)
    update_event(organiser, event, event_input(start_local=event.start_local, capacity=None))
    assert states(event) == {"anna": "going", "bert": "going", "cleo": "going"}


def test_members_signing_up_for_a_remote_event_wait_for_its_origin(factories) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    event = make_event(organiser, start_local=soon(), capacity=1)
    event.uri = "https://mobilizon.example/events/1"  # as if it came from elsewhere
    db.session.commit()
    outcome = sign_up(anna.actor, event, None, "going", uri="http://localhost/joins/1")
    assert outcome.state == "pending"  # federation sends the Join; the origin decides
    assert participation_by_uri("http://localhost/joins/1") is outcome.participation
    record_origin_answer(outcome.participation, "going")
    db.session.commit()
    assert states(event) == {"anna": "going"}


def test_inbound_handlers_keep_their_own_transaction(factories) -> None:
    organiser, rita = factories.user("orga"), factories.remote_actor("rita")
    event = make_event(organiser, start_local=soon())
    outcome = sign_up(rita, event, None, "going", uri="https://social.example/j/1", commit=False)
    assert outcome.state == "going"
    db.session.rollback()  # the inbox job failed later: nothing of the sign-up stays
    assert db.session.scalar(db.select(db.func.count(Participation.id))) == 0
