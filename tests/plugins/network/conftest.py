"""Fixtures for the network plugin: a coordination node and its register of members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plugins.network.models import NetworkNode, NodeStatus
from quarter_node.extensions import db
from quarter_node.plugins.services import save_plugin_settings_by_operator
from tests.plugins.network.space_support import add_node


@pytest.fixture
def coordination(app) -> None:  # noqa: ANN001
    """This node is the coordination node of a network."""
    save_plugin_settings_by_operator("network", {"role": "coordination", "network_name": "Netz"})
    db.session.commit()


@pytest.fixture
def member_node(app) -> Callable[..., NetworkNode]:  # noqa: ANN001
    """Register a node as a member (approved unless told otherwise), as joining leaves it."""

    def make(domain: str, name: str = "", status: str = NodeStatus.APPROVED, **kw: Any):  # noqa: ANN202
        node = add_node(
            f"https://{domain}",
            status=status,
            inbox_url=f"https://{domain}/inbox",
            name=name or domain.split(".")[0].title(),
            **kw,
        )
        db.session.commit()
        return node

    return make
