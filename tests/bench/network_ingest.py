"""(d) A coordination node ingesting what 400 quarter nodes publish at once.

The coordination node is a real ``quarter-node run`` process (web server and job workers in
one process, as deployed; ``tests.multinode.harness.Node``), set up through the CLI, role
``coordination``, with every simulated quarter registered as an approved member
(``network_nodes`` rows written directly, as the join protocol or ``network add`` would).
The quarters are one asyncio process (``senders.py``): each its own origin on loopback.

Two rounds, each sending ``QN_BENCH_NET_ACTIVITIES`` public ``Create(Note)`` per quarter:

1. *new senders*: the node has never seen these actors; the first signature of each makes
   it fetch the actor document (on the request path), later ones find the key stored.
2. *known senders*: the same again, keys and actors stored.

In both rounds nobody on the node follows the authors: the worker keeps each post because
its author is on an approved member node (the network plugin's answer to the core's
``quarter_keeps_public_content``), stores it and indexes it for search.

Measured per round: activities answered 202 per second (first request sent to last answer),
processed per second (until the worker has applied the last one), the node's CPU seconds per
activity and its memory (``/proc``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.pool import NullPool

from federation.signatures.keys import generate_rsa_keypair
from tests.bench.german import QUARTERS, TOPICS
from tests.bench.inboxes import free_ports
from tests.bench.senders import SenderFarm
from tests.multinode.harness import PROJECT_ROOT, Node

NODES = int(os.environ.get("QN_BENCH_NET_NODES", "400"))
ACTIVITIES = int(os.environ.get("QN_BENCH_NET_ACTIVITIES", "5"))  # per quarter and round
# > 0: the node runs `quarter-node run --workers 0` beside a `quarter-node worker` process
# with this many threads, as a busy coordination node should be deployed.
WORKER_PROCESS = int(os.environ.get("QN_BENCH_NET_WORKER_PROCESS", "0"))
KEYS = 20  # distinct RSA key pairs, shared round-robin (each costs 50 ms to generate)
PROCESS_LIMIT = 300.0


def reset_postgres(url: str) -> None:
    """An empty database: the node's migrations build it as on a fresh install."""
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _register_members(engine: Any, ports: list[int]) -> None:
    from plugins.network.models import NetworkNode

    now = datetime.now(UTC)
    rows = [
        {
            "domain": f"127.0.0.1:{port}",
            "actor_uri": f"http://127.0.0.1:{port}/actor",
            "inbox_url": f"http://127.0.0.1:{port}/inbox",
            "status": "approved",
            "name": f"Initiative {n}",
            "quarter": QUARTERS[n % len(QUARTERS)],
            "topics": ",".join({TOPICS[n % len(TOPICS)], TOPICS[(n * 7) % len(TOPICS)]}),
            "applied_at": now,
            "decided_at": now,
        }
        for n, port in enumerate(ports)
    ]
    with engine.begin() as conn:
        conn.execute(insert(NetworkNode), rows)


def _proc(pid: int) -> tuple[float, int, int]:
    """(CPU seconds, resident kB, peak resident kB) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return cpu, int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])


def _usage(pids: list[int]) -> tuple[float, int, int]:
    """``_proc`` summed over the node's processes."""
    found = [_proc(pid) for pid in pids]
    return tuple(sum(values) for values in zip(*found, strict=True))  # type: ignore[return-value]


