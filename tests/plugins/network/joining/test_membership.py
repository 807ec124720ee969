"""A quarter node applies, hears the answer and leaves: the HTTP client code against fake
nodes (``responses``), the answers through the real inbox."""

from __future__ import annotations

import pytest
import requests
import responses

from plugins.network import membership
from plugins.network.models import NetworkMembership, NetworkNode
from quarter_node.errors import Conflict, InvalidInput
from quarter_node.extensions import db
from quarter_node.plugins.services import save_plugin_settings_by_operator
from quarter_node.social.models import Follow
from tests.activitypub.inbox.fakes import deliver
from tests.helpers import logged_in_client, post_form

from .fakes import fake_node, member_entry, sent, serve_directory

COORDINATION = "http://127.0.0.1:58000"
OUR_ACTOR = "http://localhost/actor"


@pytest.fixture
def admin(app, factories):
    factories.node()
    save_plugin_settings_by_operator("network", {"quarter": "Oberbilk", "topics": "Umwelt, Kultur"})
    return factories.user("ada", role="admin")


@pytest.fixture
def network(peers):
    node = fake_node(peers, 58000)
    serve_directory(peers, node)
    return node


def _memberships() -> list[NetworkMembership]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(NetworkMembership)))


def test_applying_sends_a_join_with_the_directory_entry(admin, network):
    found = membership.apply(admin, COORDINATION, "Wir möchten dabei sein.")

    assert found.status == "pending" and found.network_name == "Nachbarschaften vernetzen"
    (join,) = sent("Join")
    assert join["actor"] == OUR_ACTOR and join["object"] == network.uri
    assert join["content"] == "Wir möchten dabei sein."
    assert join["qn:profile"]["quarter"] == "Oberbilk"
    assert join["qn:profile"]["topics"] == ["Umwelt", "Kultur"]
    with pytest.raises(Conflict):
        membership.apply(admin, COORDINATION)


def test_an_unreachable_node_is_refused_and_nothing_stored(admin, peers):
    peers.add(
        responses.GET, COORDINATION + "/network/directory.json", body=requests.ConnectionError()
    )
    with pytest.raises(InvalidInput, match="cannot be reached"):
        membership.apply(admin, "127.0.0.1:58000")
    assert _memberships() == [] and sent("Join") == []


def test_a_node_without_a_network_is_refused(admin, peers):
    peers.add(responses.GET, COORDINATION + "/network/directory.json", status=404)
    with pytest.raises(InvalidInput, match="does not coordinate a network"):
        membership.apply(admin, COORDINATION)
    assert _memberships() == []


def test_a_coordination_node_does_not_apply(admin, network):
    save_plugin_settings_by_operator("network", {"role": "coordination"})
    with pytest.raises(InvalidInput, match="coordinates a network itself"):
        membership.apply(admin, COORDINATION)


def test_the_command_line_says_why_it_refuses(admin, peers, runner):
    peers.add(responses.GET, COORDINATION + "/network/directory.json", status=404)
    result = runner.invoke(args=["network", "apply", COORDINATION])
    assert result.exit_code == 1 and "does not coordinate a network" in result.output


def test_the_admin_page_shows_the_error_in_german(admin, make_client, peers, factories):
    peers.add(responses.GET, COORDINATION + "/network/directory.json", status=404)
    german = factories.user("hans", role="admin", locale="de")
    client = logged_in_client(make_client, german)
    answer = post_form(client, "/admin/network/apply", {"address": COORDINATION})
    assert answer.status_code == 400
    assert "koordiniert kein Netzwerk" in answer.get_data(as_text=True)


def test_the_admin_page_is_for_admins(admin, make_client, factories):
    member = factories.user("max")
    assert logged_in_client(make_client, member).get("/admin/network").status_code == 403
    page = logged_in_client(make_client, admin).get("/admin/network")
    assert page.status_code == 200


def test_approval_subscribes_to_the_relay_and_mirrors_the_directory(admin, network, peers, client):
    south = fake_node(peers, 58002, key_number=1)
    found = membership.apply(admin, COORDINATION)
    serve_directory(peers, network, [member_entry(south, "Stadtteilladen Süd")])
    join = {"id": found.application_uri, "type": "Join", "actor": OUR_ACTOR, "object": network.uri}
    accept = network.activity("Accept", join, to=[OUR_ACTOR])

    assert deliver(client, network, accept, path="/actor/inbox").status_code == 202

    (current,) = _memberships()
    assert current.status == "approved"
    (follow,) = sent("Follow")
    assert follow["object"] == "https://www.w3.org/ns/activitystreams#Public"
    mirrored = db.session.scalars(db.select(NetworkNode)).all()
    assert [(n.domain, n.name) for n in mirrored] == [("127.0.0.1:58002", "Stadtteilladen Süd")]

    # the coordination node follows our instance actor back: accepted
    deliver(
        client, network, network.activity("Follow", OUR_ACTOR, to=[OUR_ACTOR]), path="/actor/inbox"
    )
    assert db.session.scalar(
        db.select(Follow).where(Follow.state == "accepted", Follow.follower.has(uri=network.uri))
    )

    membership.leave(admin)
    (current,) = _memberships()
    assert current.status == "left" and db.session.scalars(db.select(NetworkNode)).all() == []
    assert sent("Leave")[0]["object"] == network.uri
    assert [u["object"]["type"] for u in sent("Undo")] == ["Follow"]


def test_a_reject_declines_the_application(admin, network, client):
    found = membership.apply(admin, COORDINATION)
    join = {"id": found.application_uri, "type": "Join", "actor": OUR_ACTOR, "object": network.uri}
    deliver(client, network, network.activity("Reject", join, to=[OUR_ACTOR]), path="/actor/inbox")
    assert _memberships()[0].status == "declined"


def test_an_add_notice_refreshes_the_copy_of_the_directory(admin, network, peers, client):
    found = membership.apply(admin, COORDINATION)
    join = {"id": found.application_uri, "type": "Join", "actor": OUR_ACTOR, "object": network.uri}
    deliver(client, network, network.activity("Accept", join, to=[OUR_ACTOR]), path="/actor/inbox")
    assert db.session.scalars(db.select(NetworkNode)).all() == []

    south = fake_node(peers, 58002, key_number=1)
    ours = {"domain": "localhost", "actor": OUR_ACTOR, "name": "Wir selbst"}
    serve_directory(peers, network, [member_entry(south, "Süd"), ours])
    notice = network.activity("Add", south.uri, to=[OUR_ACTOR])
    deliver(client, network, notice, path="/actor/inbox")

    db.session.expire_all()
    assert [n.domain for n in db.session.scalars(db.select(NetworkNode))] == ["127.0.0.1:58002"]
