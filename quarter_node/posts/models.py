"""Posts, replies and likes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class Visibility(enum.StrEnum):
    """Who may see a post. Checked in ``posts.visibility`` for every page and listing."""

    PUBLIC = "public"  # everybody, including people who are not logged in
    UNLISTED = "unlisted"  # everybody with the link; left out of public timelines
    MEMBERS = "members"  # logged-in members of this node
    GROUP = "group"  # active members of the post's group
    FOLLOWERS = "followers"  # the author's accepted followers (and the author)
    DIRECT = "direct"  # only the addressees (``PostAddressee``) and the author


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    in_reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    # The first post of the thread (itself for a top-level post is None).
    thread_root_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[Visibility] = mapped_column(
        StrEnumType(Visibility), default=Visibility.PUBLIC
    )
    source: Mapped[str] = mapped_column(Text, default="")  # Markdown as written
    content_html: Mapped[str] = mapped_column(Text, default="")  # sanitised rendering
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deleted posts that have replies stay as a placeholder so the thread holds together.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # hidden by a moderator
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    # Federation: the ActivityPub id and HTML url of a remote post (local: derived).
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(String(2048), default="")

    author = relationship("Actor", foreign_keys=[author_id])
    group = relationship("Group", foreign_keys=[group_id])
    in_reply_to = relationship("Post", remote_side=[id], foreign_keys=[in_reply_to_id])
    media = relationship(
        "Media", order_by="Media.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Like(db.Model):
    __tablename__ = "likes"
    __table_args__ = (UniqueConstraint("actor_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)  # remote Like id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
