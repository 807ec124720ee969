"""Three real nodes federating on loopback: A and C on SQLite, B on PostgreSQL.

The nodes start once per test session (per xdist worker) and every test makes its own
people, so tests do not depend on each other's order. Tests that change a node's policy
(domain blocks, allowlist mode) or kill a node restore it before they end.

These tests start their own nodes on both databases at once, so ``make test``'s second pass
(``QN_TEST_DATABASE`` = PostgreSQL) skips them; set ``QN_MULTINODE=1`` to run them there too.
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

SPARE_MEMBERS = 14  # accounts made at set-up for the tests to take


@dataclass
class Cluster:
    a: Node
    b: Node
    c: Node

    @property
    def all(self) -> tuple[Node, Node, Node]:
        return (self.a, self.b, self.c)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    skip_in_second_pass()
    with node_folders("multinode") as root:
        yield from _running_cluster(root)


def _running_cluster(root: Path) -> Iterator[Cluster]:
    cluster = Cluster(
        a=Node("a", root / "a"),
        b=Node("b", root / "b", fresh_postgres_database("test_multinode_b")),
        c=Node("c", root / "c"),
    )
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(pool.map(_set_up, cluster.all))
            list(pool.map(Node.start, cluster.all))
        yield cluster
    finally:
        for node in cluster.all:
            node.stop()


def _set_up(node: Node) -> None:
    node.set_up(f"Node {node.name.upper()}", SPARE_MEMBERS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """Show the end of every node's log beside a failed multi-node test."""
    outcome = yield
    report = outcome.get_result()
    found = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and isinstance(found, Cluster):
        for node in found.all:
            report.sections.append((f"node {node.name} log (last 60 lines)", node.log_tail()))
