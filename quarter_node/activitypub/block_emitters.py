"""A local member's block of a remote account becomes a ``Block`` to that account's inbox,
and lifting it an ``Undo`` of that Block (as Mastodon does; the other server then stops
showing our member's posts to the blocked account and drops follows between them).

The ends of the follows between the two travel separately, as Undo Follow / Reject, sent by
the follow subscribers in ``emitters``. Blocks between local accounts never leave the node.
"""

from __future__ import annotations

from typing import Any

from federation import activities
from quarter_node import signals
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import outbox, urls
from quarter_node.extensions import db
from quarter_node.social.models import Block


def _sides(block: Block) -> tuple[Actor, Actor]:
    """Blocker and blocked, also for a row just added (relationships not loaded yet)."""
    blocker = db.session.get(Actor, block.blocker_id)
    blocked = db.session.get(Actor, block.blocked_id)
    assert blocker is not None and blocked is not None
    return blocker, blocked


def _block_activity(block: Block, blocker: Actor, blocked: Actor) -> dict[str, Any]:
    return activities.block(urls.actor_uri(blocker), urls.actor_uri(blocked), id=block.uri or "")


def on_actor_blocked(block: Block) -> None:
    blocker, blocked = _sides(block)
    if not blocker.is_local or blocked.is_local:
        return
    block.uri = block.uri or outbox.new_activity_uri("block")
    outbox.send(blocker, _block_activity(block, blocker, blocked), recipients=[blocked])


def on_actor_unblocked(block: Block) -> None:
    blocker, blocked = _sides(block)
    if not blocker.is_local or blocked.is_local or not block.uri:
        return
    undo = activities.undo(
        urls.actor_uri(blocker),
        _block_activity(block, blocker, blocked),
        id=outbox.new_activity_uri("undo"),
    )
    outbox.send(blocker, undo, recipients=[blocked])


SUBSCRIBERS = (
    (signals.actor_blocked, on_actor_blocked),
    (signals.actor_unblocked, on_actor_unblocked),
)
