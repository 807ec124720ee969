"""schema.org ``Event`` JSON-LD for an event page, so search engines and calendar tools
understand it. Embedded as ``<script type="application/ld+json">``: a data block browsers
never execute, so the node's Content-Security-Policy (``script-src 'self'``) does not apply."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from .links import event_url
from .recurrence import Occurrence

STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventRescheduled",
    "cancelled": "https://schema.org/EventCancelled",
}


def event_jsonld(occurrence: Occurrence, image_url: str | None = None) -> dict[str, Any]:
    """The schema.org description of one occurrence of an event."""
    event = occurrence.event
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": occurrence.title,
        "url": event_url(event, occurrence.key if event.is_recurring else None, external=True),
        "startDate": _when(occurrence.start, event, all_day_end=False),
        "endDate": _when(occurrence.end, event, all_day_end=True),
        "eventStatus": STATUS.get(occurrence.status, STATUS["scheduled"]),
        "eventAttendanceMode": _attendance_mode(event),
        "description": event.description,
        "inLanguage": event.language,
        "organizer": {"@type": _organizer_type(event), "name": event.organizer.name},
        "location": _locations(event, occurrence),
    }
    if image_url:
        data["image"] = image_url
    if event.is_recurring:
        data["eventSchedule"] = {"@type": "Schedule", "repeatFrequency": event.rrule}
    return data


def _when(instant: Any, event: Any, all_day_end: bool) -> str:
    """Local time with offset (what people read), or a plain date for all-day events."""
    local = instant.astimezone(ZoneInfo(event.timezone))
    if event.all_day:
        day = local.date()
        if all_day_end:  # the end is the midnight after the last day
            day -= timedelta(days=1)
        return day.isoformat()
    return local.isoformat()


def _attendance_mode(event: Any) -> str:
    has_place = bool(event.place_name or event.street_address)
    if event.online_url and has_place:
        return "https://schema.org/MixedEventAttendanceMode"
    if event.online_url:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


def _organizer_type(event: Any) -> str:
    return "Organization" if event.group_id is not None else "Person"


def _locations(event: Any, occurrence: Occurrence) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if occurrence.place_name or event.street_address or event.locality:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": occurrence.place_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.street_address,
                "postalCode": event.postal_code,
                "addressLocality": event.locality,
                "addressRegion": event.region,
                "addressCountry": event.country,
            },
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        found.append(place)
    if event.online_url:
        found.append({"@type": "VirtualLocation", "url": event.online_url})
    return found


def jsonld_script_content(data: dict[str, Any]) -> Markup:
    """The JSON for inside ``<script>``: ``<``, ``>`` and ``&`` escaped as ``\\u003c`` etc.,
    so no text in an event can close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (escaped above; JSON, not HTML)
