"""Membership questions every domain asks about groups (posts, moderation, groups)."""

from __future__ import annotations

from quarter_node.accounts.models import Actor, Role, User
from quarter_node.extensions import db
from quarter_node.groups.models import (
    Group,
    GroupRole,
    GroupVisibility,
    Membership,
    MembershipState,
)


def membership_of(actor: Actor | None, group: Group) -> Membership | None:
    """The actor's membership row in ``group`` in any state, or None."""
    if actor is None:
        return None
    return db.session.scalar(
        db.select(Membership).where(
            Membership.group_id == group.id, Membership.actor_id == actor.id
        )
    )


def is_active_member(user: User | None, group: Group) -> bool:
    membership = membership_of(user.actor if user else None, group)
    return membership is not None and membership.state == MembershipState.ACTIVE


def group_role_of(user: User | None, group: Group) -> GroupRole | None:
    """The user's role in the group if they are an active member."""
    membership = membership_of(user.actor if user else None, group)
    if membership is None or membership.state != MembershipState.ACTIVE:
        return None
    return membership.role


def is_group_moderator(user: User | None, group: Group) -> bool:
    """Group owners and moderators moderate their group; node moderators moderate every group."""
    if user is None or not user.is_active:
        return False
    if user.has_role(Role.MODERATOR):
        return True
    role = group_role_of(user, group)
    return role is not None and role.rank >= GroupRole.MODERATOR.rank


def can_see_group_content(user: User | None, group: Group) -> bool:
    """Members-only groups show their posts and members only to active members (and node
    moderators, who must be able to act on reports)."""
    if group.visibility == GroupVisibility.PUBLIC:
        return True
    if user is None or not user.is_active:
        return False
    return user.has_role(Role.MODERATOR) or is_active_member(user, group)


def active_member_group_ids(user: User | None) -> list[int]:
    """Ids of the groups the user is an active member of (for timeline queries)."""
    if user is None:
        return []
    return list(
        db.session.scalars(
            db.select(Membership.group_id).where(
                Membership.actor_id == user.actor_id,
                Membership.state == MembershipState.ACTIVE,
            )
        )
    )


def acting_group_role(user: User | None, group: Group) -> GroupRole | None:
    """The role ``user`` acts with in ``group``: their own, raised for node staff. Node
    moderators moderate every group; node admins may also manage roles and delete groups
    (someone must be able to repair a group whose owners are gone)."""
    if user is None or not user.is_active:
        return None
    own = group_role_of(user, group)
    if user.has_role(Role.ADMIN):
        return GroupRole.OWNER
    if user.has_role(Role.MODERATOR) and (own is None or own.rank < GroupRole.MODERATOR.rank):
        return GroupRole.MODERATOR
    return own


def is_group_owner(user: User | None, group: Group) -> bool:
    """Owners (and node admins) set roles and may delete the group."""
    return acting_group_role(user, group) == GroupRole.OWNER