def _start_worker(node: Node, folder: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "quarter_node.cli", "worker", "--workers"]
    with open(Path(folder) / "worker.log", "ab") as log:
        return subprocess.Popen(
            [*command, str(WORKER_PROCESS)],
            env=node.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _settle(pid: int, limit: float = 30.0) -> None:
    """Wait until a started process is done importing (idle: almost no CPU for a second)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        cpu = _proc(pid)[0]
        time.sleep(1)
        if _proc(pid)[0] - cpu < 0.05:
            return


def _counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        query = text("SELECT state, count(*) FROM inbox_items GROUP BY state")
        states = {state: count for state, count in conn.execute(query)}
        states["posts"] = conn.scalar(text("SELECT count(*) FROM posts WHERE uri IS NOT NULL"))
    return states


def _round(farm: SenderFarm, engine: Any, tag: str, pids: list[int]) -> dict[str, Any]:
    """Send one round; wait until the worker has applied every stored activity."""
    before = _counts(engine)
    farm.prepare(tag, ACTIVITIES)
    cpu = _usage(pids)[0]
    farm.go()
    sent: dict[str, Any] | None = None
    started = time.monotonic()
    done_at = None
    while time.monotonic() - started < PROCESS_LIMIT:
        if sent is None and farm.pipe.poll(0):
            sent = farm.result()
        counts = _counts(engine)
        if sent is not None and counts.get("pending", 0) == 0:
            done_at = time.monotonic()
            break
        time.sleep(0.1)
    if sent is None:
        sent = farm.result()
    after = _counts(engine)
    return {
        "sent": sent,
        "done_at": done_at,
        "cpu": _usage(pids)[0] - cpu,
        "delta": {k: after.get(k, 0) - before.get(k, 0) for k in after},
    }


def _rows(label: str, measured: dict[str, Any], total: int) -> list[tuple[str, str]]:
    sent, delta = measured["sent"], measured["delta"]
    accepted = sent["statuses"].get(202, 0)
    others = {k: n for k, n in sent["statuses"].items() if k != 202}
    accept_wall = sent["finished"] - sent["started"]
    rows = [
        (
            f"{label}: accepted by the inbox (202)",
            f"{accepted / accept_wall:,.0f} /s wall ({accepted} of {total} in {accept_wall:.1f} s"
            f"{f'; other answers {others}' if others else ''}); answer latency p50 "
            f"{sent['p50'] * 1000:,.0f} ms, p95 {sent['p95'] * 1000:,.0f} ms",
        )
    ]
    processed = sum(delta.get(s, 0) for s in ("done", "ignored", "failed"))
    if measured["done_at"] is None:
        rows.append((f"{label}: processed by the worker", f"{processed} of {accepted} in time"))
    else:
        wall = measured["done_at"] - sent["started"]
        rows.append(
            (
                f"{label}: processed by the worker (end to end)",
                f"{processed / wall:,.0f} /s wall ({processed} in {wall:.1f} s: done "
                f"{delta.get('done', 0)}, ignored {delta.get('ignored', 0)}, failed "
                f"{delta.get('failed', 0)}; posts stored {delta.get('posts', 0)})",
            )
        )
    rows.append(
        (f"{label}: node CPU per activity", f"{measured['cpu'] / max(accepted, 1) * 1000:.1f} ms")
    )
    return rows


def run(database: str, url: str | None) -> list[tuple[str, str]]:
    """Set up the coordination node on ``url`` (SQLite when ``None``), send two rounds."""
    pems = [(p.private_pem, p.public_pem) for p in (generate_rsa_keypair() for _ in range(KEYS))]
    with tempfile.TemporaryDirectory() as folder:
        if url:
            reset_postgres(url)
        node = Node("coordination", Path(folder), url)
        node.set_up("Landesnetzwerk Nachbarschaft")
        node.cli(["plugins", "set", "network", "role", "coordination"])
        engine = create_engine(node.database_url, poolclass=NullPool)
        ports = [p for p in free_ports(NODES + 1) if p != node.port][:NODES]
        _register_members(engine, ports)
        farm = SenderFarm(node.host, ports, pems)
        worker = None
        if WORKER_PROCESS:
            node.env["QN_WORKER_THREADS"] = "0"
        node.start()
        try:
            assert node.process is not None
            pids = [node.process.pid]
            if WORKER_PROCESS:
                worker = _start_worker(node, folder)
                pids.append(worker.pid)
                _settle(worker.pid)
            idle = _usage(pids)
            first = _round(farm, engine, "a", pids)
            second = _round(farm, engine, "b", pids)
            _cpu, rss, peak = _usage(pids)
            errors = node.log().count("Traceback")
            if WORKER_PROCESS:
                worker_log = (Path(folder) / "worker.log").read_text(errors="replace")
                errors += worker_log.count("Traceback")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(15)
            farm.stop()
            node.stop()
            engine.dispose()
    total = NODES * ACTIVITIES
    return [
        ("database", database),
        ("quarter nodes (senders) / activities per quarter and round", f"{NODES} / {ACTIVITIES}"),
        (
            "job workers",
            f"a `quarter-node worker` process, {WORKER_PROCESS} threads (memory and CPU: both)"
            if WORKER_PROCESS
            else "in the node process (`quarter-node run`, default threads)",
        ),
        *_rows("round 1, new senders, posts kept", first, total),
        *_rows("round 2, known senders, posts kept", second, total),
        (
            "node memory (resident): idle / after both rounds / peak",
            f"{idle[1] / 1024:.0f} / {rss / 1024:.0f} / {peak / 1024:.0f} MB",
        ),
        ("tracebacks in the node's log", str(errors)),
    ]
