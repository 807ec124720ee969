"""Federation state: keys, received activities, the outbox with its deliveries, peer hosts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db

URI = String(2048)


class ActorKey(db.Model):
    """A key pair of a local actor (private part kept) or a remote actor's public key.

    Several rows per actor allow key rotation: the newest unrevoked local key signs.
    """

    __tablename__ = "actor_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[str] = mapped_column(URI, unique=True)
    public_pem: Mapped[str] = mapped_column(Text)
    private_pem: Mapped[str | None] = mapped_column(Text)  # only for local actors
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor = relationship("Actor", foreign_keys=[actor_id])


class InboxState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # gave up after retries; kept for inspection
    IGNORED = "ignored"  # valid but nothing to do (unknown type, policy)


class InboxItem(db.Model):
    """A verified incoming activity, stored once (its id is unique), applied by a worker."""

    __tablename__ = "inbox_items"
    __table_args__ = (Index("ix_inbox_items_state_received", "state", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(URI, unique=True)
    activity_type: Mapped[str] = mapped_column(String(50))
    actor_uri: Mapped[str] = mapped_column(URI, index=True)
    # The local inbox owner it was posted to (None: the shared inbox).
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    key_id: Mapped[str] = mapped_column(URI, default="")
    state: Mapped[InboxState] = mapped_column(StrEnumType(InboxState), default=InboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboundActivity(db.Model):
    """An activity a local actor sent; deliveries point at it (the transactional outbox)."""

    __tablename__ = "outbound_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(URI, unique=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    activity_type: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Public activities appear in the actor's outbox collection.
    public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("Actor", foreign_keys=[actor_id])


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # retries exhausted
    GONE = "gone"  # the recipient answered 410 Gone; never retried


class Delivery(db.Model):
    """One POST of one activity to one inbox (shared inbox preferred)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("activity_id", "inbox_url"),
        Index("ix_deliveries_state_next_attempt", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("outbound_activities.id", ondelete="CASCADE")
    )
    inbox_url: Mapped[str] = mapped_column(URI)
    host: Mapped[str] = mapped_column(String(255), index=True)
    state: Mapped[DeliveryState] = mapped_column(
        StrEnumType(DeliveryState), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_status: Mapped[int | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[OutboundActivity] = relationship(foreign_keys=[activity_id])


class HostPolicy(enum.StrEnum):
    NONE = "none"
    LIMIT = "limit"  # only followers see its content; nothing public from it
    REJECT = "reject"  # nothing is accepted from it or sent to it


class PeerHost(db.Model):
    """What the node knows about another server: reachability, software, policy."""

    __tablename__ = "peer_hosts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Host as in URLs, with port when not default (``127.0.0.1:5001`` in dev mode).
    host: Mapped[str] = mapped_column(String(255), unique=True)
    policy: Mapped[HostPolicy] = mapped_column(StrEnumType(HostPolicy), default=HostPolicy.NONE)
    policy_reason: Mapped[str] = mapped_column(Text, default="")
    allowlisted: Mapped[bool] = mapped_column(default=False)  # for allowlist mode
    # Reachability: unavailable hosts are skipped until a probe succeeds.
    available: Mapped[bool] = mapped_column(default=True)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_probe_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which HTTP signature scheme the host accepted ("rfc9421" or "cavage").
    signature_scheme: Mapped[str] = mapped_column(String(20), default="")
    software_name: Mapped[str] = mapped_column(String(100), default="")
    software_version: Mapped[str] = mapped_column(String(100), default="")
    nodeinfo_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Share(db.Model):
    """An Announce (boost) of a post by an actor, local or remote."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("actor_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    uri: Mapped[str | None] = mapped_column(URI, unique=True)  # remote Announce id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("Actor", foreign_keys=[actor_id])
    post = relationship("Post", foreign_keys=[post_id])


class PostAddressee(db.Model):
    """Explicit addressees of a post (mentions; the only audience of a direct post)."""

    __tablename__ = "post_addressees"
    __table_args__ = (UniqueConstraint("post_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
