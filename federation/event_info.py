"""The plain values of a federated event: what ``events.parse_event`` returns and what
``event_documents.event_to_ap`` takes.

Frozen dataclasses without behaviour beyond small derived views, so the events plugin can
map them to and from its models without touching JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from federation.readers import is_public

#: How people may take part (Mobilizon's ``joinMode``); anything else reads as ``None``.
JOIN_MODES = frozenset({"free", "restricted", "external", "invite"})
#: The iCalendar event states Mobilizon sends as ``ical:status``.
STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
#: Mobilizon's name for the attachment holding the online meeting address.
ONLINE_LINK_NAME = "Website"


@dataclass(frozen=True)
class PostalAddressInfo:
    """A postal address: schema.org parts, or one free ``text`` line when a server sends a
    string (Gancio)."""

    street: str | None = None
    postal_code: str | None = None
    locality: str | None = None
    region: str | None = None
    country: str | None = None
    text: str | None = None

    @property
    def one_line(self) -> str:
        """The address as one line ("Lindenstraße 12, 10969 Berlin"), for summaries."""
        city = " ".join(part for part in (self.postal_code, self.locality) if part)
        parts = (self.street, city, self.text, self.country)
        return ", ".join(dict.fromkeys(part for part in parts if part))


@dataclass(frozen=True)
class PlaceInfo:
    """Where an event happens: a name, an address, maybe coordinates."""

    name: str | None = None
    address: PostalAddressInfo | None = None
    latitude: float | None = None
    longitude: float | None = None
    id: str | None = None

    @property
    def one_line(self) -> str:
        """Name and address on one line, without repeating a name the address starts with."""
        address = self.address.one_line if self.address else ""
        parts = (self.name, address)
        return ", ".join(dict.fromkeys(part for part in parts if part))


@dataclass(frozen=True)
class ImageInfo:
    """A picture of the event and its alternative text for people who cannot see it."""

    url: str
    media_type: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class EventInfo:
    """Everything we read from (or write into) an ActivityPub Event."""

    id: str
    name: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    timezone: str | None = None
    content: str | None = None
    source: str | None = None
    summary: str | None = None
    language: str | None = None
    url: str | None = None
    attributed_to: str | None = None
    organizer: str | None = None
    place: PlaceInfo | None = None
    is_online: bool = False
    online_url: str | None = None
    join_mode: str | None = None
    external_participation_url: str | None = None
    capacity: int | None = None
    remaining_capacity: int | None = None
    participant_count: int | None = None
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    images: tuple[ImageInfo, ...] = ()
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    comments_enabled: bool | None = None
    anonymous_participation: bool | None = None
    draft: bool = False
    uuid: str | None = None
    published: datetime | None = None
    updated: datetime | None = None

    @property
    def cancelled(self) -> bool:
        """Whether the organiser called the event off."""
        return self.status == "CANCELLED"

    @property
    def public(self) -> bool:
        """Whether the event is addressed to everyone."""
        return is_public({"to": list(self.to), "cc": list(self.cc)})


def remaining_capacity(capacity: int | None, participants: int) -> int | None:
    """Places still free, as Mobilizon announces them; ``None`` when there is no limit.

    Never negative: an organiser may accept more people than planned, and a peer must not
    be told that -2 places are left.
    """
    if capacity is None or capacity <= 0:
        return None
    return max(capacity - participants, 0)
