"""Building our outgoing ActivityPub ``Event`` from plain values.

One document serves three kinds of readers:

* Mobilizon reads ``startTime``/``endTime`` (sent in the event's own UTC offset),
  ``timezone``, ``joinMode``, capacities, ``ical:status``, ``location`` as a ``Place``
  whose ``address`` is a ``PostalAddress`` object, and the online address as a ``Link``
  attachment named "Website";
* Gancio reads ``name``, ``startTime``, ``content``, the place's ``name``, the FIRST
  attachment as the event's image, tag names with a leading ``#``, and expects an
  ``attachment`` array to be present on updates;
* Mastodon shows unknown types such as Event as ``name`` + ``summary`` + a link to
  ``url``; so ``summary`` carries the date, time and place in words
  (``event_summary_text``) and ``url`` leads to the event page.

``parse_event(event_to_ap(info)) == info`` holds for every ``EventInfo`` whose fields
are already in their read form (see the tests), so what we send is what we would read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

from federation import vocabulary as v
from federation.activities import format_datetime
from federation.event_info import ONLINE_LINK_NAME, EventInfo, PlaceInfo, PostalAddressInfo

_WORDS = {
    "de": {"online": "Online", "cancelled": "Abgesagt", "tentative": "Vorläufig"},
    "en": {"online": "Online", "cancelled": "Cancelled", "tentative": "Tentative"},
}


def _zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone of that name; unknown names read as no zone rather than failing."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local_iso(moment: datetime, zone_name: str | None) -> str:
    """The instant in the event's own zone with its offset (``2024-06-15T14:00:00+02:00``),
    as Mobilizon sends it; readers that only keep the wall-clock time then keep the right
    one. Without a usable zone the UTC form is sent."""
    if moment.tzinfo is None:
        raise ValueError("aware datetime required")
    zone = _zone(zone_name)
    if zone is None:
        return format_datetime(moment)
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def _words(locale: str) -> dict[str, str]:
    return _WORDS.get(locale.split("_")[0].split("-")[0].lower(), _WORDS["en"])


def _moment(moment: datetime, locale: str) -> str:
    """One date with its time in words: "Samstag, 15. Juni 2024, 14:00"."""
    day = format_date(moment, "full", locale=locale)
    return f"{day}, {format_time(moment, 'short', locale=locale)}"


def _when(info: EventInfo, locale: str) -> str:
    """Date and time in the event's own zone; the end's date only when it differs."""
    assert info.start is not None
    zone = _zone(info.timezone) or info.start.tzinfo
    start = info.start.astimezone(zone)
    if info.end is None:
        return _moment(start, locale)
    end = info.end.astimezone(zone)
    if end.date() == start.date():
        return f"{_moment(start, locale)}–{format_time(end, 'short', locale=locale)}"
    return f"{_moment(start, locale)} – {_moment(end, locale)}"


def event_summary_text(info: EventInfo, locale: str = "de") -> str:
    """The human-readable head of an event for Mastodon and other microblogs.

    Mastodon shows an Event as its name, its ``summary`` and a link; without this text
    its users would not see when and where it happens. Date and time are written by
    Babel in the given locale (German or English) in the event's own time zone, followed
    by the place or "Online", and a "Cancelled"/"Tentative" mark first when it applies.
    """
    words = _words(locale)
    lines = []
    if info.status == "CANCELLED":
        lines.append(f"{words['cancelled']}:")
    elif info.status == "TENTATIVE":
        lines.append(f"{words['tentative']}:")
    if info.start is not None:
        lines.append(f"📅 {_when(info, locale)}")
    if info.place is not None and info.place.one_line:
        lines.append(f"📍 {info.place.one_line}")
    if info.is_online:
        lines.append(f"💻 {words['online']}" + (f": {info.online_url}" if info.online_url else ""))
    return "\n".join(lines)


def _address(address: PostalAddressInfo) -> dict[str, Any]:
    """A PostalAddress object; a free-text address goes into ``streetAddress`` because
    Mobilizon cannot read an address string."""
    parts = {
        "streetAddress": address.street or address.text,
        "postalCode": address.postal_code,
        "addressLocality": address.locality,
        "addressRegion": address.region,
        "addressCountry": address.country,
    }
    return {"type": v.POSTAL_ADDRESS, **{k: val for k, val in parts.items() if val}}


def place_to_ap(place: PlaceInfo) -> dict[str, Any]:
    """The ``location`` of an event: a Place with a name, an address and coordinates."""
    document: dict[str, Any] = {"type": v.PLACE}
    if place.id:
        document["id"] = place.id
    if place.name:
        document["name"] = place.name
    if place.address is not None:
        document["address"] = _address(place.address)
    if place.latitude is not None and place.longitude is not None:
        document["latitude"] = float(place.latitude)
        document["longitude"] = float(place.longitude)
    return document


def _attachments(info: EventInfo) -> list[dict[str, Any]]:
    """Images first (Gancio takes the first attachment as the picture), then the online
    address as Mobilizon's "Website" link."""
    found: list[dict[str, Any]] = []
    for image in info.images:
        item = {"type": v.DOCUMENT, "mediaType": image.media_type or "image/jpeg"}
        item |= {"url": image.url, "name": image.alt or ""}
        found.append(item)
    if info.online_url:
        found.append(
            {
                "type": v.LINK,
                "name": ONLINE_LINK_NAME,
                "mediaType": "text/html",
                "href": info.online_url,
            }
        )
    return found


