"""An ActivityPub relay between three real nodes: A relays, B and C subscribe through their
admin pages, and C sees B's public posts (and their edits and deletion) although nobody
on C follows their author.

The test restores the nodes before it ends (no subscriptions, relay off), since the other
multi-node tests expect posts to travel only to followers."""

from __future__ import annotations

from tests.multinode.conftest import Cluster
from tests.multinode.harness import Browser, Node, text_of_html, token, wait_until

SUBSCRIPTIONS = (
    "SELECT f.id, f.state FROM follows f JOIN actors me ON me.id = f.follower_id"
    " WHERE me.kind = 'application' AND me.domain = ''"
)
SUBSCRIBERS = (
    "SELECT r.domain FROM follows f JOIN actors me ON me.id = f.followed_id"
    " JOIN actors r ON r.id = f.follower_id WHERE me.kind = 'application' AND me.domain = ''"
)


def _admin(node: Node) -> Browser:
    return node.browser(node.admin)


def _submit(browser: Browser, path: str, data: dict[str, str] | None = None) -> None:
    response = browser.submit(path, data or {})
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]


def _subscribe(node: Node, relay: Node) -> None:
    """Subscribe by the relay's inbox URL, as Mastodon admins do; wait for its Accept."""
    _submit(_admin(node), "/admin/federation/relays", {"relay_address": f"{relay.url}/inbox"})
    wait_until(
        lambda: [state for _, state in node.query(SUBSCRIPTIONS)] == ["accepted"],
        message=f"{relay.name} never accepted {node.name}'s subscription",
    )


def _unsubscribe(node: Node) -> None:
    for follow_id, _ in node.query(SUBSCRIPTIONS):
        _submit(_admin(node), f"/admin/federation/relays/{follow_id}/remove")


def _stored(node: Node, words: str) -> list[int]:
    rows = node.query("SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{words}%")
    return [int(row[0]) for row in rows]


def _relay_processed(relay: Node, origin: Node, post_id: int) -> None:
    """Wait until the relay has applied the Create of ``origin``'s post ``post_id``."""
    wait_until(
        lambda: relay.query(
            "SELECT id FROM inbox_items WHERE activity_id LIKE :a AND state != 'pending'",
            a=f"{origin.url}/activities/create/p{post_id}-%",
        ),
        message=f"{relay.name} never received post {post_id} of {origin.name}",
    )


def _planned(sender: Node, receiver: Node, origin: Node, post_id: int) -> list[int]:
    """Deliveries ``sender`` planned to ``receiver`` of activities about ``origin``'s post
    (planned in the transaction that made the activity, so final once that committed)."""
    rows = sender.query(
        "SELECT d.id FROM deliveries d JOIN outbound_activities o ON o.id = d.activity_id"
        " WHERE d.host = :host AND CAST(o.payload AS TEXT) LIKE :post",
        host=receiver.host,
        post=f"%{origin.url}/posts/{post_id}%",
    )
    return [int(row[0]) for row in rows]


def _relayed_to(relay: Node, receiver: Node, origin: Node, post_id: int) -> list[int]:
    """What the relay passed on to ``receiver`` of ``origin``'s post, once it has applied
    that post's Create (passing on happens in the same transaction)."""
    _relay_processed(relay, origin, post_id)
    return _planned(relay, receiver, origin, post_id)


def test_a_relay_passes_public_posts_between_subscribed_nodes(cluster: Cluster) -> None:
    a, b, c = cluster.a, cluster.b, cluster.c
    bert, carl = b.take(), c.take()
    on_b, on_c = b.browser(bert), c.browser(carl)
    _submit(_admin(a), "/admin/federation/relay", {"relay_enabled": "y"})
    try:
        _subscribe(b, a)
        _subscribe(c, a)
        assert sorted(row[0] for row in a.query(SUBSCRIBERS)) == sorted([b.host, c.host])

        hidden, shown = token(), token()
        hidden_id = on_b.publish(f"Only for my followers {hidden}", visibility="followers")
        original = on_b.publish(f"Street party on Saturday {shown}")
        [copy_on_c] = wait_until(
            lambda: _stored(c, shown), message="the public post never reached C via the relay"
        )
        assert on_c.shows(f"/posts/{copy_on_c}", shown)  # visible on C
        assert on_c.shows(f"/{bert.fediverse_handle}", shown)  # on bert's profile there
        assert on_c.post_id_with(shown, "/") is None  # but in nobody's home timeline
        assert _planned(a, c, b, original), "the relay's delivery to C is not where we look"
        assert _planned(b, a, b, hidden_id) == []  # not public: never sent to the relay
        assert _stored(c, hidden) == [] and _stored(a, hidden) == []

        edited = token()
        on_b.edit(original, f"Street party on Sunday {edited}")
        wait_until(
            lambda: on_c.shows(f"/posts/{copy_on_c}", edited),
            message="the edit never reached C via the relay",
        )
        on_b.delete(original)
        wait_until(
            lambda: not on_c.shows(f"/posts/{copy_on_c}", edited),
            message="the deletion never reached C via the relay",
        )

        _unsubscribe(c)
        wait_until(
            lambda: [row[0] for row in a.query(SUBSCRIBERS)] == [b.host],
            message="A never learnt that C unsubscribed",
        )
        late = token()
        late_id = on_b.publish(f"After the unsubscription {late}")
        assert _relayed_to(a, c, b, late_id) == []
        assert _stored(c, late) == []
    finally:
        _unsubscribe(b)
        _unsubscribe(c)
        _submit(_admin(a), "/admin/federation/relay", {})
