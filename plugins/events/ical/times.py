"""The times of one VEVENT (start, end, exceptions, occurrence replaced) in its zone.

``icalendar`` resolves TZIDs itself, but it caches zones that a feed defines only in its
own VTIMEZONE process-wide by name: a second feed defining "Meine Zone" differently
would get the first feed's offsets. So such zones are built afresh for every feed
(``own_zones``) and the wall-clock times re-read in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from icalendar import Calendar, Component

from .model import DateOrTime
from .zones import known_zone, normalise_moment, timezone_of, zone_info

OwnZones = dict[str, tzinfo]


@dataclass
class EventTimes:
    zone: str
    start: DateOrTime
    end: DateOrTime | None
    exdates: list[DateOrTime]
    recurrence_id: DateOrTime | None


def own_zones(calendars: list[Calendar]) -> OwnZones:
    """Zones defined by the feed's VTIMEZONEs under names that are no IANA or Windows
    zone, built for this feed alone."""
    zones: OwnZones = {}
    for calendar in calendars:
        for component in calendar.timezones:
            name = str(component.get("TZID", ""))
            if name and not known_zone(name):
                try:
                    zones[name] = component.to_tz(lookup_tzid=False)
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue  # events using it fall back to the default zone's offsets
    return zones


def event_times(
    component: Component, zone_default: str, feed_zone: str | None, zones: OwnZones, recurring: bool
) -> EventTimes:
    """Every time of the event, expressed in the one zone chosen for it."""
    start = _in_own_zone(component.start, component.get("DTSTART"), zones)
    zone = timezone_of(start, zone_default, feed_zone, recurring=recurring)
    start = normalise_moment(start, zone, like=start)
    recurrence_id = component.get("RECURRENCE-ID")
    return EventTimes(
        zone=zone,
        start=start,
        end=_end(component, start, zone, zones),
        exdates=[normalise_moment(m, zone, like=start) for m in _exdates(component, zones)],
        recurrence_id=(
            normalise_moment(_in_own_zone(recurrence_id.dt, recurrence_id, zones), zone, start)
            if recurrence_id is not None
            else None
        ),
    )


def _in_own_zone(moment: DateOrTime, prop: object, zones: OwnZones) -> DateOrTime:
    """The same wall-clock time, in the feed's own definition of its TZID."""
    tzid = getattr(prop, "params", {}).get("TZID")
    if isinstance(moment, datetime) and tzid in zones:
        return moment.replace(tzinfo=zones[tzid])
    return moment


def _exdates(component: Component, zones: OwnZones) -> list[DateOrTime]:
    props = component.get("EXDATE")
    if props is None:
        return []
    moments = []
    for prop in props if isinstance(props, list) else [props]:
        moments += [_in_own_zone(value.dt, prop, zones) for value in prop.dts]
    return moments


def _end(component: Component, start: DateOrTime, zone: str, zones: OwnZones) -> DateOrTime:
    """DTEND, or DTSTART + DURATION counted as RFC 5545 says: days and weeks in
    wall-clock time, hours and minutes in real time (which matters on the night the
    clocks change); without either, one day or a moment."""
    dtend, duration = component.get("DTEND"), component.get("DURATION")
    if dtend is not None:
        component.end  # noqa: B018 (lets icalendar refuse a DTEND unlike DTSTART)
        return normalise_moment(_in_own_zone(dtend.dt, dtend, zones), zone, like=start)
    span: timedelta = duration.dt if duration is not None else timedelta(0)
    if span < timedelta(0):
        raise ValueError("negative DURATION")
    if not isinstance(start, datetime):
        return start + (timedelta(days=span.days) if duration is not None else timedelta(days=1))
    tz = zone_info(zone)
    after_days = (start.replace(tzinfo=None) + timedelta(days=span.days)).replace(tzinfo=tz)
    exact = timedelta(seconds=span.seconds, microseconds=span.microseconds)
    return (after_days.astimezone(UTC) + exact).astimezone(tz)


__all__ = ["EventTimes", "OwnZones", "event_times", "own_zones"]
