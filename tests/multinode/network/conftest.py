"""A network on loopback: a coordination node (PostgreSQL, as a state network would run
it) and three quarter nodes (SQLite), each a real ``quarter-node run`` process.

The nodes start once per test session (per xdist worker) with their roles and directory
entries set, but nobody has joined anything: each test module brings the network into
the state it needs through the nodes' own pages and commands, as admins would.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.multinode.harness import (
    Node,
    fresh_postgres_database,
    node_folders,
    skip_in_second_pass,
)

SPARE_MEMBERS = 10
QUARTERS = {
    "q1": ("Nachbarschaft Nord", "Oberbilk", "Nachbarschaftshilfe, Umwelt", "51.2130", "6.8030"),
    "q2": ("Stadtteilladen Süd", "Bilk", "Kultur, Senioren", "51.2080", "6.7750"),
    "q3": ("Quartiersbüro West", "Heerdt", "Jugend, Umwelt", "51.2290", "6.7230"),
}


@dataclass
class Network:
    coordination: Node
    q1: Node
    q2: Node
    q3: Node

    @property
    def all(self) -> tuple[Node, ...]:
        return (self.coordination, self.q1, self.q2, self.q3)

    @property
    def quarters(self) -> tuple[Node, ...]:
        return (self.q1, self.q2, self.q3)


@pytest.fixture(scope="session")
def network() -> Iterator[Network]:
    skip_in_second_pass()
    with node_folders("network") as root:
        yield from _running_network(root)


def _running_network(root: Path) -> Iterator[Network]:
    coordination_db = fresh_postgres_database("test_network_coordination")
    found = Network(
        coordination=Node("coordination", root / "coordination", coordination_db),
        q1=Node("q1", root / "q1"),
        q2=Node("q2", root / "q2"),
        q3=Node("q3", root / "q3"),
    )
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(_set_up, found.all))
            list(pool.map(Node.start, found.all))
        yield found
    finally:
        for node in found.all:
            node.stop()


def _set_up(node: Node) -> None:
    if node.name == "coordination":
        node.set_up("Netzwerk Nachbarschaften NRW", SPARE_MEMBERS)
        node.cli(
            ["plugins", "set", "network", "role", "coordination"],
            ["plugins", "set", "network", "network_name", "Nachbarschaften vernetzen"],
        )
        return
    name, quarter, topics, latitude, longitude = QUARTERS[node.name]
    node.set_up(name, SPARE_MEMBERS)
    node.cli(
        ["plugins", "set", "network", "quarter", quarter],
        ["plugins", "set", "network", "topics", topics],
        ["plugins", "set", "network", "contact", f"kontakt@{node.name}.example"],
        ["plugins", "set", "network", "latitude", latitude],
        ["plugins", "set", "network", "longitude", longitude],
    )


@pytest.fixture
def clean_network(network: Network) -> Iterator[Network]:
    """The network as the fixture started it (nobody joined, the network open), before the
    test and again after it (``steps.reset``)."""
    from tests.multinode.network.steps import reset

    reset(network)
    try:
        yield network
    finally:
        reset(network)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """Show the end of every node's log beside a failed network test."""
    outcome = yield
    report = outcome.get_result()
    found = getattr(item, "funcargs", {}).get("network")
    if report.failed and isinstance(found, Network):
        for node in found.all:
            report.sections.append((f"node {node.name} log (last 60 lines)", node.log_tail()))
