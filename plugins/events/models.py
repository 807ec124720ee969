"""The events plugin's tables: events, their categories and one-occurrence exceptions.

Every instant is stored in UTC; an event also keeps its wall-clock start (``start_local``)
in its own zone (``timezone``), because a weekly 19:00 meeting stays at 19:00 local time
when the clocks change, so recurrences are expanded from the local start (``recurrence.py``).
``starts_at``/``ends_at`` are derived from it and exist for indexes and range queries.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.plugin_api import UTCDateTime, db, utcnow

DEFAULT_TIMEZONE = "Europe/Berlin"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class EventVisibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"  # members of this node only
    GROUP = "group"  # members of the event's group only


class EventJoinMode(enum.StrEnum):
    FREE = "free"
    APPROVAL = "approval"
    CLOSED = "closed"  # no sign-up here (imported events, for example)


class Event(db.Model):
    __tablename__ = "events_events"
    __table_args__ = (
        Index("ix_events_events_starts_at", "starts_at"),
        Index("ix_events_events_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # ActivityPub id of a remote event; NULL for events made here.
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    # UID for iCalendar export and import; local events get "<uuid>@<host>".
    ical_uid: Mapped[str] = mapped_column(String(500), index=True)
    # Set for events imported from an iCal subscription (wave 2 adds that table).
    subscription_id: Mapped[int | None] = mapped_column(index=True)
    organizer_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown source
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised

    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    start_local: Mapped[datetime] = mapped_column(DateTime)  # naive wall-clock time
    duration: Mapped[int] = mapped_column(default=60)  # minutes; all-day: days x 1440
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # first occurrence, UTC
    # End of the LAST occurrence (UTC); NULL for an open-ended series.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # RFC 5545 RRULE without "RRULE:"; NULL for a one-off event.
    rrule: Mapped[str | None] = mapped_column(String(500))

    place_name: Mapped[str] = mapped_column(String(200), default="")
    street_address: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    locality: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="DE")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str] = mapped_column(String(2048), default="")

    # The picture is a core Media row (stored and cleaned by the core, served by the plugin).
    image_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    # A remote or imported event's picture, by URL.
    image_url: Mapped[str] = mapped_column(String(2048), default="")
    image_alt: Mapped[str] = mapped_column(Text, default="")

    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_language: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="de")
    contact: Mapped[str] = mapped_column(String(300), default="")

    status: Mapped[str] = mapped_column(String(20), default=EventStatus.SCHEDULED)
    visibility: Mapped[str] = mapped_column(String(20), default=EventVisibility.PUBLIC)
    join_mode: Mapped[str] = mapped_column(String(20), default=EventJoinMode.FREE)
    capacity: Mapped[int | None] = mapped_column()

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organizer = relationship("Actor", foreign_keys=[organizer_id])
    created_by = relationship("Actor", foreign_keys=[created_by_id])
    group = relationship("Group", foreign_keys=[group_id])
    image = relationship("Media", foreign_keys=[image_id])
    category_rows: Mapped[list[EventCategory]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EventCategory.category"
    )
    exceptions: Mapped[list[OccurrenceException]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OccurrenceException.original_start_local",
    )

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_local(self) -> bool:
        return self.uri is None and self.subscription_id is None

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class EventCategory(db.Model):
    __tablename__ = "events_event_categories"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events_events.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class OccurrenceException(db.Model):
    """One occurrence of a series cancelled or changed (RFC 5545's RECURRENCE-ID)."""

    __tablename__ = "events_exceptions"
    __table_args__ = (UniqueConstraint("event_id", "original_start_local"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events_events.id", ondelete="CASCADE"), index=True
    )
    original_start_local: Mapped[datetime] = mapped_column(DateTime)  # naive wall-clock
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    start_local: Mapped[datetime | None] = mapped_column(DateTime)
    duration: Mapped[int | None] = mapped_column()
    title: Mapped[str | None] = mapped_column(String(200))
    place_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


# Sign-ups live in their own module; importable from here as EVENTS.md names them.
from .participation_models import Participation, ParticipationState  # noqa: E402, F401
