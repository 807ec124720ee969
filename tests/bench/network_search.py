"""(e) Search latency on a coordination node holding 100,000 aggregated posts.

The database is built by the migrations (so SQLite gets its FTS5 table and triggers,
PostgreSQL its generated ``tsvector`` column with the GIN index), then filled in bulk:
400 member domains (``network_nodes`` rows, approved, with quarter and topics), five people
on each, and ``QN_BENCH_NET_ITEMS`` public posts of German announcements spread over a
year. The posts are indexed as ``quarter-node search reindex`` indexes them (the same
``post_document``), written in batches rather than one statement pair per post.

Each of 20 realistic German queries runs ``ROUNDS`` times (after one warm-up pass) through
the core's search service as a visitor sees it (``run_search``: each owner's visibility
rule applied in SQL, first page of 20 with snippets), then with a date range, then as the
network's search page answers a visitor filtering by one quarter or one topic (the page
turns them into member domains, ``author_domains``), rendered through Flask. Plus the whole
``/search`` page.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from random import Random
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, text

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility
from quarter_node.search.models import SearchEntry
from quarter_node.search.posts import post_document
from quarter_node.search.services import SearchRequest, run_search
from tests.bench.german import QUARTERS, QUERIES, TOPICS, post_html

ITEMS = int(os.environ.get("QN_BENCH_NET_ITEMS", "100000"))
DOMAINS = int(os.environ.get("QN_BENCH_NET_NODES", "400"))
PEOPLE = 5  # per member domain
ROUNDS = 3
BUDGET = float(os.environ.get("QN_BENCH_NET_SEARCH_SECONDS", "6"))  # per variant
BATCH = 5000


def _app(folder: str, url: str | None) -> Any:
    """A node on a freshly migrated database (the full-text objects come from migrations)."""
    from flask_migrate import upgrade

    from tests.bench.__main__ import make_app
    from tests.bench.network_ingest import reset_postgres

    if url:
        reset_postgres(url)
    app = make_app(folder, DATABASE_URL=url or f"sqlite:///{folder}/search.db")
    with app.app_context():
        db.session.remove()
        db.drop_all()  # make_app's create_all cannot build the full-text objects
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        with contextlib.redirect_stderr(io.StringIO()):  # alembic logs every revision
            upgrade(revision="heads")
    return app


def _members() -> list[int]:
    """Member domains with their people; the people's actor ids."""
    from plugins.network.models import NetworkNode

    now = datetime.now(UTC)
    domains = [f"q{n:03d}.quartiere.example" for n in range(DOMAINS)]
    db.session.execute(
        insert(NetworkNode),
        [
            {
                "domain": domain,
                "actor_uri": f"https://{domain}/actor",
                "status": "approved",
                "quarter": QUARTERS[n % len(QUARTERS)],
                "topics": ",".join({TOPICS[n % len(TOPICS)], TOPICS[(n * 7) % len(TOPICS)]}),
                "applied_at": now,
                "decided_at": now,
            }
            for n, domain in enumerate(domains)
        ],
    )
    people = [
        {
            "kind": ActorKind.PERSON,
            "handle": f"person{p}",
            "domain": domain,
            "uri": f"https://{domain}/users/person{p}",
            "inbox_url": f"https://{domain}/users/person{p}/inbox",
            "fetched_at": now,
            "created_at": now,
        }
        for domain in domains
        for p in range(PEOPLE)
    ]
    ids = db.session.scalars(insert(Actor).returning(Actor.id), people).all()
    db.session.commit()
    return list(ids)


def _fill(authors: list[int]) -> tuple[float, float]:
    """Insert the posts, then index them; (seconds inserting, seconds indexing)."""
    rng, now = Random(5), datetime.now(UTC)
    started = time.perf_counter()
    for first in range(0, ITEMS, BATCH):
        rows = [
            {
                "author_id": rng.choice(authors),
                "visibility": Visibility.PUBLIC,
                "source": "",
                "content_html": post_html(rng),
                "language": "de",
                "uri": f"https://bench.example/posts/{n}",
                "url": f"https://bench.example/posts/{n}",
                "created_at": now - timedelta(minutes=rng.randint(0, 525_600)),
            }
            for n in range(first, min(first + BATCH, ITEMS))
        ]
        db.session.execute(insert(Post.__table__), rows)
    db.session.commit()
    inserted = time.perf_counter()
    columns = (Post.id, Post.content_html, Post.language, Post.created_at, Post.author_id)
    rows = db.session.execute(select(*columns, Post.group_id).order_by(Post.id)).all()
    for first in range(0, len(rows), BATCH):
        documents = [_entry(row) for row in rows[first : first + BATCH]]
        db.session.execute(insert(SearchEntry.__table__), documents)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would soon after such a load
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return inserted - started, time.perf_counter() - inserted


