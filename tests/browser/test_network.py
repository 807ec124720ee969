"""The coordination node's pages in a real browser, without JavaScript, in German.

One node process coordinates a network of three member initiatives (rows written before it
starts, ``network_seed.py``); its map tiles come from a tiny tile server on loopback. A
coordinator (admin) and a visitor open the timeline, directory, map, search (filtered by
quarter), dashboard (charts, table, CSV), federation health and the admin page. Every page
passes the accessibility basics on a 390 px phone and asks nothing of any host but the node
and the tile server (a visitor's browser must not leak to third parties).
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from quarter_node.cli_batch import RESULT_MARK
from tests.browser.conftest import DESKTOP, PHONE, Contexts, _fresh_database_url, free_port
from tests.browser.ui import Person, assert_accessible_basics, fill_fields, goto, path_of, submit

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COORDINATOR = Person("mara@netz.example", "mara", "Mara Schulte", "Netzwerk-der-Quartiere-7")
NETWORK_NAME = "Nachbarschaften vernetzen"
TILE_RE = re.compile(r"^/\d+/\d+/\d+\.png$")


def tile_png() -> bytes:
    """A 256 × 256 PNG: pale green (a park, say) with a darker outline, so the screenshot
    shows that whole tiles were loaded."""
    green, line = bytes((0xD8, 0xEC, 0xD0)), bytes((0xB4, 0xC8, 0xAC))
    edge = b"\x00" + line * 256
    inner = b"\x00" + line + green * 255
    raw = zlib.compress(edge + inner * 255)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


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


class Node:
    """The coordination node: a ``quarter-node run`` process on a fresh database."""

    def __init__(self, tmp: Path, tiles: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        instance = tmp / "instance"
        instance.mkdir()
        (instance / "quarter_node.cfg").write_text('ARGON2_PROFILE = "cheapest"\n')
        self.env = {
            **os.environ,
            "QN_INSTANCE_PATH": str(instance),
            "QN_DATABASE_URL": _fresh_database_url(tmp),
            "QN_DEV_MODE": "1",
            "QN_BASE_URL": self.url,
            "QN_LOG_LEVEL": "INFO",
        }
        self.env.pop("QN_REDIS_URL", None)
        self.log_path = tmp / "node.log"
        self.tiles = tiles
        self.process: subprocess.Popen[bytes] | None = None

    def set_up(self) -> None:
        """The commands an operator types, then the members' content."""
        network = ["plugins", "set", "network"]
        commands = [
            ["init"],
            ["create-user", "--email", COORDINATOR.email, "--handle", COORDINATOR.handle]
            + ["--password", COORDINATOR.password, "--role", "admin", "--locale", "de"]
            + ["--display-name", COORDINATOR.name],
            ["set-setting", "name", "Netzwerkstelle Düsseldorf"],
            ["set-setting", "quarter", "Düsseldorf"],
            ["set-setting", "setup_complete", "true"],
            [*network, "role", "coordination"],
            [*network, "network_name", NETWORK_NAME],
            [*network, "map_tiles", self.tiles + "/{z}/{x}/{y}.png"],
            [*network, "map_attribution", "Testkacheln"],
        ]
        self._run([sys.executable, "-m", "quarter_node.cli_batch"], json.dumps(commands))
        self._run([sys.executable, "-m", "tests.browser.network_seed"], "")

    def _run(self, command: list[str], stdin: str) -> None:
        done = subprocess.run(
            command, input=stdin, env=self.env, capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
        if RESULT_MARK in done.stdout:
            results = json.loads(done.stdout.split(RESULT_MARK, 1)[1])
            assert all(result["exit_code"] == 0 for result in results), results

    def start(self) -> None:
        command = [sys.executable, "-m", "quarter_node.cli", "run", "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text(errors="replace")
            try:
                requests.get(self.url + "/about", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"node did not start:\n{self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def tiles() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def coordination(tmp_path_factory: pytest.TempPathFactory, tiles: TileServer) -> Iterator[Node]:
    node = Node(tmp_path_factory.mktemp("coordination"), tiles.origin)
    node.set_up()
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
