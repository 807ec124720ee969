"""The coordination node's register through the real inbox and services: applications
(``Join`` to the instance actor), decisions, members leaving, the public directory."""

from __future__ import annotations

import pytest
import requests
import responses

from plugins.network import registry
from plugins.network.models import NetworkNode
from plugins.network.operator import OPERATOR
from quarter_node.activitypub.models import PeerHost
from quarter_node.errors import PermissionDenied
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.node.services import get_node_settings
from quarter_node.plugins.services import save_plugin_settings_by_operator
from quarter_node.social.models import Follow
from tests.activitypub.inbox.fakes import RemoteActor, deliver

from .fakes import fake_node, sent

ACTOR = "http://localhost/actor"
PROFILE = {
    "name": "Nachbarschaft Nord",
    "quarter": "Oberbilk",
    "topics": ["Umwelt", " Kultur "],
    "contact": "kontakt@nord.example",
    "summary": "Wir helfen einander.",
    "url": "http://127.0.0.1:58001",
    "latitude": 51.2,
    "longitude": "east",
}


@pytest.fixture
def coordination(app):
    save_plugin_settings_by_operator("network", {"role": "coordination", "network_name": "Netz"})
    return app


def _join(node: RemoteActor, profile: dict | None = None) -> dict:
    return node.activity(
        "Join", ACTOR, to=[ACTOR], content="Hallo!", **{"qn:profile": profile or PROFILE}
    )


def _node(domain: str) -> NetworkNode:
    return db.session.scalar(db.select(NetworkNode).where(NetworkNode.domain == domain))


def _allowlisted(host: str) -> bool:
    peer = db.session.scalar(db.select(PeerHost).where(PeerHost.host == host))
    return peer is not None and peer.allowlisted


def test_an_application_is_stored_with_its_directory_entry(coordination, client, peers):
    north = fake_node(peers, 58001)
    assert deliver(client, north, _join(north), path="/actor/inbox").status_code == 202

    node = _node("127.0.0.1:58001")
    assert node.status == "applied" and node.message == "Hallo!"
    assert node.name == "Nachbarschaft Nord" and node.topic_list == ["Umwelt", "Kultur"]
    assert node.latitude == 51.2 and node.longitude is None  # not a number: ignored


def test_a_person_cannot_apply_for_a_node(coordination, client, peers):
    bob = RemoteActor("bob").serve(peers)
    deliver(client, bob, bob.activity("Join", ACTOR, to=[ACTOR]))
    assert db.session.scalar(db.select(NetworkNode)) is None


def test_a_quarter_node_takes_no_applications(app, client, peers):
    north = fake_node(peers, 58001)
    deliver(client, north, _join(north), path="/actor/inbox")
    assert db.session.scalar(db.select(NetworkNode)) is None


def test_approving_ties_the_nodes_together(coordination, client, peers, factories):
    save_plugin_settings_by_operator("network", {"closed": True})
    admin = factories.user("ada", role="admin")
    north = fake_node(peers, 58001)
    registry.invite(admin, "127.0.0.1:58001")  # a closed network hears invited hosts only
    join = _join(north)
    deliver(client, north, join, path="/actor/inbox")

    registry.approve(admin, "127.0.0.1:58001")

    assert _node("127.0.0.1:58001").status == "approved"
    (accept,) = sent("Accept")
    assert accept["object"]["id"] == join["id"] and accept["to"] == [north.uri]
    (follow,) = sent("Follow")
    assert follow["object"] == north.uri and follow["actor"] == ACTOR
    assert _allowlisted("127.0.0.1:58001")
    settings = get_node_settings()
    assert settings.relay_enabled and settings.federation_mode == "allowlist"
    assert db.session.scalar(
        db.select(AuditLogEntry).where(AuditLogEntry.action == "network.approve")
    )


