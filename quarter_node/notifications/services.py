"""Creating and reading notifications.

Other domains create notifications inside their own transaction (``notify`` never commits);
reading and marking them read is the notifications page's business.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, exists, or_, select, true, update
from sqlalchemy.orm import selectinload

from quarter_node.accounts.models import Actor, Role, User
from quarter_node.activitypub import policy
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.social.blocks import blocked_either_way
from quarter_node.social.models import Follow, FollowState

# What the node's or a group's moderators must hear of even from someone they blocked.
DUTY_KINDS = frozenset(
    {
        NotificationKind.REPORT,
        NotificationKind.REGISTRATION,
        NotificationKind.JOIN_REQUEST,
        NotificationKind.WARNING,
    }
)

# What people on a limited server can make others hear of (Mastodon's "limit").
_LIMITED_KINDS = (NotificationKind.MENTION, NotificationKind.REPLY)


def notify(
    recipient: Actor,
    kind: NotificationKind | str,
    *,
    actor: Actor | None = None,
    post_id: int | None = None,
    group_id: int | None = None,
    report_id: int | None = None,
    text: str = "",
    subject: str = "",
) -> Notification | None:
    """Tell ``recipient`` about something. Nobody is notified of their own actions, only
    local people (who can log in) receive notifications, and nobody hears of the actions of
    someone blocked either way (except what moderators must see). Plugins pass their own
    ``kind`` ("<plugin>.<kind>") and ``subject`` (see ``plugin_api.notify``)."""
    if actor is not None and recipient.id == actor.id:
        return None
    if not recipient.is_local or recipient.user is None:
        return None
    if actor is not None and kind not in DUTY_KINDS and blocked_either_way(recipient.id, actor.id):
        return None
    notification = Notification(
        recipient_id=recipient.id,
        kind=kind,
        actor_id=actor.id if actor else None,
        post_id=post_id,
        group_id=group_id,
        report_id=report_id,
        text=text,
        subject=subject,
    )
    db.session.add(notification)
    return notification


def notify_node_moderators(
    kind: NotificationKind,
    *,
    actor: Actor | None = None,
    post_id: int | None = None,
    report_id: int | None = None,
    text: str = "",
) -> None:
    """Notify every active moderator and admin of the node."""
    moderators = db.session.scalars(
        db.select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]))
    )
    for user in moderators:
        if user.is_active:
            notify(user.actor, kind, actor=actor, post_id=post_id, report_id=report_id, text=text)


# --- Reading notifications -----------------------------------------------------------------


def notifications_query(user: User) -> Select[tuple[Notification]]:
    """The user's notifications, newest first, with what their sentences need loaded."""
    return (
        select(Notification)
        .where(Notification.recipient_id == user.actor_id, heard_filter(user))
        .options(
            selectinload(Notification.actor),
            selectinload(Notification.post),
            selectinload(Notification.group).selectinload(Group.actor),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_all_read(user: User, up_to_id: int | None = None) -> int:
    """Mark the user's unread notifications as read and say how many. With ``up_to_id``
    only those up to that one: what arrived after the person loaded the page stays unread,
    so nothing is marked read that they have not seen."""
    condition = [Notification.recipient_id == user.actor_id, Notification.read_at.is_(None)]
    if up_to_id is not None:
        condition.append(Notification.id <= up_to_id)
    result = db.session.execute(update(Notification).where(*condition).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount or 0


def heard_filter(user: User) -> ColumnElement[bool]:
    """Leaves out mentions and replies by actors of a server the admins limited, unless
    ``user`` follows them. Read-time, like ``posts.visibility``: limiting a server also
    silences what it sent before, and lifting the limit brings it back."""
    hosts = policy.limited_hosts()
    if not hosts:
        return true()
    from_limited_host = exists().where(
        Actor.id == Notification.actor_id,
        Actor.domain != "",
        policy.domain_in(Actor.domain, hosts),
    )
    followed = exists().where(
        Follow.follower_id == user.actor_id,
        Follow.followed_id == Notification.actor_id,
        Follow.state == FollowState.ACCEPTED,
    )
    return or_(Notification.kind.not_in(_LIMITED_KINDS), ~from_limited_host, followed)
