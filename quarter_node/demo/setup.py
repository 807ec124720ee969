"""Setting the demo nodes up and joining them into a network, with the commands an admin
types: ``init``, ``create-user``, ``set-setting``, ``plugins set network ...``, and on the
network side ``network apply`` (quarters) and ``network approve`` (coordination node)."""

from __future__ import annotations

import time

from .content import PASSWORD, Initiative, Person
from .nodes import CommandFailed, DemoNode

APPROVE_TIMEOUT = 40.0  # the application (a Join) is delivered by the quarter's worker


def set_up(node: DemoNode, initiative: Initiative, coordination: bool) -> bool:
    """Database, accounts, node settings and the network plugin's directory entry.

    Returns whether the node has the ``network`` commands (asked last, in the same
    process: a missing command is the only failure allowed)."""
    network = ["plugins", "set", "network"]
    commands = [
        ["init"],
        *(_create_user(person) for person in initiative.people),
        ["set-setting", "name", initiative.title],
        ["set-setting", "quarter", initiative.quarter],
        ["set-setting", "description", initiative.summary],
        ["set-setting", "registration_mode", "open"],
        ["set-setting", "setup_complete", "true"],
        [*network, "quarter", initiative.quarter],
        [*network, "topics", initiative.topics],
        [*network, "contact", initiative.admin.email],
        [*network, "summary", initiative.summary],
        [*network, "latitude", str(initiative.latitude)],
        [*network, "longitude", str(initiative.longitude)],
    ]
    if coordination:
        commands += [
            [*network, "role", "coordination"],
            [*network, "network_name", "Nachbarschaften vernetzen"],
        ]
    results = node.cli(*commands, ["network", "--help"], check=False)
    node.raise_first_failure(results[: len(commands)])
    return len(results) == len(commands) + 1 and results[-1]["exit_code"] == 0


def _create_user(person: Person) -> list[str]:
    return [
        "create-user",
        *("--email", person.email, "--handle", person.handle, "--password", PASSWORD),
        *("--role", person.role, "--display-name", person.name, "--locale", "de"),
    ]


def join_network(coordination: DemoNode, quarters: list[DemoNode], possible: bool) -> str:
    """Each quarter applies, the coordination node approves; a line for the user.

    Until the ``network`` commands exist (``possible``; they come with the join protocol),
    joining is skipped and the nodes federate only through the follows between people."""
    if not possible:
        return "Joining skipped: this version has no 'quarter-node network' commands yet."
    for quarter in quarters:
        quarter.cli(["network", "apply", coordination.url, "--message", "Wir möchten mitmachen!"])
    for quarter in quarters:
        _approve(coordination, quarter)
    return "The quarter nodes applied and the coordination node approved them."


def _approve(coordination: DemoNode, quarter: DemoNode) -> None:
    deadline = time.monotonic() + APPROVE_TIMEOUT
    while True:
        try:
            coordination.cli(["network", "approve", quarter.host])
            return
        except CommandFailed:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)  # the application has not arrived yet