def _tags(info: EventInfo, tag_url: Callable[[str], str] | None) -> list[dict[str, Any]]:
    tags = []
    for name in info.hashtags:
        tag = {"type": v.HASHTAG, "name": f"#{name}"}
        if tag_url is not None:
            tag["href"] = tag_url(name)
        tags.append(tag)
    return tags


def _participation(info: EventInfo) -> dict[str, Any]:
    """How to take part: join mode, capacity and counts, comments, anonymity."""
    fields: dict[str, Any] = {
        "joinMode": info.join_mode,
        "externalParticipationUrl": info.external_participation_url,
        "maximumAttendeeCapacity": info.capacity,
        "remainingAttendeeCapacity": info.remaining_capacity,
        "participantCount": info.participant_count,
        "anonymousParticipationEnabled": info.anonymous_participation,
    }
    if info.comments_enabled is not None:
        fields["commentsEnabled"] = info.comments_enabled
        fields["repliesModerationOption"] = "allow_all" if info.comments_enabled else "closed"
    return fields


def _text(info: EventInfo) -> dict[str, Any]:
    """Name, description (HTML, its Markdown source) and summary, with the language."""
    fields: dict[str, Any] = {
        "name": info.name,
        "summary": info.summary,
        # Gancio runs the content through a linkifier that fails on a missing value.
        "content": info.content or "",
        "mediaType": "text/html",
        "inLanguage": info.language,
    }
    if info.language and info.content:
        fields["contentMap"] = {info.language: info.content}
    if info.source:
        fields["source"] = {"content": info.source, "mediaType": "text/markdown"}
    return fields


def _times(info: EventInfo) -> dict[str, Any]:
    stamps = {"published": info.published, "updated": info.updated}
    fields = {key: format_datetime(moment) for key, moment in stamps.items() if moment}
    if info.start is not None:
        fields["startTime"] = _local_iso(info.start, info.timezone)
    if info.end is not None:
        fields["endTime"] = _local_iso(info.end, info.timezone)
    return fields


def event_to_ap(
    info: EventInfo,
    *,
    tag_url: Callable[[str], str] | None = None,
    summary_locale: str | None = None,
) -> dict[str, Any]:
    """Our ActivityPub Event for ``info``, with our ``@context``.

    ``tag_url`` gives a hashtag's page (Mastodon links tags by ``href``).
    ``summary_locale`` fills a missing summary with ``event_summary_text`` in that
    language; the app normally renders the summary itself in the event's language.
    Only the first category is sent: Mobilizon reads exactly one, in upper case.
    Empty values are left out rather than sent as ``null``, except ``to``/``cc`` (Mobilizon
    looks for the public collection in ``to`` and fails without it) and ``attachment``
    (Gancio reads its length on updates).
    """
    if info.summary is None and summary_locale:
        info = replace(info, summary=event_summary_text(info, summary_locale))
    document: dict[str, Any] = {
        "id": info.id,
        "type": v.EVENT,
        "url": info.url,
        "uuid": info.uuid,
        "attributedTo": info.attributed_to,
        "actor": info.organizer,
        "to": list(info.to),
        "cc": list(info.cc),
        **_text(info),
        **_times(info),
        "timezone": info.timezone,
        "category": info.categories[0].upper() if info.categories else None,
        "ical:status": info.status,
        "isOnline": info.is_online,
        "draft": info.draft,
        **_participation(info),
        "location": place_to_ap(info.place) if info.place is not None else None,
        "tag": _tags(info, tag_url),
        "attachment": _attachments(info),
    }
    always = ("to", "cc", "attachment")  # Mobilizon reads ``to``, Gancio ``attachment``
    kept = {k: val for k, val in document.items() if k in always or val not in (None, [])}
    return v.with_context(kept)
