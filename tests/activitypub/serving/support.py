"""Remote actors with real keys, and signed fetches, for the serving tests."""

from __future__ import annotations

from functools import lru_cache

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from federation.signatures import (
    CAVAGE,
    HttpMessage,
    SigningKey,
    generate_rsa_keypair,
    load_private_key,
    sign_request,
)
from federation.signatures.keys import KeyPair
from federation.vocabulary import ACTIVITY_JSON
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import ActorKey
from quarter_node.extensions import db
from quarter_node.social.models import Follow, FollowState

AS_ACCEPT = {"Accept": ACTIVITY_JSON}
TEST_HOST = "http://localhost"  # BASE_URL of the test app


@lru_cache(maxsize=8)
def keypair(which: int = 0) -> KeyPair:
    """RSA keys are slow to make: each numbered pair is made once per process."""
    return generate_rsa_keypair()


def remote_actor(handle: str, host: str = "remote.example") -> tuple[Actor, SigningKey]:
    """A remote person as the receiving side stores it, and the key it signs with."""
    uri = f"https://{host}/users/{handle}"
    actor = Actor(
        kind=ActorKind.PERSON,
        handle=handle,
        domain=host,
        uri=uri,
        inbox_url=f"{uri}/inbox",
        shared_inbox_url=f"https://{host}/inbox",
        followers_url=f"{uri}/followers",
    )
    db.session.add(actor)
    db.session.flush()
    key_id = f"{uri}#main-key"
    db.session.add(ActorKey(actor_id=actor.id, key_id=key_id, public_pem=keypair().public_pem))
    db.session.commit()
    return actor, SigningKey(key_id, load_private_key(keypair().private_pem))


def follow(follower: Actor, followed: Actor, state: FollowState = FollowState.ACCEPTED) -> None:
    db.session.add(Follow(follower_id=follower.id, followed_id=followed.id, state=state))
    db.session.commit()


def signed_get(
    client: FlaskClient, path: str, key: SigningKey, scheme: str = CAVAGE
) -> TestResponse:
    """GET ``path`` as a peer does: ActivityStreams Accept, HTTP signature over it."""
    message = HttpMessage.build("GET", TEST_HOST + path, AS_ACCEPT)
    headers = sign_request(message, key, scheme)
    return client.get(path, headers={**AS_ACCEPT, **headers})


def fetch(client: FlaskClient, path: str) -> TestResponse:
    """An unsigned ActivityStreams fetch."""
    return client.get(path, headers=AS_ACCEPT)
