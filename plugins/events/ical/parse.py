"""Read an iCalendar feed (a subscription or an uploaded ``.ics``) into ``IcalEvent``s.

Feeds come from anywhere, so nothing in them may crash the import: a file that is not a
calendar, too big or with too many events raises ``IcalError`` with a message for the
user; a single broken event is skipped and noted in ``ParsedCalendar.warnings``.
Times end up in a real IANA zone (see ``zones``), so recurrences keep their local time.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from datetime import UTC, date, datetime

from icalendar import Calendar, Component, vText

from .model import (
    DEFAULT_TIMEZONE,
    STATUSES,
    Geo,
    IcalError,
    IcalEvent,
    ParsedCalendar,
)
from .plain import plain_text
from .times import OwnZones, event_times, own_zones
from .zones import known_zone

_ESCAPED = re.compile(r"\\([\\;,nN])")
MAX_BYTES = 5 * 1024 * 1024
MAX_EVENTS = 5000
#: What a broken event or property may raise inside ``icalendar``.
_BROKEN = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


def parse_calendar(
    data: bytes,
    *,
    default_timezone: str = DEFAULT_TIMEZONE,
    max_bytes: int = MAX_BYTES,
    max_events: int = MAX_EVENTS,
) -> ParsedCalendar:
    """Parse ``data``; floating times are read in the feed's X-WR-TIMEZONE, else in
    ``default_timezone``."""
    text = _checked_text(data, max_bytes, max_events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # icalendar warns about guessed zones; we note none
        try:
            calendars = Calendar.from_ical(text, multiple=True)
        except _BROKEN as error:
            raise IcalError(f"The calendar could not be read: {error}", "unreadable") from error
        calendars = [c for c in calendars if c.name == "VCALENDAR"]
        if not calendars:
            raise IcalError(
                "The calendar is incomplete (no complete VCALENDAR in the file).", "incomplete"
            )
        return _read(calendars, default_timezone)


def _checked_text(data: bytes, max_bytes: int, max_events: int) -> str:
    """Size, encoding and shape checks before the parser sees anything."""
    if len(data) > max_bytes:
        raise IcalError(
            f"The calendar is larger than {max_bytes // 1024} KiB.", "too_large", max_bytes
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # old Outlook exports
    head = text.lstrip()[:15].upper()
    if not head.startswith("BEGIN:VCALENDAR"):
        raise IcalError(
            "This is not an iCalendar file (it does not start with BEGIN:VCALENDAR).",
            "not_calendar",
        )
    if text.upper().count("BEGIN:VEVENT") > max_events:
        raise IcalError(
            f"The calendar has more than {max_events} events.", "too_many_events", max_events
        )
    return text


def _read(calendars: list[Calendar], default_timezone: str) -> ParsedCalendar:
    first = calendars[0]
    feed_zone = known_zone(str(first.get("X-WR-TIMEZONE", "")).strip())
    parsed = ParsedCalendar(
        events=[],
        name=_extension_text(first.get("X-WR-CALNAME") or first.get("NAME")) or None,
        description=_extension_text(first.get("X-WR-CALDESC") or first.get("DESCRIPTION")) or None,
        timezone=feed_zone,
    )
    try:
        parsed.refresh_interval = first.refresh_interval
    except _BROKEN:
        parsed.warnings.append("REFRESH-INTERVAL ignored: not a duration.")
    components = [c for calendar in calendars for c in calendar.walk("VEVENT")]
    zones = own_zones(calendars)
    events = []
    for component in components:
        try:
            events.append(
                _event(component, feed_zone or default_timezone, feed_zone, zones, parsed)
            )
        except _BROKEN as error:
            uid = _text(component.get("UID")) or "?"
            parsed.warnings.append(f"Event {uid} skipped: {error}")
    parsed.events = _grouped(events)
    return parsed


def _event(
    component: Component,
    zone_default: str,
    feed_zone: str | None,
    zones: OwnZones,
    parsed: ParsedCalendar,
) -> IcalEvent:
    """One VEVENT as an ``IcalEvent``; raises on what makes it unusable."""
    rrule = _rrule(component, parsed)
    times = event_times(component, zone_default, feed_zone, zones, recurring=rrule is not None)
    event = IcalEvent(
        uid=_text(component.get("UID")) or _generated_uid(component),
        title=_text(component.get("SUMMARY")),
        start=times.start,
        end=times.end,
        timezone=times.zone,
        recurrence_id=times.recurrence_id,
        description=plain_text(_text(component.get("DESCRIPTION"))),
        url=_web_url(component.get("URL")),
        rrule=rrule,
        exdates=times.exdates,
        status=_status(component),
        location=_text(component.get("LOCATION")),
        geo=_geo(component.get("GEO")),
        categories=_categories(component),
        sequence=_sequence(component),
        last_modified=_instant(component.get("LAST-MODIFIED")),
        created=_instant(component.get("CREATED")),
    )
    event.organizer_name, event.organizer_email = _organizer(component.get("ORGANIZER"))
    if component.get("RDATE") is not None:
        parsed.warnings.append(f"Event {event.uid}: extra dates (RDATE) are not imported.")
    return event


def _text(value: object) -> str:
    if value is None or getattr(value, "expected_type", None):  # vBroken
        return ""
    return str(value).strip()


def _extension_text(value: object) -> str:
    """X- properties are left escaped by the library; unescape them like TEXT."""
    if value is None or isinstance(value, vText):
        return _text(value)
    return _ESCAPED.sub(lambda m: "\n" if m[1] in "nN" else m[1], str(value)).strip()


def _generated_uid(component: Component) -> str:
    """Feeds without UIDs still re-import onto the same events: derive one from content."""
    seed = f"{component.get('SUMMARY', '')}|{component.get('DTSTART').to_ical()!r}"
    return "generated-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def _rrule(component: Component, parsed: ParsedCalendar) -> str | None:
    rules = component.rrules
    if not rules:
        return None
    if len(rules) > 1:
        parsed.warnings.append(f"Event {_text(component.get('UID'))}: only the first RRULE used.")
    return rules[0].to_ical().decode()


def _status(component: Component) -> str:
    status = _text(component.get("STATUS")).upper()
    return status if status in STATUSES else "CONFIRMED"


def _web_url(value: object) -> str | None:
    """Only http(s) links are kept: a feed must not place ``javascript:`` links on pages."""
    url = _text(value)
    return url if url.lower().startswith(("http://", "https://")) else None


def _geo(value: object) -> Geo | None:
    latitude, longitude = getattr(value, "latitude", None), getattr(value, "longitude", None)
    if latitude is None or longitude is None:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Geo(float(latitude), float(longitude))


def _categories(component: Component) -> list[str]:
    seen: dict[str, None] = {}
    for category in component.categories:
        name = str(category).strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _sequence(component: Component) -> int:
    try:
        return max(0, int(component.get("SEQUENCE", 0)))
    except _BROKEN:
        return 0


def _instant(value: object) -> datetime | None:
    """LAST-MODIFIED/CREATED as aware UTC; a naive one is taken as UTC (as meant)."""
    moment = getattr(value, "dt", None)
    if not isinstance(moment, datetime):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _organizer(value: object) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    address = str(value).strip()
    email = address[7:] if address.lower().startswith("mailto:") else None
    name = getattr(value, "params", {}).get("CN")
    return (str(name).strip() or None) if name else None, email or None


def _key(moment: date | datetime) -> str:
    """Identity of an occurrence: its UTC instant, or its date for all-day events."""
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def _newer(candidate: IcalEvent, current: IcalEvent | None) -> bool:
    """Of two copies of one UID the higher SEQUENCE wins, then the later LAST-MODIFIED,
    then the later one in the file."""
    if current is None:
        return True
    floor = datetime.min.replace(tzinfo=UTC)
    return (candidate.sequence, candidate.last_modified or floor) >= (
        current.sequence,
        current.last_modified or floor,
    )


def _grouped(events: list[IcalEvent]) -> list[IcalEvent]:
    """Masters deduplicated by UID, each with its overrides (one per occurrence).

    An override whose master is not in the feed (Google does this for a single shared
    occurrence) becomes a one-off event with the UID ``<uid>#<occurrence>``.
    """
    masters: dict[str, IcalEvent] = {}
    overrides: dict[str, dict[str, IcalEvent]] = {}
    for event in events:
        if event.recurrence_id is None:
            if _newer(event, masters.get(event.uid)):
                masters[event.uid] = event
            continue
        by_occurrence = overrides.setdefault(event.uid, {})
        key = _key(event.recurrence_id)
        if _newer(event, by_occurrence.get(key)):
            by_occurrence[key] = event
    for uid, by_occurrence in overrides.items():
        master = masters.get(uid)
        if master is not None:
            master.overrides = [by_occurrence[k] for k in sorted(by_occurrence)]
            continue
        for key, orphan in sorted(by_occurrence.items()):
            orphan.uid, orphan.recurrence_id = f"{uid}#{key}", None
            masters[orphan.uid] = orphan
    return list(masters.values())
