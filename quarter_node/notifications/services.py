"""Creating notifications. Callers add them inside their own transaction; nothing commits here."""

from __future__ import annotations

from quarter_node.accounts.models import Actor, Role, User
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind


def notify(
    recipient: Actor,
    kind: NotificationKind,
    *,
    actor: Actor | None = None,
    post_id: int | None = None,
    group_id: int | None = None,
    report_id: int | None = None,
    text: str = "",
) -> Notification | None:
    """Tell ``recipient`` about something. Nobody is notified of their own actions, and only
    local people (who can log in) receive notifications."""
    if actor is not None and recipient.id == actor.id:
        return None
    if not recipient.is_local or recipient.user is None:
        return None
    notification = Notification(
        recipient_id=recipient.id,
        kind=kind,
        actor_id=actor.id if actor else None,
        post_id=post_id,
        group_id=group_id,
        report_id=report_id,
        text=text,
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
