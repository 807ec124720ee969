"""Groups: initiatives, interest groups, house communities."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class GroupVisibility(enum.StrEnum):
    PUBLIC = "public"  # anybody may read the group's public posts and see its members
    MEMBERS_ONLY = "members_only"  # only members see anything beyond name and description


class JoinMode(enum.StrEnum):
    OPEN = "open"  # any member of the node joins at once
    REQUEST = "request"  # group moderators accept or decline requests


class GroupRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return list(GroupRole).index(self)


class MembershipState(enum.StrEnum):
    REQUESTED = "requested"  # the person asked to join
    INVITED = "invited"  # a group moderator invited the person
    ACTIVE = "active"


class Group(db.Model):
    """Settings of a group; its name, handle and description live on its ``Actor``."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), unique=True)
    visibility: Mapped[GroupVisibility] = mapped_column(
        StrEnumType(GroupVisibility), default=GroupVisibility.PUBLIC
    )
    join_mode: Mapped[JoinMode] = mapped_column(StrEnumType(JoinMode), default=JoinMode.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("Actor", foreign_keys=[actor_id])
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    role: Mapped[GroupRole] = mapped_column(StrEnumType(GroupRole), default=GroupRole.MEMBER)
    state: Mapped[MembershipState] = mapped_column(
        StrEnumType(MembershipState), default=MembershipState.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship(back_populates="memberships")
    actor = relationship("Actor", foreign_keys=[actor_id])
