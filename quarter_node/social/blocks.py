"""Who blocks whom: the questions visibility, notifications, following and federation ask.

A block keeps both sides apart, whoever made it: the blocker must not meet the blocked
account's posts and actions, and the blocked account must not reach the blocker (follow,
reply, mention, notify). So every check here is "blocked either way". Only the blocker can
lift a block (``block_services.unblock_actor`` or a remote ``Undo`` of its ``Block``).

This module only reads; it imports nothing that sends notifications, so the notifications
and visibility modules can ask it without import cycles.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true

from quarter_node.accounts.models import Actor, User
from quarter_node.extensions import db
from quarter_node.social.models import Block


def block_of(blocker: Actor, blocked: Actor) -> Block | None:
    """The block ``blocker`` placed on ``blocked``, or None."""
    return db.session.scalar(
        select(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked.id)
    )


def blocked_either_way(actor_id: int, other_id: int) -> bool:
    """Has either of the two actors blocked the other?"""
    found = db.session.scalar(
        select(true()).where(_between(actor_id, Block.blocker_id, Block.blocked_id, other_id))
    )
    return found is not None


def blocked_either_way_filter(actor_id: int, others: ColumnElement[int]) -> ColumnElement[bool]:
    """SQL: a block exists between ``actor_id`` and the actor in column ``others`` (e.g.
    ``Post.author_id``), in either direction."""
    return exists().where(_between(actor_id, Block.blocker_id, Block.blocked_id, others))


def between(viewer: User | None, person: Actor) -> dict[str, object]:
    """What a profile page needs: ``block`` (the viewer's block of the person, or None) and
    ``kept_apart`` (a block either way: no follow button)."""
    if viewer is None:
        return {"block": None, "kept_apart": False}
    return {
        "block": block_of(viewer.actor, person),
        "kept_apart": blocked_either_way(viewer.actor_id, person.id),
    }


def blocks_by(actor: Actor) -> Select[tuple[Block]]:
    """The blocks ``actor`` placed, newest first (the settings page lists them)."""
    return (
        select(Block)
        .where(Block.blocker_id == actor.id)
        .order_by(Block.created_at.desc(), Block.id.desc())
    )


def _between(actor_id, blocker, blocked, other) -> ColumnElement[bool]:  # noqa: ANN001
    return or_(
        and_(blocker == actor_id, blocked == other),
        and_(blocker == other, blocked == actor_id),
    )
