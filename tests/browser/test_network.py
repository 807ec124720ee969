"""The coordination node's pages in a real browser, without JavaScript, in German.

One node process coordinates a network of three member initiatives (rows written before it
starts, ``network_seed.py``); its map tiles come from a tiny tile server on loopback. A
coordinator (admin) and a visitor open the timeline, directory, map, search (filtered by
quarter), dashboard (charts, table, CSV), federation health and the admin page. Every page
passes the accessibility basics on a 390 px phone and asks nothing of any host but the node
and the tile server (a visitor's browser must not leak to third parties).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import DESKTOP, PHONE, Contexts, _fresh_database_url
from tests.browser.ui import Person, assert_accessible_basics, fill_fields, goto, path_of, submit
from tests.multinode.harness import Node

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COORDINATOR = Person("mara@netz.example", "mara", "Mara Schulte", "Netzwerk-der-Quartiere-7")
NETWORK_NAME = "Nachbarschaften vernetzen"
TILE_RE = re.compile(r"^/\d+/\d+/\d+\.png$")


def tile_png() -> bytes:
    """A 256 × 256 PNG: pale green (a park, say) with a darker outline, so the screenshot
    shows that whole tiles were loaded."""
    image = Image.new("RGB", (256, 256), "#d8ecd0")
    ImageDraw.Draw(image).rectangle((0, 0, 255, 255), outline="#b4c8ac")
    picture = io.BytesIO()
    image.save(picture, "PNG")
    return picture.getvalue()


class TileServer:
    """Answers every ``/{z}/{x}/{y}.png`` with the same picture and counts the requests."""

    def __init__(self) -> None:
        picture = tile_png()
        served: list[str] = []
        self.served = served

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if not TILE_RE.match(self.path):
                    self.send_error(404)
                    return
                served.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(picture)))
                self.end_headers()
                self.wfile.write(picture)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _set_up(node: Node, tiles: str) -> None:
    """The commands an operator types, then the members' content (``network_seed``)."""
    network = ["plugins", "set", "network"]
    node.cli(
        ["init"],
        ["create-user", "--email", COORDINATOR.email, "--handle", COORDINATOR.handle]
        + ["--password", COORDINATOR.password, "--role", "admin", "--locale", "de"]
        + ["--display-name", COORDINATOR.name],
        ["set-setting", "name", "Netzwerkstelle Düsseldorf"],
        ["set-setting", "quarter", "Düsseldorf"],
        ["set-setting", "setup_complete", "true"],
        [*network, "role", "coordination"],
        [*network, "network_name", NETWORK_NAME],
        [*network, "map_tiles", tiles + "/{z}/{x}/{y}.png"],
        [*network, "map_attribution", "Testkacheln"],
    )
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.browser.network_seed"],
        env=node.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert seeded.returncode == 0, f"{seeded.stdout}\n{seeded.stderr}"


@pytest.fixture(scope="module")
def tiles() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def coordination(tmp_path_factory: pytest.TempPathFactory, tiles: TileServer) -> Iterator[Node]:
    folder = tmp_path_factory.mktemp("coordination")
    node = Node("coordination", folder, _fresh_database_url(folder))
    _set_up(node, tiles.origin)
    node.start()
    yield node
    node.stop()


class Watched:
    """A browser page whose requests are recorded: each must go to the node or the tiles."""

    def __init__(self, contexts: Contexts, allowed: set[str], viewport: dict[str, int]) -> None:
        self.page = contexts.new(viewport=viewport).new_page()
        self.allowed = allowed
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str, status: int | None = 200) -> Any:
        seen = len(self.requests)
        response = goto(self.page, url, status)
        self.page.wait_for_load_state("load")
        self.assert_only_allowed(self.requests[seen:])
        return response

    def assert_only_allowed(self, urls: list[str] | None = None) -> None:
        """No request (pages, forms sent, pictures, styles) went to any other host."""
        outside = [
            seen
            for seen in (self.requests if urls is None else urls)
            if urlsplit(seen).scheme in ("http", "https", "ws", "wss")
            and urlsplit(seen).netloc not in self.allowed
        ]
        assert outside == [], f"{path_of(self.page)} asked other hosts: {outside}"


PUBLIC_PAGES = ("/network", "/network/directory", "/network/map")
COORDINATOR_PAGES = ("/network/dashboard", "/network/health", "/admin/network")


def test_the_coordination_nodes_pages(
    coordination: Node, tiles: TileServer, contexts: Contexts, screenshot: Any
) -> None:
    allowed = {urlsplit(coordination.url).netloc, urlsplit(tiles.origin).netloc}
    visitor = Watched(contexts, allowed, PHONE)
    coordinator = Watched(contexts, allowed, PHONE)
    log_in(coordinator, coordination.url)

    for watched in (visitor, coordinator):
        for path in PUBLIC_PAGES:
            watched.open(coordination.url + path)
            assert_accessible_basics(watched.page)
        the_timeline_directory_and_map_show_the_members(watched, coordination, tiles)
        the_search_filters_by_quarter(watched, coordination)
    for path in COORDINATOR_PAGES:
        coordinator.open(coordination.url + path)
        assert_accessible_basics(coordinator.page)
        refused = visitor.open(coordination.url + path, status=None)
        assert refused.status == 403 or path_of(visitor.page).startswith("/login"), path
        assert (
            coordinator.page.locator("main").inner_text()
            != visitor.page.locator("main").inner_text()
        ), f"a visitor sees the coordinators' {path}"
    the_dashboard_has_charts_table_and_csv(coordinator, coordination)
    the_health_page_lists_every_member(coordinator, coordination)
    screenshots_for_the_docs(contexts, allowed, coordination, screenshot)
    for watched in (visitor, coordinator):
        watched.assert_only_allowed()


