"""The network fixture itself: four nodes answer, each in the role it was given."""

from __future__ import annotations


def test_the_nodes_start_in_their_roles(network) -> None:
    roles = {
        node.name: node.query("SELECT value FROM node_settings WHERE key = 'network.role'")
        for node in network.all
    }
    assert roles["coordination"] and "coordination" in str(roles["coordination"][0])
    assert all(not roles[q.name] for q in network.quarters)
