"""The delivery worker: one job per ``Delivery``, retried with backoff, never blocking.

Mastodon's lessons, kept here: claim a row before sending so two workers never send it
twice; spread retries over about two days (16 attempts, ``attempts**4`` seconds plus
jitter); a 410 is final and stops deliveries to that actor; other 4xx except 401/408/429
are final; 429 waits as long as the peer asks; a host that keeps failing is marked
unavailable (``hosts``) so its deliveries wait for a probe instead of tying up workers,
while every other host is served as usual. A periodic sweep re-queues what a crash lost.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from huey import crontab
from sqlalchemy import delete, select, update

from federation.signatures.freshness import parse_http_date
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import claims, hosts, transport
from quarter_node.activitypub.models import Delivery, DeliveryState, PeerHost
from quarter_node.activitypub.outbox import after_commit
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.jobs import job, periodic_job
from quarter_node.social.models import Follow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 16
LEASE = timedelta(minutes=10)  # a claimed delivery is left alone this long
LOST_AFTER = timedelta(minutes=5)  # a due delivery not picked up by then lost its job
MAX_RETRY_AFTER = timedelta(days=1)
SWEEP_BATCH = 1000
_RETRYABLE_4XX = {401, 408, 429}


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: ``n**4 + 15`` seconds plus jitter
    growing with ``n`` (Sidekiq's curve: 16 attempts reach about two days in total)."""
    return timedelta(seconds=attempts**4 + 15 + random.uniform(0, 10) * (attempts + 1))


def enqueue(delivery_ids: Iterable[int], delay: float = 0) -> None:
    """Queue delivery jobs; a queue failure only delays them until the sweep."""
    for delivery_id in delivery_ids:
        try:
            if delay > 0:
                deliver.schedule(args=(delivery_id,), delay=delay)
            else:
                deliver(delivery_id)
        except Exception:  # noqa: BLE001 - the sweep re-queues it; the commit stands
            log.exception("could not queue delivery %s", delivery_id)


@job(retries=0)
def deliver(delivery_id: int) -> None:
    """Run one delivery attempt in its own app context (and so its own session), even when
    the queue runs jobs immediately inside the commit that created them."""
    with current_app.app_context():
        try:
            attempt_delivery(delivery_id)
        finally:
            db.session.remove()


def attempt_delivery(delivery_id: int, now: datetime | None = None) -> None:
    """Claim, send and record one delivery in two short transactions: claim and load
    (committed before any network I/O), then the outcome."""
    now = now or utcnow()
    claimed = claims.claim(delivery_id, now, now + LEASE)
    if claimed is None:
        db.session.commit()
        return
    found = claims.load(claimed)
    host = found if found.host_id is not None else None
    if host is None:
        hosts.ensure_hosts({claimed.host})
    elif not host.available and _deferred(_row(delivery_id), host, now):
        db.session.commit()
        return
    key, body = claims.prepare(claimed, found)
    scheme = host.signature_scheme if host is not None else None
    # No transaction (and no pooled connection) may stay checked out during network I/O:
    # a hung peer would otherwise starve every other worker of database connections.
    db.session.commit()
    if key is None:
        _finish(_row(delivery_id), DeliveryState.FAILED, None, "the sending actor no longer exists")
    else:
        client = transport.thread_client()
        result = transport.post_signed(client, claimed.inbox_url, body, key, claimed.host, scheme)
        if result.status is not None and 200 <= result.status < 300:
            _record_done(claimed, result, host)
        elif (delivery := db.session.get(Delivery, delivery_id)) is not None:
            _record(delivery, result, utcnow(), host)  # else: deleted with its activity
    db.session.commit()


def _row(delivery_id: int) -> Delivery:
    """The ORM row (claimed, so it exists), for outcomes that change several things."""
    delivery = db.session.get(Delivery, delivery_id)
    assert delivery is not None
    return delivery


def _record_done(claimed: claims.Claimed, result: transport.Attempt, host: Any) -> None:
    """A 2xx answer: what ``_record`` and ``_finish`` would set, in one UPDATE."""
    assert result.status is not None
    claims.record_done(claimed, result.status, result.error[:2000], utcnow())
    if hosts.record_success(claimed.host, result.scheme, host):
        _release_host(claimed.host)


def _deferred(delivery: Delivery, host: Any, now: datetime) -> bool:
    """Park the delivery while its host is unavailable (no attempt is spent); the probe
    that finds the host back releases it. One delivery at a time may probe."""
    if host.available:
        return False
    if host.next_probe_at is not None and host.next_probe_at > now:
        delivery.next_attempt_at = host.next_probe_at
        return True
    if hosts.claim_probe(delivery.host, now):
        return False
    row = hosts.get_host(delivery.host)
    delivery.next_attempt_at = (row.next_probe_at if row else None) or now + LEASE
    return True


def _record(delivery: Delivery, result: transport.Attempt, now: datetime, host: Any) -> None:
    """Turn the peer's answer into the delivery's next state and the host's health."""
    delivery.attempts += 1
    delivery.last_status = result.status
    delivery.last_error = result.error[:2000]
    status = result.status
    if status is not None and 200 <= status < 300:
        _finish(delivery, DeliveryState.DONE, result.scheme, known=host)
    elif status == 410:
        _finish(delivery, DeliveryState.GONE, None, "gone")
        _forget_gone_inbox(delivery.inbox_url)
    elif status is not None and 400 <= status < 500 and status not in _RETRYABLE_4XX:
        _finish(delivery, DeliveryState.FAILED, None, f"refused with {status}")
    else:
        _retry_later(delivery, result, now)


