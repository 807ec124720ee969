"""The worker side: retries on network trouble, failure on permanent errors, plugins."""

from __future__ import annotations

from quarter_node.activitypub import handlers
from quarter_node.activitypub.models import InboxState
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
