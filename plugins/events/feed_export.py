"""Events as iCalendar feeds: which events a feed holds, how an ``Event`` reads in
iCalendar, and a short per-process cache so that calendar apps polling every few minutes
do not make the node export thousands of events each time.

A feed holds the events meeting a bounded window (the past ``PAST_WINDOW`` to
``AHEAD_WINDOW`` ahead: exporting 5,000 events takes seconds). Recurring events are written
once, with their RRULE, cancelled dates as EXDATE and changed dates as overrides. Its
version (the ETag) is a digest of the ids and change times of the events in it, so a
conditional request is answered from one small query, without exporting anything; and
each event's VEVENT lines are kept by its change time, so a feed is rebuilt after a
change from the lines of the events that did not change.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from quarter_node.plugin_api import db, utcnow

from . import links
from .categories import configured_categories
from .display import address_lines
from .ical import IcalEvent, calendar_bytes
from .ical.export import event_bytes
from .ical.model import Geo
from .links import event_url
from .models import Event, EventStatus
from .recurrence import Occurrence, local_to_utc, occurrence_at, occurrence_key

PAST_WINDOW = timedelta(days=90)
AHEAD_WINDOW = timedelta(days=366)
CACHE_SECONDS = 600  # safe: an entry is used only while the ETag still matches
CACHE_SIZE = 200
REFRESH_INTERVAL = timedelta(hours=1)
STATUS_TO_ICAL = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class FeedDocument:
    body: bytes
    etag: str
    last_modified: datetime | None


@dataclass(frozen=True)
class FeedSpec:
    """One feed: a cache key, the condition selecting its events, and its name.

    ``dates`` narrows series to chosen dates (event id -> original local starts), for a
    personal feed of someone who signed up for single dates; ``extra_version`` is what
    else the feed depends on (those sign-ups). Such a feed has no trustworthy change time,
    so it is versioned by its ETag alone.
    """

    key: str
    condition: ColumnElement[bool]
    name: str
    page_url: str
    dates: dict[int, frozenset[datetime]] = field(default_factory=dict)
    extra_version: str = ""


_cache: dict[tuple[str, str], tuple[float, FeedDocument]] = {}
#: VEVENT lines per (UID, event id, change time, category labels): after one event changed,
#: a feed of thousands is rebuilt from the others' lines instead of written anew.
_event_lines: dict[tuple[str, int, float, int], bytes] = {}
EVENT_LINES_SIZE = 20000
_lock = threading.Lock()


def window(now: datetime) -> tuple[datetime, datetime]:
    return now - PAST_WINDOW, now + AHEAD_WINDOW


def _in_window(now: datetime) -> tuple[ColumnElement[bool], ...]:
    start, end = window(now)
    return Event.starts_at < end, or_(Event.ends_at.is_(None), Event.ends_at > start)


def feed_version(spec: FeedSpec, now: datetime | None = None) -> tuple[str, datetime | None]:
    """ETag and Last-Modified of the feed, from ids and change times alone."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Event.id, Event.updated_at)
        .where(spec.condition, *_in_window(now))
        .order_by(Event.id)
    ).all()
    labels = sorted(configured_categories().items())  # CATEGORIES are written as labels
    digest = hashlib.sha256(
        f"{spec.key}|{spec.name}|{now.date()}|{labels}|{spec.extra_version}".encode()
    )
    for event_id, updated_at in rows:
        digest.update(f"|{event_id}:{updated_at.timestamp()}".encode())
    newest = max((row[1] for row in rows), default=now.replace(microsecond=0) - PAST_WINDOW)
    etag = f'"{digest.hexdigest()[:32]}"'
    return etag, None if spec.extra_version else newest.replace(microsecond=0)


def feed_document(
    spec: FeedSpec, version: tuple[str, datetime | None] | None = None
) -> FeedDocument:
    """The feed, from the cache while its version is unchanged and the entry is young."""
    now = utcnow()
    etag, last_modified = version or feed_version(spec, now)
    cache_key = (spec.key, etag)
    with _lock:
        cached = _cache.get(cache_key)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
    events = db.session.scalars(
        select(Event)
        .where(spec.condition, *_in_window(now))
        .order_by(Event.starts_at, Event.id)
        .options(selectinload(Event.exceptions), selectinload(Event.category_rows))
    ).all()
    labels = configured_categories()  # read once: each read is a settings query
    entries = _unique_uids(
        (item, event) for event in events for item in _entries(event, spec, labels)
    )
    labels_key = hash(tuple(sorted(labels.items())))
    changed_at = {
        uid: (event.id, event.updated_at.timestamp()) for uid, (_, event) in entries.items()
    }

    def lines_of(item: IcalEvent) -> bytes:
        key = (item.uid, *changed_at[item.uid], labels_key)
        with _lock:
            found = _event_lines.get(key)
        if found is None:
            found = event_bytes(item, now=now)
            with _lock:
                if len(_event_lines) >= EVENT_LINES_SIZE:
                    _event_lines.clear()
                _event_lines[key] = found
        return found

    body = calendar_bytes(
        [item for item, _ in entries.values()],
        name=spec.name,
        url=spec.page_url,
        refresh_interval=REFRESH_INTERVAL,
        now=now,
        event_bytes_of=lines_of,
    )
    document = FeedDocument(body, etag, last_modified)
    with _lock:
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[cache_key] = (time.monotonic(), document)
    return document


