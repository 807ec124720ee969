"""Aggregation between real nodes: two quarters subscribe to the coordination node's relay
(the shape joining leaves them in; the rows of the register are written directly here,
since joining is tested on its own). A quarter's public post and event then show on the
coordination node's network pages, and the event reaches the other quarter's calendar
through the relay, as an event.

The module leaves the network as it found it (no subscriptions, relay off, no members)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.multinode.harness import Node, text_of_html, token, wait_until
from tests.multinode.network.conftest import QUARTERS, Network
from tests.multinode.test_events import EVENT_DAY, copy_of_event, create_event

SUBSCRIPTIONS = (
    "SELECT f.id, f.state FROM follows f JOIN actors me ON me.id = f.follower_id"
    " WHERE me.kind = 'application' AND me.domain = ''"
)
REGISTER = (
    "INSERT INTO network_nodes (domain, actor_uri, inbox_url, status, name, quarter, topics,"
    " contact, summary, website, message, applied_at, software, version)"
    " VALUES (:domain, :actor, :inbox, 'approved', :name, :quarter, :topics, '', '', '', '',"
    " CURRENT_TIMESTAMP, '', '')"
)


def _write(node: Node, sql: str, **params: str) -> None:
    engine = create_engine(node.database_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def _submit(node: Node, path: str, data: dict[str, str] | None = None) -> None:
    response = node.browser(node.admin).submit(path, data or {})
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]


def _subscribe(node: Node, relay: Node) -> None:
    _submit(node, "/admin/federation/relays", {"relay_address": f"{relay.url}/inbox"})
    wait_until(
        lambda: [state for _, state in node.query(SUBSCRIPTIONS)] == ["accepted"],
        message=f"{relay.name} never accepted {node.name}'s subscription",
    )


@pytest.fixture(scope="module")
def aggregating(network: Network) -> Iterator[Network]:
    coordination, members = network.coordination, (network.q1, network.q2)
    _submit(coordination, "/admin/federation/relay", {"relay_enabled": "y"})
    try:
        for quarter in members:
            name, district, topics, _lat, _lon = QUARTERS[quarter.name]
            _write(
                coordination,
                REGISTER,
                domain=quarter.host,
                actor=f"{quarter.url}/actor",
                inbox=f"{quarter.url}/actor/inbox",
                name=name,
                quarter=district,
                topics=topics,
            )
            _subscribe(quarter, coordination)
        yield network
    finally:
        for quarter in members:
            for follow_id, _ in quarter.query(SUBSCRIPTIONS):
                _submit(quarter, f"/admin/federation/relays/{follow_id}/remove")
        _submit(coordination, "/admin/federation/relay", {})
        for quarter in members:
            _write(coordination, "DELETE FROM network_nodes WHERE domain = :d", d=quarter.host)


def test_a_quarters_public_post_shows_on_the_network_timeline(aggregating: Network) -> None:
    coordination, q1 = aggregating.coordination, aggregating.q1
    words = f"Tauschbörse im Hof {token()}"
    q1.browser(q1.take()).publish(words)
    visitor = coordination.browser()
    wait_until(
        lambda: words in text_of_html(visitor.page("/network")),
        message="the post never reached the network timeline",
    )
    page = text_of_html(visitor.page("/network"))
    assert "Nachbarschaft Nord (Oberbilk)" in page
    results = text_of_html(visitor.page(f"/network/search?q={words.split()[-1]}&quarter=Oberbilk"))
    assert "Tauschbörse" in results


def test_a_quarters_public_event_reaches_the_network_and_the_other_quarter(
    aggregating: Network,
) -> None:
    coordination, q1, q2 = aggregating.coordination, aggregating.q1, aggregating.q2
    title = f"Nachbarschaftsfest {token('e')}"
    event_id = create_event(q1.browser(q1.take()), title)
    uri = f"{q1.url}/events/{event_id}"

    copy_of_event(coordination, uri)
    calendar = coordination.browser().page(f"/network/calendar?month={EVENT_DAY:%Y-%m}")
    assert title in text_of_html(calendar)
    copy_on_q2 = copy_of_event(q2, uri)  # passed on by the relay: an event, not a post
    assert not q2.query("SELECT id FROM posts WHERE uri = :uri", uri=uri)
    assert title in text_of_html(q2.browser().page(f"/events/{copy_on_q2}"))
