"""The delivery worker against real loopback inboxes: outcomes, retries, hosts, sweep."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from federation.signatures import CAVAGE, RFC9421
from quarter_node.activitypub import delivery, hosts, outbox, urls
from quarter_node.activitypub.models import Delivery, DeliveryState, PeerHost
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.jobs import huey
from quarter_node.social.models import Follow
from tests.activitypub.delivery.conftest import follow, remote_actor
from tests.activitypub.delivery.receiver import Receiver, free_port


def _send(actor, *recipients) -> list[Delivery]:  # noqa: ANN001
    activity = {
        "id": outbox.new_activity_uri("like"),
        "type": "Like",
        "actor": urls.actor_uri(actor),
        "object": "http://example.invalid/notes/1",
    }
    sent = outbox.send(actor, activity, recipients=recipients)
    db.session.commit()
    return list(db.session.scalars(select(Delivery).where(Delivery.activity_id == sent.id)))


def _reload(row: Delivery) -> Delivery:
    db.session.expire_all()
    return db.session.get(Delivery, row.id)


def _host(name: str) -> PeerHost:
    db.session.expire_all()
    return db.session.scalar(select(PeerHost).where(PeerHost.host == name))


def _make_due(row: Delivery) -> None:
    db.session.get(Delivery, row.id).next_attempt_at = utcnow()
    db.session.commit()


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    actor = factories.user("anna").actor
    key_ring.trust(actor)
    return actor


def test_success_marks_done_and_remembers_the_scheme(anna, receivers):
    inbox = receivers()
    (row,) = _send(anna, remote_actor(inbox.host))

    row = _reload(row)
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.DONE, 1, 202)
    assert inbox.received[0].scheme == RFC9421
    peer = _host(inbox.host)
    assert peer.signature_scheme == RFC9421 and peer.last_success_at is not None


def test_a_401_to_rfc9421_is_retried_with_cavage_and_remembered(anna, receivers):
    inbox = receivers()
    inbox.script.refuse_schemes = {RFC9421}
    friend = remote_actor(inbox.host)
    _send(anna, friend)
    _send(anna, friend)

    assert inbox.attempts == [("/inbox", 401), ("/inbox", 202), ("/inbox", 202)]
    assert [r.scheme for r in inbox.received] == [CAVAGE, CAVAGE]
    assert _host(inbox.host).signature_scheme == CAVAGE


def test_server_errors_are_retried_later_with_the_error_kept(anna, receivers):
    inbox = receivers()
    inbox.script.statuses["/inbox"] = [503]
    before = utcnow()
    (row,) = _send(anna, remote_actor(inbox.host))

    row = _reload(row)
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.PENDING, 1, 503)
    assert "503" in row.last_error
    assert before + timedelta(seconds=16) <= row.next_attempt_at <= utcnow() + timedelta(seconds=37)
    assert huey.scheduled(), "the retry is scheduled on the queue"


def test_backoff_spreads_sixteen_attempts_over_about_two_days():
    delays = [delivery.retry_delay(n).total_seconds() for n in range(1, delivery.MAX_ATTEMPTS)]
    assert delays == sorted(delays)
    assert 16 <= delays[0] <= 36
    total = sum(delays)
    assert timedelta(days=1.8) < timedelta(seconds=total) < timedelta(days=2.5)
    jittered = {round(delivery.retry_delay(3).total_seconds(), 3) for _ in range(5)}
    assert len(jittered) > 1, "jitter keeps retries of many deliveries apart"


def test_the_last_failed_attempt_gives_up(anna, receivers):
    inbox = receivers()
    inbox.script.statuses["/inbox"] = [500]
    (row,) = _send(anna, remote_actor(inbox.host))
    db.session.get(Delivery, row.id).attempts = delivery.MAX_ATTEMPTS - 1
    _make_due(row)

    delivery.attempt_delivery(row.id)

    row = _reload(row)
    assert (row.state, row.attempts) == (DeliveryState.FAILED, delivery.MAX_ATTEMPTS)


def test_too_many_requests_waits_as_long_as_asked(anna, receivers):
    inbox = receivers()
    inbox.script.statuses["/inbox"] = [429]
    inbox.script.headers[429] = {"Retry-After": "600"}
    (row,) = _send(anna, remote_actor(inbox.host))

    wait = _reload(row).next_attempt_at - utcnow()
    assert timedelta(seconds=590) < wait <= timedelta(seconds=600)
    assert _host(inbox.host).consecutive_failures == 0, "a 429 is no sign of a dead host"


def test_client_errors_other_than_401_408_429_are_final(anna, receivers):
    inbox = receivers()
    inbox.script.statuses["/inbox"] = [400]
    (row,) = _send(anna, remote_actor(inbox.host))

    row = _reload(row)
    assert (row.state, row.attempts) == (DeliveryState.FAILED, 1)
    assert huey.scheduled() == []


def test_gone_stops_deliveries_to_that_actor(anna, receivers):
    inbox = receivers()
    departed = remote_actor(inbox.host, shared=False)
    follow(departed, anna)
    inbox.script.statuses[departed.inbox_url.split(inbox.host)[1]] = [410]

    (row,) = _send(anna, departed)

    assert _reload(row).state == DeliveryState.GONE
    assert db.session.scalar(select(Follow).where(Follow.follower_id == departed.id)) is None


def test_not_pending_or_not_due_deliveries_are_left_alone(anna, receivers):
    inbox = receivers()
    inbox.script.statuses["/inbox"] = [500]
    (row,) = _send(anna, remote_actor(inbox.host))  # now pending, due later
    delivery.attempt_delivery(row.id)
    assert len(inbox.attempts) == 1

    db.session.get(Delivery, row.id).state = DeliveryState.DONE
    _make_due(row)
    delivery.attempt_delivery(row.id)
    assert len(inbox.attempts) == 1


def _fail_until_unavailable(anna, dead_host: str) -> Delivery:  # noqa: ANN001
    (row,) = _send(anna, remote_actor(dead_host))
    for _ in range(hosts.UNAVAILABLE_AFTER - 1):
        _make_due(row)
        delivery.attempt_delivery(row.id)
    return _reload(row)


def test_a_dead_host_becomes_unavailable_and_delays_nobody(anna, receivers):
    dead_port = free_port()
    dead_host = f"127.0.0.1:{dead_port}"
    parked = _fail_until_unavailable(anna, dead_host)
    peer = _host(dead_host)
    assert not peer.available and peer.next_probe_at > utcnow()
    assert parked.attempts == hosts.UNAVAILABLE_AFTER
    assert parked.next_attempt_at >= peer.next_probe_at

    live = receivers()
    started = time.monotonic()
    rows = _send(anna, remote_actor(dead_host), remote_actor(live.host))
    assert len(live.wait_for(1)) == 1
    assert time.monotonic() - started < 2
    by_host = {r.host: _reload(r) for r in rows}
    assert by_host[live.host].state == DeliveryState.DONE
    waiting = by_host[dead_host]
    assert (waiting.state, waiting.attempts) == (DeliveryState.PENDING, 0)
    assert waiting.next_attempt_at >= peer.next_probe_at

    # The host comes back: the sweep's probe finds it and releases everything that waited.
    back = Receiver(live.lookup, port=dead_port)
    try:
        db.session.get(PeerHost, peer.id).next_probe_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        delivery.sweep_deliveries()
        assert len(back.wait_for(2)) == 2
        assert _host(dead_host).available
        assert {_reload(r).state for r in (parked, waiting)} == {DeliveryState.DONE}
    finally:
        back.close()


def test_the_sweep_requeues_a_delivery_whose_job_was_lost(anna, receivers):
    inbox = receivers()
    activity = {"id": outbox.new_activity_uri("like"), "type": "Like", "actor": "x"}
    outbox.send(anna, activity, recipients=[remote_actor(inbox.host)])
    db.session.info.pop(outbox._PENDING_KEY)  # the process died before queueing
    db.session.commit()
    assert inbox.wait_for(1, timeout=0.2) == []

    delivery.sweep_deliveries()
    assert inbox.wait_for(1, timeout=0.2) == [], "a just-created delivery is not lost yet"

    row = db.session.scalar(select(Delivery))
    row.next_attempt_at = utcnow() - delivery.LOST_AFTER - timedelta(seconds=1)
    db.session.commit()
    delivery.sweep_deliveries()
    assert len(inbox.wait_for(1)) == 1
    assert _reload(row).state == DeliveryState.DONE


def test_a_restart_sends_at_once_what_the_killed_process_left_unfinished(anna, receivers):
    """Killed mid-delivery: one delivery was claimed (its lease runs for minutes), another
    one's job was taken from the queue. On restart both go out at once; a retry planned
    for hours later keeps its time."""
    inbox = receivers()
    rows = []
    for _ in range(3):
        activity = {"id": outbox.new_activity_uri("like"), "type": "Like", "actor": "x"}
        outbox.send(anna, activity, recipients=[remote_actor(inbox.host)])
        db.session.info.pop(outbox._PENDING_KEY)  # the process died before queueing
        db.session.commit()
        rows.append(db.session.scalar(select(Delivery).order_by(Delivery.id.desc())))
    claimed, taken, retry_later = rows
    now = utcnow()
    claimed.next_attempt_at = now + delivery.LEASE - timedelta(seconds=5)
    taken.next_attempt_at = now - timedelta(seconds=5)
    retry_later.next_attempt_at = now + timedelta(hours=2)
    db.session.commit()

    assert delivery.recover_after_restart() == 2

    assert len(inbox.wait_for(2)) == 2
    assert _reload(claimed).state == _reload(taken).state == DeliveryState.DONE
    assert _reload(retry_later).state == DeliveryState.PENDING
    assert inbox.wait_for(3, timeout=0.3)[2:] == []
