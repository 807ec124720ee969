"""The plain data the iCal code exchanges with the rest of the plugin.

``IcalEvent`` mirrors what the plugin's ``Event`` model holds, in iCalendar's terms: a
timed event has ``start``/``end`` as aware datetimes in the zone named by ``timezone`` (its
wall-clock time is what a recurrence keeps across daylight-saving changes); an all-day
event has plain dates, ``end`` being the day AFTER the last day, as RFC 5545 counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Berlin"
#: iCalendar STATUS values of a VEVENT (the model's ``postponed`` maps to TENTATIVE).
STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")

DateOrTime = date | datetime


class IcalError(ValueError):
    """Input that is not a usable calendar. ``reason`` names the problem for callers
    that show it translated (``too_large``, ``not_calendar``, ``too_many_events``,
    ``unreadable``, ``incomplete``); ``limit`` is the cap a file went over."""

    def __init__(self, message: str, reason: str = "unreadable", limit: int | None = None):
        super().__init__(message)
        self.reason, self.limit = reason, limit


@dataclass(frozen=True)
class Geo:
    """Coordinates of the place, as iCalendar's GEO property carries them."""

    latitude: float
    longitude: float


@dataclass
class IcalEvent:
    """One VEVENT: a one-off or recurring event, or (with ``recurrence_id``) an override
    of one occurrence of its parent, kept in the parent's ``overrides`` (a cancelled
    occurrence is an override with status CANCELLED). ``title`` is empty when a feed
    gave none; the importer decides what to show then."""

    uid: str
    title: str
    start: DateOrTime
    end: DateOrTime | None = None
    timezone: str = DEFAULT_TIMEZONE
    description: str = ""
    url: str | None = None
    rrule: str | None = None  # RFC 5545 RRULE value without the "RRULE:" prefix
    exdates: list[DateOrTime] = field(default_factory=list)
    overrides: list[IcalEvent] = field(default_factory=list)
    recurrence_id: DateOrTime | None = None
    status: str = "CONFIRMED"
    location: str = ""
    geo: Geo | None = None
    categories: list[str] = field(default_factory=list)
    organizer_name: str | None = None
    organizer_email: str | None = None
    last_modified: datetime | None = None
    created: datetime | None = None
    sequence: int = 0

    @property
    def all_day(self) -> bool:
        """All-day events are given as dates, not datetimes."""
        return not isinstance(self.start, datetime)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def duration(self) -> timedelta:
        """Length of each occurrence in real time (across a clock change too); an event
        without an end is a moment, or one day when all-day."""
        if self.end is None:
            return timedelta(days=1) if self.all_day else timedelta(0)
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.end.astimezone(UTC) - self.start.astimezone(UTC)
        return self.end - self.start

    @property
    def start_local(self) -> datetime:
        """The naive wall-clock start in the event's own zone (what the model stores)."""
        return wall_clock(self.start, self.timezone)


def wall_clock(moment: DateOrTime, timezone: str) -> datetime:
    """A date or aware datetime as the naive wall-clock time in ``timezone``."""
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None or getattr(moment.tzinfo, "key", None) == timezone:
        return moment.replace(tzinfo=None)  # as written, even a time the clocks skip
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


@dataclass
class ParsedCalendar:
    """What an imported feed contains: its own name and zone, and its events grouped
    by UID (overrides inside their parent), plus notes about what was skipped."""

    events: list[IcalEvent]
    name: str | None = None
    description: str | None = None
    timezone: str | None = None  # the feed's X-WR-TIMEZONE, when it names a real zone
    refresh_interval: timedelta | None = None
    warnings: list[str] = field(default_factory=list)
