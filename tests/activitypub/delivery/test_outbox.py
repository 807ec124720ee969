"""The transactional outbox: what ``outbox.send`` stores, and what the commit releases."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from quarter_node.activitypub import outbox, urls
from quarter_node.activitypub.models import (
    Delivery,
    DeliveryState,
    HostPolicy,
    OutboundActivity,
    PeerHost,
)
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.social.models import FollowState
from tests.activitypub.delivery.conftest import follow, remote_actor


def _note_activity(actor) -> dict:  # noqa: ANN001
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": outbox.new_activity_uri("create"),
        "type": "Create",
        "actor": urls.actor_uri(actor),
        "object": {"type": "Note", "content": "Hallo Nachbarn"},
    }


def _deliveries() -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).order_by(Delivery.inbox_url)))


def test_one_delivery_per_shared_inbox_and_none_to_local_or_pending_followers(
    factories, receivers, key_ring
):
    anna = factories.user("anna").actor
    key_ring.trust(anna)
    big, small = receivers(), receivers()
    for _ in range(3):
        follow(remote_actor(big.host), anna)
    loner = remote_actor(small.host, shared=False)
    follow(loner, anna)
    follow(remote_actor(small.host, shared=False), anna, FollowState.PENDING)
    follow(factories.user("bert").actor, anna)

    outbox.send(anna, _note_activity(anna), followers_of=anna, recipients=[loner], public=True)
    db.session.commit()

    assert [d.inbox_url for d in _deliveries()] == sorted([big.url("/inbox"), loner.inbox_url])
    assert len(big.wait_for(1)) == 1 and len(small.wait_for(1)) == 1
    received = big.received[0]
    assert received.scheme == "rfc9421", received.error
    assert json.loads(received.body)["object"]["content"] == "Hallo Nachbarn"
    assert {d.state for d in _deliveries()} == {DeliveryState.DONE}


def test_rollback_leaves_no_activity_no_delivery_and_sends_nothing(factories, receivers):
    anna = factories.user("anna").actor
    inbox = receivers()
    follow(remote_actor(inbox.host), anna)

    outbox.send(anna, _note_activity(anna), followers_of=anna)
    db.session.rollback()
    db.session.commit()  # a later, unrelated commit must not release anything either

    assert db.session.scalar(select(func.count(OutboundActivity.id))) == 0
    assert _deliveries() == []
    assert inbox.wait_for(1, timeout=0.3) == []


def test_blocked_hosts_and_their_subdomains_get_nothing(factories, receivers):
    anna = factories.user("anna").actor
    open_inbox = receivers()
    blocked = remote_actor("bad.example")
    below_blocked = remote_actor("sub.worse.example")
    db.session.add_all(
        [
            PeerHost(host="bad.example", policy=HostPolicy.REJECT),
            PeerHost(host="worse.example", policy=HostPolicy.REJECT),
        ]
    )
    db.session.commit()
    allowed = remote_actor(open_inbox.host)

    outbox.send(anna, _note_activity(anna), recipients=[blocked, below_blocked, allowed])
    db.session.commit()

    assert [d.host for d in _deliveries()] == [open_inbox.host]


def test_allowlist_mode_sends_only_to_allowlisted_hosts(factories, receivers):
    anna = factories.user("anna").actor
    listed, unlisted = receivers(), receivers()
    db.session.add(PeerHost(host=listed.host, allowlisted=True))
    update_node_settings(federation_mode="allowlist")
    db.session.commit()
    recipients = [remote_actor(listed.host), remote_actor(unlisted.host)]

    outbox.send(anna, _note_activity(anna), recipients=recipients)
    db.session.commit()

    assert [d.host for d in _deliveries()] == [listed.host]
    assert unlisted.attempts == []


def test_explicit_inboxes_and_recipients_are_merged_without_duplicates(factories):
    anna = factories.user("anna").actor
    friend = remote_actor("127.0.0.1:9", shared=False)

    sent = outbox.send(
        anna,
        _note_activity(anna),
        recipients=[friend, factories.user("bert").actor],
        inboxes=[friend.inbox_url, urls.shared_inbox_uri()],
    )
    db.session.flush()

    assert [d.inbox_url for d in _deliveries()] == [friend.inbox_url]
    assert sent.activity_type == "Create"
    db.session.rollback()
