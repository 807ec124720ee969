"""A real node process and a real browser (Playwright driving Debian's Chromium).

The node runs exactly as ``make run`` starts it (``quarter-node run``), on a free loopback port,
with a fresh instance folder and the database the suite runs on.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

CHROMIUM = os.environ.get("QN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SETUP_LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/setup\?token=[\w-]+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_database_url(tmp_path: Path) -> str:
    configured = os.environ.get("QN_TEST_DATABASE", "sqlite")
    if configured == "sqlite":
        return f"sqlite:///{tmp_path / 'node.db'}"
    url = make_url(configured)
    # Parallel workers (pytest-xdist) each start their own node: one database each.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{url.database}_browser" + (f"_{worker}" if worker else "")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class LiveNode:
    url: str
    setup_link: str
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def live_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNode]:
    """Start ``quarter-node run`` on a fresh instance and wait until it answers."""
    tmp = tmp_path_factory.mktemp("live-node")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "QN_INSTANCE_PATH": str(tmp / "instance"),
        "QN_DATABASE_URL": _fresh_database_url(tmp),
        "QN_DEV_MODE": "1",
        "QN_BASE_URL": url,
        "QN_LOG_LEVEL": "INFO",
    }
    env.pop("QN_REDIS_URL", None)
    log_path = tmp / "node.log"
    command = [sys.executable, "-m", "quarter_node.cli", "run", "--port", str(port)]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
    try:
        setup_link = _wait_for_node(url, log_path, process)
        yield LiveNode(url=url, setup_link=setup_link, process=process, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_node(url: str, log_path: Path, process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"node exited early:\n{log_path.read_text()}")
        match = SETUP_LINK_RE.search(log_path.read_text(errors="replace"))
        if match:
            try:
                requests.get(url + "/about", timeout=2, allow_redirects=False)
                return match.group(1)
            except requests.ConnectionError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"node did not start:\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Contexts:
    """Opens browser contexts (one per person: own cookies) and closes them afterwards.

    Every context runs like an old phone in Germany: German first, no JavaScript (the app
    must work without it), a narrow screen. Answers with a 5xx status are collected: a
    test that saw one fails, whatever it asserted.
    """

    browser: object
    opened: list[object]
    server_errors: list[str]

    def new(self, *, viewport: dict[str, int] | None = None, **options: object):  # noqa: ANN201
        context = self.browser.new_context(  # type: ignore[attr-defined]
            locale="de-DE",
            timezone_id="Europe/Berlin",
            java_script_enabled=False,
            viewport=viewport or PHONE,
            **options,
        )
        context.set_default_timeout(10_000)
        context.on("response", self._watch)
        self.opened.append(context)
        return context

    def _watch(self, response) -> None:  # noqa: ANN001
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")


@pytest.fixture
def contexts(browser: object) -> Iterator[Contexts]:
    opened = Contexts(browser=browser, opened=[], server_errors=[])
    yield opened
    for context in opened.opened:
        context.close()  # type: ignore[attr-defined]
    if opened.server_errors:
        pytest.fail("the node answered with a server error:\n" + "\n".join(opened.server_errors))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """Show the end of the node's log beside a failed browser test (its tracebacks)."""
    outcome = yield
    report = outcome.get_result()
    node = getattr(item, "funcargs", {}).get("live_node")
    if report.failed and isinstance(node, LiveNode):
        tail = "\n".join(node.log().splitlines()[-80:])
        report.sections.append(("quarter-node log (last 80 lines)", tail))


@pytest.fixture
def screenshot():  # noqa: ANN201
    """Save a full-page screenshot into test-artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:  # noqa: ANN001
        path = ARTIFACTS / f"{name}.png"
        page.evaluate("() => document.activeElement?.blur()")  # no stray focus ring
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
