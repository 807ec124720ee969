"""What a person fills in for an event, checked before anything is stored.

The form (or a test, or an import) hands over an ``EventInput``; ``check`` refuses anything
that cannot be a sensible event with a clear, translated message, so the services only store
what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from quarter_node.plugin_api import InvalidInput, _

from .categories import configured_categories
from .models import DEFAULT_TIMEZONE, EventJoinMode, EventVisibility

MINUTES_PER_DAY = 1440
MAX_DURATION = 60 * MINUTES_PER_DAY  # a festival of two months is the longest we accept
TITLE_MAX = 200
DESCRIPTION_MAX = 20000


@dataclass
class EventInput:
    title: str
    start_local: datetime  # naive wall-clock start in ``timezone``
    duration: int = 60  # minutes; all-day events: whole days x 1440
    timezone: str = DEFAULT_TIMEZONE
    all_day: bool = False
    rrule: str | None = None
    description: str = ""
    place_name: str = ""
    street_address: str = ""
    postal_code: str = ""
    locality: str = ""
    region: str = ""
    country: str = "DE"
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    categories: list[str] = field(default_factory=list)
    step_free: bool = False
    sign_language: bool = False
    hearing_loop: bool = False
    accessibility_notes: str = ""
    language: str = "de"
    contact: str = ""
    visibility: str = EventVisibility.PUBLIC
    join_mode: str = EventJoinMode.FREE
    capacity: int | None = None
    image_file: Any = None  # an uploaded file, or None to keep the current picture
    image_alt: str = ""
    remove_image: bool = False


def check(data: EventInput, group: Any) -> None:
    """Refuse what cannot be stored (``InvalidInput``); trims text fields in place."""
    data.title = data.title.strip()
    if not data.title:
        raise InvalidInput(_("Please give the event a title."))
    if len(data.title) > TITLE_MAX or len(data.description) > DESCRIPTION_MAX:
        raise InvalidInput(_("The title or the description is too long."))
    _check_time(data)
    _check_place(data)
    _check_choices(data, group)


def _check_time(data: EventInput) -> None:
    if data.timezone not in available_timezones():
        raise InvalidInput(_("Unknown time zone."))
    try:
        ZoneInfo(data.timezone)
    except ZoneInfoNotFoundError as error:  # pragma: no cover  (listed but not loadable)
        raise InvalidInput(_("Unknown time zone.")) from error
    if not 0 <= data.duration <= MAX_DURATION:
        raise InvalidInput(_("The event must end after it starts and last at most 60 days."))
    if data.all_day:
        data.start_local = data.start_local.replace(hour=0, minute=0, second=0, microsecond=0)
        days = max(1, -(-data.duration // MINUTES_PER_DAY))
        data.duration = days * MINUTES_PER_DAY


def _check_place(data: EventInput) -> None:
    if data.online_url and urlsplit(data.online_url).scheme not in ("http", "https"):
        raise InvalidInput(_("The online link must start with https:// or http://."))
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise InvalidInput(_("The latitude must lie between -90 and 90."))
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise InvalidInput(_("The longitude must lie between -180 and 180."))
    if (data.latitude is None) != (data.longitude is None):
        raise InvalidInput(_("Please give both coordinates or none."))
    data.country = (data.country or "").strip().upper()
    if data.country and (len(data.country) != 2 or not data.country.isalpha()):
        raise InvalidInput(_("The country is a two-letter code such as DE."))


def _check_choices(data: EventInput, group: Any) -> None:
    known = configured_categories()
    unknown = [slug for slug in data.categories if slug not in known]
    if unknown:
        raise InvalidInput(_("Unknown category: %(name)s", name=", ".join(unknown)))
    if data.visibility not in set(EventVisibility):
        raise InvalidInput(_("Please choose who can see the event."))
    if data.visibility == EventVisibility.GROUP and group is None:
        raise InvalidInput(_("Only group events can be limited to the group's members."))
    if data.join_mode not in set(EventJoinMode):
        raise InvalidInput(_("Please choose how people sign up."))
    if data.capacity is not None and data.capacity < 1:
        raise InvalidInput(_("The number of places must be at least 1."))
