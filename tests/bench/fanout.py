"""(b) One post to 10,000 followers on 500 hosts: planning, then delivery by a real worker
pool to simulated inboxes, some slow, some hung, some dead."""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import keys, outbox, urls
from quarter_node.activitypub.models import Delivery, DeliveryState
from quarter_node.extensions import db
from quarter_node.jobs import POLLING, huey
from quarter_node.social.models import Follow, FollowState
from tests.bench.inboxes import InboxFarm, Plan, free_ports

HOSTS, FOLLOWERS_PER_HOST = 500, 20
DEAD, HUNG, SLOW, SLOW_DELAY = 25, 10, 40, 2.0
PLAN_RUNS = 5
WAIT_LIMIT = 60.0


def _local(handle: str) -> Actor:
    actor = Actor(kind=ActorKind.PERSON, handle=handle)
    db.session.add(actor)
    db.session.flush()
    keys.ensure_key(actor)
    return actor


def _followers(ports: list[int], followed: list[Actor], per_host: int, prefix: str) -> None:
    """Remote actors (bulk insert) following every actor in ``followed``."""
    now = datetime.now(UTC)
    rows = [
        {
            "kind": ActorKind.PERSON,
            "handle": f"{prefix}{n}",
            "domain": f"127.0.0.1:{port}",
            "uri": f"http://127.0.0.1:{port}/users/{prefix}{n}",
            "inbox_url": f"http://127.0.0.1:{port}/users/{prefix}{n}/inbox",
            "shared_inbox_url": f"http://127.0.0.1:{port}/inbox",
            "created_at": now,
        }
        for port in ports
        for n in range(per_host)
    ]
    ids = db.session.scalars(insert(Actor).returning(Actor.id), rows).all()
    follows = [
        {"follower_id": i, "followed_id": f.id, "state": FollowState.ACCEPTED, "created_at": now}
        for f in followed
        for i in ids
    ]
    db.session.execute(insert(Follow), follows)


def _create(actor: Actor) -> dict[str, Any]:
    return {
        "id": outbox.new_activity_uri("create"),
        "type": "Create",
        "actor": urls.actor_uri(actor),
        "object": {"type": "Note", "content": "<p>Straßenfest am Samstag!</p>"},
    }


def _plan_time(actor: Actor) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of ``outbox.send`` (rolled back each time)."""
    walls, cpus, count = [], [], 0
    for _ in range(PLAN_RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        sent = outbox.send(actor, _create(actor), followers_of=actor, public=True)
        db.session.flush()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        count = db.session.scalar(select(func.count()).where(Delivery.activity_id == sent.id))
        db.session.rollback()
    return sorted(walls)[PLAN_RUNS // 2] * 1000, sorted(cpus)[PLAN_RUNS // 2] * 1000, count


def run(workers: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    ports = free_ports(HOSTS)
    random.Random(7).shuffle(ports)
    hung = ports[DEAD : DEAD + HUNG]  # ports[:DEAD] stay closed: dead hosts
    slow, fast = ports[DEAD + HUNG : DEAD + HUNG + SLOW], ports[DEAD + HUNG + SLOW :]
    live = set(slow) | set(fast)
    anna, bert, carl = _local("anna"), _local("bert"), _local("carl")
    _followers(ports, [anna], FOLLOWERS_PER_HOST, "a")
    _followers(sorted(live), [bert, carl], 1, "b")
    db.session.commit()

    wall, cpu, count = _plan_time(anna)
    planned = [
        ("followers / hosts", f"{HOSTS * FOLLOWERS_PER_HOST:,} / {HOSTS}"),
        ("deliveries planned (shared inboxes)", f"{count}"),
        ("planning time, median of 5 (wall / CPU)", f"{wall:.0f} ms / {cpu:.0f} ms"),
    ]
    farm = InboxFarm(Plan(fast=fast, slow=slow, hung=hung, slow_delay=SLOW_DELAY))
    try:
        # Live hosts only, then all hosts, then live hosts again: the first run also pays
        # for creating the PeerHost rows, so the two baselines bracket the mixed run.
        baseline = _deliver(bert, farm, live, workers)
        mixed = _deliver(anna, farm, live, workers)
        again = _deliver(carl, farm, live, workers)
    finally:
        farm.stop()
    db.session.execute(update(Actor).where(Actor.domain != "").values(shared_inbox_url=""))
    db.session.commit()
    wall, cpu, count = _plan_time(anna)
    planned += [
        ("deliveries planned (no shared inboxes)", f"{count:,}"),
        ("planning time, median of 5 (wall / CPU)", f"{wall:.0f} ms / {cpu:.0f} ms"),
    ]
    delivered = [
        (
            "hosts: fast / slow (2 s) / hung (never answer) / dead (refused)",
            f"{len(fast)} / {len(slow)} / {HUNG} / {DEAD}",
        ),
        ("1st post, live hosts only: time to 95% / 100% of them acknowledged", baseline),
        ("2nd post, all 500 hosts: time to 95% / 100% of the live ones acknowledged", mixed),
        ("3rd post, live hosts only: time to 95% / 100% of them acknowledged", again),
    ]
    return planned, delivered


def _deliver(actor: Actor, farm: InboxFarm, live: set[int], workers: int) -> str:
    """Commit the post, let the worker pool deliver, time the live hosts' acknowledgements."""
    farm.acks()
    consumer = huey.create_consumer(workers=workers, periodic=False, **POLLING)  # as deployed
    consumer.start()
    try:
        outbox.send(actor, _create(actor), followers_of=actor, public=True)
        started = time.monotonic()
        db.session.commit()
        acked: dict[int, float] = {}
        while time.monotonic() - started < WAIT_LIMIT and len(acked) < len(live):
            for port, moment in farm.acks():
                acked.setdefault(port, moment - started)
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=False)
    times = sorted(acked[p] for p in acked if p in live)
    if os.environ.get("QN_BENCH_HISTOGRAM"):
        print("acks per second:", [sum(1 for t in times if int(t) == n) for n in range(30)])
    p95 = times[int(len(live) * 0.95) - 1] if len(times) >= len(live) * 0.95 else float("nan")
    done = db.session.scalar(select(func.count()).where(Delivery.state == DeliveryState.DONE))
    full = (
        f"{times[-1]:.1f} s"
        if len(times) == len(live)
        else f"{len(times)}/{len(live)} in {WAIT_LIMIT:.0f} s"
    )
    return f"{p95:.1f} s / {full} ({done} deliveries done so far)"
