"""How dates, times and places of occurrences read on the pages (template helpers).

Times are shown in the event's own zone (where people go), in the reader's language; the
zone is named when it is not the node's usual one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask_babel import get_locale

from quarter_node.plugin_api import _

from .categories import category_label
from .models import DEFAULT_TIMEZONE
from .recurrence import Occurrence
from .rules import describe


def _local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def when_text(occurrence: Occurrence) -> str:
    """ "Sat, 12 Dec 2026, 15:00–16:00" (or the days of an all-day event)."""
    event = occurrence.event
    locale = get_locale()
    start = _local(occurrence.start, event.timezone)
    end = _local(occurrence.end, event.timezone)
    if event.all_day:
        first = occurrence.start_local.date()
        days = max(1, round((occurrence.end - occurrence.start).total_seconds() / 86400))
        text = format_date(first, "full", locale=locale)
        if days == 1:
            return text + " (" + _("all day") + ")"
        return text + " – " + format_date(first + timedelta(days=days - 1), "full", locale=locale)
    text = format_datetime(start, "EEE, d. MMM y, HH:mm", locale=locale)
    if end.date() == start.date():
        text += "–" + format_time(end, "HH:mm", locale=locale)
    else:
        text += " – " + format_datetime(end, "EEE, d. MMM y, HH:mm", locale=locale)
    if event.timezone != DEFAULT_TIMEZONE:
        text += f" ({event.timezone})"
    return text


def time_text(occurrence: Occurrence) -> str:
    """The start time alone (calendar cells), empty for all-day events."""
    if occurrence.event.all_day:
        return ""
    return format_time(
        _local(occurrence.start, occurrence.event.timezone), "HH:mm", locale=get_locale()
    )


def iso_local(occurrence: Occurrence) -> str:
    """For ``<time datetime=...>``."""
    return _local(occurrence.start, occurrence.event.timezone).isoformat()


def repeat_text(event: Any) -> str:
    return describe(event.rrule, event.start_local, event.timezone)


def address_lines(event: Any) -> list[str]:
    town = " ".join(part for part in (event.postal_code, event.locality) if part)
    return [line for line in (event.street_address, town, event.region) if line]


def status_label(status: str) -> str:
    return {"postponed": _("Postponed"), "cancelled": _("Cancelled")}.get(status, "")


def month_label(first: date) -> str:
    return format_date(first, "LLLL y", locale=get_locale())


def day_label(day: date) -> str:
    return format_date(day, "EEEE, d. MMMM", locale=get_locale())


def weekday_names() -> list[tuple[str, str]]:
    """(short, full) names of Monday to Sunday in the reader's language."""
    monday = date(2026, 11, 30)
    days = [monday + timedelta(days=n) for n in range(7)]
    locale = get_locale()
    return [
        (format_date(d, "EEE", locale=locale), format_date(d, "EEEE", locale=locale)) for d in days
    ]


TEMPLATE_HELPERS = {
    "month_label": month_label,
    "day_label": day_label,
    "weekday_names": weekday_names,
    "event_when": when_text,
    "event_time": time_text,
    "event_iso": iso_local,
    "event_repeat": repeat_text,
    "event_address": address_lines,
    "event_status": status_label,
    "category_label": category_label,
}
