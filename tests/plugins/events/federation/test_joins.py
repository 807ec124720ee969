"""Signing up across servers (Mobilizon's Join/Leave/Accept/Reject) through the real inbox
and the real sign-up service (``plugins/events/signups.py``): what the other server is told
follows the sign-up's state (Accept once a place is theirs, Reject when refused, nothing
while pending or waiting)."""

from __future__ import annotations

from datetime import datetime

import pytest

from plugins.events import signups
from plugins.events.models import Event, Participation
from plugins.events.recurrence import series_bounds
from quarter_node.accounts.models import Actor
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.federation.conftest import load_fixture
from tests.plugins.events.helpers import make_event


def _uri(event: Event) -> str:
    return f"http://localhost/events/{event.id}"


def _join(remote: RemoteActor, event: Event) -> dict:
    return remote.activity("Join", _uri(event), to=["http://localhost/@anna", remote.uri])


def _sent(kind: str) -> list[dict]:
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == kind)
    )
    return [row.payload for row in rows]


@pytest.mark.parametrize(
    "fields", [{"visibility": "members"}, {"join_mode": "closed"}], ids=["members", "closed"]
)
def test_a_join_of_an_event_one_may_not_join_is_rejected(client, factories, bob, fields):
    anna = factories.user("anna")
    event = make_event(anna, title="Hoffest", **fields)
    join = _join(bob, event)

    assert deliver(client, bob, join).status_code == 202

    (reject,) = _sent("Reject")
    assert reject["actor"] == "http://localhost/@anna" and reject["to"] == [bob.uri]
    assert reject["object"]["id"] == join["id"] and reject["object"]["object"] == _uri(event)


def test_a_join_of_a_group_only_event_from_outside_the_group_is_rejected(client, factories, bob):
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    event = make_event(anna, group=group, title="Mitgliederabend", visibility="group")
    deliver(client, bob, _join(bob, event))
    assert len(_sent("Reject")) == 1


def test_a_mobilizon_join_is_read_and_answered(client, factories, peers):
    """Mobilizon's own Join (fixture), sent to an event that takes no sign-ups here."""
    anna = factories.user("anna")
    event = make_event(anna, title="Lesung", join_mode="closed")
    join = load_fixture("mobilizon/join.json") | {"object": _uri(event)}
    carla = RemoteActor("carla", origin="https://mobilizon.example", fixed_uri=join["actor"])
    carla.serve(peers)

    assert deliver(client, carla, join).status_code == 202

    (reject,) = _sent("Reject")
    assert reject["object"]["id"] == join["id"] and reject["to"] == [join["actor"]]


# --- with the sign-up service ---------------------------------------------------------------


def _participations(event: Event) -> list:
    db.session.expire_all()
    return list(
        db.session.scalars(db.select(Participation).where(Participation.event_id == event.id))
    )


def test_a_remote_join_is_a_sign_up_answered_with_accept_and_leave_withdraws(
    client, factories, bob
):
    anna = factories.user("anna")
    event = make_event(anna, title="Hoffest", start_local=datetime(2027, 5, 1, 15, 0))
    join = _join(bob, event)

    deliver(client, bob, join)
    deliver(client, bob, join)  # delivered twice: one sign-up, one answer

    (participation,) = _participations(event)
    bob_row = db.session.scalar(db.select(Actor).where(Actor.uri == bob.uri))
    assert (participation.actor_id, participation.state) == (bob_row.id, "going")
    (accept,) = _sent("Accept")
    assert accept["object"]["id"] == join["id"] and accept["to"] == [bob.uri]

    deliver(client, bob, bob.activity("Leave", _uri(event)))
    assert [p.state for p in _participations(event) if p.state == "going"] == []


def test_a_remote_join_of_a_full_event_waits_without_an_answer(client, factories, bob, carol):
    anna = factories.user("anna")
    event = make_event(anna, title="Kochkurs", capacity=1, start_local=datetime(2027, 5, 1, 15))
    deliver(client, carol, _join(carol, event))
    deliver(client, bob, _join(bob, event))

    states = sorted(p.state for p in _participations(event))
    assert states == ["going", "waiting"]
    (accept,) = _sent("Accept")
    assert accept["to"] == [carol.uri]

    deliver(client, carol, carol.activity("Leave", _uri(event)))  # Mobilizon's Leave

    (participation,) = _participations(event)
    assert participation.state == "going"  # bob moved up ...
    assert [a["to"] for a in _sent("Accept")] == [[carol.uri], [bob.uri]]  # ... and is told


