"""People and their accounts.

An ``Actor`` is anybody who can act or be followed: a resident (person), a group, later remote
actors from other nodes. A ``User`` is the login of a local person. Keeping the two apart lets
federation add remote actors without touching accounts.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.db_types import StrEnumType, UTCDateTime, utcnow
from quarter_node.extensions import db


class ActorKind(enum.StrEnum):
    PERSON = "person"
    GROUP = "group"
    APPLICATION = "application"  # a node's instance actor (signed fetches, relays)


class Role(enum.StrEnum):
    """Node-wide roles, ordered from least to most powerful."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class AccountState(enum.StrEnum):
    PENDING = "pending"  # waiting for a moderator's approval
    ACTIVE = "active"
    REJECTED = "rejected"


class Actor(db.Model):
    __tablename__ = "actors"
    __table_args__ = (Index("ix_actors_handle_domain", "handle", "domain", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActorKind] = mapped_column(StrEnumType(ActorKind))
    # Lower-case, [a-z0-9_]; unique together with domain across persons AND groups (WebFinger).
    handle: Mapped[str] = mapped_column(String(64))
    # '' for actors of this node; the host name for remote actors (federation).
    domain: Mapped[str] = mapped_column(String(255), default="")
    display_name: Mapped[str] = mapped_column(String(100), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Federation. Local actors leave the URLs empty (they derive from BASE_URL, see
    # activitypub/urls.py); remote actors keep what their server published.
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    inbox_url: Mapped[str] = mapped_column(String(2048), default="")
    shared_inbox_url: Mapped[str] = mapped_column(String(2048), default="")
    outbox_url: Mapped[str] = mapped_column(String(2048), default="")
    followers_url: Mapped[str] = mapped_column(String(2048), default="")
    following_url: Mapped[str] = mapped_column(String(2048), default="")
    profile_url: Mapped[str] = mapped_column(String(2048), default="")  # HTML page
    icon_url: Mapped[str] = mapped_column(String(2048), default="")  # remote avatar
    manually_approves_followers: Mapped[bool] = mapped_column(default=False)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # remote: last refresh

    user: Mapped[User | None] = relationship(back_populates="actor", uselist=False)
    # The actor's current avatar: the one Media row it owns with purpose "avatar".
    avatar = relationship(
        "Media",
        primaryjoin="and_(Media.owner_id == Actor.id, Media.purpose == 'avatar')",
        foreign_keys="Media.owner_id",
        viewonly=True,
        uselist=False,
    )

    @property
    def is_local(self) -> bool:
        return self.domain == ""

    @property
    def name(self) -> str:
        """What to show people: the display name, else the handle."""
        return self.display_name or self.handle

    def __repr__(self) -> str:
        return f"<Actor {self.kind} @{self.handle}{'@' + self.domain if self.domain else ''}>"


# How long a deleted person's or group's handle (and so its ActivityPub id) stays reserved.
HANDLE_RESERVED_FOR = timedelta(days=90)


class ActorTombstone(db.Model):
    """What remains of a deleted local person or group: enough to say "gone" and to sign
    the ``Delete`` that tells other servers, and nothing personal.

    The ``Actor`` row goes with the account (the database cascade erases everything the
    person made, as it always did), so no query for living actors has to skip the dead. The
    tombstone keeps the handle reserved (the ActivityPub id is built from it, and a new
    account under an old id would inherit what peers cached about the old one), answers
    410 at the id and on WebFinger, and holds the private key until the ``Delete``
    deliveries are finished. ``activitypub/tombstones.py`` makes, uses and purges them.
    """

    __tablename__ = "actor_tombstones"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActorKind] = mapped_column(StrEnumType(ActorKind))
    handle: Mapped[str] = mapped_column(String(64), unique=True)  # local handles only
    uri: Mapped[str] = mapped_column(String(2048), unique=True)  # the former actor id
    key_id: Mapped[str] = mapped_column(String(2048), default="")
    private_pem: Mapped[str | None] = mapped_column(Text)  # dropped once nothing is to sign
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<ActorTombstone {self.kind} @{self.handle}>"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), unique=True)
    # Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StrEnumType(Role), default=Role.MEMBER)
    state: Mapped[AccountState] = mapped_column(
        StrEnumType(AccountState), default=AccountState.ACTIVE
    )
    # None: follow the browser, then the node's default language.
    locale: Mapped[str | None] = mapped_column(String(10))
    # What an applicant wrote when the node approves registrations.
    application_text: Mapped[str] = mapped_column(Text, default="")
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[Actor] = relationship(back_populates="user")
    invitation = relationship("Invitation", foreign_keys=[invitation_id])

    # --- Flask-Login ---------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.state == AccountState.ACTIVE and self.actor.suspended_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The password hash fragment ends every session when the password changes.
        return f"{self.id}:{self.password_hash[-12:]}"

    def has_role(self, role: Role) -> bool:
        return self.role.rank >= role.rank


class Invitation(db.Model):
    """An invitation link a multiplier hands out; optionally also invites into a group."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(200), default="")
    max_uses: Mapped[int | None] = mapped_column()  # None: unlimited
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("Actor", foreign_keys=[created_by_id])
    group = relationship("Group", foreign_keys=[group_id])

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return self.max_uses is None or self.uses < self.max_uses
