"""Key rotation: ``quarter-node keys rotate`` makes a new key, revokes the old one, and
federates an Update of the actor signed with the new key; every process signs with the new
key afterwards, and peers can check its signatures against the served actor document."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from federation.signatures import (
    CAVAGE,
    HttpMessage,
    VerificationKey,
    load_public_key,
    sign_request,
    verify_request,
)
from federation.vocabulary import ACTIVITY_JSON
from quarter_node.activitypub import keys, urls
from quarter_node.activitypub.key_rotation import KEY_ROTATE
from quarter_node.activitypub.models import ActorKey
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from tests.activitypub.delivery.conftest import follow, remote_actor
from tests.activitypub.delivery.receiver import Receiver

KeyLookup = Callable[[str], VerificationKey | None]


def served_key_lookup(app: Flask) -> KeyLookup:
    """What a peer does with a key id: fetch the owner's actor document from this node and
    trust the key it lists under exactly that id (nothing else)."""
    client = app.test_client()

    def lookup(key_id: str) -> VerificationKey | None:
        path = urlsplit(key_id).path
        document = client.get(path, headers={"Accept": ACTIVITY_JSON}).get_json()
        public = document["publicKey"]
        if public["id"] != key_id:
            return None
        return VerificationKey(key_id, load_public_key(public["publicKeyPem"]))

    return lookup


@pytest.fixture
def peer_inbox(app: Flask) -> Iterator[Receiver]:
    """A remote server's inbox that checks signatures against our served actor documents."""
    receiver = Receiver(served_key_lookup(app))
    yield receiver
    receiver.close()


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    user = factories.user("anna")
    key_ring.trust(user.actor)  # anna has federated before: she has a key
    return user


def rotate(runner: FlaskCliRunner, *args: str) -> Result:
    result = runner.invoke(args=["keys", "rotate", *args])
    db.session.rollback()  # read what the command stored
    return result


def _keys_of(actor) -> list[ActorKey]:  # noqa: ANN001
    return list(
        db.session.scalars(
            db.select(ActorKey).where(ActorKey.actor_id == actor.id).order_by(ActorKey.id)
        )
    )


def test_rotating_a_persons_key_federates_the_new_key_signed_with_it(anna, runner, peer_inbox):
    follow(remote_actor(peer_inbox.host), anna.actor)
    (old,) = _keys_of(anna.actor)

    result = rotate(runner, "@anna")

    assert result.exit_code == 0, result.output
    old_row, new_row = _keys_of(anna.actor)
    assert old_row.key_id == old.key_id and old_row.revoked_at is not None
    assert new_row.revoked_at is None and new_row.private_pem != old.private_pem
    assert new_row.key_id == f"{urls.actor_uri(anna.actor)}#main-key-2"
    assert new_row.key_id in result.output and "1 key(s) rotated." in result.output
    (received,) = peer_inbox.wait_for(1)
    assert received.scheme is not None, received.error  # verified with the served new key
    assert new_row.key_id in json.dumps(received.headers)
    update = json.loads(received.body)
    assert update["type"] == "Update" and update["object"]["id"] == urls.actor_uri(anna.actor)
    assert update["object"]["publicKey"] == {
        "id": new_row.key_id,
        "owner": urls.actor_uri(anna.actor),
        "publicKeyPem": new_row.public_pem,
    }
    entry = db.session.scalar(db.select(AuditLogEntry).where(AuditLogEntry.action == KEY_ROTATE))
    assert entry.target_actor_id == anna.actor_id and entry.moderator_id is None


def test_the_instance_actor_key_goes_to_every_known_server(app, runner, peer_inbox):
    remote_actor(peer_inbox.host)  # known (e.g. from a signed fetch), follows nobody
    instance = keys.instance_actor()
    db.session.commit()

    result = rotate(runner, "--instance")

    assert result.exit_code == 0, result.output
    assert "instance actor: new key" in result.output
    (received,) = peer_inbox.wait_for(1)
    assert received.scheme is not None, received.error
    update = json.loads(received.body)
    assert update["object"]["id"] == f"{urls.base_url()}/actor"
    assert update["object"]["publicKey"]["id"] == keys.current_key(instance).key_id
    assert keys.current_key(instance).key_id.endswith("/actor#main-key-2")


def test_all_rotates_every_actor_that_has_a_key(anna, factories, runner):
    never_federated = factories.user("bert")
    instance = keys.instance_actor()
    db.session.commit()

    result = rotate(runner, "--all")

    assert result.exit_code == 0, result.output
    assert "2 key(s) rotated." in result.output
    for actor in (anna.actor, instance):
        assert [key.revoked_at is None for key in _keys_of(actor)] == [False, True]
    assert _keys_of(never_federated.actor) == []  # gets a key when it first needs one


@pytest.mark.parametrize("args", [(), ("@anna", "--all"), ("--instance", "--all")])
def test_exactly_one_target_must_be_named(anna, runner, args):
    result = rotate(runner, *args)
    assert result.exit_code == 2 and "exactly one" in result.output
    assert len(_keys_of(anna.actor)) == 1


def test_an_unknown_handle_is_refused(runner):
    result = rotate(runner, "@nobody")
    assert result.exit_code == 1
    assert "@nobody" in result.output


def test_after_rotation_this_process_signs_with_the_new_key_which_the_served_document_verifies(
    app, anna, client, runner
):
    before = keys.signing_key(anna.actor)  # parsed and cached by this process
    old_key_id = before.key_id

    assert rotate(runner, "@anna").exit_code == 0  # committed elsewhere, as by another process

    after = keys.signing_key(anna.actor)
    assert after.key_id != old_key_id
    assert after.key_id == keys.current_key(anna.actor).key_id
    message = HttpMessage.build(
        "POST", "http://peer.example/inbox", [("Content-Type", ACTIVITY_JSON)], b"{}"
    )
    signed = message.with_headers(sign_request(message, after, CAVAGE))
    lookup = served_key_lookup(app)
    assert verify_request(signed, lookup).key_id == after.key_id
    served = client.get("/@anna", headers={"Accept": ACTIVITY_JSON}).get_data(as_text=True)
    assert f'"{old_key_id}"' not in served and f'"{after.key_id}"' in served
    assert lookup(old_key_id) is None
