"""The tables of the iCalendar side: personal feed tokens, subscriptions to outside
calendars, and what the last import stored per imported event.

Kept apart from ``models.py`` (the events themselves): these only say where events came
from or who may read a private feed.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.plugin_api import UTCDateTime, db, utcnow


def new_feed_token() -> str:
    """A secret for a personal feed URL (the URL is the only credential a calendar app
    sends, so it must not be guessable)."""
    return secrets.token_urlsafe(32)


class FeedToken(db.Model):
    """The secret in a member's personal feed URL; a new one replaces (and so revokes)
    the old one. Stored as is: the member's page shows the URL again and again."""

    __tablename__ = "events_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("Actor")


class IcalSubscription(db.Model):
    """An outside calendar (a municipality's, a club's) imported into a group or for an
    organiser, refreshed periodically with a conditional GET."""

    __tablename__ = "events_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    # The imported events' organiser: a group's actor (with group_id set) or a person.
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    default_category: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(String(200), default="")  # the feed's own name
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))  # as the server sent it
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("Actor", foreign_keys=[actor_id])
    group = relationship("Group", foreign_keys=[group_id])


class ImportState(db.Model):
    """What an import stored of an event's source copy: SEQUENCE, LAST-MODIFIED and a
    content hash, so the next refresh or upload changes only what really changed."""

    __tablename__ = "events_import_states"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events_events.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(default=0)
    source_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
