"""Who follows whom (following fills the home timeline) and who blocks whom."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class FollowState(enum.StrEnum):
    PENDING = "pending"  # waiting for the followed actor to accept
    ACCEPTED = "accepted"


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("follower_id", "followed_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    followed_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[FollowState] = mapped_column(
        StrEnumType(FollowState), default=FollowState.ACCEPTED
    )
    # The id of the Follow activity (remote follows and our outgoing ones), for Accept/Undo.
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    follower = relationship("Actor", foreign_keys=[follower_id])
    followed = relationship("Actor", foreign_keys=[followed_id])


class Block(db.Model):
    """``blocker`` wants nothing to do with ``blocked``: no follows either way, and neither
    sees the other's posts or hears of the other's actions (``posts.visibility``,
    ``notifications``). Local members block anybody; a remote actor's Block of one of ours
    is stored too, so the local side is kept away from the blocker as well."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    # The id of the Block activity (ours when we send it, the peer's when received), for Undo.
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    blocker = relationship("Actor", foreign_keys=[blocker_id])
    blocked = relationship("Actor", foreign_keys=[blocked_id])
