"""Federation health: the members' reachability and versions, and deliveries that fail
(``plugin_api.delivery_health`` counts them from the core's delivery tables)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quarter_node.accounts.models import Role
from quarter_node.activitypub.models import Delivery, DeliveryState, OutboundActivity, PeerHost
from quarter_node.extensions import db
from quarter_node.plugin_api import delivery_health
from tests.helpers import logged_in_client, text_of

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def deliveries(host: str, *states: tuple[DeliveryState, int, datetime]) -> None:
    """Deliveries of fresh activities to ``host``: (state, attempts, planned at) each."""
    for number, (state, attempts, created) in enumerate(states):
        activity = OutboundActivity(
            uri=f"https://here.example/activities/{host}-{number}-{state}-{attempts}",
            activity_type="Create",
            payload={},
        )
        db.session.add(activity)
        db.session.flush()
        db.session.add(
            Delivery(
                activity_id=activity.id,
                inbox_url=f"https://{host}/inbox",
                host=host,
                state=state,
                attempts=attempts,
                created_at=created,
            )
        )
    db.session.commit()


def test_delivery_health_counts_per_host(app) -> None:
    old, recent = NOW - timedelta(days=30), NOW - timedelta(hours=3)
    deliveries(
        "nord.example",
        (DeliveryState.FAILED, 8, old),
        (DeliveryState.FAILED, 8, recent),
        (DeliveryState.PENDING, 3, recent),
        (DeliveryState.PENDING, 0, NOW - timedelta(hours=1)),
        (DeliveryState.DONE, 1, recent),
        (DeliveryState.GONE, 1, recent),
    )
    deliveries("sued.example", (DeliveryState.DONE, 1, recent))
    db.session.add(PeerHost(host="nord.example", available=False))
    db.session.commit()

    health = delivery_health(["Nord.example", "sued.example", "neu.example"], NOW - timedelta(7))
    nord = health["nord.example"]
    assert (nord.failed, nord.retrying, nord.pending) == (1, 1, 2)
    assert nord.oldest_pending == recent
    assert nord.unavailable and not nord.healthy
    assert delivery_health(["nord.example"])["nord.example"].failed == 2  # without a limit
    assert health["sued.example"].healthy and health["sued.example"].pending == 0
    assert health["neu.example"].healthy and health["neu.example"].oldest_pending is None
    assert delivery_health([]) == {}


@pytest.fixture
def coordinator(coordination, factories, make_client):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, factories.user("admin", role=Role.ADMIN))


def test_the_health_page_shows_members_in_trouble_first(coordinator, member_node) -> None:
    checked = datetime.now(UTC) - timedelta(hours=2)
    member_node(
        "gut.example",
        "Gutes Viertel",
        software="quarter-node",
        version="1.4.0",
        reachable=True,
        checked_at=checked,
    )
    member_node("neu.example", "Neues Viertel")
    member_node(
        "weg.example",
        "Fernes Viertel",
        software="mastodon",
        version="4.3.1",
        reachable=False,
        checked_at=checked,
    )
    member_node("stau.example", "Stauviertel", reachable=True, checked_at=checked)
    deliveries("stau.example", (DeliveryState.PENDING, 4, datetime.now(UTC)))
    member_node("raus.example", "Ausgetreten", status="left", reachable=False)

    html = text_of(coordinator.get("/network/health"))
    assert html.count("<h1") == 1
    order = [html.index(name) for name in ("Fernes", "Stauviertel", "Gutes", "Neues")]
    assert order[:2] == sorted(order[:2]) and max(order[:2]) < min(order[2:])
    assert "mastodon 4.3.1" in html and "quarter-node 1.4.0" in html
    assert "not checked yet" in html
    assert "Ausgetreten" not in html
    assert "<dt>Members</dt><dd>4</dd>" in html
    assert "<dt>Reachable</dt><dd>2</dd>" in html
    assert "<dt>Need attention</dt><dd>2</dd>" in html
