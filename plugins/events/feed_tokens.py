"""The secret tokens of personal feeds: one per member, made on first use, replaced on
request (which revokes the old URL at once)."""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import User, db, utcnow

from .ical_models import FeedToken, new_feed_token


def token_of(user: Any) -> FeedToken:
    """The member's token, made (and committed) the first time she asks for it."""
    found = db.session.scalar(db.select(FeedToken).where(FeedToken.actor_id == user.actor_id))
    if found is None:
        found = FeedToken(actor_id=user.actor_id)
        db.session.add(found)
        db.session.commit()
    return found


def renew_token(user: Any) -> FeedToken:
    """A new secret; calendar apps subscribed with the old URL get 404 from now on."""
    found = token_of(user)
    found.token, found.created_at = new_feed_token(), utcnow()
    db.session.commit()
    return found


def member_for_token(token: str) -> User | None:
    """The active member a feed token belongs to, or None (unknown token, closed account)."""
    if not token or len(token) > 64:
        return None
    found = db.session.scalar(db.select(FeedToken).where(FeedToken.token == token))
    if found is None:
        return None
    user = db.session.scalar(db.select(User).where(User.actor_id == found.actor_id))
    return user if user is not None and user.is_active else None
