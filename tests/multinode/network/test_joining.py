"""Quarters join a closed network, as their admins would: q1 applies on its admin page, q2
and q3 on the command line; the coordinators approve q1 and q2 and decline q3; q2 leaves
later; q3 is added in bulk afterwards and is welcomed when it applies again.

Each test starts from the fixture's state (nobody joined, the network open) and brings
the network back to it when it ends (``clean_network``): every member removed, every
quarter's membership ended, ``closed`` off and the coordination node in open federation
mode. What stays: the register's history (rows left/declined), the coordination node's
relay switched on, and the quarters' ended memberships.
"""

from __future__ import annotations

import requests

from tests.multinode.harness import free_port, text_of_html, wait_until

from .conftest import Network
from .steps import (
    OPEN_STATES,
    allowlisted,
    cli_refusal,
    follow_state,
    member_domains,
    membership_of,
    mirrored,
    says,
    status_on,
)


def test_two_quarters_join_one_is_declined_one_leaves(clean_network: Network) -> None:
    network = clean_network
    coordination, q1, q2, q3 = network.all
    coordination.cli(["plugins", "set", "network", "closed", "true"])
    for quarter in network.quarters:  # a closed network hears only invited hosts
        coordination.cli(["network", "invite", quarter.host])

    # bad addresses are refused with a message, and nothing is stored
    unreachable = f"http://127.0.0.1:{free_port()}"
    refusal = cli_refusal(q2, "network", "apply", unreachable)
    assert says(refusal, "cannot be reached", "nicht erreichbar")
    refusal = cli_refusal(q2, "network", "apply", q3.url)
    assert says(refusal, "does not coordinate a network", "koordiniert kein Netzwerk")
    refusal = cli_refusal(coordination, "network", "apply", q1.url)
    assert says(refusal, "coordinates a network itself", "koordiniert selbst ein Netzwerk")
    assert membership_of(q2) not in OPEN_STATES

    # q1 applies on its admin page, q2 and q3 on the command line
    admin = q1.browser(q1.admin)
    page = text_of_html(admin.page("/admin/network"))
    assert says(page, "belongs to no network", "gehört zu keinem Netzwerk")
    answer = admin.submit(
        "/admin/network/apply", {"address": coordination.url, "message": "Wir sind Nord."}
    )
    assert answer.status_code in (302, 303), answer.text
    again = admin.submit("/admin/network/apply", {"address": coordination.url})
    assert again.status_code == 409
    assert says(text_of_html(again.text), "already waits", "wartet bereits")
    q2.cli(["network", "apply", coordination.host, "--message", "Hallo aus Bilk"])
    q3.cli(["network", "apply", coordination.url])
    refusal = cli_refusal(q3, "network", "apply", coordination.url)
    assert says(refusal, "already waits", "wartet bereits")

    wait_until(
        lambda: all(status_on(coordination, q) == "applied" for q in network.quarters),
        message="the applications did not arrive",
    )
    coordinator = coordination.browser(coordination.admin)
    page = text_of_html(coordinator.page("/admin/network"))
    assert "Nachbarschaft Nord" in page and "Wir sind Nord." in page

    # q1 approved on the page, q2 on the command line, q3 declined
    approved = coordinator.submit(f"/admin/network/nodes/{q1.host}/approve")
    assert approved.status_code in (302, 303)
    coordination.cli(["network", "approve", q2.host], ["network", "decline", q3.host])
    refusal = cli_refusal(coordination, "network", "approve", q3.host)
    assert says(refusal, "was declined", "wurde abgelehnt")

    for quarter in (q1, q2):
        wait_until(lambda q=quarter: membership_of(q) == "approved", message="no Accept")
        wait_until(
            lambda q=quarter: (
                follow_state(q, "", coordination.host) == "accepted"
                and follow_state(coordination, "", q.host) == "accepted"
            ),
            message=f"{quarter.name} and the coordination node do not follow each other",
        )
    wait_until(lambda: membership_of(q3) == "declined", message="q3 never heard its Reject")

    # the directory, in JSON and HTML, and its copies on the members
    assert member_domains(network) == {q1.host, q2.host}
    listing = text_of_html(requests.get(coordination.url + "/network/directory", timeout=10).text)
    assert "Nachbarschaft Nord" in listing and "Stadtteilladen Süd" in listing
    assert "Quartiersbüro West" not in listing
    wait_until(lambda: mirrored(q1) == {q2.host}, message="q1 did not mirror the directory")
    wait_until(lambda: mirrored(q2) == {q1.host}, message="q2 did not mirror the directory")
    assert mirrored(q3) == set()
    assert "Oberbilk" in str(q2.query("SELECT quarter FROM network_nodes"))

    # closed: the coordination node federates with its members only
    mode = coordination.query("SELECT value FROM node_settings WHERE key = 'node.federation_mode'")
    assert "allowlist" in str(mode)
    assert q3.host not in allowlisted(coordination)
    assert {q1.host, q2.host} <= allowlisted(coordination)
    q3.cli(["network", "apply", coordination.url])  # no longer invited: refused at the inbox
    wait_until(
        lambda: q3.query(
            "SELECT d.id FROM deliveries d WHERE d.host = :h AND d.last_status = 403",
            h=coordination.host,
        ),
        message="q3's delivery to the closed network was not refused",
    )
    assert status_on(coordination, q3) == "declined"
    q3.cli(["network", "leave"])

    # q2 leaves: off the directory, the allowlist and q1's copy; the follows end
    q2.browser(q2.admin).submit("/admin/network/leave")
    wait_until(lambda: status_on(coordination, q2) == "left", message="the Leave did not arrive")
    assert member_domains(network) == {q1.host}
    assert q2.host not in allowlisted(coordination)
    wait_until(lambda: mirrored(q1) == set(), message="q1 kept q2 in its copy")
    wait_until(
        lambda: (
            follow_state(coordination, q2.host, "") is None
            and follow_state(coordination, "", q2.host) is None
        ),
        message="the follows with q2 did not end",
    )
    assert membership_of(q2) == "left" and mirrored(q2) == set()
    status = coordination.cli(["network", "status"])[0]
    assert f"approved: {q1.host}" in status and f"left: {q2.host}" in status


def test_nodes_added_in_bulk_with_a_progress_bar(clean_network: Network, tmp_path) -> None:
    network = clean_network
    coordination, q3 = network.coordination, network.q3
    listing = tmp_path / "nodes.txt"
    unreachable = f"127.0.0.1:{free_port()}"
    listing.write_text(f"# initiatives of the programme\nhttp://{q3.host}\n{unreachable}\n")
    output = cli_refusal(coordination, "network", "add", "--from-file", str(listing))
    assert "Adding nodes" in output and "1 added, 0 already members, 1 failed." in output
    assert f"failed: {unreachable}" in output
    assert status_on(coordination, q3) == "approved"
    assert q3.host in allowlisted(coordination)
    assert q3.host in member_domains(network)

    # q3 applies: it is a member already, so it is welcomed at once
    q3.cli(["network", "apply", coordination.url])
    wait_until(lambda: membership_of(q3) == "approved", message="q3 was not welcomed")
    wait_until(
        lambda: follow_state(coordination, "", q3.host) == "accepted",
        message="q3 did not accept the coordination node's follow",
    )
    assert "already members" in coordination.cli(["network", "add", q3.host])[0]
