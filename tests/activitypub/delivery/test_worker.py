"""Deliveries through a real Huey consumer (worker threads), on SQLite and on Redis."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from huey.storage import RedisStorage
from sqlalchemy import select

from quarter_node.activitypub.models import Delivery, DeliveryState
from quarter_node.extensions import db
from quarter_node.jobs import huey
from quarter_node.node.services import update_node_settings
from quarter_node.posts import services as posts
from tests.activitypub.delivery.conftest import follow, remote_actor
from tests.factories import Factories

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


@contextmanager
def _running_consumer() -> Iterator[None]:
    """Worker threads as ``quarter-node run`` starts them; the test's signal handlers are
    put back afterwards (Huey installs its own)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = huey.create_consumer(workers=2, periodic=False, initial_delay=0.01, max_delay=0.05)
    consumer.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _wait_until_done(timeout: float = 10.0) -> set[DeliveryState]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        states = set(db.session.scalars(select(Delivery.state)))
        if states == {DeliveryState.DONE}:
            break
        time.sleep(0.05)
    return states


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_real_worker_delivers_what_a_commit_released(
    backend: str,
    app_factory: Callable[..., Flask],
    tmp_path: Any,
    receivers: Callable[..., Any],
    key_ring: Any,
) -> None:
    if backend == "redis" and not _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    config: dict[str, Any] = {"DEV_MODE": True, "JOBS_IMMEDIATE": False}
    config |= {"REDIS_URL": REDIS_URL} if backend == "redis" else {}
    config["JOBS_DATABASE"] = str(tmp_path / "jobs.db")
    app = app_factory(**config)
    with app.app_context():
        if backend == "redis":  # a queue of our own, so parallel runs never share jobs
            huey.storage = RedisStorage(name=f"qn-test-{uuid.uuid4().hex}", url=REDIS_URL)
        update_node_settings(setup_complete=True, name="Testquartier")
        anna = Factories(app).user("anna")
        key_ring.trust(anna.actor)
        inboxes = [receivers(), receivers()]
        for inbox in inboxes:
            follow(remote_actor(inbox.host), anna.actor)
        try:
            with _running_consumer():
                posts.publish_post(anna, "Straßenfest!")
                for inbox in inboxes:
                    (received,) = inbox.wait_for(1)
                    assert received.scheme is not None, received.error
                    assert "Straßenfest" in json.loads(received.body)["object"]["content"]
                assert _wait_until_done() == {DeliveryState.DONE}
            assert len(huey) == 0, "no job left behind"
        finally:
            huey.storage.flush_all()
            db.session.remove()
