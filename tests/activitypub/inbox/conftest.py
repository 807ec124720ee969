"""Inbox tests run a node in DEV_MODE (loopback peers allowed) with fake peers served by
``responses``; nothing leaves the process."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import responses
from flask import Flask

from quarter_node.activitypub.models import InboxItem
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.activitypub.inbox.fakes import RemoteActor


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
