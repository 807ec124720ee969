"""What the inbox refuses, with which status, and that refused requests store nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from federation.signatures import RFC9421
from federation.signatures.freshness import utc_now
from quarter_node.activitypub.models import ActorKey, HostPolicy, InboxItem, PeerHost
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.posts.models import Like
from tests.activitypub.inbox.conftest import inbox_items
from tests.activitypub.inbox.fakes import RemoteActor, deliver, keypair


@pytest.fixture
def anna(factories):  # noqa: ANN001, ANN201
    return factories.user("anna")


def _follow(sender: RemoteActor) -> dict:
    return sender.activity("Follow", "http://localhost/@anna")


def test_a_signed_follow_is_accepted_with_202_in_either_signature_scheme(client, anna, bob):
    assert deliver(client, bob, _follow(bob)).status_code == 202
    assert (
        deliver(client, bob, _follow(bob), scheme=RFC9421, path="/@anna/inbox").status_code == 202
    )
    assert [item.state for item in inbox_items()] == ["done", "done"]


def test_oversized_body_is_refused_with_413(client, anna, bob):
    activity = _follow(bob) | {"padding": "x" * (1024 * 1024)}
    response = deliver(client, bob, activity)
    assert response.status_code == 413
    assert inbox_items() == []


def test_wrong_content_type_is_refused_with_415(client, anna, bob):
    response = deliver(client, bob, _follow(bob), content_type="application/json")
    assert response.status_code == 415
    plain_ld = deliver(client, bob, _follow(bob), content_type="application/ld+json")
    assert plain_ld.status_code == 415
    profile = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    assert deliver(client, bob, _follow(bob), content_type=profile).status_code == 202


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "Follow"}'])
def test_malformed_activity_is_refused_with_400(client, anna, bob, body):
    response = deliver(client, bob, body)
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip()
    assert inbox_items() == []


def test_unsigned_request_is_refused_with_401(client, anna, bob):
    body = json.dumps(_follow(bob)).encode()
    response = client.post(
        "/inbox", data=body, headers={"Content-Type": "application/activity+json"}
    )
    assert response.status_code == 401
    assert "not signed" in response.get_data(as_text=True)
    assert inbox_items() == []


def test_signature_by_a_key_the_actor_does_not_publish_is_refused(client, anna, bob):
    forged = keypair(5)
    response = deliver(client, bob, _follow(bob), private_pem=forged.private_pem)
    assert response.status_code == 401
    assert inbox_items() == []


def test_body_changed_after_signing_fails_the_digest_with_401(client, anna, bob):
    tampered = json.dumps(_follow(bob) | {"object": "http://localhost/@other"}).encode()
    response = deliver(client, bob, _follow(bob), tamper=tampered)
    assert response.status_code == 401
    assert "digest" in response.get_data(as_text=True).lower()
    assert inbox_items() == []


def test_stale_signature_is_refused_with_401(client, anna, bob):
    response = deliver(client, bob, _follow(bob), now=utc_now() - timedelta(hours=3))
    assert response.status_code == 401
    assert "too old" in response.get_data(as_text=True)


def test_unknown_key_id_is_refused_with_401(client, anna, bob, peers):
    response = deliver(client, bob, _follow(bob), key_id=f"{bob.uri}#other-key")
    assert response.status_code == 401
    assert inbox_items() == []


def test_activity_from_another_origin_than_its_actor_is_refused(client, anna, bob):
    activity = _follow(bob) | {"id": "http://127.0.0.2:59999/follow/1"}
    response = deliver(client, bob, activity)
    assert response.status_code == 403
    assert inbox_items() == []


def test_forged_delete_of_another_origins_post_is_refused(client, factories, anna, bob, carol):
    other = RemoteActor("dora", origin="http://127.0.0.3:59999")
    delete = bob.activity("Delete", f"{other.origin}/notes/1")
    response = deliver(client, bob, delete)
    assert response.status_code == 403
    assert "may not modify" in response.get_data(as_text=True)
    assert inbox_items() == []


def test_activity_of_one_actor_signed_by_another_is_not_believed(
    client, factories, bob, carol, peers
):
    """A Like in carol's name signed by bob is only a claim: it is fetched from carol's
    server, which does not know it, so nothing is liked."""
    anna = factories.user("anna")
    post = factories.post(anna, "Hallo")
    like = carol.activity("Like", f"http://localhost/posts/{post.id}")
    peers.upsert("GET", like["id"], status=404)
    response = deliver(client, bob, like)
    assert response.status_code == 202
    assert db.session.scalars(db.select(Like)).all() == []
    assert [item.state for item in inbox_items()] == ["failed"]


def test_rejected_host_is_refused_with_403_and_nothing_fetched(client, anna, bob, peers):
    db.session.add(PeerHost(host="127.0.0.1:59999", policy=HostPolicy.REJECT))
    db.session.commit()
    response = deliver(client, bob, _follow(bob))
    assert response.status_code == 403
    assert inbox_items() == []
    assert not [call for call in peers.calls if call.request.method == "GET"]


def test_allowlist_mode_takes_only_listed_hosts(client, anna, bob):
    update_node_settings(federation_mode="allowlist")
    db.session.commit()
    assert deliver(client, bob, _follow(bob)).status_code == 403
    db.session.add(PeerHost(host="127.0.0.1:59999", allowlisted=True))
    db.session.commit()
    assert deliver(client, bob, _follow(bob)).status_code == 202


def test_repeated_delivery_is_stored_once(client, anna, bob):
    follow = _follow(bob)
    assert deliver(client, bob, follow).status_code == 202
    assert deliver(client, bob, follow).status_code == 202
    assert db.session.scalar(db.select(db.func.count(InboxItem.id))) == 1


def test_inbox_of_unknown_person_is_404(client, bob):
    assert deliver(client, bob, _follow(bob), path="/@nobody/inbox").status_code == 404


def test_known_key_is_not_fetched_again(client, anna, bob, peers):
    deliver(client, bob, _follow(bob))
    fetches = len([c for c in peers.calls if c.request.method == "GET"])
    deliver(client, bob, bob.activity("Undo", _follow(bob)))
    assert len([c for c in peers.calls if c.request.method == "GET"]) == fetches


def test_rotated_key_is_picked_up_by_refetching_the_actor(client, anna, bob, peers):
    deliver(client, bob, _follow(bob))
    bob.key_number = 3
    bob.serve(peers)
    assert deliver(client, bob, bob.activity("Undo", _follow(bob))).status_code == 202


def test_delete_of_an_unknown_actor_is_answered_without_fetching(client, peers):
    ghost = RemoteActor("ghost", key_number=2)
    peers.upsert("GET", ghost.uri, status=410)
    response = deliver(client, ghost, ghost.activity("Delete", ghost.uri))
    assert response.status_code == 202
    assert not peers.calls
    assert inbox_items() == []


@pytest.mark.parametrize(
    "shape",
    [
        {"actor": {"id": "http://127.0.0.1:59999/users/bob"}, "object": {"weird": [1, {}]}},
        {"type": ["Follow", "Like"], "object": None},
        {"object": [["http://localhost/@anna"]], "to": {"not": "a list"}},
        {"id": "http://127.0.0.1:59999/" + "x" * 3000},
    ],
)
def test_odd_shapes_never_cause_a_server_error(client, anna, bob, shape):
    response = deliver(client, bob, _follow(bob) | shape)
    assert response.status_code in (202, 400)
    assert all(item.state != "failed" for item in inbox_items())


def test_an_unfetchable_key_is_not_fetched_again_at_once(client, anna, peers):
    ghost = RemoteActor("ghost", key_number=2)
    peers.upsert("GET", ghost.uri, status=404)
    for _ in range(3):
        assert (
            deliver(client, ghost, ghost.activity("Follow", "http://localhost/@anna")).status_code
            == 401
        )
    assert len(peers.calls) == 1


def test_outside_dev_mode_plain_http_actors_are_refused(app_factory, bob):
    production = app_factory(DEV_MODE=False)
    with production.app_context():
        update_node_settings(setup_complete=True)
        db.session.commit()
    client = production.test_client()
    response = deliver(client, bob, _follow(bob))
    assert response.status_code == 400
    assert "https" in response.get_data(as_text=True)


class _RotatingActor(RemoteActor):
    """A remote actor whose rotated key gets a new id (as Quarter Node rotates keys)."""

    key_suffix = "main-key"

    @property
    def key_id(self) -> str:
        return f"{self.uri}#{self.key_suffix}"


def test_a_rotated_key_under_a_new_id_is_picked_up_while_the_actor_is_cached(client, anna, peers):
    carla = _RotatingActor("carla", key_number=2).serve(peers)
    assert deliver(client, carla, _follow(carla)).status_code == 202
    carla.key_number, carla.key_suffix = 3, "main-key-2"
    carla.serve(peers)
    assert deliver(client, carla, carla.activity("Undo", _follow(carla))).status_code == 202
    old = carla.key_id.replace("main-key-2", "main-key")
    assert db.session.scalar(db.select(ActorKey.revoked_at).where(ActorKey.key_id == old))
