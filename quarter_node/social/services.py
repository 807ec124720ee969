"""Following people and groups, and the lists of who follows whom.

Following a person or a public group brings their posts into one's home timeline (the
timeline itself reads ``Follow`` rows through ``posts.visibility``). A follow of a local actor
is accepted at once. A follow of a remote actor stays ``PENDING`` until the other node sends
its Accept (federation calls ``accept_follow``), because remote accounts may be locked.
Locked local accounts (``Actor.manually_approves_followers``) answer on /followers/requests.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quarter_node import signals
from quarter_node.accounts.models import AccountState, Actor, ActorKind, ActorTombstone, User
from quarter_node.errors import Gone, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.social.blocks import block_of, blocked_either_way
from quarter_node.social.models import Follow, FollowState

# --- lookups --------------------------------------------------------------------------------


def get_local_actor(handle: str) -> Actor:
    """A person or group of this node that may be shown: unknown handles, accounts still
    waiting for approval and rejected applicants are all 'not found'."""
    actor = db.session.scalar(
        db.select(Actor).where(Actor.handle == handle.lower(), Actor.domain == "")
    )
    if actor is None or (actor.kind == ActorKind.PERSON and not _has_active_account(actor)):
        _refuse_deleted(handle)
        raise NotFound(_("There is nobody with this name here."))
    return actor


def _refuse_deleted(handle: str) -> None:
    """A deleted account's page says so (410), instead of pretending it never existed."""
    tombstone = db.session.scalar(
        db.select(ActorTombstone).where(ActorTombstone.handle == handle.lower())
    )
    if tombstone is None:
        return
    if tombstone.kind == ActorKind.GROUP:
        raise Gone(_("This group has been deleted."))
    raise Gone(_("This account has been deleted."))


def follow_between(follower: Actor, followed: Actor) -> Follow | None:
    """The follow row in any state, or None."""
    return db.session.scalar(
        db.select(Follow).where(
            Follow.follower_id == follower.id, Follow.followed_id == followed.id
        )
    )


def follower_count(actor: Actor) -> int:
    return _count(Follow.followed_id == actor.id)


def following_count(actor: Actor) -> int:
    return _count(Follow.follower_id == actor.id)


def followers_query(actor: Actor):  # noqa: ANN201  (a Select[Actor])
    """Who follows ``actor`` (accepted follows only), most recent first."""
    return _actors_query(Follow.follower_id, Follow.followed_id == actor.id)


def following_query(actor: Actor):  # noqa: ANN201  (a Select[Actor])
    """Whom ``actor`` follows (accepted follows only), most recent first."""
    return _actors_query(Follow.followed_id, Follow.follower_id == actor.id)


# --- use cases ------------------------------------------------------------------------------


def follow(user: User | None, target: Actor) -> Follow:
    """Follow a person or a public group. Following twice changes nothing (a double click
    must not fail). The followed person is notified."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    _check_followable(user, target)
    existing = follow_between(user.actor, target)
    if existing is not None:
        return existing
    # Remote actors answer with Accept/Reject; locked local accounts answer by hand.
    waits = not target.is_local or target.manually_approves_followers
    state = FollowState.PENDING if waits else FollowState.ACCEPTED
    new_follow = Follow(follower_id=user.actor_id, followed_id=target.id, state=state)
    db.session.add(new_follow)
    signals.follow_requested.send(new_follow)
    if target.is_local and target.kind == ActorKind.PERSON:
        kind = NotificationKind.FOLLOW_REQUEST if waits else NotificationKind.FOLLOW
        notify(target, kind, actor=user.actor)
    try:
        db.session.commit()
    except IntegrityError:  # the same follow arrived twice at once
        db.session.rollback()
        return follow_between(user.actor, target)  # type: ignore[return-value]
    return new_follow


def unfollow(user: User | None, target: Actor) -> bool:
    """Stop following (or withdraw a pending request). True if there was something to end."""
    if user is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    existing = follow_between(user.actor, target)
    if existing is None:
        return False
    signals.follow_undone.send(existing)
    db.session.delete(existing)
    db.session.commit()
    return True


def accept_follow(follower: Actor, followed: Actor) -> Follow:
    """A pending follow was accepted (for now: a remote node's Accept activity)."""
    pending = follow_between(follower, followed)
    if pending is None:
        raise NotFound(_("There is no follow request to answer."))
    pending.state = FollowState.ACCEPTED
    signals.follow_accepted.send(pending)
    db.session.commit()
    return pending


def reject_follow(follower: Actor, followed: Actor) -> None:
    """A pending or accepted follow was refused by the followed side."""
    existing = follow_between(follower, followed)
    if existing is not None:
        signals.follow_rejected.send(existing)
        db.session.delete(existing)
        db.session.commit()


# --- helpers --------------------------------------------------------------------------------


def _check_followable(user: User, target: Actor) -> None:
    if target.id == user.actor_id:
        raise InvalidInput(_("You cannot follow yourself."))
    if target.is_local and target.kind == ActorKind.PERSON and not _has_active_account(target):
        raise NotFound(_("There is nobody with this name here."))
    if target.suspended_at is not None:
        raise InvalidInput(_("This account is suspended and cannot be followed."))
    if block_of(user.actor, target) is not None:
        raise InvalidInput(_("You have blocked this account. Unblock it to follow it."))
    if blocked_either_way(user.actor_id, target.id):
        raise PermissionDenied(_("You cannot follow this account."))
    if target.kind == ActorKind.GROUP:
        group = db.session.scalar(db.select(Group).where(Group.actor_id == target.id))
        if group is not None and group.visibility != GroupVisibility.PUBLIC:
            raise InvalidInput(
                _("Members-only groups cannot be followed. Ask to join the group instead.")
            )


def _has_active_account(actor: Actor) -> bool:
    return actor.user is not None and actor.user.state == AccountState.ACTIVE


def _count(condition) -> int:  # noqa: ANN001
    return (
        db.session.scalar(
            db.select(db.func.count(Follow.id)).where(
                condition, Follow.state == FollowState.ACCEPTED
            )
        )
        or 0
    )


def _actors_query(actor_column, condition):  # noqa: ANN001, ANN202
    return (
        db.select(Actor)
        .join(Follow, actor_column == Actor.id)
        .where(condition, Follow.state == FollowState.ACCEPTED, Actor.suspended_at.is_(None))
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    )
