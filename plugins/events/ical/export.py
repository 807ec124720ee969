"""Build a subscribable iCalendar feed from ``IcalEvent`` objects.

Timed events are written in their own zone (``DTSTART;TZID=Europe/Berlin:...``, local
wall-clock time) with a VTIMEZONE for each zone used: a weekly event at 19:00 then stays
at 19:00 after the clocks change, in every client. Line folding and escaping are left to
the ``icalendar`` library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vRecur, vText

from .model import DateOrTime, IcalEvent

PRODID = "-//Quarter Node//Events//EN"
#: VTIMEZONE rules are written for this many years after the latest event's start; later
#: occurrences still come out right in clients that know the IANA zone (all common ones).
ZONE_YEARS_AHEAD = 6
_END = b"END:VCALENDAR\r\n"


def calendar_bytes(
    events: Iterable[IcalEvent],
    name: str,
    description: str | None = None,
    url: str | None = None,
    refresh_interval: timedelta = timedelta(hours=1),
    *,
    now: datetime | None = None,
    event_bytes_of: Callable[[IcalEvent], bytes] | None = None,
) -> bytes:
    """The whole feed as bytes, ready to serve as ``text/calendar; charset=utf-8``.

    Writing VEVENTs is most of the work; a caller serving the same events again and again
    passes ``event_bytes_of`` to reuse what ``event_bytes`` wrote for unchanged events.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    if description:
        calendar.add("X-WR-CALDESC", description)
    if url:
        calendar.add("URL", url, parameters={"VALUE": "URI"})
    calendar.add("REFRESH-INTERVAL", refresh_interval, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh_interval))
    events = list(events)
    for timezone in _timezones(events):
        calendar.add_component(timezone)
    head = calendar.to_ical().removesuffix(_END)  # the events go in before the end
    write = event_bytes_of or (lambda event: event_bytes(event, now=stamp))
    return b"".join([head, *(write(event) for event in events), _END])


def event_bytes(event: IcalEvent, *, now: datetime | None = None) -> bytes:
    """One event with its overrides as VEVENT lines (a piece of ``calendar_bytes``)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    parts = [_vevent(event, stamp).to_ical()]
    parts += [_vevent(override, stamp, parent=event).to_ical() for override in event.overrides]
    return b"".join(parts)


def _timezones(events: list[IcalEvent]) -> list[Timezone]:
    """One VTIMEZONE per zone a timed event uses, covering the years the events span."""
    years: dict[str, list[int]] = {}
    for event in [*events, *(o for e in events for o in e.overrides)]:
        if isinstance(event.start, datetime) and event.timezone != "UTC":
            years.setdefault(event.timezone, []).append(event.start.year)
    return [
        _zone_component(zone, min(spans) - 1, max(spans) + ZONE_YEARS_AHEAD)
        for zone, spans in sorted(years.items())
    ]


@lru_cache(maxsize=64)
def _zone_component(zone: str, first_year: int, last_year: int) -> Timezone:
    """Generated from the system's zone data; cached, as generating takes a while."""
    return Timezone.from_tzid(
        zone, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )


def _local(moment: DateOrTime, zone: str) -> DateOrTime:
    """A datetime in the event's zone (dates stay dates); UTC ones are written with Z."""
    if not isinstance(moment, datetime) or getattr(moment.tzinfo, "key", None) == zone:
        return moment  # already wall-clock time in its zone, kept as written
    return moment.astimezone(UTC if zone == "UTC" else ZoneInfo(zone))


def _vevent(event: IcalEvent, stamp: datetime, parent: IcalEvent | None = None) -> Event:
    """One VEVENT; an override takes the UID of its parent and names the occurrence."""
    zone = (parent or event).timezone if event.all_day else event.timezone
    component = Event()
    component.add("UID", parent.uid if parent else event.uid)
    component.add("DTSTAMP", stamp)
    component.add("SUMMARY", event.title)
    component.add("DTSTART", _local(event.start, zone))
    if event.end is not None:
        component.add("DTEND", _local(event.end, zone))
    if parent is not None and event.recurrence_id is not None:
        component.add("RECURRENCE-ID", _local(event.recurrence_id, parent.timezone))
    if event.rrule and parent is None:
        component.add("RRULE", vRecur.from_ical(event.rrule))
    if event.exdates and parent is None:
        component.add("EXDATE", [_local(moment, zone) for moment in event.exdates])
    component.add("STATUS", event.status)
    component.add("SEQUENCE", event.sequence)
    _add_optional(component, event)
    return component


def _add_optional(component: Event, event: IcalEvent) -> None:
    """The properties an event may lack; empty ones are left out rather than written blank."""
    if event.description:
        component.add("DESCRIPTION", event.description)
    if event.location:
        component.add("LOCATION", event.location)
    if event.geo is not None:
        component.add("GEO", (event.geo.latitude, event.geo.longitude))
    if event.url:
        component.add("URL", event.url, parameters={"VALUE": "URI"})
    if event.categories:
        component.add("CATEGORIES", event.categories)
    if event.organizer_email:
        organizer = vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["CN"] = vText(event.organizer_name)
        component.add("ORGANIZER", organizer)
    if event.created is not None:
        component.add("CREATED", event.created.astimezone(UTC))
    if event.last_modified is not None:
        component.add("LAST-MODIFIED", event.last_modified.astimezone(UTC))
