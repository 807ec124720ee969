"""The instance actor's follows and the federation switches plugins use
(``activitypub.instance_follows``, in ``plugin_api``)."""

from __future__ import annotations

from federation import vocabulary as v
from quarter_node.activitypub import policy
from quarter_node.activitypub.instance_follows import (
    accept_instance_follower,
    drop_instance_follower,
    enable_relay,
    instance_follow,
    instance_follow_state,
    instance_unfollow,
    set_host_allowlisted,
    use_allowlist,
)
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.activitypub.remote import fetch_actor
from quarter_node.extensions import db
from quarter_node.node.services import get_node_settings


def _sent() -> list[dict]:
    rows = db.session.scalars(db.select(OutboundActivity).order_by(OutboundActivity.id))
    return [row.payload for row in rows]


def test_a_follow_of_a_server_is_sent_and_taken_back(app, bob):
    relay = fetch_actor(bob.uri)
    instance_follow(relay)
    db.session.commit()
    assert instance_follow_state(instance_actor(), relay) == "pending"
    assert _sent()[-1]["object"] == v.PUBLIC

    assert instance_unfollow(relay)
    db.session.commit()
    assert instance_follow_state(instance_actor(), relay) is None
    assert _sent()[-1]["type"] == "Undo" and not instance_unfollow(relay)


def test_a_follower_of_the_instance_actor_is_accepted_and_dropped(app, bob):
    server = fetch_actor(bob.uri)
    request = {"id": bob.new_id("follow"), "type": "Follow", "actor": bob.uri, "object": v.PUBLIC}
    accept_instance_follower(request, server)
    db.session.commit()
    assert instance_follow_state(server, instance_actor()) == "accepted"
    assert _sent()[-1]["type"] == "Accept"

    assert drop_instance_follower(server)
    db.session.commit()
    assert instance_follow_state(server, instance_actor()) is None
    assert _sent()[-1]["type"] == "Reject"


def test_the_switches_say_whether_they_changed_anything(app):
    set_host_allowlisted("nord.example", True)
    assert use_allowlist() and not use_allowlist()
    assert enable_relay() and not enable_relay()
    db.session.commit()
    assert policy.host_allowed("nord.example") and not policy.host_allowed("sued.example")
    set_host_allowlisted("nord.example", False)
    db.session.commit()
    assert not policy.host_allowed("nord.example")
    assert get_node_settings().relay_enabled
