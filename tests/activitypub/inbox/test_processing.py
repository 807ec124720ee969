"""The worker side: retries on network trouble, failure on permanent errors, plugins."""

from __future__ import annotations

from datetime import timedelta

from quarter_node.activitypub import handlers, processing
from quarter_node.activitypub.models import InboxItem, InboxState
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.posts.models import Like
from tests.activitypub.inbox.conftest import inbox_items
from tests.activitypub.inbox.fakes import deliver


def test_network_trouble_keeps_the_item_for_a_retry(client, factories, bob, peers):
    factories.user("anna")
    note_id = f"{bob.origin}/notes/unreachable"
    peers.upsert("GET", note_id, status=503)
    deliver(client, bob, bob.activity("Create", note_id))
    [item] = inbox_items()
    assert item.state == InboxState.PENDING and item.attempts == 1
    assert "503" in item.last_error


def test_a_permanent_error_marks_the_item_failed(client, factories, bob, peers):
    factories.user("anna")
    note_id = f"{bob.origin}/notes/gone"
    peers.upsert("GET", note_id, status=410)
    deliver(client, bob, bob.activity("Create", note_id))
    [item] = inbox_items()
    assert item.state == InboxState.FAILED and "410" in item.last_error


def test_plugins_can_register_handlers_for_new_types(client, bob):
    seen = []

    @handlers.register("Join", when=lambda ctx: ctx.object_id == "http://localhost/events/7")
    def join(ctx: handlers.Context) -> bool:
        seen.append(ctx.actor.uri)
        return True

    deliver(client, bob, bob.activity("Join", "http://localhost/events/7"))
    deliver(client, bob, bob.activity("Join", "http://localhost/events/8"))
    assert seen == [bob.uri]
    assert [item.state for item in inbox_items()] == [InboxState.DONE, InboxState.IGNORED]


def test_the_sweep_applies_items_whose_job_was_lost(client, factories, bob):
    """A crash between storing an item and queueing its job leaves it pending: the sweep
    queues it again, but neither fresh items nor items waiting for their retry."""
    anna = factories.user("anna")
    post = factories.post(anna, "Lastenrad zu verleihen")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))  # bob is known now
    now = utcnow()

    def stored(age: timedelta, attempts: int = 0) -> InboxItem:
        like = bob.activity("Like", f"http://localhost/posts/{post.id}")
        item = InboxItem(
            activity_id=like["id"],
            activity_type="Like",
            actor_uri=bob.uri,
            payload=like,
            key_id=bob.key_id,
            attempts=attempts,
            received_at=now - age,
        )
        db.session.add(item)
        db.session.commit()
        return item

    lost, fresh = stored(timedelta(minutes=30)), stored(timedelta(minutes=1))
    retrying = stored(timedelta(hours=1), attempts=1)
    assert processing.lost_inbox_items(now) == [lost.id]

    processing.sweep_inbox()

    db.session.expire_all()
    assert lost.state == InboxState.DONE
    assert db.session.scalar(db.select(Like.uri)) == lost.activity_id
    assert (fresh.state, retrying.state) == (InboxState.PENDING, InboxState.PENDING)
