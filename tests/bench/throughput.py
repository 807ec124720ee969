"""(a) What one core achieves: bare signatures, then signed POSTs over a kept-alive
connection (transport alone, and the full worker path with the database: for a new
activity per delivery, and for one activity fanned out to many inboxes)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from federation.signatures import CAVAGE, RFC9421, HttpMessage, sign_request
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import delivery, keys, outbox, transport, urls
from quarter_node.extensions import db
from tests.bench.inboxes import InboxFarm, Plan, free_ports

SIGNATURES = 500
POSTS = 1000
WORKER_POSTS = 300


def _measure(count: int, action: Callable[[int], Any]) -> tuple[float, float]:
    """(operations per wall second, operations per CPU second of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        action(n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return count / wall, count / cpu


def _body(actor: Actor) -> bytes:
    note = {
        "id": "http://127.0.0.1:5999/posts/1",
        "type": "Note",
        "attributedTo": urls.actor_uri(actor),
        "content": "<p>" + "Flohmarkt im Hof, Samstag ab zehn. " * 20 + "</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [urls.followers_uri(actor)],
    }
    create = {"id": outbox.new_activity_uri("create"), "type": "Create", "object": note}
    return json.dumps(create).encode()


def run() -> list[tuple[str, str]]:
    anna = Actor(kind=ActorKind.PERSON, handle="anna")
    db.session.add(anna)
    db.session.flush()
    key = keys.signing_key(anna)
    db.session.commit()
    body = _body(anna)
    (port,) = free_ports(1)
    inbox, host = f"http://127.0.0.1:{port}/inbox", f"127.0.0.1:{port}"
    rows = [("activity body", f"{len(body)} bytes"), ("key", "RSA-2048")]
    headers = {"Content-Type": "application/activity+json"}
    message = HttpMessage.build("POST", inbox, headers, body)
    for scheme in (RFC9421, CAVAGE):
        _wall, per_cpu = _measure(
            SIGNATURES, lambda _n, scheme=scheme: sign_request(message, key, scheme)
        )
        each = f"{per_cpu:,.0f} /s per core ({1e6 / per_cpu:.0f} µs each)"
        rows.append((f"bare signing, {scheme}", each))
    farm = InboxFarm(Plan(fast=[port], slow=[], hung=[]))
    try:
        client = transport.new_client()
        transport.post_signed(client, inbox, body, key, host, RFC9421)  # open the connection
        wall, per_cpu = _measure(
            POSTS, lambda _n: transport.post_signed(client, inbox, body, key, host, RFC9421)
        )
        rows.append(
            (
                "signed POSTs (transport), kept alive",
                f"{per_cpu:,.0f} /s per core, {wall:,.0f} /s wall",
            )
        )
        rows.append(
            (
                "connection pools used (one per host)",
                str(len(client.session.adapters["http://"].poolmanager.pools)),
            )
        )
        ids = _planned_deliveries(anna, inbox, WORKER_POSTS)
        wall, per_cpu = _measure(len(ids), lambda n: delivery.attempt_delivery(ids[n]))
        rows.append(
            (
                "full worker path, a new activity each time (SQLite)",
                f"{per_cpu:,.0f} /s per core, {wall:,.0f} /s wall",
            )
        )
        ids = _fanned_out(anna, port, WORKER_POSTS)
        wall, per_cpu = _measure(len(ids), lambda n: delivery.attempt_delivery(ids[n]))
        rows.append(
            (
                f"full worker path, one activity to {WORKER_POSTS} inboxes (SQLite)",
                f"{per_cpu:,.0f} /s per core, {wall:,.0f} /s wall",
            )
        )
        acked = len(farm.acks())
        rows.append(("acknowledged by the inbox", f"{acked} of {POSTS + 2 * WORKER_POSTS + 1}"))
    finally:
        farm.stop()
    return rows


def _rates(per_cpu: float, wall: float) -> str:
    return f"{per_cpu:,.0f} /s per core, {wall:,.0f} /s wall"


def _planned_deliveries(actor: Actor, inbox: str, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        activity = {
            "id": outbox.new_activity_uri("like"),
            "type": "Like",
            "actor": urls.actor_uri(actor),
        }
        outbox.send(actor, activity, inboxes=[inbox])
        ids.extend(db.session.info.pop(outbox._PENDING_KEY))  # run below, not by a queue
    db.session.commit()
    return ids


def _fanned_out(actor: Actor, port: int, count: int) -> list[int]:
    """One activity to ``count`` personal inboxes on the same server (one connection)."""
    activity = {
        "id": outbox.new_activity_uri("like"),
        "type": "Like",
        "actor": urls.actor_uri(actor),
    }
    inboxes = [f"http://127.0.0.1:{port}/users/{n}/inbox" for n in range(count)]
    outbox.send(actor, activity, inboxes=inboxes)
    ids = list(db.session.info.pop(outbox._PENDING_KEY))  # run below, not by a queue
    db.session.commit()
    return ids
