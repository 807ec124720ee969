"""Who signed up for which event (and which date of a series), and in which state.

One row per person (local or remote actor), event and occurrence. ``occurrence_local`` is
the ORIGINAL local start of the chosen date of a series (what identifies an occurrence even
when one date is moved); it is NULL for one-off events, so a postponed event keeps its
participants. A withdrawal deletes the row.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.plugin_api import UTCDateTime, db, utcnow


class ParticipationState(enum.StrEnum):
    GOING = "going"
    INTERESTED = "interested"
    WAITING = "waiting"  # wanted to go, but the occurrence is full (first come, first served)
    PENDING = "pending"  # asked to go; the organiser decides (join mode "approval")
    REJECTED = "rejected"  # the organiser said no


class Participation(db.Model):
    __tablename__ = "events_participations"
    __table_args__ = (
        UniqueConstraint("event_id", "actor_id", "occurrence_local"),
        # NULLs are distinct in the constraint above: one-off events need their own.
        Index(
            "uq_events_participations_one_off",
            "event_id",
            "actor_id",
            unique=True,
            sqlite_where=text("occurrence_local IS NULL"),
            postgresql_where=text("occurrence_local IS NULL"),
        ),
        Index("ix_events_participations_event_state", "event_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events_events.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    occurrence_local: Mapped[datetime | None] = mapped_column(DateTime)  # naive, original start
    state: Mapped[str] = mapped_column(String(20))
    # The ActivityPub id of a remote person's Join (or of our Join to a remote event).
    uri: Mapped[str | None] = mapped_column(String(2048), unique=True)
    message: Mapped[str] = mapped_column(Text, default="")  # what the person wrote with a request
    # Waiting-list order: first come, first served (renewed when someone queues again).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the state last changed ("since" in the participant list).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The occurrence start (UTC) the reminder was sent for; a moved date is reminded again.
    reminded_for: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("Event")
    actor = relationship("Actor")

    def __repr__(self) -> str:
        return f"<Participation {self.id} event={self.event_id} actor={self.actor_id} {self.state}>"