def _entries(event: Event, spec: FeedSpec, labels: dict[str, str]) -> list[IcalEvent]:
    """The event whole, or only the dates of a series the feed is narrowed to."""
    chosen = spec.dates.get(event.id)
    if not chosen or not event.rrule:
        return [to_ical(event, labels)]
    found = (occurrence_at(event, original) for original in sorted(chosen))
    return [single_date(o, labels) for o in found if o is not None]


def _category_labels(event: Event, labels: dict[str, str] | None) -> list[str]:
    """The event's categories as the node names them (``labels``: the configured ones)."""
    labels = configured_categories() if labels is None else labels
    return [labels.get(slug, slug) for slug in event.categories]


def single_date(occurrence: Occurrence, labels: dict[str, str] | None = None) -> IcalEvent:
    """One date of a series as an event of its own (UID ``<series uid>#<date>``, as
    calendar apps show a single instance most reliably)."""
    event = occurrence.event
    zone = ZoneInfo(event.timezone)
    start, end = _span(occurrence.start_local, _minutes(occurrence), event.all_day, zone)
    return IcalEvent(
        uid=f"{uid_of(event)}#{occurrence.key}",
        title=occurrence.title,
        start=start,
        end=end,
        timezone=event.timezone,
        description="\n\n".join(part for part in (occurrence.note, event.description) if part),
        url=event_url(event, occurrence.key, True),
        status=STATUS_TO_ICAL.get(occurrence.status, "CONFIRMED"),  # type: ignore[call-overload]
        location=location_text(event, occurrence.place_name),
        categories=_category_labels(event, labels),
        last_modified=event.updated_at,
    )


def _minutes(occurrence: Occurrence) -> int:
    return round((occurrence.end - occurrence.start).total_seconds() / 60)


def _unique_uids(pairs: Any) -> dict[str, tuple[IcalEvent, Event]]:
    """One VEVENT per UID: two groups importing the same outside calendar hold copies of
    one event, which a calendar app must see once."""
    seen: dict[str, tuple[IcalEvent, Event]] = {}
    for item, event in pairs:
        seen.setdefault(item.uid, (item, event))
    return seen


def to_ical(event: Event, labels: dict[str, str] | None = None) -> IcalEvent:
    """An ``Event`` with its exceptions as iCalendar sees it."""
    zone = ZoneInfo(event.timezone)
    start, end = _span(event.start_local, event.duration, event.all_day, zone)
    categories = _category_labels(event, labels)
    cancelled = [e for e in event.exceptions if e.cancelled]
    changed = [e for e in event.exceptions if not e.cancelled]
    return IcalEvent(
        uid=uid_of(event),
        title=event.title,
        start=start,
        end=end,
        timezone=event.timezone,
        description=event.description,
        url=event_url(event, external=True),
        rrule=event.rrule or None,
        exdates=[_moment(e.original_start_local, event.all_day, zone) for e in cancelled]
        if event.rrule
        else [],
        overrides=[_override(event, e, zone, categories) for e in changed] if event.rrule else [],
        status=STATUS_TO_ICAL.get(event.status, "CONFIRMED"),  # type: ignore[call-overload]
        location=location_text(event),
        geo=Geo(event.latitude, event.longitude)
        if event.latitude is not None and event.longitude is not None
        else None,
        categories=categories,
        created=event.created_at,
        last_modified=event.updated_at,
    )


def uid_of(event: Event) -> str:
    """The event's UID; one made from its id should an event from elsewhere lack one
    (an empty UID would merge unrelated events in calendar apps)."""
    return event.ical_uid or f"event-{event.id}@{urlsplit(links.absolute('/')).netloc}"


def location_text(event: Any, place_name: str | None = None) -> str:
    """The place's name and postal address on one line, else the online link."""
    parts = [place_name if place_name is not None else event.place_name, *address_lines(event)]
    text = ", ".join(part for part in parts if part)
    return text or event.online_url


def _span(
    start_local: datetime, duration: int, all_day: bool, zone: ZoneInfo
) -> tuple[date | datetime, date | datetime]:
    if all_day:
        first = start_local.date()
        return first, first + timedelta(days=max(1, round(duration / 1440)))
    start = start_local.replace(tzinfo=zone)
    end = (local_to_utc(start_local, zone) + timedelta(minutes=duration)).astimezone(zone)
    return start, end


def _moment(local: datetime, all_day: bool, zone: ZoneInfo) -> date | datetime:
    return local.date() if all_day else local.replace(tzinfo=zone)


def _override(event: Event, exception: Any, zone: ZoneInfo, categories: list[str]) -> IcalEvent:
    duration = exception.duration if exception.duration is not None else event.duration
    start, end = _span(exception.start_local or exception.original_start_local, duration,
                       event.all_day, zone)  # fmt: skip
    description = "\n\n".join(part for part in (exception.note, event.description) if part)
    return IcalEvent(
        uid=uid_of(event),
        title=exception.title or event.title,
        start=start,
        end=end,
        timezone=event.timezone,
        description=description,
        url=event_url(event, occurrence_key(exception.original_start_local), True),
        recurrence_id=_moment(exception.original_start_local, event.all_day, zone),
        status=STATUS_TO_ICAL.get(event.status, "CONFIRMED"),  # type: ignore[call-overload]
        location=location_text(event, exception.place_name or event.place_name),
        categories=categories,
        last_modified=event.updated_at,
    )


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _event_lines.clear()