def test_only_admins_decide(coordination, client, peers, factories):
    member = factories.user("max")
    north = fake_node(peers, 58001)
    deliver(client, north, _join(north), path="/actor/inbox")
    with pytest.raises(PermissionDenied):
        registry.approve(member, "127.0.0.1:58001")
    assert _node("127.0.0.1:58001").status == "applied"


def test_declining_answers_with_a_reject(coordination, client, peers, runner):
    north = fake_node(peers, 58001)
    join = _join(north)
    deliver(client, north, join, path="/actor/inbox")
    result = runner.invoke(args=["network", "decline", "127.0.0.1:58001"])
    assert result.exit_code == 0, result.output
    (reject,) = sent("Reject")
    assert reject["object"]["id"] == join["id"]
    again = runner.invoke(args=["network", "approve", "127.0.0.1:58001"])
    assert again.exit_code == 1 and "abgelehnt" in again.output  # the node speaks German


def test_a_member_leaving_is_taken_off_directory_allowlist_and_follows(coordination, client, peers):
    north, south = fake_node(peers, 58001), fake_node(peers, 58002, key_number=1)
    for node in (north, south):
        deliver(client, node, _join(node), path="/actor/inbox")
        registry.approve(OPERATOR, node.origin.split("://")[1])
    assert {m["domain"] for m in client.get("/network/directory.json").json["members"]} == {
        "127.0.0.1:58001",
        "127.0.0.1:58002",
    }

    deliver(client, north, north.activity("Leave", ACTOR, to=[ACTOR]), path="/actor/inbox")

    assert _node("127.0.0.1:58001").status == "left"
    assert not _allowlisted("127.0.0.1:58001")
    members = client.get("/network/directory.json").json["members"]
    assert [m["domain"] for m in members] == ["127.0.0.1:58002"]
    follows = db.session.scalars(db.select(Follow)).all()
    assert {f.followed.uri for f in follows} == {south.uri}
    (remove,) = sent("Remove")
    assert remove["object"] == north.uri and remove["to"] == [south.uri]


def test_the_directory_is_public_on_the_coordination_node_only(app, client):
    assert client.get("/network/directory.json").status_code == 404
    save_plugin_settings_by_operator("network", {"role": "coordination", "network_name": "Netz"})
    document = client.get("/network/directory.json").json
    assert document["network"] == "Netz" and document["members"] == []
    assert document["coordination"]["actor"] == ACTOR


def test_nodes_are_added_in_bulk_and_failures_listed(coordination, peers, runner, tmp_path):
    north = fake_node(peers, 58001)
    peers.add(responses.GET, "http://127.0.0.1:58009/actor", body=requests.ConnectionError())
    listing = tmp_path / "nodes.txt"
    listing.write_text("# Programm 2026\nhttp://127.0.0.1:58001\n\n127.0.0.1:58009\n")

    result = runner.invoke(args=["network", "add", "--from-file", str(listing)])

    assert result.exit_code == 1
    assert (
        "Adding nodes" in result.output and "1 added, 0 already members, 1 failed." in result.output
    )
    assert "failed: 127.0.0.1:58009" in result.output
    assert _node("127.0.0.1:58001").status == "approved" and _allowlisted("127.0.0.1:58001")
    assert _node("127.0.0.1:58009") is None and not _allowlisted("127.0.0.1:58009")
    (follow,) = sent("Follow")
    assert follow["object"] == north.uri
    again = runner.invoke(args=["network", "add", "127.0.0.1:58001"])
    assert again.exit_code == 0 and "0 added, 1 already members" in again.output


def test_closing_the_network_switches_to_the_allowlist_at_once(coordination, runner):
    assert get_node_settings().federation_mode != "allowlist"
    result = runner.invoke(args=["plugins", "set", "network", "closed", "true"])
    assert result.exit_code == 0, result.output
    assert get_node_settings().federation_mode == "allowlist"


def test_closing_a_quarter_node_changes_nothing(app, runner):
    runner.invoke(args=["plugins", "set", "network", "closed", "true"])
    assert get_node_settings().federation_mode != "allowlist"