def _finish(
    delivery: Delivery,
    state: DeliveryState,
    scheme: str | None,
    error: str = "",
    known: Any = None,
) -> None:
    """A final state; any answer at all shows the host is up."""
    delivery.state = state
    delivery.done_at = utcnow()
    if error:
        delivery.last_error = error
    if delivery.last_status is not None and hosts.record_success(delivery.host, scheme, known):
        _release_host(delivery.host)


def _retry_later(delivery: Delivery, result: transport.Attempt, now: datetime) -> None:
    """Schedule the next attempt, or give up after ``MAX_ATTEMPTS``."""
    if result.status is None or result.status >= 500:
        if hosts.record_failure(delivery.host):
            _park_host(delivery.host)
    if not delivery.last_error:
        delivery.last_error = f"answered {result.status}"
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
        delivery.done_at = now
        return
    wait = _retry_after(result.retry_after, now) if result.status == 429 else None
    wait = wait or retry_delay(delivery.attempts)
    host = hosts.get_host(delivery.host)
    if host is not None and not host.available and host.next_probe_at:
        delivery.next_attempt_at = max(now + wait, host.next_probe_at)
        return  # parked with its host; the probe releases it
    delivery.next_attempt_at = now + wait
    after_commit(lambda: enqueue([delivery.id], delay=wait.total_seconds()))


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date, capped at a day."""
    if not value:
        return None
    value = value.strip()
    try:
        wait = timedelta(seconds=int(value)) if value.isdigit() else parse_http_date(value) - now
    except (ValueError, TypeError):
        return None
    return max(timedelta(seconds=1), min(wait, MAX_RETRY_AFTER))


def _park_host(host: str) -> None:
    """Defer every pending delivery of a host that just became unavailable."""
    probe_at = db.session.scalar(select(PeerHost.next_probe_at).where(PeerHost.host == host))
    db.session.execute(
        update(Delivery)
        .where(Delivery.host == host, Delivery.state == DeliveryState.PENDING)
        .where(Delivery.next_attempt_at < probe_at)
        .values(next_attempt_at=probe_at)
    )


def _release_host(host: str) -> None:
    """The host answered again: everything that waited for it is due now."""
    now = utcnow()
    ids = db.session.scalars(
        select(Delivery.id).where(Delivery.host == host, Delivery.state == DeliveryState.PENDING)
    ).all()
    if ids:
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(next_attempt_at=now))
        after_commit(lambda: enqueue(ids))


def _forget_gone_inbox(inbox_url: str) -> None:
    """A 410 from an actor's own inbox: the account is gone, so it follows nobody here."""
    gone = select(Actor.id).where(Actor.inbox_url == inbox_url, Actor.domain != "")
    db.session.execute(delete(Follow).where(Follow.follower_id.in_(gone)))


@periodic_job(crontab(minute="*"))
def sweep_deliveries() -> None:
    """Every minute: re-queue due deliveries whose job was lost, probe unavailable hosts."""
    with current_app.app_context():
        try:
            enqueue(due_for_sweep(utcnow()))
        finally:
            db.session.remove()


def recover_after_restart(now: datetime | None = None) -> int:
    """Queue again, at once, what a stopped (or killed) process left unfinished.

    Called when ``quarter-node run`` starts its workers on the SQLite queue: no other
    process takes jobs from that queue, so every claim still running (``next_attempt_at``
    pushed by ``LEASE``) belonged to the process that is gone, and jobs it had taken from
    the queue are lost. Without this they would wait for the sweep (lease plus
    ``LOST_AFTER``, up to a quarter of an hour). Deliveries due within a lease are released;
    retries waiting that little longer get their attempt early, which a receiver takes
    as the same activity again (it deduplicates by id). Parked hosts keep waiting for
    their probe. Returns how many deliveries were queued."""
    now = now or utcnow()
    unavailable = select(PeerHost.host).where(PeerHost.available.is_(False))
    waiting = (
        select(Delivery.id)
        .where(Delivery.state == DeliveryState.PENDING, Delivery.next_attempt_at <= now + LEASE)
        .where(Delivery.host.not_in(unavailable))
    )
    ids = list(db.session.scalars(waiting))
    if ids:
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(next_attempt_at=now))
    db.session.commit()
    enqueue(ids)
    return len(ids)


def due_for_sweep(now: datetime) -> list[int]:
    """Lost deliveries on available hosts, plus one probe per host whose probe time came."""
    unavailable = select(PeerHost.host).where(PeerHost.available.is_(False))
    lost = db.session.scalars(
        select(Delivery.id)
        .where(Delivery.state == DeliveryState.PENDING)
        .where(Delivery.next_attempt_at <= now - LOST_AFTER)
        .where(Delivery.host.not_in(unavailable))
        .order_by(Delivery.next_attempt_at)
        .limit(SWEEP_BATCH)
    ).all()
    return list(lost) + _probes(now)


def _probes(now: datetime) -> list[int]:
    probe_hosts = db.session.scalars(
        select(PeerHost.host).where(PeerHost.available.is_(False), PeerHost.next_probe_at <= now)
    ).all()
    probes = []
    for host in probe_hosts:
        first = db.session.scalar(
            select(Delivery.id)
            .where(Delivery.host == host, Delivery.state == DeliveryState.PENDING)
            .order_by(Delivery.id)
            .limit(1)
        )
        if first is not None:
            db.session.execute(
                update(Delivery).where(Delivery.id == first).values(next_attempt_at=now)
            )
            probes.append(first)
    db.session.commit()
    return probes
