"""One readable sentence and one link per notification, in the reader's language.

Notifications point at posts that may have changed since: deleted, hidden by moderators, or
in a group the reader left. Such posts are described but never quoted or linked, so a
notification never shows what its reader may no longer see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from quarter_node.accounts.models import User
from quarter_node.notifications import links
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.visibility import can_view_post

EXCERPT_LENGTH = 140


@dataclass(frozen=True)
class NotificationItem:
    id: int
    kind: NotificationKind | str
    sentence: str
    url: str | None
    excerpt: str  # a quote of the post or the moderators' text; "" if none may be shown
    unread: bool
    created_at: datetime


def present(notification: Notification, viewer: User) -> NotificationItem:
    if not isinstance(notification.kind, NotificationKind):
        return _present_plugin_kind(notification, viewer)
    post_visible = _post_visible(notification, viewer)
    describe = _DESCRIBERS.get(notification.kind, _describe_unknown)
    sentence, url = describe(notification, post_visible)
    return NotificationItem(
        id=notification.id,
        kind=notification.kind,
        sentence=sentence,
        url=url,
        excerpt=_excerpt(notification, post_visible),
        unread=notification.read_at is None,
        created_at=notification.created_at,
    )


def _post_visible(notification: Notification, viewer: User) -> bool:
    post = notification.post
    return post is not None and post.deleted_at is None and can_view_post(viewer, post)


def _excerpt(notification: Notification, post_visible: bool) -> str:
    if notification.kind == NotificationKind.WARNING:
        return notification.text
    if post_visible and notification.kind != NotificationKind.REPORT:
        return _shorten(notification.post.source)
    return ""


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _name(notification: Notification) -> str:
    actor = notification.actor
    return actor.name if actor is not None else _("Somebody")


def _group_name(notification: Notification) -> str:
    group = notification.group
    return group.actor.name if group is not None else _("a group")


Described = tuple[str, str | None]


def _about_post(
    notification: Notification, visible: bool, sentence: str, gone_sentence: str
) -> Described:
    if not visible:
        return gone_sentence % {"name": _name(notification)}, None
    return sentence % {"name": _name(notification)}, links.post_url(notification.post_id)


def _describe_reply(n: Notification, visible: bool) -> Described:
    return _about_post(
        n,
        visible,
        _("%(name)s replied to your post."),
        _("%(name)s replied to a post that is no longer available."),
    )


def _describe_mention(n: Notification, visible: bool) -> Described:
    return _about_post(
        n,
        visible,
        _("%(name)s mentioned you."),
        _("%(name)s mentioned you in a post that is no longer available."),
    )


def _describe_like(n: Notification, visible: bool) -> Described:
    return _about_post(
        n,
        visible,
        _("%(name)s liked your post."),
        _("%(name)s liked a post that is no longer available."),
    )


def _describe_follow(n: Notification, visible: bool) -> Described:
    url = links.profile_url(n.actor.handle) if n.actor else None
    return _("%(name)s follows you now.", name=_name(n)), url


def _describe_follow_request(n: Notification, visible: bool) -> Described:
    if n.group is not None:  # somebody on another server asks to join a group (FEP-1b12)
        return _describe_join_request(n, visible)
    url = links.follow_requests_url(n.actor.handle) if n.actor else None
    return _("%(name)s asks to follow you.", name=_name(n)), url


def _describe_join_request(n: Notification, visible: bool) -> Described:
    url = links.join_requests_url(n.group.actor.handle) if n.group else None
    return _("%(name)s asks to join %(group)s.", name=_name(n), group=_group_name(n)), url


def _describe_group_invite(n: Notification, visible: bool) -> Described:
    url = links.group_url(n.group.actor.handle) if n.group else None
    return _("%(name)s invited you to %(group)s.", name=_name(n), group=_group_name(n)), url


def _describe_report(n: Notification, visible: bool) -> Described:
    url = url_for("moderation.report", report_id=n.report_id) if n.report_id else None
    if n.group is not None:
        return _("%(name)s reported a post in %(group)s.", name=_name(n), group=_group_name(n)), url
    return _("%(name)s sent a report to the moderators.", name=_name(n)), url


def _describe_registration(n: Notification, visible: bool) -> Described:
    return (
        _("%(name)s would like to join this node and waits for approval.", name=_name(n)),
        links.registrations_url(),
    )


def _describe_warning(n: Notification, visible: bool) -> Described:
    return _("The moderation team sent you a warning:"), None


def _present_plugin_kind(n: Notification, viewer: User) -> NotificationItem:
    """A plugin's kind: the enabled plugin that made it describes it (hook
    ``quarter_notification_text``) and its ``text`` is quoted; while that plugin is
    disabled or gone, a neutral sentence and nothing of what it stored."""
    from quarter_node.plugins.wiring import call_hook

    answer = call_hook("quarter_notification_text", notification=n, viewer=viewer)
    sentence, url = answer if answer else _describe_unknown(n, False)
    return NotificationItem(
        id=n.id,
        kind=n.kind,
        sentence=str(sentence),
        url=url,
        excerpt=n.text if answer else "",  # e.g. an organiser's whole message
        unread=n.read_at is None,
        created_at=n.created_at,
    )


def _describe_unknown(n: Notification, visible: bool) -> Described:
    return _("Something happened that concerns you."), None


_DESCRIBERS: dict[NotificationKind, Callable[[Notification, bool], Described]] = {
    NotificationKind.REPLY: _describe_reply,
    NotificationKind.MENTION: _describe_mention,
    NotificationKind.LIKE: _describe_like,
    NotificationKind.FOLLOW: _describe_follow,
    NotificationKind.FOLLOW_REQUEST: _describe_follow_request,
    NotificationKind.JOIN_REQUEST: _describe_join_request,
    NotificationKind.GROUP_INVITE: _describe_group_invite,
    NotificationKind.REPORT: _describe_report,
    NotificationKind.REGISTRATION: _describe_registration,
    NotificationKind.WARNING: _describe_warning,
}
