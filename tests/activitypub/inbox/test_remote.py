"""Fetching and caching remote actors, WebFinger, and the address guard."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import responses

from federation.netguard import ForbiddenAddress
from federation.signatures import CAVAGE, HttpMessage, SigningKey, load_private_key, sign_request
from federation.vocabulary import ACTIVITY_JSON
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import remote, remote_keys
from quarter_node.activitypub.models import ActorKey
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from tests.activitypub.inbox.fakes import RemoteActor

AS_ACCEPT = {"Accept": ACTIVITY_JSON}


def _gets(peers: responses.RequestsMock, url: str) -> int:
    return len([c for c in peers.calls if c.request.method == "GET" and c.request.url == url])


def test_fetch_actor_stores_the_actor_and_its_key(app, bob):
    actor = remote.fetch_actor(bob.uri)
    db.session.commit()
    assert (actor.handle, actor.domain, actor.kind) == ("bob", "127.0.0.1:59999", ActorKind.PERSON)
    assert actor.inbox_url == bob.inbox and actor.shared_inbox_url.endswith("/inbox")
    assert actor.followers_url == f"{bob.uri}/followers" and actor.fetched_at is not None
    key = db.session.scalar(db.select(ActorKey).where(ActorKey.actor_id == actor.id))
    assert key.key_id == bob.key_id and key.private_pem is None


def test_cached_actor_is_fetched_again_only_when_stale_or_asked(app, bob, peers):
    remote.fetch_actor(bob.uri)
    remote.fetch_actor(bob.uri)
    assert _gets(peers, bob.uri) == 1
    remote.fetch_actor(bob.uri, refresh=True)
    assert _gets(peers, bob.uri) == 2
    remote.actor_by_uri(bob.uri).fetched_at = utcnow() - timedelta(days=2)
    remote.fetch_actor(bob.uri)
    assert _gets(peers, bob.uri) == 3


def test_rotated_key_revokes_the_old_one(app, bob, peers):
    remote.fetch_actor(bob.uri)
    bob.key_number = 4
    bob.extra = {
        "publicKey": {
            "id": f"{bob.uri}#key-2",
            "owner": bob.uri,
            "publicKeyPem": bob.keys.public_pem,
        }
    }
    bob.serve(peers)
    remote.fetch_actor(bob.uri, refresh=True)
    assert remote_keys.key_lookup(bob.key_id) is None
    assert remote_keys.key_lookup(f"{bob.uri}#key-2") is not None


def test_a_document_that_is_no_actor_is_refused(app, peers):
    url = "http://127.0.0.1:59999/notes/1"
    note = {"id": url, "type": "Note", "inbox": url, "content": "x"}
    peers.upsert("GET", url, body=json.dumps(note), content_type="application/activity+json")
    with pytest.raises(remote.RemoteActorError, match="not an actor"):
        remote.fetch_actor(url)


def test_a_recreated_account_takes_over_its_handle(app, bob, peers):
    remote.fetch_actor(bob.uri)
    successor = RemoteActor("bob", fixed_uri="http://127.0.0.1:59999/users/bob2").serve(peers)
    remote.fetch_actor(successor.uri)
    db.session.commit()
    handles = dict(
        db.session.execute(db.select(Actor.uri, Actor.handle).where(Actor.domain != "")).all()
    )
    assert handles[successor.uri] == "bob" and handles[bob.uri] != "bob"


def test_resolve_handle_uses_webfinger(app, bob, peers):
    jrd = {
        "subject": "acct:bob@127.0.0.1:59999",
        "links": [{"rel": "self", "type": "application/activity+json", "href": bob.uri}],
    }
    peers.upsert(
        "GET",
        "http://127.0.0.1:59999/.well-known/webfinger",
        body=json.dumps(jrd),
        content_type="application/jrd+json",
    )
    for written in ("@bob@127.0.0.1:59999", "bob@127.0.0.1:59999", bob.uri):
        assert remote.resolve_handle(written).uri == bob.uri
    assert _gets(peers, bob.uri) == 1


def test_unknown_handle_is_a_remote_actor_error(app, peers):
    peers.upsert("GET", "http://127.0.0.1:59999/.well-known/webfinger", status=404)
    with pytest.raises(remote.RemoteActorError):
        remote.resolve_handle("@niemand@127.0.0.1:59999")


def test_loopback_is_refused_outside_dev_mode(app_factory):
    production = app_factory(DEV_MODE=False)
    with production.app_context():
        with pytest.raises(ForbiddenAddress):
            remote.http_client().get("http://127.0.0.1:59999/users/bob")
        with pytest.raises(remote.RemoteActorError):
            remote.fetch_actor("http://10.0.0.1/users/bob")


def test_a_signed_fetch_by_an_actor_not_yet_known_fetches_its_key(client, factories, bob):
    """Servers that fetch our posts with a signature (authorized fetch) are often unknown
    to us yet: their key is looked up like an inbox's, by fetching the actor once."""
    post = factories.post(factories.user("anna"), "Apfelernte im Hof")
    assert remote.actor_by_uri(bob.uri) is None
    message = HttpMessage.build("GET", f"http://localhost/posts/{post.id}", AS_ACCEPT)
    key = SigningKey(bob.key_id, load_private_key(bob.keys.private_pem))

    response = client.get(
        f"/posts/{post.id}", headers={**AS_ACCEPT, **sign_request(message, key, CAVAGE)}
    )

    assert response.status_code == 200
    assert "Apfelernte" in response.get_json()["content"]
    assert remote.actor_by_uri(bob.uri) is not None
