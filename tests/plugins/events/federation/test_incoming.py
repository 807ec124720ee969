"""Remote events coming in through the real inbox (signed by fake peers): Mobilizon and
Gancio payloads are stored as remote events and shown in the calendar; updates, cancellations
and deletions are applied; events of actors nobody here follows are not stored."""

from __future__ import annotations

import copy
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from federation import vocabulary as v
from plugins.events.models import Event
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.extensions import db
from quarter_node.social.models import Follow
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.federation.conftest import load_fixture


def _peer(uri: str, peers, kind: str = v.PERSON) -> RemoteActor:  # noqa: ANN001
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(uri))
    name = urlsplit(uri).path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
    return RemoteActor(name, origin=origin, fixed_uri=uri, kind=kind).serve(peers)


def _followed(client, factories, remote: RemoteActor) -> None:  # noqa: ANN001
    """Somebody here follows ``remote`` (the first delivery stores the remote actor)."""
    anna = factories.user("anna")
    deliver(client, remote, remote.activity("Follow", "http://localhost/@nobody"))
    row = db.session.scalar(db.select(Actor).where(Actor.uri == remote.uri))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=row.id))
    db.session.commit()


def _create(document: dict, kind: str = "Create") -> dict:
    sender = document["attributedTo"]  # a Create's object must be its actor's
    return {
        "@context": v.AS_NAMESPACE,
        "id": f"{document['id']}#{kind.lower()}-{len(kind)}{document.get('updated', '')}",
        "type": kind,
        "actor": sender,
        "object": {k: val for k, val in document.items() if k != "@context"},
        "to": document.get("to", []),
        "cc": document.get("cc", []),
    }


def _stored(uri: str) -> Event | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Event).where(Event.uri == uri))


def _receive(client, factories, peers, name: str, **changes) -> tuple[dict, Event | None]:  # noqa: ANN001, ANN003
    document = load_fixture(name) | changes
    activity = _create(document)
    if document.get("actor"):
        _peer(document["actor"], peers)  # Mobilizon's organiser, beside the group
    sender = _peer(activity["actor"], peers)
    _followed(client, factories, sender)
    response = deliver(client, sender, activity)
    assert response.status_code == 202, response.get_data(as_text=True)
    return document, _stored(document["id"])


def test_a_mobilizon_event_is_stored_and_shown_in_the_calendar(client, factories, peers):
    document, event = _receive(
        client,
        factories,
        peers,
        "mobilizon/event.json",
        startTime="2027-06-15T14:00:00+02:00",
        endTime="2027-06-15T17:00:00+02:00",
    )
    assert event is not None and event.organizer.uri == "https://mobilizon.example/@carla"
    assert (event.title, event.timezone) == ("Repair Café im Juni", "Europe/Berlin")
    assert (event.start_local, event.duration) == (datetime(2027, 6, 15, 14, 0), 180)
    assert (event.place_name, event.street_address) == ("Nachbarschaftshaus", "Lindenstraße 12")
    assert (event.postal_code, event.locality, event.country) == ("10969", "Berlin", "")
    assert (event.latitude, event.longitude) == (52.4986, 13.4062)
    assert (event.capacity, event.join_mode, event.status) == (20, "free", "scheduled")
    assert event.visibility == "public" and event.categories == ["community"]

    month = client.get("/events/calendar?month=2027-06").get_data(as_text=True)
    assert "Repair Café im Juni" in month
    listed = client.get("/events").get_data(as_text=True)
    assert "Repair Café im Juni" in listed and "mobilizon.example" in listed  # marked remote
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="{document["id"]}"' in page and "mobilizon.example" in page
    assert client.get(f"/events/{event.id}", headers={"Accept": v.ACTIVITY_JSON}).status_code == 404


