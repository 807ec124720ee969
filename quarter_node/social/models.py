"""Who follows whom. Following a person or group fills the home timeline."""

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
