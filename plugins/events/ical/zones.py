"""Which IANA zone an imported event lives in, and its times expressed in that zone.

The model keeps a wall-clock start in a named zone; iCalendar feeds give times floating
(no zone), in UTC, with a TZID that is an IANA or Windows name, or with a TZID defined
only by the feed's own VTIMEZONE. Each case is mapped to an IANA zone here.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from .model import DateOrTime

_UTC_NAMES = {"UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT"}


def known_zone(name: str | None) -> str | None:
    """The IANA name for an IANA or Windows zone name, or ``None`` when unknown."""
    if not name:
        return None
    name = name.strip().strip("/")
    name = WINDOWS_TO_OLSON.get(name, name)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def zone_info(zone: str) -> tzinfo:
    return UTC if zone == "UTC" else ZoneInfo(zone)


def timezone_of(
    start: DateOrTime, zone_default: str, feed_zone: str | None, recurring: bool
) -> str:
    """The zone an event's wall-clock time belongs to.

    UTC times are shown in the feed's zone (Google writes UTC and means X-WR-TIMEZONE);
    a recurring UTC event without one stays in UTC, since RFC 5545 then repeats it at the
    same instant, not at the same local time. A zone defined only by the feed's
    VTIMEZONE is taken as ``zone_default`` when its offsets agree with it in winter and
    summer, else the times are kept in UTC (correct instants, no local-time rules).
    """
    if not isinstance(start, datetime) or start.tzinfo is None:
        return zone_default
    name = getattr(start.tzinfo, "key", None) or start.tzinfo.tzname(start) or ""
    if start.tzinfo is UTC or name in _UTC_NAMES:
        if feed_zone:
            return feed_zone
        return "UTC" if recurring else zone_default
    if isinstance(start.tzinfo, ZoneInfo) and known_zone(name):
        return name
    if _same_offsets(start.tzinfo, ZoneInfo(zone_default), start.year):
        return zone_default
    return "UTC"


def _same_offsets(custom: tzinfo, known: tzinfo, year: int) -> bool:
    days = (datetime(year, 1, 15, 12), datetime(year, 7, 15, 12))
    return all(
        day.replace(tzinfo=custom).utcoffset() == day.replace(tzinfo=known).utcoffset()
        for day in days
    )


def normalise_moment(moment: DateOrTime, zone: str, like: DateOrTime) -> DateOrTime:
    """``moment`` in ``zone``, of the same kind as ``like`` (the event's start).

    A floating time is read as wall-clock time in ``zone``; an all-day event's times
    become dates; a date next to a timed start takes that start's local time of day.
    """
    tz = zone_info(zone)
    if not isinstance(like, datetime):
        if isinstance(moment, datetime):
            local = moment.astimezone(tz) if moment.tzinfo else moment
            return local.date()
        return moment
    if not isinstance(moment, datetime):
        local_start = like.astimezone(tz) if like.tzinfo else like
        return datetime.combine(moment, local_start.time(), tzinfo=tz)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


__all__ = ["known_zone", "normalise_moment", "timezone_of", "zone_info"]
