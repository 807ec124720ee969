"""A coordination node with two approved member nodes and people on them (fake signed
peers served by ``responses``, as in the ActivityPub inbox tests). Members are registered
the way the join protocol leaves them: ``NetworkNode`` rows with status approved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import responses
from flask import Flask

from plugins.network.models import NetworkNode
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.activitypub.inbox.conftest import peers, pooled_local_keys  # noqa: F401
from tests.activitypub.inbox.fakes import RemoteActor
from tests.plugins.network.aggregation.helpers import FLINGERN, OBERBILK, OUTSIDE
from tests.plugins.network.space_support import add_member, be_coordination


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    """A set-up node in development mode (loopback peers), reading English."""
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Netzwerk", default_language="en")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def coordination(app: Flask) -> list[NetworkNode]:
    """This node coordinates a network of two members (Oberbilk, Flingern)."""
    be_coordination()
    return [
        add_member(
            OBERBILK,
            name="Garten Oberbilk",
            quarter="Oberbilk",
            topics="Garten, Kultur",
            contact="garten@oberbilk.example",
        ),
        add_member(FLINGERN, name="Repair Flingern", quarter="Flingern", topics="Reparieren"),
    ]


@pytest.fixture
def olga(peers: responses.RequestsMock) -> RemoteActor:  # noqa: F811
    """A person on the Oberbilk member node."""
    return RemoteActor("olga", origin=OBERBILK, key_number=1).serve(peers)


@pytest.fixture
def fritz(peers: responses.RequestsMock) -> RemoteActor:  # noqa: F811
    """A person on the Flingern member node."""
    return RemoteActor("fritz", origin=FLINGERN, key_number=2).serve(peers)


@pytest.fixture
def stranger(peers: responses.RequestsMock) -> RemoteActor:  # noqa: F811
    """A person on a node outside the network."""
    return RemoteActor("sven", origin=OUTSIDE, key_number=0).serve(peers)