def _entry(row: Any) -> dict[str, Any]:
    document = post_document(SimpleNamespace(**row._asdict()))  # type: ignore[arg-type]
    return {
        "kind": document.kind,
        "object_id": document.object_id,
        "url": document.url,
        "title": document.title[:500],
        "text": document.text,
        "language": document.language,
        "created_at": document.created_at,
        "author_id": document.author_id,
        "group_id": document.group_id,
    }


def _latencies(search: Callable[[str], Any]) -> tuple[str, int]:
    """p50 / p95 / max in ms over up to ROUNDS passes of every query, as many passes as fit
    in ``BUDGET`` seconds (at least one: a slow variant is measured, not skipped)."""
    times, empty, per_query, passes = [], 0, {}, 0
    started_all = time.perf_counter()
    while passes < ROUNDS and (not passes or time.perf_counter() - started_all < BUDGET):
        passes += 1
        for query in QUERIES:
            started = time.perf_counter()
            found = search(query)
            took = (time.perf_counter() - started) * 1000
            times.append(took)
            per_query[query] = max(per_query.get(query, 0.0), took)
            empty += not found
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    slowest = max(per_query, key=per_query.__getitem__)
    figures = (
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
        f"({len(times)} searches; slowest query: {slowest!r})"
    )
    return figures, empty // passes


def _variants(app: Any) -> list[tuple[str, Callable[[str], Any]]]:

    month_ago = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    client = app.test_client()
    return [
        ("plain search (visitor)", lambda q: run_search(SearchRequest(query=q), None).hits),
        (
            "with a date range (last 30 days)",
            lambda q: run_search(SearchRequest(query=q, date_from=month_ago), None).hits,
        ),
        (
            "network search, one quarter (/network/search?quarter=..., rendered)",
            lambda q: (
                client.get(
                    "/network/search", query_string={"q": q, "quarter": QUARTERS[3]}
                ).status_code
                == 200
            ),
        ),
        (
            "network search, one topic (/network/search?topic=..., rendered)",
            lambda q: (
                client.get("/network/search", query_string={"q": q, "topic": TOPICS[1]}).status_code
                == 200
            ),
        ),
        (
            "whole /search page (HTTP through Flask, rendered)",
            lambda q: client.get("/search", query_string={"q": q}).status_code == 200,
        ),
    ]


def run(folder: str, database: str, url: str | None) -> list[tuple[str, str]]:
    app = _app(folder, url)
    with app.app_context(), app.test_request_context():
        from quarter_node.node.services import update_node_settings
        from quarter_node.plugins.services import save_plugin_settings_by_operator

        update_node_settings(setup_complete=True, name="Landesnetzwerk")
        save_plugin_settings_by_operator("network", {"role": "coordination"})
        db.session.commit()
        authors = _members()
        inserting, indexing = _fill(authors)
        rows = [
            ("database", database),
            ("posts / member domains / authors", f"{ITEMS:,} / {DOMAINS} / {len(authors):,}"),
            ("bulk insert of the posts / indexing them", f"{inserting:.1f} s / {indexing:.1f} s"),
            (
                "queries",
                f"{len(QUERIES)} German queries, up to {ROUNDS} passes each (within "
                f"{BUDGET:.0f} s per line) after one warm-up pass",
            ),
        ]
        variants = _variants(app)
        for query in QUERIES:  # one warm-up pass: the index's pages into the caches
            variants[0][1](query)
        for label, search in variants:
            latency, empty = _latencies(search)
            rows.append((label, latency + (f" ({empty} queries found nothing)" if empty else "")))
        db.session.remove()
    return rows
