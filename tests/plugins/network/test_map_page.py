"""``/network/map``: the network's quarters and their places, drawn without JavaScript."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from plugins.network.models import NetworkNode, NodeStatus
from quarter_node.extensions import db
from quarter_node.plugin_api import utcnow
from tests.helpers import login
from tests.plugins.events.helpers import make_event

TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
IMG_RE = re.compile(r'<img src="([^"]+)"')


def soon(days: int = 3) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(tzinfo=None, microsecond=0)


def set_network(runner, **values: str) -> None:
    for key, value in values.items():
        result = runner.invoke(args=["plugins", "set", "network", key, value])
        assert result.exit_code == 0, result.output


def member(domain: str, name: str, status: str = NodeStatus.APPROVED, **fields) -> NetworkNode:
    node = NetworkNode(
        domain=domain,
        actor_uri=f"http://{domain}/actor",
        status=status,
        name=name,
        quarter=fields.pop("quarter", ""),
        **fields,
    )
    db.session.add(node)
    db.session.commit()
    return node


def a_network(runner, factories):
    set_network(runner, role="coordination", network_name="Nachbarschaften vernetzen")
    member(
        "127.0.0.1:8001", "Nachbarschaft Nord", quarter="Oberbilk", latitude=51.213, longitude=6.803
    )
    member("127.0.0.1:8002", "Stadtteilladen Süd", quarter="Bilk", latitude=51.208, longitude=6.775)
    member("127.0.0.1:8003", "Bewerbung West", NodeStatus.APPLIED, latitude=51.229, longitude=6.723)
    anna = factories.user("anna")
    make_event(
        anna, title="Hoffest", start_local=soon(), place_name="Hof", latitude=51.22, longitude=6.78
    )
    make_event(anna, title="Ohne Ort", start_local=soon())
    make_event(
        anna, title="Geheim", start_local=soon(), visibility="members", latitude=51.2, longitude=6.7
    )
    from_north = make_event(
        anna, title="Flohmarkt Nord", start_local=soon(), latitude=51.214, longitude=6.804
    )
    from_north.uri = "http://127.0.0.1:8001/events/7"
    db.session.commit()
    return anna


def test_the_map_shows_members_and_visible_places_with_a_list_as_text_alternative(
    client, runner, factories
) -> None:
    a_network(runner, factories)
    response = client.get("/network/map")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Map of Nachbarschaften vernetzen</h1>" in html
    markers = re.findall(r'<a href="([^"]+)" class="map-marker map-marker--(\w+)"', html)
    assert [kind for _, kind in markers].count("quarter") == 2  # the applicant is not shown
    assert [kind for _, kind in markers].count("place") == 2  # Hoffest, Flohmarkt Nord
    assert "Bewerbung West" not in html and "Geheim" not in html and "Ohne Ort" not in html
    north = html.index("<h3>Nachbarschaft Nord</h3>")
    assert html.index("Flohmarkt Nord", north) < html.index("<h3>Stadtteilladen Süd</h3>")
    assert "Hoffest (Hof)" in html and "<h3>Other places</h3>" not in html
    assert IMG_RE.search(html) is None and 'class="map-tile--blank"' in html
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


def test_members_see_the_places_of_their_members_only_events(client, runner, factories) -> None:
    anna = a_network(runner, factories)
    login(client, anna.email)
    assert "Geheim" in client.get("/network/map").get_data(as_text=True)


def test_tiles_come_from_the_configured_template_and_only_that_server_is_allowed(
    client, runner, factories
) -> None:
    a_network(runner, factories)
    set_network(runner, map_tiles=TILES, map_attribution="Kacheln: Testserver")
    response = client.get("/network/map")
    html = response.get_data(as_text=True)
    tiles = IMG_RE.findall(html)
    assert 6 <= len(tiles) <= 12
    assert all(re.fullmatch(r"http://127\.0\.0\.1:9/tiles/\d+/\d+/\d+\.png", url) for url in tiles)
    assert "Kacheln: Testserver" in html
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: http://127.0.0.1:9;" in policy and "style-src 'self'" in policy


def test_openstreetmap_tiles_are_credited_without_a_setting(client, runner) -> None:
    set_network(runner, map_tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    set_network(runner, latitude="51.2277", longitude="6.7735")
    html = client.get("/network/map").get_data(as_text=True)  # rendered, nothing fetched
    assert "© OpenStreetMap contributors" in html
    assert "https://tile.openstreetmap.org/16/" in html


def test_a_quarter_node_maps_its_own_quarter_and_its_places(client, runner, factories) -> None:
    set_network(runner, quarter="Flingern", latitude="51.2277", longitude="6.7735")
    anna = factories.user("anna")
    make_event(anna, title="Repair-Café", start_local=soon(), latitude=51.228, longitude=6.774)
    html = client.get("/network/map").get_data(as_text=True)
    assert "<h1>Map of the network</h1>" in html
    assert "<h3>Testquartier</h3>" in html and "Testquartier</a>, Flingern" in html
    assert "Repair-Café" in html and html.count("map-marker--") == 2
