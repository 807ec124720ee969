"""Reading ActivityPub ``Event`` objects the way event servers really send them.

``parse_event`` turns an Event from Mobilizon, Gancio, Friendica, Hubzilla or anyone else
into plain dataclasses (``EventInfo``, ``PlaceInfo``, ``PostalAddressInfo``) with aware
datetimes, so the events plugin never has to know who wrote the document. The quirks:

* Mobilizon sends ``timezone``, ``joinMode``, capacities, ``ical:status`` (newer versions
  also a bare ``status``), the online address as a ``Link`` attachment named "Website"
  and extra links as ``PropertyValue`` attachments with ``mz:`` property ids;
* Gancio writes the place's ``address`` as one string, tag names with a ``#``, image
  alt text as ``name`` (often ``null`` or ``""``), and puts online places in ``location``;
* Friendica and Hubzilla send times in UTC, the description also as ``source`` (BBCode)
  and sometimes only ``contentMap``.

Building our own outgoing Event lives in ``event_documents``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from federation import vocabulary as v
from federation.details import parse_datetime, parse_tags
from federation.errors import InvalidDocument
from federation.event_info import (
    JOIN_MODES,
    ONLINE_LINK_NAME,
    STATUSES,
    EventInfo,
    ImageInfo,
    PlaceInfo,
    PostalAddressInfo,
    remaining_capacity,
)
from federation.readers import (
    as_list,
    first_str,
    first_url,
    id_of,
    ids_of,
    natural_text,
    types_of,
)

_VIRTUAL_LOCATION = "VirtualLocation"

__all__ = [
    "EventInfo",
    "ImageInfo",
    "PlaceInfo",
    "PostalAddressInfo",
    "derive_timezone",
    "parse_event",
    "parse_images",
    "parse_place",
    "parse_postal_address",
    "remaining_capacity",
]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _flag(value: Any) -> bool | None:
    """A boolean that some servers send as a string ("true")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def parse_postal_address(value: Any) -> PostalAddressInfo | None:
    """Read ``address``: a PostalAddress object (Mobilizon) or one string (Gancio)."""
    if isinstance(value, str):
        return PostalAddressInfo(text=value.strip()) if value.strip() else None
    if not isinstance(value, Mapping):
        return None
    address = PostalAddressInfo(
        street=first_str(value.get("streetAddress")),
        postal_code=first_str(value.get("postalCode")),
        locality=first_str(value.get("addressLocality")),
        region=first_str(value.get("addressRegion")),
        country=first_str(value.get("addressCountry")),
    )
    return address if address != PostalAddressInfo() else None


def _virtual_url(item: Any) -> str | None:
    """The URL of an online "place": a ``VirtualLocation`` itself, or (FEP-8a8e, newer
    Gancio) a Place whose ``address`` is a ``VirtualLocation`` or carries a ``url``."""
    if not isinstance(item, Mapping):
        return None
    if _VIRTUAL_LOCATION in types_of(item):
        return first_url(item.get("url")) or first_url(item.get("href"))
    address = item.get("address")
    if isinstance(address, Mapping) and (found := first_url(address.get("url"))):
        return found
    return None


def parse_place(value: Any) -> PlaceInfo | None:
    """Read ``location``: a Place object, a list of them, or only a name string.

    Online "places" (schema.org ``VirtualLocation``, also as a Place's ``address``) are
    skipped here; they are read as the online address instead. A physical place with a
    postal address wins over one that only has a name.
    """
    if isinstance(value, str):
        return PlaceInfo(name=value.strip()) if value.strip() else None
    items = [i for i in as_list(value) if isinstance(i, Mapping) and not _virtual_url(i)]
    if not items:
        return None
    place = next((i for i in items if i.get("address")), items[0])
    info = PlaceInfo(
        name=first_str(place.get("name")),
        address=parse_postal_address(place.get("address")),
        latitude=_float(place.get("latitude")),
        longitude=_float(place.get("longitude")),
        id=id_of(place.get("id")),
    )
    return info if (info.name, info.address) != (None, None) else None


def _online_url(document: Mapping[str, Any]) -> str | None:
    """The online meeting address, wherever the server put it."""
    attachments = [a for a in as_list(document.get("attachment")) if isinstance(a, Mapping)]
    for item in attachments:
        if v.LINK in types_of(item) and first_str(item.get("name")) == ONLINE_LINK_NAME:
            if found := first_str(item.get("href")):
                return found
    for item in as_list(document.get("location")):
        if found := _virtual_url(item):
            return found
    for item in attachments:
        key = first_str(item.get("propertyID")) or ""
        value = item.get("value")
        online_key = key.startswith(("mz:visio:", "mz:live:"))
        if online_key and isinstance(value, str) and value.startswith(("https://", "http://")):
            return value
    return None


def parse_images(value: Any) -> tuple[ImageInfo, ...]:
    """The pictures among ``attachment``; links and ``PropertyValue`` entries are skipped.

    An empty or missing ``name`` means no alt text was written (Gancio sends ``null``).
    """
    images = []
    for item in as_list(value):
        if not isinstance(item, Mapping) or not set(types_of(item)) & {v.IMAGE, v.DOCUMENT}:
            continue
        media_type = first_str(item.get("mediaType"))
        if media_type and not media_type.startswith("image/"):
            continue
        if url := first_url(item.get("url")) or first_str(item.get("href")):
            images.append(ImageInfo(url, media_type, first_str(item.get("name"))))
    return tuple(images)


