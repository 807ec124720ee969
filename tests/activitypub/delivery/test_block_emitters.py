"""Blocking a remote account tells its server, end to end: service -> signal -> outbox ->
worker -> signed POSTs to a real loopback inbox."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from federation import vocabulary as v
from quarter_node.activitypub import urls
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from quarter_node.social import block_services
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.delivery.conftest import follow, remote_actor


def _signed_activities(receiver) -> list[dict]:  # noqa: ANN001
    for received in receiver.received:
        assert received.scheme is not None, received.error  # the signature verified
    return [json.loads(r.body) for r in receiver.received]


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    user = factories.user("anna")
    key_ring.trust(user.actor)
    return user


def test_blocking_sends_block_and_ends_follows_with_undo_and_reject(anna, receivers):
    inbox = receivers()
    rita = remote_actor(inbox.host)
    ours = follow(anna.actor, rita)
    ours.uri = f"{urls.base_url()}/activities/follow/ours"
    theirs = follow(rita, anna.actor)
    theirs.uri = f"{rita.uri}/follows/1"
    db.session.commit()

    block = block_services.block_actor(anna, rita)

    sent = {activity["type"]: activity for activity in _signed_activities(inbox)}
    assert set(sent) == {"Undo", "Reject", "Block"}
    assert sent["Block"]["id"] == block.uri and sent["Block"]["object"] == rita.uri
    assert sent["Block"]["actor"] == urls.actor_uri(anna.actor)
    assert sent["Undo"]["object"]["id"] == ours.uri
    assert sent["Reject"]["object"]["id"] == f"{rita.uri}/follows/1"
    assert db.session.scalar(select(func.count(Follow.id))) == 0


def test_unblocking_sends_undo_of_the_same_block(anna, receivers):
    inbox = receivers()
    rita = remote_actor(inbox.host)
    block_uri = block_services.block_actor(anna, rita).uri

    block_services.unblock_actor(anna, rita)

    sent_block, undo = _signed_activities(inbox)
    assert sent_block["type"] == v.BLOCK and undo["type"] == v.UNDO
    assert undo["object"]["id"] == block_uri and undo["object"]["type"] == v.BLOCK
    assert undo["actor"] == urls.actor_uri(anna.actor)


def test_blocks_between_local_accounts_never_leave_the_node(anna, factories, receivers):
    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)  # a remote follower must hear nothing
    bert = factories.user("bert")
    follow(bert.actor, anna.actor, FollowState.ACCEPTED)

    block_services.block_actor(anna, bert.actor)
    block_services.unblock_actor(anna, bert.actor)

    assert db.session.scalar(select(func.count(OutboundActivity.id))) == 0
    assert inbox.wait_for(1, timeout=0.3) == []
