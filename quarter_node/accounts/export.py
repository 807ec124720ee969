"""A member's own data as one JSON document (the right of access and portability, GDPR
Art. 15 and 20). It holds what the person made or set themselves, never other people's
content, and no password hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quarter_node.accounts.models import Actor, Invitation, User
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import Membership
from quarter_node.media.models import Media
from quarter_node.notifications.models import Notification
from quarter_node.posts.models import Like, Post
from quarter_node.social.models import Follow

FORMAT_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _handle(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    return f"@{actor.handle}" + (f"@{actor.domain}" if actor.domain else "")


def build_export(user: User) -> dict[str, Any]:
    actor = user.actor
    return {
        "format": "quarter-node-export",
        "format_version": FORMAT_VERSION,
        "exported_at": _time(utcnow()),
        "profile": _profile(actor),
        "account": _account(user),
        "posts": _posts(actor),
        "media": _media(actor),
        "likes_given": _likes(actor),
        "following": _following(actor),
        "followers": _followers(actor),
        "group_memberships": _memberships(actor),
        "invitations_made": _invitations(actor),
        "notifications": _notifications(actor),
    }


def _profile(actor: Actor) -> dict[str, Any]:
    return {
        "handle": actor.handle,
        "display_name": actor.display_name,
        "bio": actor.bio,
        "created_at": _time(actor.created_at),
        "suspended_at": _time(actor.suspended_at),
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "role": user.role.value,
        "state": user.state.value,
        "language": user.locale,
        "application_text": user.application_text,
        "invited": user.invitation_id is not None,
        "created_at": _time(user.created_at),
        "last_login_at": _time(user.last_login_at),
    }


def _posts(actor: Actor) -> list[dict[str, Any]]:
    posts = db.session.scalars(
        db.select(Post).where(Post.author_id == actor.id).order_by(Post.created_at, Post.id)
    )
    return [
        {
            "id": post.id,
            "source": post.source,
            "html": post.content_html,
            "visibility": post.visibility.value,
            "group": _handle(post.group.actor) if post.group else None,
            "in_reply_to_id": post.in_reply_to_id,
            "language": post.language,
            "created_at": _time(post.created_at),
            "edited_at": _time(post.edited_at),
            "deleted_at": _time(post.deleted_at),
            "hidden_by_moderators_at": _time(post.hidden_at),
            "media": [m.storage_name for m in post.media],
        }
        for post in posts
    ]


def _media(actor: Actor) -> list[dict[str, Any]]:
    media = db.session.scalars(
        db.select(Media).where(Media.owner_id == actor.id).order_by(Media.id)
    )
    return [
        {
            "file": item.storage_name,
            "purpose": item.purpose,
            "post_id": item.post_id,
            "mime_type": item.mime_type,
            "alt_text": item.alt_text,
            "created_at": _time(item.created_at),
        }
        for item in media
    ]


def _likes(actor: Actor) -> list[dict[str, Any]]:
    likes = db.session.scalars(
        db.select(Like).where(Like.actor_id == actor.id).order_by(Like.created_at, Like.id)
    )
    return [{"post_id": like.post_id, "created_at": _time(like.created_at)} for like in likes]


def _following(actor: Actor) -> list[dict[str, Any]]:
    follows = db.session.scalars(
        db.select(Follow).where(Follow.follower_id == actor.id).order_by(Follow.id)
    )
    return [
        {"actor": _handle(f.followed), "state": f.state.value, "since": _time(f.created_at)}
        for f in follows
    ]


def _followers(actor: Actor) -> list[dict[str, Any]]:
    follows = db.session.scalars(
        db.select(Follow).where(Follow.followed_id == actor.id).order_by(Follow.id)
    )
    return [
        {"actor": _handle(f.follower), "state": f.state.value, "since": _time(f.created_at)}
        for f in follows
    ]


def _memberships(actor: Actor) -> list[dict[str, Any]]:
    memberships = db.session.scalars(
        db.select(Membership).where(Membership.actor_id == actor.id).order_by(Membership.id)
    )
    return [
        {
            "group": _handle(m.group.actor),
            "role": m.role.value,
            "state": m.state.value,
            "since": _time(m.created_at),
        }
        for m in memberships
    ]


def _invitations(actor: Actor) -> list[dict[str, Any]]:
    invitations = db.session.scalars(
        db.select(Invitation).where(Invitation.created_by_id == actor.id).order_by(Invitation.id)
    )
    return [
        {
            "code": inv.code,
            "note": inv.note,
            "group": _handle(inv.group.actor) if inv.group else None,
            "uses": inv.uses,
            "max_uses": inv.max_uses,
            "expires_at": _time(inv.expires_at),
            "revoked_at": _time(inv.revoked_at),
            "created_at": _time(inv.created_at),
        }
        for inv in invitations
    ]


def _notifications(actor: Actor) -> list[dict[str, Any]]:
    notifications = db.session.scalars(
        db.select(Notification)
        .where(Notification.recipient_id == actor.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        {
            "kind": n.kind.value,
            "from": _handle(n.actor),
            "post_id": n.post_id,
            "group": _handle(n.group.actor) if n.group else None,
            "text": n.text,
            "read_at": _time(n.read_at),
            "created_at": _time(n.created_at),
        }
        for n in notifications
    ]
