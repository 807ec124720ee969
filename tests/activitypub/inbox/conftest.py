"""Inbox tests run a node in DEV_MODE (loopback peers allowed) with fake peers served by
``responses``; nothing leaves the process."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
import responses
from flask import Flask

from quarter_node.activitypub import keys
from quarter_node.activitypub.models import InboxItem
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.activitypub.inbox.fakes import RemoteActor, keypair


@pytest.fixture(autouse=True)
def pooled_local_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local actors get keys from a small pool generated once per process: a fresh
    RSA-2048 key per actor and test would make this module several times slower. Key ids
    stay distinct; only the key material repeats, which no inbox rule depends on."""
    pool = itertools.cycle([keypair(10), keypair(11), keypair(12)])
    monkeypatch.setattr(keys, "generate_rsa_keypair", lambda *args, **kwargs: next(pool))


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Testquartier")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def peers() -> Iterator[responses.RequestsMock]:
    """The fake fediverse: every outgoing request must hit a registered URL."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def bob(peers: responses.RequestsMock) -> RemoteActor:
    return RemoteActor("bob").serve(peers)


@pytest.fixture
def carol(peers: responses.RequestsMock) -> RemoteActor:
    return RemoteActor("carol", key_number=1).serve(peers)


def inbox_items() -> list[InboxItem]:
    return list(db.session.scalars(db.select(InboxItem).order_by(InboxItem.id)))
