"""The network's whole story on four real nodes, as issue 5 tells it.

A coordination node (PostgreSQL) and three quarter nodes (SQLite) on loopback. Two
quarters join a closed network, one is declined; a quarter's public post and event appear
on the coordination node's timeline, calendar and search and, through the relay, on the
other quarter; a coordinator's post in the exchange space reaches a member on the other
quarter, and nothing of it can be fetched by a non-member or by the node outside the
network; finally one quarter leaves, and what it publishes afterwards no longer reaches
the network.
"""

from __future__ import annotations

from tests.multinode.harness import (
    Browser,
    Node,
    fetch_activitypub,
    text_of_html,
    token,
    wait_until,
)
from tests.multinode.network.conftest import Network
from tests.multinode.network.steps import (
    allowlisted,
    follow_state,
    member_domains,
    membership_of,
    mirrored,
    status_on,
)
from tests.multinode.network.test_exchange_space import (
    SPACE,
    join_space,
    to_group_id,
)
from tests.multinode.test_events import EVENT_DAY, copy_of_event, create_event


def test_a_network_of_initiatives_from_joining_to_leaving(clean_network: Network) -> None:
    network = clean_network
    coordination, q1, q2, q3 = network.all
    _join_closed_network(network)
    _public_content_travels(network)
    _the_exchange_space_stays_closed(network)

    # q2 leaves: off the directory and the allowlist, and its posts stay at home
    q2.cli(["network", "leave"])
    wait_until(lambda: status_on(coordination, q2) == "left", message="the Leave did not arrive")
    assert member_domains(network) == {q1.host}
    assert q2.host not in allowlisted(coordination)
    wait_until(lambda: mirrored(q1) == set(), message="q1 kept q2 in its copy")
    after = f"Nach dem Austritt {token()}"
    q2.browser(q2.take()).publish(after)
    still = f"Weiter im Netz {token()}"
    q1.browser(q1.take()).publish(still)
    visitor = coordination.browser()
    wait_until(lambda: visitor.shows("/network", still), message="q1's post did not arrive")
    assert not coordination.query("SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{after}%")
    assert q3.host not in member_domains(network)


def _join_closed_network(network: Network) -> None:
    coordination, q1, q2, q3 = network.all
    coordination.cli(["plugins", "set", "network", "closed", "true"])
    for quarter in network.quarters:  # a closed network hears only the hosts it invited
        coordination.cli(["network", "invite", quarter.host])
    for quarter in network.quarters:
        quarter.cli(
            ["network", "apply", coordination.url, "--message", f"Hallo von {quarter.name}"]
        )
    for quarter in network.quarters:
        wait_until(
            lambda q=quarter: status_on(coordination, q) == "applied",
            message=f"the application of {quarter.name} did not arrive",
        )
    coordination.cli(
        ["network", "approve", q1.host],
        ["network", "approve", q2.host],
        ["network", "decline", q3.host],
    )
    for quarter in (q1, q2):
        wait_until(
            lambda q=quarter: (
                membership_of(q) == "approved"
                and follow_state(q, "", coordination.host) == "accepted"
                and follow_state(coordination, "", q.host) == "accepted"
            ),
            message=f"{quarter.name} did not become a member",
        )
    wait_until(lambda: membership_of(q3) == "declined", message="q3 never heard its Reject")
    assert member_domains(network) == {q1.host, q2.host}
    assert q3.host not in allowlisted(coordination)
    wait_until(lambda: mirrored(q2) == {q1.host}, message="q2 did not copy the directory")


def _public_content_travels(network: Network) -> None:
    coordination, q1, q2, q3 = network.all
    author = q1.browser(q1.take())
    words = f"Pflanzentausch im Hinterhof {token()}"
    post_id = author.publish(words)
    title = f"Hoffest Oberbilk {token('e')}"
    event_id = create_event(author, title)

    visitor = coordination.browser()
    wait_until(lambda: visitor.shows("/network", words), message="no post on the timeline")
    assert "Nachbarschaft Nord (Oberbilk)" in text_of_html(visitor.page("/network"))
    copy_of_event(coordination, f"{q1.url}/events/{event_id}")
    calendar = visitor.page(f"/network/calendar?month={EVENT_DAY:%Y-%m}")
    assert title in text_of_html(calendar)
    found = text_of_html(visitor.page(f"/network/search?q={words.split()[-1]}&quarter=Oberbilk"))
    assert "Pflanzentausch" in found
    elsewhere = text_of_html(visitor.page(f"/network/search?q={words.split()[-1]}&quarter=Bilk"))
    assert "Pflanzentausch" not in elsewhere

    # through the relay: q2 has the post and the event (as an event), q3 has neither
    post_uri = f"{q1.url}/posts/{post_id}"
    wait_until(
        lambda: q2.query("SELECT id FROM posts WHERE uri = :uri", uri=post_uri),
        message="the relay did not pass the post on to q2",
    )
    copy_on_q2 = copy_of_event(q2, f"{q1.url}/events/{event_id}")
    assert title in text_of_html(q2.browser().page(f"/events/{copy_on_q2}"))
    assert not q3.query("SELECT id FROM posts WHERE uri = :uri", uri=post_uri)


def _the_exchange_space_stays_closed(network: Network) -> None:
    coordination, q1, q2, q3 = network.all
    if "no exchange space" in coordination.cli(["network", "space", "status"])[0].lower():
        coordination.cli(["network", "space", "create", "--owner", coordination.admin.handle])
    team = coordination.browser(coordination.admin)
    lead, neighbour, outsider = q1.take(), q2.take(), q2.take()
    coordinator, member = q1.browser(lead), q2.browser(neighbour)
    join_space(coordinator, coordination, team)
    join_space(member, coordination, team)

    secret = token("intern")
    group = to_group_id(coordinator, coordination)
    post_id = coordinator.publish(
        f"Protokoll des Vernetzungstreffens {secret}", visibility="group", to_group=group
    )
    uri = f"{q1.url}/posts/{post_id}"
    wait_until(
        lambda: member.shows(f"/@{SPACE}@{coordination.host}", secret),
        message="the exchange post never reached the member on q2",
    )
    assert _nothing_for(q2.browser(outsider), coordination, secret)
    assert _nothing_for(q3.browser(q3.take()), coordination, secret)
    for signer in (None, q3.signing_key(), q2.person_signing_key(outsider)):
        answer = fetch_activitypub(uri, signer)
        assert answer.status_code == 404 and secret not in answer.text, signer
    assert not q3.query("SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{secret}%")
    assert secret not in fetch_activitypub(f"{coordination.url}/groups/{SPACE}/outbox").text
    assert secret not in coordination.browser().get("/network/space").text
    found = coordination.browser().get(f"/network/search?q={secret}").text  # repeats the query
    assert f"Vernetzungstreffens {secret}" not in found


def _nothing_for(browser: Browser, coordination: Node, secret: str) -> bool:
    """Whether a person outside the space sees nothing of the post on her node (the search
    page repeats the query, so it looks for the post's words around ``secret``)."""
    pages = (f"/@{SPACE}@{coordination.host}", f"/search?q={secret}", "/")
    return not [path for path in pages if f"Vernetzungstreffens {secret}" in browser.get(path).text]