def test_a_member_signing_up_for_a_remote_event_sends_join_and_the_accept_confirms(
    client, factories, bob
):
    anna = factories.user("anna")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))
    organiser = db.session.scalar(db.select(Actor).where(Actor.uri == bob.uri))
    event = Event(
        uri=f"{bob.origin}/events/1",
        ical_uid=f"{bob.origin}/events/1",
        organizer_id=organiser.id,
        title="Repair Café",
        start_local=datetime(2027, 5, 1, 15),
        timezone="Europe/Berlin",
        duration=120,
    )
    event.starts_at, event.ends_at = series_bounds(event)
    db.session.add(event)
    db.session.commit()

    signups.sign_up(anna.actor, event, None, "going")
    db.session.commit()

    (participation,) = _participations(event)
    (join,) = _sent("Join")
    assert participation.state == "pending" and participation.uri == join["id"]
    assert join["object"] == event.uri and join["to"][0] == bob.uri
    accept = load_fixture("mobilizon/accept_join.json")  # Mobilizon's shape, our ids
    accept |= {"id": f"{bob.origin}/accept/join/1", "actor": bob.uri, "to": [join["actor"]]}
    accept["object"] |= {"id": join["id"], "actor": join["actor"], "object": event.uri}
    deliver(client, bob, accept)
    assert _participations(event)[0].state == "going"


def test_a_remote_request_is_answered_when_the_organiser_approves_or_declines(
    client, factories, bob, carol
):
    anna = factories.user("anna")
    event = make_event(
        anna, title="Werkstatt", join_mode="approval", start_local=datetime(2027, 5, 1, 15)
    )
    bob_join, carol_join = _join(bob, event), _join(carol, event)
    deliver(client, bob, bob_join | {"participationMessage": "Ich bringe Werkzeug mit."})
    deliver(client, carol, carol_join)

    assert sorted(p.state for p in _participations(event)) == ["pending", "pending"]
    assert _sent("Accept") == [] and _sent("Reject") == []
    by_uri = {p.uri: p for p in _participations(event)}
    assert by_uri[bob_join["id"]].message == "Ich bringe Werkzeug mit."

    signups.approve(anna, by_uri[bob_join["id"]])
    signups.reject(anna, by_uri[carol_join["id"]])

    (accept,) = _sent("Accept")
    (reject,) = _sent("Reject")
    assert accept["object"]["id"] == bob_join["id"] and accept["to"] == [bob.uri]
    assert reject["object"]["id"] == carol_join["id"] and reject["to"] == [carol.uri]
    assert accept["actor"] == reject["actor"] == "http://localhost/@anna"


def test_a_join_of_a_past_event_is_rejected(client, factories, bob):
    anna = factories.user("anna")
    event = make_event(anna, title="Sommerfest", start_local=datetime(2026, 6, 1, 15))
    deliver(client, bob, _join(bob, event))
    assert _participations(event) == []
    assert len(_sent("Reject")) == 1


def _remote_event(client, bob) -> Event:  # noqa: ANN001
    """An event of bob's server, stored here (its organiser is known)."""
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))
    organiser = db.session.scalar(db.select(Actor).where(Actor.uri == bob.uri))
    event = Event(
        uri=f"{bob.origin}/events/2",
        ical_uid=f"{bob.origin}/events/2",
        organizer_id=organiser.id,
        title="Nachbarschaftsflohmarkt",
        start_local=datetime(2027, 6, 1, 10),
        timezone="Europe/Berlin",
        duration=240,
        join_mode="free",
    )
    event.starts_at, event.ends_at = series_bounds(event)
    db.session.add(event)
    db.session.commit()
    return event


def test_a_member_withdrawing_from_a_remote_event_sends_leave(client, factories, bob):
    anna = factories.user("anna")
    event = _remote_event(client, bob)

    signups.sign_up(anna.actor, event, None, "interested")
    assert _sent("Join") == []  # an interest is nobody else's business

    signups.sign_up(anna.actor, event, None, "going")
    (join,) = _sent("Join")
    signups.sign_up(anna.actor, event, None, "interested")  # gives the request up
    (leave,) = _sent("Leave")
    assert leave["object"] == event.uri and leave["to"][0] == bob.uri
    assert leave["actor"] == join["actor"] == "http://localhost/@anna"

    signups.sign_up(anna.actor, event, None, "going")  # asks again: a new Join
    second = [j for j in _sent("Join") if j["id"] != join["id"]]
    assert len(second) == 1 and _participations(event)[0].uri == second[0]["id"]
    signups.withdraw(anna.actor, event, None)
    assert len(_sent("Leave")) == 2 and _participations(event) == []


def test_the_organisers_reject_of_a_members_join_is_recorded_without_a_reply(
    client, factories, bob
):
    anna = factories.user("anna")
    event = _remote_event(client, bob)
    signups.sign_up(anna.actor, event, None, "going")
    (join,) = _sent("Join")
    assert join["to"] == [bob.uri, "http://localhost/@anna"]

    deliver(client, bob, bob.activity("Reject", join))

    assert _participations(event)[0].state == "rejected"
    assert _sent("Leave") == [] and _sent("Accept") == []
