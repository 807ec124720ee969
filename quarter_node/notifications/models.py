"""Notifications shown in the web UI."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import OpenStrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class NotificationKind(enum.StrEnum):
    REPLY = "reply"
    MENTION = "mention"
    LIKE = "like"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    JOIN_REQUEST = "join_request"  # for group moderators
    GROUP_INVITE = "group_invite"
    REPORT = "report"  # for moderators
    REGISTRATION = "registration"  # an applicant waits for approval (moderators)
    WARNING = "warning"  # a moderator warned the recipient


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    # A core kind, or a plugin's own kind as a string "<plugin>.<kind>" (the plugin's hook
    # ``quarter_notification_text`` says what it means).
    kind: Mapped[NotificationKind | str] = mapped_column(OpenStrEnumType(NotificationKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")  # e.g. a moderator's warning
    # What a plugin's notification is about, in the plugin's own terms (e.g. "event:42").
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipient = relationship("Actor", foreign_keys=[recipient_id])
    actor = relationship("Actor", foreign_keys=[actor_id])
    post = relationship("Post", foreign_keys=[post_id])
    group = relationship("Group", foreign_keys=[group_id])
    report = relationship("Report", foreign_keys=[report_id])
