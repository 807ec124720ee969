"""Local events going out: Create/Update/Delete of an Event to the organiser's followers,
through the real outbox and worker to loopback inboxes that verify our signatures; and the
event page answering ActivityPub fetches."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from federation import vocabulary as v
from federation.events import parse_event
from plugins.events import services
from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub import urls
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from tests.activitypub.delivery.conftest import follow, remote_actor
from tests.activitypub.serving import support as serving
from tests.plugins.events.helpers import event_input, make_event

AS_JSON = {"Accept": v.ACTIVITY_JSON}


def _activities(receiver) -> list[dict]:  # noqa: ANN001
    for received in receiver.received:
        assert received.scheme is not None, received.error
    return [json.loads(r.body) for r in receiver.received]


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    user = factories.user("anna")
    key_ring.trust(user.actor)
    return user


def _place() -> dict:
    return {
        "place_name": "Nachbarschaftshaus",
        "street_address": "Lindenstraße 12",
        "postal_code": "10969",
        "locality": "Berlin",
    }


def test_a_public_event_its_changes_and_its_deletion_reach_the_followers(anna, receivers):
    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)

    event = make_event(
        anna, title="Hoffest", start_local=datetime(2026, 7, 4, 15, 0), capacity=30, **_place()
    )
    services.postpone_event(anna, event, datetime(2026, 7, 11, 15, 0))
    services.cancel_event(anna, event)
    services.delete_event(anna, event)

    create, postponed, cancelled, delete = _activities(inbox)
    document = create["object"]
    assert create["type"] == "Create" and create["actor"] == urls.actor_uri(anna.actor)
    assert document["type"] == "Event" and document["id"] == f"http://localhost/events/{event.id}"
    assert document["url"] == document["id"] and v.PUBLIC in document["to"]
    assert document["startTime"] == "2026-07-04T15:00:00+02:00"
    assert document["timezone"] == "Europe/Berlin" and document["joinMode"] == "free"
    assert document["maximumAttendeeCapacity"] == 30
    assert document["location"]["address"]["postalCode"] == "10969"
    assert "Samstag, 4. Juli 2026" in document["summary"] and "Lindenstraße" in document["summary"]
    info = parse_event(postponed["object"])
    assert postponed["type"] == "Update" and info.start == datetime(2026, 7, 11, 13, tzinfo=UTC)
    assert cancelled["type"] == "Update" and parse_event(cancelled["object"]).cancelled
    assert delete["type"] == "Delete" and delete["object"]["type"] == v.TOMBSTONE
    assert delete["object"]["id"] == document["id"]


def test_members_only_events_never_leave_the_node(anna, receivers):
    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)

    event = make_event(anna, title="Nur für uns", visibility="members")
    services.update_event(anna, event, event_input(title="Immer noch", visibility="members"))
    services.delete_event(anna, event)

    assert db.session.scalar(select(func.count(OutboundActivity.id))) == 0
    assert inbox.wait_for(1, timeout=0.3) == []


def test_a_group_event_is_announced_by_the_group(anna, factories, key_ring, receivers):
    group = factories.group("garten", owner=anna)
    key_ring.trust(group.actor)
    group_follower, anna_follower = receivers(), receivers()
    follow(remote_actor(group_follower.host), group.actor)
    follow(remote_actor(anna_follower.host), anna.actor)

    make_event(anna, group=group, title="Beete gießen")

    (announce,) = _activities(group_follower)
    assert announce["type"] == "Announce" and announce["actor"] == urls.actor_uri(group.actor)
    assert announce["object"]["type"] == "Create"
    assert announce["object"]["object"]["audience"] == urls.actor_uri(group.actor)
    assert announce["object"]["object"]["attributedTo"] == urls.actor_uri(anna.actor)
    (create,) = _activities(anna_follower)
    assert create["object"]["name"] == "Beete gießen"


def test_a_group_only_event_goes_to_the_groups_followers_alone(
    anna, factories, key_ring, receivers
):
    group = factories.group("garten", owner=anna)
    key_ring.trust(group.actor)
    group_follower, anna_follower = receivers(), receivers()
    follow(remote_actor(group_follower.host), group.actor)
    follow(remote_actor(anna_follower.host), anna.actor)

    make_event(anna, group=group, title="Mitgliederabend", visibility="group")

    (announce,) = _activities(group_follower)
    assert v.PUBLIC not in announce["object"]["object"]["to"]
    assert anna_follower.wait_for(1, timeout=0.3) == []


def test_the_event_page_answers_activitypub_fetches(client, anna, factories):
    event = make_event(anna, title="Hoffest")
    hidden = make_event(anna, title="Intern", visibility="members")
    group = factories.group("garten", owner=anna)
    group_only = make_event(anna, group=group, title="Mitglieder", visibility="group")

    response = client.get(f"/events/{event.id}", headers=AS_JSON)
    assert response.status_code == 200 and response.content_type.startswith(v.ACTIVITY_JSON)
    assert parse_event(response.get_json()).name == "Hoffest"
    assert "Hoffest" in client.get(f"/events/{event.id}").get_data(as_text=True)  # browsers
    assert client.get(f"/events/{hidden.id}", headers=AS_JSON).status_code == 404
    assert client.get(f"/events/{group_only.id}", headers=AS_JSON).status_code == 404

    services.delete_event(anna, event)
    gone = client.get(f"/events/{event.id}", headers=AS_JSON)
    assert gone.status_code == 410 and gone.get_json()["type"] == v.TOMBSTONE


def test_a_group_event_is_served_to_the_groups_remote_followers_only(client, anna, factories):
    group = factories.group("garten", owner=anna)
    event = make_event(anna, group=group, title="Mitgliederabend", visibility="group")
    member, member_key = serving.remote_actor("rosa")
    _stranger, stranger_key = serving.remote_actor("otto")
    serving.follow(member, group.actor)
    path = f"/events/{event.id}"

    answer = serving.signed_get(client, path, member_key)
    assert answer.status_code == 200 and answer.get_json()["name"] == "Mitgliederabend"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert serving.signed_get(client, path, stranger_key).status_code == 404
    assert serving.fetch(client, path).status_code == 404


def test_a_disabled_events_plugin_sends_and_serves_nothing(client, anna, receivers):
    from quarter_node.plugins.services import set_plugin_enabled_by_operator

    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)
    event = make_event(anna, title="Hoffest")
    set_plugin_enabled_by_operator("events", False)

    services.cancel_event(anna, event)

    assert client.get(f"/events/{event.id}", headers=AS_JSON).status_code == 404
    assert [a["type"] for a in _activities(inbox)] == ["Create"]


def test_public_events_go_to_the_relays_this_node_subscribes_to(anna, receivers):
    relay_inbox, followers_inbox = receivers(), receivers()
    follow(instance_actor(), remote_actor(relay_inbox.host, kind=ActorKind.APPLICATION))
    follow(remote_actor(followers_inbox.host), anna.actor)

    make_event(anna, title="Hoffest", start_local=datetime(2026, 7, 4, 15, 0))
    make_event(anna, title="Nur für uns", visibility="members")

    [create] = _activities(relay_inbox)
    assert create["type"] == "Create" and create["object"]["name"] == "Hoffest"


def test_a_public_group_event_reaches_the_relays_this_node_subscribes_to(
    anna, factories, key_ring, receivers
):
    """A network's members subscribe to the coordination node's relay: an initiative's
    events, written in its group, must reach it like the organiser's other public posts."""
    group = factories.group("garten", owner=anna)
    key_ring.trust(group.actor)
    relay_inbox = receivers()
    relay = remote_actor(relay_inbox.host, kind=ActorKind.APPLICATION)
    follow(instance_actor(), relay)

    make_event(anna, group=group, title="Pflanzentausch")
    make_event(anna, group=group, title="Nur die Gruppe", visibility="group")

    (create,) = _activities(relay_inbox)
    assert create["type"] == "Create" and create["object"]["name"] == "Pflanzentausch"
    assert create["object"]["audience"] == urls.actor_uri(group.actor)
