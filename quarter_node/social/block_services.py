"""Blocking and unblocking other accounts, local or remote (as on Mastodon).

Blocking ends the follows in both directions (each announced as an unfollow or a refused
follower, so a remote server also hears of it with the activities every server knows),
forgets the blocker's notifications about the blocked account, and stores the ``Block``. From
then on ``posts.visibility`` keeps the two apart, ``notify`` stays silent between them, and
``social.services.follow`` refuses following either way. A remote blocked account is told
with a ``Block`` activity (``actor_blocked``); unblocking sends its ``Undo``. Unblocking
restores nothing: follows that ended stay ended.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from quarter_node import signals
from quarter_node.accounts.models import AccountState, Actor, ActorKind, User
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.notifications.services import DUTY_KINDS
from quarter_node.social.blocks import block_of
from quarter_node.social.models import Block, Follow


def blockable_actor(actor_id: int) -> Actor:
    """The account behind a block button: a local person with an active account, or any
    remote actor we know. Everything else is 'not found'."""
    actor = db.session.get(Actor, actor_id)
    if actor is None or (actor.is_local and not _is_active_person(actor)):
        raise NotFound(_("There is nobody with this name here."))
    return actor


def block_actor(user: User | None, target: Actor) -> Block:
    """``user`` blocks ``target``. Blocking twice changes nothing (a double click must not
    fail)."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    _check_blockable(user, target)
    existing = block_of(user.actor, target)
    if existing is not None:
        return existing
    _end_follows(user.actor, target)
    block = Block(blocker_id=user.actor_id, blocked_id=target.id)
    db.session.add(block)
    db.session.flush()
    forget_notifications(user.actor, target)
    signals.actor_blocked.send(block)
    try:
        db.session.commit()
    except IntegrityError:  # the same block arrived twice at once
        db.session.rollback()
        return block_of(user.actor, target)  # type: ignore[return-value]
    return block


def unblock_actor(user: User | None, target: Actor) -> bool:
    """Lift ``user``'s block of ``target``. True if there was a block to lift."""
    if user is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    existing = block_of(user.actor, target)
    if existing is None:
        return False
    signals.actor_unblocked.send(existing)
    db.session.delete(existing)
    db.session.commit()
    return True


def forget_notifications(recipient: Actor, about: Actor) -> None:
    """Remove what ``recipient`` was told about ``about``'s actions (replies, likes, follows,
    ...), except what moderators need to keep (reports, join requests). Never commits."""
    db.session.execute(
        delete(Notification).where(
            Notification.recipient_id == recipient.id,
            Notification.actor_id == about.id,
            Notification.kind.not_in(DUTY_KINDS),
        )
    )


def _end_follows(blocker: Actor, blocked: Actor) -> None:
    """Remove follows (and follow requests) both ways; a remote side hears Undo or Reject."""
    follows = db.session.scalars(
        select(Follow).where(
            or_(
                (Follow.follower_id == blocker.id) & (Follow.followed_id == blocked.id),
                (Follow.follower_id == blocked.id) & (Follow.followed_id == blocker.id),
            )
        )
    )
    for follow in follows:
        if follow.follower_id == blocker.id:
            signals.follow_undone.send(follow)
        else:
            signals.follow_rejected.send(follow)
        db.session.delete(follow)
    db.session.flush()


def _check_blockable(user: User, target: Actor) -> None:
    if target.id == user.actor_id:
        raise InvalidInput(_("You cannot block yourself."))
    if target.is_local and target.kind != ActorKind.PERSON:
        raise InvalidInput(_("Only people can be blocked. Leave the group instead."))


def _is_active_person(actor: Actor) -> bool:
    return (
        actor.kind == ActorKind.PERSON
        and actor.user is not None
        and actor.user.state == AccountState.ACTIVE
    )
