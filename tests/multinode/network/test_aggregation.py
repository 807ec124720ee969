"""Aggregation between real nodes: two quarters join the network (which subscribes them to
the coordination node's relay). A quarter's public post and event then show on the
coordination node's network pages, and the event reaches the other quarter's calendar
through the relay, as an event.

The module leaves the network as it found it (``steps.reset``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.multinode.harness import text_of_html, token, wait_until
from tests.multinode.network.conftest import Network
from tests.multinode.network.steps import join, reset
from tests.multinode.test_events import EVENT_DAY, copy_of_event, create_event


@pytest.fixture(scope="module")
def aggregating(network: Network) -> Iterator[Network]:
    """q1 and q2 joined the network (which subscribes them to its relay)."""
    reset(network)
    join(network, network.q1, network.q2)
    try:
        yield network
    finally:
        reset(network)


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
