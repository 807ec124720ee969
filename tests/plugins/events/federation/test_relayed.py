"""Events passed on by a relay this node subscribes to (a network's coordination node is
such a relay for its members): the relay announces only the event's id, the node fetches
it from its origin and stores it as an event of its calendar, not as a post."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from federation import vocabulary as v
from plugins.events.models import Event
from quarter_node.activitypub import remote
from quarter_node.activitypub.keys import instance_actor
from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.fakes import ACTIVITY_JSON, RemoteActor, deliver

RELAY_ORIGIN = "http://127.0.0.1:59997"


@pytest.fixture
def relay(client, peers) -> RemoteActor:  # noqa: ANN001
    """A relay whose accepted subscriber this node is."""
    server = RemoteActor("relay", origin=RELAY_ORIGIN, kind=v.APPLICATION)
    server.fixed_uri = f"{RELAY_ORIGIN}/actor"
    server.serve(peers)
    stored = remote.fetch_actor(server.uri)
    follow = Follow(follower=instance_actor(), followed=stored, state=FollowState.ACCEPTED)
    follow.uri = "http://localhost/activities/follow-relay"
    db.session.add(follow)
    db.session.commit()
    return server


def served_event(peers, author: RemoteActor, name: str, **more: Any) -> dict[str, Any]:  # noqa: ANN001
    """A public event of ``author`` as its own server serves it."""
    event_id = author.new_id("events")
    document = {
        "@context": v.AS_NAMESPACE,
        "id": event_id,
        "type": v.EVENT,
        "attributedTo": author.uri,
        "name": name,
        "content": "<p>Alle sind eingeladen.</p>",
        "startTime": "2027-06-15T14:00:00+02:00",
        "endTime": "2027-06-15T17:00:00+02:00",
        "to": [v.PUBLIC],
        "cc": [f"{author.uri}/followers"],
        "url": event_id,
        **more,
    }
    peers.upsert(responses.GET, event_id, json=document, content_type=ACTIVITY_JSON)
    return document


def _event(uri: str) -> Event | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Event).where(Event.uri == uri))


def test_a_relayed_public_event_becomes_an_event_of_the_calendar(
    client, relay, carol, peers
) -> None:  # noqa: ANN001
    document = served_event(peers, carol, "Stadtteilfest")
    deliver(client, relay, relay.activity("Announce", document["id"], to=[v.PUBLIC]))

    event = _event(document["id"])
    assert event is not None and event.title == "Stadtteilfest"
    assert event.organizer.uri == carol.uri
    assert db.session.scalar(db.select(Post).where(Post.uri == document["id"])) is None
    assert "Stadtteilfest" in client.get("/events/calendar?month=2027-06").text


def test_a_relayed_update_changes_the_stored_event(client, relay, carol, peers) -> None:  # noqa: ANN001
    document = served_event(peers, carol, "Stadtteilfest")
    deliver(client, relay, relay.activity("Announce", document["id"], to=[v.PUBLIC]))
    changed = document | {"name": "Stadtteilfest (verschoben)", "updated": "2027-05-01T10:00:00Z"}
    peers.upsert(responses.GET, document["id"], json=changed, content_type=ACTIVITY_JSON)
    update = carol.activity("Update", changed, to=[v.PUBLIC])
    deliver(client, relay, relay.activity("Announce", update, to=[v.PUBLIC]))

    assert _event(document["id"]).title == "Stadtteilfest (verschoben)"


def test_relayed_posts_still_become_posts(client, relay, carol, peers) -> None:  # noqa: ANN001
    note = carol.note("Hallo Nachbarschaft", to=[v.PUBLIC])
    peers.upsert(responses.GET, note["id"], json=note, content_type=ACTIVITY_JSON)
    deliver(client, relay, relay.activity("Announce", note["id"], to=[v.PUBLIC]))
    assert db.session.scalar(db.select(Post.uri).where(Post.uri == note["id"])) == note["id"]


def test_a_relayed_event_that_is_not_public_is_not_stored(client, relay, carol, peers) -> None:  # noqa: ANN001
    document = served_event(peers, carol, "Geschlossene Runde", to=[f"{carol.uri}/followers"])
    deliver(client, relay, relay.activity("Announce", document["id"], to=[v.PUBLIC]))
    assert _event(document["id"]) is None
