"""Reports and the moderators' audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class ReportState(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # a moderator acted
    DISMISSED = "dismissed"  # a moderator found nothing to do


class ReportCategory(enum.StrEnum):
    """What kind of problem the reporter sees; helps moderators sort the queue."""

    SPAM = "spam"
    HARASSMENT = "harassment"  # harassment or insult
    ILLEGAL = "illegal"  # illegal content
    MISINFORMATION = "misinformation"
    OTHER = "other"


class Report(db.Model):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    # The reported account; for a reported post, its author.
    target_actor_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    target_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    # Set when the post belongs to a group: that group's moderators see the report too.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    category: Mapped[ReportCategory] = mapped_column(
        StrEnumType(ReportCategory), default=ReportCategory.OTHER
    )
    state: Mapped[ReportState] = mapped_column(
        StrEnumType(ReportState), default=ReportState.OPEN, index=True
    )
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reporter = relationship("Actor", foreign_keys=[reporter_id])
    target_actor = relationship("Actor", foreign_keys=[target_actor_id])
    target_post = relationship("Post", foreign_keys=[target_post_id])
    group = relationship("Group", foreign_keys=[group_id])
    resolved_by = relationship("Actor", foreign_keys=[resolved_by_id])


class AuditLogEntry(db.Model):
    """One moderator or admin action. Never edited or deleted by the application."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    # e.g. "post.hide", "post.delete", "account.warn", "account.suspend", "account.unsuspend",
    # "report.dismiss", "user.set_role", "registration.approve", "registration.reject"
    action: Mapped[str] = mapped_column(String(50), index=True)
    target_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    target_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    # Handle of the target at the time, so the log stays readable after deletions.
    target_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    moderator = relationship("Actor", foreign_keys=[moderator_id])
    target_actor = relationship("Actor", foreign_keys=[target_actor_id])
    target_post = relationship("Post", foreign_keys=[target_post_id])
    group = relationship("Group", foreign_keys=[group_id])