def log_in(watched: Watched, base: str) -> None:
    watched.open(base + "/login")
    assert_accessible_basics(watched.page)
    form = 'main form[action^="/login"]'
    fill_fields(watched.page, form, {"email": COORDINATOR.email, "password": COORDINATOR.password})
    submit(watched.page, form)
    assert watched.page.locator(".site-nav form[action='/logout']").count() == 1


def the_timeline_directory_and_map_show_the_members(
    watched: Watched, node: Node, tiles: TileServer
) -> None:
    page = watched.page
    watched.open(node.url + "/network")
    main = page.locator("main")
    assert main.get_by_text("Repair-Café").count() >= 3, "posts of every member"
    for name in ("Nachbarschaft Flingern", "Stadtteilladen Bilk", "Garten Oberbilk"):
        assert main.get_by_text(name).count() >= 1, f"/network: no post labelled {name}"
    watched.open(node.url + "/network/directory")
    for domain in ("flingern.example", "bilk.example", "oberbilk.example"):
        assert page.locator(f'main a[href*="{domain}"]').count() >= 1, domain
    before = len(tiles.served)
    watched.open(node.url + "/network/map")
    pictures = page.locator(".map-tiles img")
    assert pictures.count() >= 6
    loaded = page.evaluate(
        "() => [...document.querySelectorAll('.map-tiles img')]"
        ".every((img) => img.complete && img.naturalWidth === 256)"
    )
    assert loaded, "every tile loads from the loopback tile server"
    assert len(tiles.served) > before or all(
        src.startswith(tiles.origin) for src in pictures.evaluate_all("els => els.map(e => e.src)")
    )
    assert page.locator(".map-overlay a.map-marker--quarter").count() == 3
    assert_markers_can_be_tapped(page)
    assert page.locator(".map-list li").count() >= 3
    assert page.get_by_text("Testkacheln").count() == 1, "the attribution"


def assert_markers_can_be_tapped(page: Any) -> None:
    """Markers are links: at least 24 CSS px across (WCAG 2.5.8), however far the map's SVG
    is scaled down to fit the screen."""
    sizes = page.locator(".map-overlay a.map-marker circle").evaluate_all(
        "els => els.map((el) => Math.min(el.getBoundingClientRect().width,"
        " el.getBoundingClientRect().height))"
    )
    assert sizes and min(sizes) >= 24, f"{path_of(page)}: markers {sizes} px across"


def the_search_filters_by_quarter(watched: Watched, node: Node) -> None:
    """Every member wrote about cake; filtered by Flingern, only Flingern's posts are left."""
    page = watched.page
    watched.open(node.url + "/network/search?q=Kuchen")
    everywhere = page.locator("li.search-result").count()
    form = "main form.search-form"
    fill_fields(page, form, {"q": "Kuchen", "quarter": "Flingern"})
    submit(page, form)
    assert_accessible_basics(page)
    metas = page.locator("li.search-result .search-result__meta").all_inner_texts()
    assert 0 < len(metas) < everywhere, page.locator("main").inner_text()
    assert all("Flingern" in meta for meta in metas), metas


def the_dashboard_has_charts_table_and_csv(watched: Watched, node: Node) -> None:
    page = watched.page
    watched.open(node.url + "/network/dashboard")
    charts = page.locator('main svg[role="img"]')
    assert charts.count() >= 3
    assert charts.first.is_visible() and charts.first.bounding_box()["height"] > 50
    assert page.locator("main table tbody tr").count() >= 12, "one row per week"
    link = page.locator('main a[href^="/network/dashboard.csv"]')
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("network-figures-")
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "flingern.example" in text and len(text.splitlines()) > 12
    answer = page.request.get(node.url + link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")


def the_health_page_lists_every_member(watched: Watched, node: Node) -> None:
    watched.open(node.url + "/network/health")
    text = watched.page.locator("main").inner_text()
    for name in ("Nachbarschaft Flingern", "Stadtteilladen Bilk", "Garten Oberbilk"):
        assert name in text


def screenshots_for_the_docs(
    contexts: Contexts, allowed: set[str], node: Node, screenshot: Any
) -> None:
    """The dashboard on a wide screen, the map on a phone (docs/screenshots has copies)."""
    wide = Watched(contexts, allowed, DESKTOP)
    log_in(wide, node.url)
    wide.open(node.url + "/network/dashboard")
    assert_accessible_basics(wide.page)
    phone = Watched(contexts, allowed, PHONE)
    phone.open(node.url + "/network/map")
    assert_accessible_basics(phone.page)
    wide.open(node.url + "/network/map")
    assert_markers_can_be_tapped(wide.page)
    for path in (screenshot(wide.page, "network-dashboard"), screenshot(phone.page, "network-map")):
        assert path.stat().st_size > 10_000