@pytest.mark.parametrize(
    ("name", "place", "address", "online"),
    [
        ("gancio/event.json", "Hinterhof Eichenweg", "Eichenweg 5, 04105 Leipzig", ""),
        ("gancio/event_place_images.json", "Hof der Alten Brauerei", "Brauhausgasse 4", ""),
        ("gancio/event_online.json", "", "", "https://jitsi.example/lesekreis"),
        ("mobilizon/event_online.json", "", "", "https://meet.example/mieterberatung"),
    ],
)
def test_gancio_and_mobilizon_places_and_online_links(
    client, factories, peers, name, place, address, online
):
    _document, event = _receive(client, factories, peers, name)
    assert event is not None and event.timezone == "Europe/Berlin"
    assert event.place_name == place and event.street_address.startswith(address)
    assert event.online_url == online
    if name.startswith("gancio"):
        assert event.join_mode == "closed"  # Gancio takes no sign-ups


def test_an_approval_event_keeps_its_join_mode(client, factories, peers):
    _document, event = _receive(client, factories, peers, "mobilizon/event_online.json")
    assert event.join_mode == "approval" and event.capacity is None


def test_updates_cancellations_and_deletion_are_applied(client, factories, peers):
    document, event = _receive(client, factories, peers, "mobilizon/event.json")
    sender = _peer(document["attributedTo"], peers)
    changed = copy.deepcopy(document)
    changed |= {"name": "Repair Café (verschoben)", "startTime": "2024-06-22T14:00:00+02:00"}
    changed["updated"] = "2024-06-02T10:00:00Z"
    deliver(client, sender, _create(changed, "Update"))
    event = _stored(document["id"])
    assert event.title == "Repair Café (verschoben)"
    assert event.start_local == datetime(2024, 6, 22, 14, 0)

    cancelled = changed | {"ical:status": "CANCELLED", "updated": "2024-06-03T10:00:00Z"}
    deliver(client, sender, _create(cancelled, "Update"))
    assert _stored(document["id"]).status == "cancelled"
    calendar = "/events/calendar?month=2024-06"
    assert "Repair Café" in client.get(calendar).get_data(as_text=True)  # cancelled, still shown

    deliver(client, sender, sender.activity("Delete", {"id": document["id"], "type": "Tombstone"}))
    assert _stored(document["id"]).deleted_at is not None
    assert "Repair Café" not in client.get(calendar).get_data(as_text=True)


def test_a_cancelled_mobilizon_event_arrives_cancelled(client, factories, peers):
    _document, event = _receive(client, factories, peers, "mobilizon/event_cancelled.json")
    assert event.status == "cancelled" and event.place_name == "Spielplatz Am Teich"


def test_events_of_actors_nobody_here_follows_are_not_stored(client, factories, peers):
    document = load_fixture("mobilizon/event.json")
    activity = _create(document)
    sender = _peer(activity["actor"], peers)
    factories.user("anna")
    assert deliver(client, sender, activity).status_code == 202
    assert _stored(document["id"]) is None


def test_an_update_from_another_origin_changes_nothing(client, factories, peers, bob):
    document, _event = _receive(client, factories, peers, "gancio/event.json")
    forged = _create(document, "Update")
    forged |= {"actor": bob.uri, "id": f"{bob.origin}/forged/1"}
    forged["object"]["name"] = "Gefälscht"
    deliver(client, bob, forged)
    assert _stored(document["id"]).title == "Hofflohmarkt"


def test_a_followed_group_announcing_an_event_brings_it(client, factories, peers):
    document = load_fixture("mobilizon/event.json")
    group = _peer(document["attributedTo"], peers, kind=v.GROUP)
    _peer(document["actor"], peers)
    _followed(client, factories, group)
    announce = group.activity("Announce", _create(document), to=[v.PUBLIC])
    assert deliver(client, group, announce).status_code == 202
    event = _stored(document["id"])
    assert event is not None and event.organizer.uri == document["actor"]
    assert db.session.get(Actor, event.organizer_id).kind == ActorKind.PERSON
