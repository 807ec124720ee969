"""Steps the network's multi-node tests share: what admins do on the nodes (apply,
approve, leave, reset) and what the tests read back from the nodes' tables."""

from __future__ import annotations

import pytest
import requests

from tests.multinode.harness import Node, wait_until

from .conftest import Network

OPEN_STATES = ("pending", "approved")


def cli_refusal(node: Node, *args: str) -> str:
    """The output of a ``quarter-node`` command that must fail (exit status 1)."""
    with pytest.raises(RuntimeError) as failed:
        node.cli(list(args))
    return str(failed.value)


def says(output: str, english: str, german: str) -> bool:
    """The message in either language (the command line speaks the node's language)."""
    return english in output or german in output


def status_on(coordination: Node, quarter: Node) -> str | None:
    rows = coordination.query("SELECT status FROM network_nodes WHERE domain = :d", d=quarter.host)
    return rows[0][0] if rows else None


def membership_of(quarter: Node) -> str | None:
    rows = quarter.query("SELECT status FROM network_memberships ORDER BY id DESC LIMIT 1")
    return rows[0][0] if rows else None


def follow_state(node: Node, follower: str, followed: str) -> str | None:
    """The follow between two instance actors as ``node`` stores it ("" = ``node``'s own)."""
    rows = node.query(
        "SELECT f.state FROM follows f JOIN actors a ON a.id = f.follower_id"
        " JOIN actors b ON b.id = f.followed_id"
        " WHERE a.kind = 'application' AND a.domain = :a"
        " AND b.kind = 'application' AND b.domain = :b",
        a=follower,
        b=followed,
    )
    return str(rows[0][0]) if rows else None


def allowlisted(node: Node) -> set[str]:
    return {row[0] for row in node.query("SELECT host FROM peer_hosts WHERE allowlisted")}


def mirrored(quarter: Node) -> set[str]:
    return {row[0] for row in quarter.query("SELECT domain FROM network_nodes")}


def directory(network: Network) -> dict:
    answer = requests.get(network.coordination.url + "/network/directory.json", timeout=10)
    assert answer.status_code == 200
    return answer.json()


def member_domains(network: Network) -> set[str]:
    return {entry["domain"] for entry in directory(network)["members"]}


def quietly(node: Node, *args: str) -> None:
    try:
        node.cli(list(args))
    except RuntimeError:
        pass


def reset(network: Network) -> None:
    """Back to the fixture's state: nobody a member, the network open. Answers may cross
    (a quarter leaving while it is removed), so a refusal here only means it is done."""
    coordination = network.coordination
    for quarter in network.quarters:
        if membership_of(quarter) in ("pending", "approved"):
            quietly(quarter, "network", "leave")
    for (domain,) in coordination.query(
        "SELECT domain FROM network_nodes WHERE status = 'approved'"
    ):
        quietly(coordination, "network", "remove", domain)
    wait_until(
        lambda: (
            not coordination.query(
                "SELECT id FROM network_nodes WHERE status IN ('approved', 'applied')"
            )
        ),
        message="the coordination node kept members",
    )
    coordination.cli(["plugins", "set", "network", "closed", "false"])
    opened = coordination.browser(coordination.admin).submit(
        "/admin/federation/mode", {"mode": "open"}
    )
    assert opened.status_code in (302, 303)


def join(network: Network, *quarters: Node) -> None:
    """``quarters`` apply on the command line and the coordinators approve them; returns
    when each membership is approved, the instance actors follow each other and every
    member's copy of the directory lists the others."""
    coordination = network.coordination
    for quarter in quarters:
        quarter.cli(["network", "apply", coordination.url])
    for quarter in quarters:
        wait_until(
            lambda q=quarter: status_on(coordination, q) == "applied",
            message=f"the application of {quarter.name} did not arrive",
        )
        coordination.cli(["network", "approve", quarter.host])
    for quarter in quarters:
        wait_until(
            lambda q=quarter: (
                membership_of(q) == "approved"
                and follow_state(q, "", coordination.host) == "accepted"
                and follow_state(coordination, "", q.host) == "accepted"
            ),
            message=f"{quarter.name} did not become a member",
        )
    for quarter in quarters:
        others = {q.host for q in quarters if q is not quarter}
        wait_until(
            lambda q=quarter, o=others: o <= mirrored(q),
            message=f"{quarter.name} did not copy the directory",
        )
