"""The type-specific parts of objects: places and events, polls, attachments, tags.

Kept apart from ``objects`` so each reader stays small; every function here reads one
sub-structure and tolerates the variants Mobilizon, Gancio, Mastodon and Misskey send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from federation import vocabulary as v
from federation.readers import as_list, first_str, first_url, id_of, natural_text, types_of


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ``xsd:dateTime``; values without a zone or unparseable ones read as absent.

    A time without zone cannot be placed on our calendar correctly, so we would rather
    show no time than a wrong one.
    """
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@dataclass(frozen=True)
class Place:
    """Where an event happens: a name and/or an address, maybe coordinates."""

    name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    locality: str | None = None
    region: str | None = None
    country: str | None = None
    address_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def one_line(self) -> str:
        """The address as one human-readable line, for lists and calendar exports."""
        city = " ".join(part for part in (self.postal_code, self.locality) if part)
        parts = [self.name, self.street, city or None, self.address_text, self.country]
        return ", ".join(dict.fromkeys(part for part in parts if part))


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def parse_place(value: Any) -> Place | None:
    """Read ``location``: a Place with a PostalAddress (Mobilizon), with an address string
    (Gancio), or only a name string (some Mastodon clients)."""
    if isinstance(value, str):
        return Place(name=value) if value else None
    place = next((item for item in as_list(value) if isinstance(item, Mapping)), None)
    if place is None:
        return None
    address = place.get("address")
    postal = address if isinstance(address, Mapping) else {}
    return Place(
        name=first_str(place.get("name")),
        street=first_str(postal.get("streetAddress")),
        postal_code=first_str(postal.get("postalCode")),
        locality=first_str(postal.get("addressLocality")),
        region=first_str(postal.get("addressRegion")),
        country=first_str(postal.get("addressCountry")),
        address_text=address if isinstance(address, str) and address else None,
        latitude=_number(place.get("latitude")),
        longitude=_number(place.get("longitude")),
    )


@dataclass(frozen=True)
class EventDetails:
    """What an Event adds to an object: when, where, and how to take part."""

    start: datetime | None
    end: datetime | None
    place: Place | None
    timezone: str | None = None
    online_url: str | None = None
    status: str | None = None
    join_mode: str | None = None
    participant_count: int | None = None
    capacity: int | None = None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_event(document: Mapping[str, Any]) -> EventDetails:
    """Read the event-specific properties of Mobilizon, Gancio and friends."""
    online = document.get("isOnline") is True
    return EventDetails(
        start=parse_datetime(document.get("startTime")),
        end=parse_datetime(document.get("endTime")),
        place=parse_place(document.get("location")),
        timezone=first_str(document.get("timezone")),
        online_url=first_url(document.get("url")) if online else None,
        status=first_str(document.get("ical:status")),
        join_mode=first_str(document.get("joinMode")),
        participant_count=_int(document.get("participantCount")),
        capacity=_int(document.get("maximumAttendeeCapacity")),
    )


@dataclass(frozen=True)
class PollOption:
    """One answer of a poll and how many votes it has so far."""

    name: str
    votes: int


@dataclass(frozen=True)
class PollDetails:
    """A Question: its options, whether several may be chosen, and when it closes."""

    options: tuple[PollOption, ...]
    multiple_choice: bool
    closes: datetime | None
    voters: int | None


def parse_poll(document: Mapping[str, Any], languages: tuple[str, ...] = ()) -> PollDetails:
    """Read a Question's ``oneOf``/``anyOf`` options with their vote counts."""
    multiple = "anyOf" in document and "oneOf" not in document
    options = []
    for item in as_list(document.get("anyOf" if multiple else "oneOf")):
        if not isinstance(item, Mapping):
            continue
        replies = item.get("replies")
        votes = _int(replies.get("totalItems")) if isinstance(replies, Mapping) else None
        name = natural_text(item, "name", languages)
        if name:
            options.append(PollOption(name, votes or 0))
    return PollDetails(
        options=tuple(options),
        multiple_choice=multiple,
        closes=parse_datetime(document.get("endTime") or document.get("closed")),
        voters=_int(document.get("votersCount")),
    )


@dataclass(frozen=True)
class Attachment:
    """A media file or link attached to an object."""

    url: str
    media_type: str | None
    description: str | None
    kind: str


def parse_attachments(value: Any) -> tuple[Attachment, ...]:
    """Read ``attachment``: Documents and Images, and Lemmy's Link to the shared page.

    Mastodon's profile fields (PropertyValue) are not attachments and are skipped.
    """
    found = []
    for item in as_list(value):
        if not isinstance(item, Mapping) or v.PROPERTY_VALUE in types_of(item):
            continue
        url = first_url(item.get("url")) or first_str(item.get("href"))
        if url:
            kind = (types_of(item) or [v.DOCUMENT])[0]
            media_type, description = first_str(item.get("mediaType")), first_str(item.get("name"))
            found.append(Attachment(url, media_type, description, kind))
    return tuple(found)


def parse_tags(value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``tag`` into hashtag names (lower case, without ``#``) and mentioned ids.

    Mobilizon and Gancio send Hashtags without href, Misskey sends names with ``#``;
    they all end up the same.
    """
    hashtags: list[str] = []
    mentions: list[str] = []
    for item in as_list(value):
        if not isinstance(item, Mapping):
            continue
        if v.HASHTAG in types_of(item) and (name := first_str(item.get("name"))):
            hashtags.append(name.lstrip("#").lower())
        elif v.MENTION in types_of(item) and (href := id_of(item.get("href"))):
            mentions.append(href)
    return tuple(dict.fromkeys(hashtags)), tuple(dict.fromkeys(mentions))
