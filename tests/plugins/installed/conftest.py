"""Tests of a plugin installed as a package: they run only in the process that
``tests/plugins/test_installing.py`` starts with the example plugin on ``PYTHONPATH``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.activitypub.inbox.conftest import bob, peers, pooled_local_keys  # noqa: F401

pytest.importorskip("example_plugin", reason="runs where the example plugin is installed")


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    """A set-up node in dev mode (so the fake loopback peers may deliver)."""
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Testquartier", default_language="en")
        db.session.commit()
        yield app
        db.session.remove()
