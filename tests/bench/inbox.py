"""(c) Signed inbox activities accepted per second per core, on SQLite or PostgreSQL.

The node app is served by waitress (as ``quarter-node run`` serves it) in THIS process; a
load generator in another process pre-signs every activity (draft-cavage, RSA-2048, as
Mastodon signs) before the clock starts and then sends them one after the other over one
kept-alive connection. So ``time.process_time()`` of this process is the receiver's CPU alone:
HTTP server, Flask, verification of signature and digest, origin rules, deduplication,
storing the ``InboxItem``, queueing its job and answering 202.

Variants: ``hot`` (a few actors sending many activities: their keys are parsed once and
then come from the cache), ``cold`` (every activity from an actor this process has not
seen yet: the key is read from the database and parsed, but never fetched) and
``repeat`` (activities delivered a second time: verified, found stored, answered 202).
Beside them, in the same run: the bare verification and a bare request the app refuses
at once (the HTTP server and Flask alone).
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from collections import Counter
from typing import Any

import requests
from waitress import create_server

from federation import vocabulary as v
from federation.signatures import (
    CAVAGE,
    RFC9421,
    HttpMessage,
    SigningKey,
    StaticKeys,
    sign_request,
    verify_request,
)
from federation.signatures.keys import (
    VerificationKey,
    generate_rsa_keypair,
    load_private_key,
    load_public_key,
)
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import ActorKey
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings

HOT_ACTORS, HOT_ACTIVITIES = 20, 1500
COLD_ACTORS = 150  # one activity each; every one needs a fresh RSA key (setup, unmeasured)
BARE = 2000
BARE_REQUESTS = 500
ORIGIN = "http://127.0.0.1:59999"  # the remote server; never contacted (keys are stored)


def _keys(count: int) -> list[tuple[str, str]]:
    return [(pair.private_pem, pair.public_pem) for pair in map(_pair, range(count))]


def _pair(_n: int) -> Any:
    return generate_rsa_keypair()


def store_actors(prefix: str, pems: list[str]) -> list[str]:
    """Remote actors with their keys, as a first fetch would have stored them."""
    uris = []
    for n, pem in enumerate(pems):
        uri = f"{ORIGIN}/users/{prefix}{n}"
        actor = Actor(
            kind=ActorKind.PERSON,
            handle=f"{prefix}{n}",
            uri=uri,
            domain="127.0.0.1:59999",
            inbox_url=f"{uri}/inbox",
            shared_inbox_url=f"{ORIGIN}/inbox",
            fetched_at=utcnow(),
        )
        db.session.add(actor)
        db.session.flush()
        db.session.add(ActorKey(actor_id=actor.id, key_id=f"{uri}#main-key", public_pem=pem))
        uris.append(uri)
    db.session.commit()
    return uris


def activity(actor_uri: str, n: int, tag: str) -> bytes:
    note_id = f"{ORIGIN}/notes/{tag}{n}"
    note = {
        "id": note_id,
        "type": v.NOTE,
        "attributedTo": actor_uri,
        "content": "<p>" + "Flohmarkt im Hof, Samstag ab zehn. " * 20 + "</p>",
        "published": "2026-11-30T10:00:00Z",
        "to": [v.PUBLIC],
        "cc": [f"{actor_uri}/followers"],
    }
    create = {
        "@context": v.AS_NAMESPACE,
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor_uri,
        "object": note,
        "to": note["to"],
        "cc": note["cc"],
    }
    return json.dumps(create).encode()


# --- the load generator (another process) --------------------------------------------------


def _generate(url: str, jobs: list[tuple[str, str, bytes]], ready: Any, go: Any, out: Any) -> None:
    """Sign everything first (not measured), then send it over one kept-alive connection."""
    headers = {"Content-Type": "application/activity+json"}
    keys: dict[str, SigningKey] = {}
    signed = []
    for key_id, private_pem, body in jobs:
        if not key_id:  # a bare request: unsigned, with a content type refused at once
            signed.append((body, {"Content-Type": "text/plain"}))
            continue
        key = keys.setdefault(key_id, SigningKey(key_id, load_private_key(private_pem)))
        message = HttpMessage.build("POST", url, headers, body)
        signed.append((body, headers | sign_request(message, key, CAVAGE)))
    session = requests.Session()
    session.get(url.rsplit("/", 1)[0] + "/bench-warm-up")  # open the connection
    ready.set()
    go.wait()
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for body, sent in signed:
        statuses[session.post(url, data=body, headers=sent).status_code] += 1
    out.put((time.perf_counter() - started, dict(statuses)))


def _send(url: str, jobs: list[tuple[str, str, bytes]]) -> tuple[float, float, dict[int, int]]:
    """(wall seconds, CPU seconds of this process, statuses) for sending ``jobs``."""
    context = multiprocessing.get_context("spawn")
    ready, go, out = context.Event(), context.Event(), context.Queue()
    process = context.Process(target=_generate, args=(url, jobs, ready, go, out), daemon=True)
    process.start()
    if not ready.wait(300):
        raise RuntimeError("load generator did not start")
    cpu = time.process_time()
    go.set()
    wall, statuses = out.get(timeout=600)
    cpu = time.process_time() - cpu
    process.join(10)
    return wall, cpu, statuses


def _bare_verify(url: str, private_pem: str, public_pem: str) -> list[tuple[str, str]]:
    """Verification alone (digest + RSA) as the inbox calls it, with a static key."""
    body = activity(f"{ORIGIN}/users/bare", 0, "bare")
    key_id = f"{ORIGIN}/users/bare#main-key"
    signing = SigningKey(key_id, load_private_key(private_pem))
    lookup = StaticKeys({key_id: VerificationKey(key_id, load_public_key(public_pem))})
    rows = []
    for scheme in (CAVAGE, RFC9421):
        plain = HttpMessage.build("POST", url, {"Content-Type": "application/activity+json"}, body)
        headers = {"Content-Type": "application/activity+json"} | sign_request(
            plain, signing, scheme
        )
        message = HttpMessage.build("POST", url, headers, body)
        cpu = time.process_time()
        for _ in range(BARE):
            verify_request(message, lookup)
        each = (time.process_time() - cpu) / BARE
        rows.append((f"bare verify_request, {scheme}", _rate(each)))
    public = load_public_key(public_pem)
    signature = load_private_key(private_pem).sign(body, *_pkcs1())
    cpu = time.process_time()
    for _ in range(BARE):
        public.verify(signature, body, *_pkcs1())
    rows.append(("bare RSA-2048 verify alone", _rate((time.process_time() - cpu) / BARE)))
    return rows


def _pkcs1() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), hashes.SHA256()


def _rate(seconds_each: float) -> str:
    return f"{1 / seconds_each:,.0f} /s per core ({seconds_each * 1e6:,.0f} µs each)"


def _accepted(label: str, wall: float, cpu: float, statuses: dict[int, int]) -> tuple[str, str]:
    accepted = statuses.get(202, 0)
    others = {k: n for k, n in statuses.items() if k != 202}
    extra = f"; other answers {others}" if others else ""
    if not accepted:
        return label, f"nothing accepted{extra}"
    return label, (
        f"{accepted / cpu:,.0f} /s per core ({cpu / accepted * 1e6:,.0f} µs each), "
        f"{accepted / wall:,.0f} /s wall, {accepted} accepted{extra}"
    )


def run(app: Any, port: int, database: str) -> list[tuple[str, str]]:
    """Serve ``app`` on ``port`` and measure the variants; ``app`` has an app context."""
    from quarter_node.activitypub.models import InboxItem

    update_node_settings(setup_complete=True, name="Benchquartier")
    db.session.commit()
    url = f"http://127.0.0.1:{port}/inbox"
    pairs = _keys(HOT_ACTORS + COLD_ACTORS)
    hot = list(zip(store_actors("hot", [p for _, p in pairs[:HOT_ACTORS]]), pairs, strict=False))
    cold_pairs = pairs[HOT_ACTORS:]
    cold = list(zip(store_actors("cold", [p for _, p in cold_pairs]), cold_pairs, strict=True))
    hot_jobs = [
        (f"{uri}#main-key", private, activity(uri, n, "hot"))
        for n, (uri, (private, _public)) in ((n, hot[n % len(hot)]) for n in range(HOT_ACTIVITIES))
    ]
    cold_jobs = [
        (f"{uri}#main-key", private, activity(uri, n, "cold"))
        for n, (uri, (private, _public)) in enumerate(cold)
    ]
    server = create_server(app, host="127.0.0.1", port=port, threads=8)  # as `quarter-node run`
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    rows = [("database", database), ("activity body", f"{len(hot_jobs[0][2])} bytes")]
    try:
        rows += _bare_verify(url, *pairs[0])
        _wall, cpu, statuses = _send(url, [("", "", b"x")] * BARE_REQUESTS)
        label = "bare request refused at once (415): server + Flask"
        rows.append((label, f"{_rate(cpu / BARE_REQUESTS)}, answers {statuses}"))
        warm = hot_jobs[: len(hot)]  # each hot actor once: keys parsed, connections made
        _send(url, warm)
        rows.append(_accepted("accepted, hot keys (cached)", *_send(url, hot_jobs[len(hot) :])))
        rows.append(_accepted("accepted, cold keys (from the DB, parsed)", *_send(url, cold_jobs)))
        rows.append(_accepted("repeated deliveries (verified, deduplicated)", *_send(url, warm)))
        stored = db.session.scalar(db.select(db.func.count(InboxItem.id)))
        rows.append(("inbox items stored", f"{stored} of {len(hot_jobs) + len(cold_jobs)}"))
    finally:
        server.close()
        thread.join(5)
    return rows
