"""One demo node: a ``quarter-node run`` process on a loopback port with its own SQLite
database and instance folder, and the commands an admin would type against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import requests

from quarter_node.cli_batch import RESULT_MARK

T = TypeVar("T")

START_TIMEOUT = 90.0  # Python, the app and every migration on a fresh database
INSTANCE_CONFIG = (
    "# Written by the demo: quick password hashes, this node is thrown away afterwards.\n"
    'ARGON2_PROFILE = "cheapest"\n'
)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CommandFailed(RuntimeError):
    """A ``quarter-node`` command of the demo ended with an error."""


def poll(check: Callable[[], T], timeout: float, interval: float = 0.3) -> T | None:
    """``check()`` again and again until it answers something true (returned) or
    ``timeout`` seconds passed (``None``): deliveries between the nodes take a moment."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)
    return result


class DemoNode:
    """A node of the demo network; ``folder`` holds its database, instance and log."""

    def __init__(self, name: str, folder: Path, port: int) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.host = f"127.0.0.1:{port}"
        self.folder = folder
        self.log_path = folder / "node.log"
        self.process: subprocess.Popen[bytes] | None = None
        instance = folder / "instance"
        instance.mkdir(parents=True, exist_ok=True)
        (instance / "quarter_node.cfg").write_text(INSTANCE_CONFIG)
        self.env = _environment(instance, folder / "node.db", self.url)

    def cli(self, *commands: list[str], check: bool = True) -> list[dict]:
        """Run ``quarter-node`` commands against this node in one process; their results
        (``exit_code``, ``output``). ``check``: raise ``CommandFailed`` if one failed."""
        done = subprocess.run(
            [sys.executable, "-m", "quarter_node.cli_batch"],
            input=json.dumps([list(command) for command in commands]),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        marked = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
        if not marked:
            raise CommandFailed(f"{self.name}: quarter-node failed:\n{done.stdout}{done.stderr}")
        results: list[dict] = json.loads(marked[-1][len(RESULT_MARK) :])
        if check:
            self.raise_first_failure(results)
        return results

    def raise_first_failure(self, results: list[dict]) -> None:
        """``CommandFailed`` for the first of ``results`` that ended with an error."""
        failed = [result for result in results if result["exit_code"] != 0]
        if failed:
            raise CommandFailed(
                f"{self.name}: quarter-node {' '.join(failed[0]['args'])}:\n{failed[0]['output']}"
            )

    def start(self) -> None:
        command = [sys.executable, "-m", "quarter_node.cli", "run", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_until_up(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped; see {self.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start in time; see {self.log_path}")
            time.sleep(0.3)

    def answers(self) -> bool:
        try:
            requests.get(self.url + "/about", timeout=2, allow_redirects=False)
        except requests.RequestException:
            return False
        return True

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the node as Ctrl-C does (SIGTERM: requests finished, workers stopped)."""
        if not self.running():
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _environment(instance: Path, database: Path, url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("QN_")}
    env.update(
        QN_INSTANCE_PATH=str(instance),
        QN_DATABASE_URL=f"sqlite:///{database}",
        QN_BASE_URL=url,
        # development mode: plain http and loopback addresses may federate
        QN_DEV_MODE="1",
        # every demo person logs in from 127.0.0.1
        QN_RATELIMIT_LOGIN="10000 per minute",
        PYTHONUNBUFFERED="1",
    )
    return env
