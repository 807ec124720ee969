"""Quarter Node against an independent ActivityPub server: a Fedify peer (``fedify/``).

The peer runs on Node.js 22 installed INSIDE ``fedify/`` from the npm registry (the ``node``
package ships the binary), with the exact versions of ``package-lock.json``; ``npm ci`` runs
once when ``node_modules`` is missing or outdated and the result stays in the folder
(git-ignored). Only an unreachable npm registry skips these tests.

Like the multi-node tests, they start their own processes, so ``make test``'s PostgreSQL pass
skips them (``QN_MULTINODE=1`` runs them there too).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.multinode.harness import (
    START_TIMEOUT,
    Node,
    free_port,
    node_folders,
    skip_in_second_pass,
    wait_until,
)

FEDIFY = Path(__file__).resolve().parent / "fedify"
NODE22 = FEDIFY / "node_modules" / "node" / "bin" / "node"
OFFLINE_MARKERS = (
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ETIMEDOUT",
    "ECONNRESET",
    "ENETUNREACH",
)


def _installed() -> bool:
    """node_modules matches package-lock.json (npm ci keeps a copy of the lock in it)."""
    kept = FEDIFY / "node_modules" / ".package-lock.json"
    if not (NODE22.exists() and kept.exists()):
        return False
    wanted = json.loads((FEDIFY / "package-lock.json").read_text())["packages"]
    have = json.loads(kept.read_text())["packages"]
    return all(
        have.get(path, {}).get("version") == info.get("version")
        for path, info in wanted.items()
        if path
    )


def _npm_ci() -> None:
    npm = shutil.which("npm")
    assert npm, "npm is needed to install the Fedify peer (tests/interop/fedify)"
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=FEDIFY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(marker in output for marker in OFFLINE_MARKERS):
            pytest.skip(f"the npm registry is unreachable, cannot install Fedify:\n{output}")
        raise RuntimeError(f"npm ci failed in {FEDIFY}:\n{output}")


@pytest.fixture(scope="session")
def fedify_runtime() -> Path:
    """Node.js 22 with Fedify installed in tests/interop/fedify (``npm ci`` if needed)."""
    skip_in_second_pass()
    # pytest-xdist workers share the folder: one installs, the others wait for it.
    with (FEDIFY / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed():
            _npm_ci()
    version = subprocess.run([NODE22, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v22."), version.stdout
    return NODE22


@dataclass
class FedifyPeer:
    """The Fedify server with its actor ``alice`` and the test API of ``server.mjs``."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    @property
    def actor_uri(self) -> str:
        return f"{self.url}/users/alice"

    @property
    def handle(self) -> str:
        return f"@alice@{self.host}"

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/_test/state")

    def post(self, content: str) -> str:
        return str(self._call("POST", "/_test/post", {"content": content})["id"])

    def follow(self, uri: str) -> str:
        return str(self._call("POST", "/_test/follow", {"uri": uri})["id"])

    def join(self, event_uri: str, organizer: str) -> str:
        """alice signs up for an event: a Join sent to its organiser; returns its id."""
        body = {"uri": event_uri, "organizer": organizer}
        return str(self._call("POST", "/_test/join", body)["id"])

    def lookup(self, uri: str) -> dict[str, Any] | None:
        return self._call("POST", "/_test/lookup", {"uri": uri})["found"]  # type: ignore[no-any-return]

    def _call(self, method: str, path: str, body: dict[str, str] | None = None) -> Any:
        response = requests.request(method, self.url + path, json=body, timeout=30)
        assert response.status_code == 200, f"{path}: {response.text}\n{self.log()}"
        return response.json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def fedify_peer(fedify_runtime: Path) -> Iterator[FedifyPeer]:
    with node_folders("fedify") as root:
        port = free_port()
        log_path = root / "fedify.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [fedify_runtime, "server.mjs", str(port)],
                cwd=FEDIFY,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        peer = FedifyPeer(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
        try:
            wait_until(
                lambda: _answers(peer),
                START_TIMEOUT,
                message=lambda: f"the Fedify peer did not start:\n{peer.log()}",
            )
            yield peer
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _answers(peer: FedifyPeer) -> bool:
    if peer.process.poll() is not None:
        raise RuntimeError(f"the Fedify peer exited:\n{peer.log()}")
    try:
        return requests.get(peer.url + "/_test/state", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.fixture(scope="session")
def quarter_node() -> Iterator[Node]:
    """One real Quarter Node (SQLite) for the interop tests."""
    skip_in_second_pass()
    with node_folders("interop") as root:
        node = Node("q", root / "q")
        try:
            node.set_up("Interop node", spare_members=6)
            node.start()
            yield node
        finally:
            node.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """Show both servers' logs beside a failed interop test."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    args = getattr(item, "funcargs", {})
    if isinstance(node := args.get("quarter_node"), Node):
        report.sections.append(("quarter-node log (last 60 lines)", node.log_tail()))
    if isinstance(peer := args.get("fedify_peer"), FedifyPeer):
        report.sections.append(("fedify log", "\n".join(peer.log().splitlines()[-60:])))
