"""Deleting an account or a group reaches other servers: the Delete is signed with the
deleted actor's key after the deletion is committed, and the key is kept only as long as
a delivery of it is pending."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from federation import vocabulary as v
from quarter_node.accounts import account_settings
from quarter_node.accounts.models import HANDLE_RESERVED_FOR, Actor, ActorTombstone, User
from quarter_node.activitypub import delivery, tombstones, urls
from quarter_node.activitypub.models import Delivery, DeliveryState, OutboundActivity
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups import services as groups
from quarter_node.posts import services as posts
from tests.activitypub.delivery.conftest import follow, remote_actor

PASSWORD = "Nachbarschaft-2026"


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    user = factories.user("anna")
    key_ring.trust(user.actor)
    return user


def _tombstone(handle: str) -> ActorTombstone:
    db.session.expire_all()
    return db.session.scalar(select(ActorTombstone).where(ActorTombstone.handle == handle))


def _delete_deliveries() -> list[Delivery]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Delivery)
            .join(OutboundActivity, OutboundActivity.id == Delivery.activity_id)
            .where(OutboundActivity.activity_type == "Delete")
        )
    )


def test_a_deleted_account_signs_its_delete_to_followers_and_known_servers(anna, receivers):
    followers_server, other_server = receivers(), receivers()
    follow(remote_actor(followers_server.host), anna.actor)
    remote_actor(other_server.host)  # a server we know, whose people do not follow anna
    actor_id, actor_uri = anna.actor_id, urls.actor_uri(anna.actor)

    account_settings.delete_account(anna, password=PASSWORD)

    for server in (followers_server, other_server):
        (received,) = server.received
        assert received.scheme is not None, f"signature did not verify: {received.error}"
        delete = json.loads(received.body)
        assert delete["type"] == "Delete" and delete["actor"] == actor_uri == delete["object"]
        assert v.PUBLIC in delete["to"]
        signature = received.headers.get("Signature-Input") or received.headers["Signature"]
        assert f'keyid="{actor_uri}#main-key"' in signature.replace("keyId=", "keyid=")
    assert {d.state for d in _delete_deliveries()} == {DeliveryState.DONE}
    assert db.session.get(Actor, actor_id) is None, "the worker signed after the row was gone"


def test_a_deleted_group_tells_its_remote_members_of_it_and_its_posts(
    factories, key_ring, receivers
):
    owner = factories.user("owner")
    group = factories.group("hofgruppe", owner=owner)
    key_ring.trust(owner.actor)
    key_ring.trust(group.actor)
    server = receivers()
    follow(remote_actor(server.host), group.actor)
    post = posts.publish_post(owner, "Hoffest am Samstag", group=group)
    post_uri, group_uri, owner_uri = (
        urls.post_uri(post),
        urls.actor_uri(group.actor),
        urls.actor_uri(owner.actor),
    )
    assert len(server.received) == 1, "the group announced the post to its remote member"

    groups.delete_group(owner, group)

    for received in server.received:
        assert received.scheme is not None, received.error
    deletes = [json.loads(r.body) for r in server.received[1:]]
    assert sorted((d["type"], d["actor"]) for d in deletes) == sorted(
        [("Delete", group_uri), ("Delete", owner_uri)]
    )
    of_post = next(d for d in deletes if d["actor"] == owner_uri)
    assert of_post["object"]["id"] == post_uri and of_post["object"]["type"] == v.TOMBSTONE
    of_group = next(d for d in deletes if d["actor"] == group_uri)
    assert of_group["object"] == group_uri
    assert _tombstone("hofgruppe").uri == group_uri


def test_the_kept_key_goes_once_no_delete_is_pending(anna, receivers):
    server = receivers()
    server.script.statuses["/inbox"] = [503, 202]
    follow(remote_actor(server.host), anna.actor)

    account_settings.delete_account(anna, password=PASSWORD)
    (pending,) = _delete_deliveries()
    assert pending.state == DeliveryState.PENDING
    tombstones.purge(utcnow())
    assert _tombstone("anna").private_pem, "a retry still needs the key"

    pending.next_attempt_at = utcnow()
    db.session.commit()
    delivery.attempt_delivery(pending.id)
    (done,) = _delete_deliveries()
    assert done.state == DeliveryState.DONE and server.received[0].scheme is not None

    tombstones.purge(utcnow())
    kept = _tombstone("anna")
    assert kept.private_pem is None, "nothing is left to sign"
    assert kept.uri == "http://localhost/@anna", "the handle stays reserved"

    tombstones.purge(utcnow() + HANDLE_RESERVED_FOR + timedelta(minutes=1))
    assert _tombstone("anna") is None


def test_an_account_no_server_ever_saw_sends_nothing_but_stays_reserved(factories, receivers):
    server = receivers()
    remote_actor(server.host)
    hermit = factories.user("hermit")  # never fetched, never signed: it has no key

    account_settings.delete_account(hermit, password=PASSWORD)

    assert _delete_deliveries() == [] and server.received == []
    assert db.session.scalar(select(User).where(User.email.like("hermit%"))) is None
    assert _tombstone("hermit").private_pem is None