def _status(document: Mapping[str, Any]) -> str:
    """The iCalendar status; missing or unknown values read as confirmed."""
    for key in ("ical:status", "status"):
        found = (first_str(document.get(key)) or "").upper()
        if found in STATUSES:
            return found
    return "CONFIRMED"


def _join_mode(document: Mapping[str, Any]) -> str | None:
    found = (first_str(document.get("joinMode")) or "").lower()
    return found if found in JOIN_MODES else None


def _categories(document: Mapping[str, Any]) -> tuple[str, ...]:
    """Mobilizon sends one upper-case category ("COMMUNITY"); others may send several."""
    names = [c for c in as_list(document.get("category")) if isinstance(c, str) and c.strip()]
    return tuple(dict.fromkeys(name.strip().lower() for name in names))


def _language(document: Mapping[str, Any]) -> str | None:
    """``inLanguage`` (Mobilizon), else the first ``contentMap`` key."""
    if found := first_str(document.get("inLanguage")):
        return found
    mapping = document.get("contentMap")
    if isinstance(mapping, Mapping) and mapping:
        return str(next(iter(mapping)))
    return None


def _source(document: Mapping[str, Any]) -> str | None:
    source = document.get("source")
    if isinstance(source, Mapping):
        return first_str(source.get("content"))
    return first_str(source)


def _author(document: Mapping[str, Any]) -> str | None:
    """Who the event belongs to: ``attributedTo`` (a group for group events)."""
    return next(iter(ids_of(document.get("attributedTo"))), None) or id_of(document.get("actor"))


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def derive_timezone(start: datetime | None, fallback: str | None = None) -> str | None:
    """Name a time zone for an event that only carries a UTC offset.

    ``fallback`` (the node's default zone) wins when its offset at the start matches, so
    a Gancio event at ``+02:00`` in a German summer reads as ``Europe/Berlin``. Otherwise
    the fixed-offset IANA zone (``Etc/GMT-2`` for +02:00, note the inverted sign) keeps
    the organiser's wall-clock time; odd offsets give ``None``.
    """
    if start is None or start.utcoffset() is None:
        return None
    offset = start.utcoffset() or timedelta(0)
    zone = _zone(fallback)
    if zone is not None and start.astimezone(zone).utcoffset() == offset:
        return fallback
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest:
        return None
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def _timezone(
    document: Mapping[str, Any], start: datetime | None, fallback: str | None
) -> str | None:
    named = first_str(document.get("timezone"))
    return named if _zone(named) is not None else derive_timezone(start, fallback)


def parse_event(
    document: Any, languages: Sequence[str] = (), default_timezone: str | None = None
) -> EventInfo:
    """Read an ActivityPub Event from any server into ``EventInfo``.

    ``languages`` orders preferred languages for ``contentMap``/``nameMap``;
    ``default_timezone`` helps name the zone of events that only carry UTC offsets.
    Raises ``InvalidDocument`` for anything that is not an Event with an id; every other
    oddity (a missing end, an unknown join mode, a string address) reads as absent or as
    its plain form rather than failing.
    """
    if not isinstance(document, Mapping) or not id_of(document.get("id")):
        raise InvalidDocument("an event needs an id")
    if v.EVENT not in types_of(document):
        raise InvalidDocument(f"not an Event: {types_of(document)}")
    start = parse_datetime(document.get("startTime"))
    hashtags, _mentions = parse_tags(document.get("tag"))
    online_url = _online_url(document)
    return EventInfo(
        id=str(id_of(document["id"])),
        name=natural_text(document, "name", languages),
        start=start,
        end=parse_datetime(document.get("endTime")),
        timezone=_timezone(document, start, default_timezone),
        content=natural_text(document, "content", languages),
        source=_source(document),
        summary=natural_text(document, "summary", languages),
        language=_language(document),
        url=first_url(document.get("url")),
        attributed_to=_author(document),
        organizer=id_of(document.get("actor")) or _author(document),
        place=parse_place(document.get("location")),
        is_online=_flag(document.get("isOnline")) is True or online_url is not None,
        online_url=online_url,
        join_mode=_join_mode(document),
        external_participation_url=first_str(document.get("externalParticipationUrl")),
        capacity=_int(document.get("maximumAttendeeCapacity")),
        remaining_capacity=_int(document.get("remainingAttendeeCapacity")),
        participant_count=_int(document.get("participantCount")),
        status=_status(document),
        categories=_categories(document),
        hashtags=hashtags,
        images=parse_images(document.get("attachment")),
        to=tuple(ids_of(document.get("to"))),
        cc=tuple(ids_of(document.get("cc"))),
        comments_enabled=_flag(document.get("commentsEnabled")),
        anonymous_participation=_flag(document.get("anonymousParticipationEnabled")),
        draft=_flag(document.get("draft")) is True,
        uuid=first_str(document.get("uuid")),
        published=parse_datetime(document.get("published")),
        updated=parse_datetime(document.get("updated")),
    )
