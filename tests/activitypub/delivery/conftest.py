"""Fixtures for delivery tests: a dev-mode node, remote actors, real loopback inboxes."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from federation.signatures import VerificationKey, generate_rsa_keypair, load_public_key
from federation.signatures.keys import KeyPair
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import keys, urls
from quarter_node.activitypub.models import ActorKey
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.delivery.receiver import Receiver

_numbers = itertools.count(1)


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    """A set-up node in development mode, so deliveries may go to 127.0.0.1."""
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Testquartier")
        db.session.commit()
        yield app
        db.session.remove()


@functools.cache
def _test_keypair() -> KeyPair:
    """One RSA key for every test actor: generating 2048-bit keys per test is slow."""
    return generate_rsa_keypair()


class KeyRing:
    """The public keys our receivers trust: those of local actors that signed."""

    def __init__(self) -> None:
        self.keys: dict[str, VerificationKey] = {}

    def __call__(self, key_id: str) -> VerificationKey | None:
        return self.keys.get(key_id)

    def trust(self, actor: Actor) -> None:
        """Give ``actor`` a key (the shared test key) and let receivers trust it."""
        pair = _test_keypair()
        db.session.add(
            ActorKey(
                actor_id=actor.id,
                key_id=urls.key_id(actor),
                public_pem=pair.public_pem,
                private_pem=pair.private_pem,
            )
        )
        key = keys.ensure_key(actor)
        db.session.commit()
        self.keys[key.key_id] = VerificationKey(key.key_id, load_public_key(key.public_pem))


@pytest.fixture
def key_ring() -> KeyRing:
    return KeyRing()


@pytest.fixture
def receivers(key_ring: KeyRing) -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(**kwargs: Any) -> Receiver:
        receiver = Receiver(key_ring, **kwargs)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


def remote_actor(
    host: str, *, handle: str | None = None, shared: bool = True, kind: ActorKind = ActorKind.PERSON
) -> Actor:
    """A remote actor at ``http://host`` (committed)."""
    handle = handle or f"remote{next(_numbers)}"
    base = f"http://{host}"
    actor = Actor(
        kind=kind,
        handle=handle,
        domain=host,
        uri=f"{base}/users/{handle}",
        inbox_url=f"{base}/users/{handle}/inbox",
        shared_inbox_url=f"{base}/inbox" if shared else "",
        followers_url=f"{base}/users/{handle}/followers",
    )
    db.session.add(actor)
    db.session.commit()
    return actor


def follow(follower: Actor, followed: Actor, state: FollowState = FollowState.ACCEPTED) -> Follow:
    row = Follow(follower_id=follower.id, followed_id=followed.id, state=state)
    db.session.add(row)
    db.session.commit()
    return row
