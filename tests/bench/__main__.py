"""``python -m tests.bench``: delivery throughput and fan-out, on loopback only.

(a) bare signing cost per scheme, then signed deliveries per second per core to a local
    inbox over kept-alive connections: the transport alone, and the whole worker path
    (claim, sign, POST, record) on SQLite;
(b) planning one post to 10,000 followers on 500 hosts, then delivering it with a real
    worker pool to simulated inboxes (fast, slow, hung and dead ones): the time until 95%
    of the live hosts acknowledged, beside the same post to live hosts only;
(c) signed inbox activities accepted per second per core (the receiver's CPU time), on
    SQLite and on PostgreSQL (``QN_BENCH_POSTGRES``, default the ``test_bench`` database;
    empty to skip), beside the bare verification cost.

(d) the network's scale: a coordination node (a real ``quarter-node run``) with 400 member
    quarter nodes (one asyncio process, one loopback origin each) publishing at once:
    activities accepted and processed per second, the node's memory (``network_ingest.py``;
    on PostgreSQL, or SQLite when ``QN_BENCH_POSTGRES`` is empty; ``d-sqlite`` adds SQLite);
(e) search latency over 100,000 aggregated posts of 400 member domains, SQLite FTS5 and
    PostgreSQL (``network_search.py``). Sizes: ``QN_BENCH_NET_NODES``,
    ``QN_BENCH_NET_ACTIVITIES`` (per quarter and round), ``QN_BENCH_NET_ITEMS``.

``python -m tests.bench c`` runs one part; ``c-sqlite`` / ``c-postgresql`` one database (so
do ``d-...`` and ``e-...``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from typing import Any

WORKERS = int(os.environ.get("QN_BENCH_WORKERS", "32"))
POSTGRES = os.environ.get(
    "QN_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench"
)


def make_app(folder: str, **config: Any) -> Any:
    os.environ["QN_INSTANCE_PATH"] = folder
    from quarter_node import create_app
    from quarter_node.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "JOBS_DATABASE": f"{folder}/jobs.db",
            "DEV_MODE": True,
            "JOBS_IMMEDIATE": False,
            "BASE_URL": "http://127.0.0.1:5999",
            "LOG_LEVEL": "ERROR",
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )
    with app.app_context():
        if not app.config["DATABASE_URL"].startswith("sqlite"):
            db.drop_all()  # a fresh schema: earlier runs leave their rows behind
        db.create_all()
    return app


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n## {title}\n")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    sys.stdout.flush()


def main() -> None:
    parts = sys.argv[1:] or ["a", "b", "c", "d", "e"]
    if "a" in parts:
        from tests.bench import throughput

        with tempfile.TemporaryDirectory() as folder:
            app = make_app(folder)
            with app.app_context():
                report("(a) signing and signed deliveries, one thread", throughput.run())
    if "b" in parts:
        from tests.bench import fanout

        with tempfile.TemporaryDirectory() as folder:
            app = make_app(folder)
            with app.app_context():
                planned, delivered = fanout.run(WORKERS)
                report("(b) planning one post to 10,000 followers on 500 hosts", planned)
                report(f"(b) delivering it with {WORKERS} worker threads", delivered)
    databases = {"sqlite": None, "postgresql": POSTGRES or None}
    for name, url in databases.items():
        if {"c", f"c-{name}"} & set(parts) and (name == "sqlite" or url):
            run_inbox(name, url)
    ingest_default = "postgresql" if POSTGRES else "sqlite"  # one database: a minute each
    for name, url in databases.items():
        wanted = f"d-{name}" in parts or ("d" in parts and name == ingest_default)
        if wanted and (name == "sqlite" or url):
            from tests.bench import network_ingest

            title = f"(d) {network_ingest.NODES} quarter nodes publishing into the network, {name}"
            report(title, network_ingest.run(name, url))
    for name, url in databases.items():
        if {"e", f"e-{name}"} & set(parts) and (name == "sqlite" or url):
            from tests.bench import network_search

            with tempfile.TemporaryDirectory() as folder:
                title = f"(e) search over {network_search.ITEMS:,} aggregated items, {name}"
                report(title, network_search.run(folder, name, url))


def run_inbox(name: str, url: str | None) -> None:
    from quarter_node.extensions import db
    from tests.bench import inbox
    from tests.bench.inboxes import free_ports

    (port,) = free_ports(1)
    with tempfile.TemporaryDirectory() as folder:
        config = {"BASE_URL": f"http://127.0.0.1:{port}"}
        if url:
            config["DATABASE_URL"] = url
        app = make_app(folder, **config)
        with app.app_context():
            print(f"(load average {' '.join(f'{n:.1f}' for n in os.getloadavg())})")
            rows = inbox.run(app, port, name)
            report(f"(c) signed inbox activities accepted, {name}", rows)
            db.session.remove()


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"\n(total {time.monotonic() - started:.0f} s)")
