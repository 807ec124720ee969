"""A local event as the ActivityPub ``Event`` other servers read (Mobilizon, Gancio, Mastodon).

The model is mapped to ``federation.event_info.EventInfo`` and built by the pure library
(``event_to_ap``), which writes the Mobilizon/Gancio fields and a ``summary`` with date and
place in words for Mastodon. A series goes out with its first occurrence: neither Mobilizon
nor Gancio read recurrence rules. Who hears of an event (``audience``) follows its
visibility: public events go to everyone, group events to the group's followers (its remote
members) only, members-only events never leave the node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from federation import activities
from federation import vocabulary as v
from federation.event_documents import event_to_ap
from federation.event_info import EventInfo, ImageInfo, PlaceInfo, PostalAddressInfo
from quarter_node.plugin_api import Actor, actor_uri, base_url, followers_uri

from .models import Event, EventJoinMode, EventStatus, EventVisibility

_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}
_JOIN_MODE = {
    EventJoinMode.FREE: "free",
    EventJoinMode.APPROVAL: "restricted",
    EventJoinMode.CLOSED: "invite",
}
_SUMMARY_LOCALES = ("de", "en")


def event_uri(event: Event) -> str:
    """The ActivityPub id of an event: its page for ours, the stored id for remote ones."""
    return event.uri or f"{base_url()}/events/{event.id}"


def activity_mark(event: Event) -> str:
    """The mark in the ids of activities about a local event (see ``inboxes_reached``)."""
    return f"ev{event.id}"


def federates(event: Event) -> bool:
    """Whether a local event is ever sent: public and group events, never members-only
    ones, never imported or remote ones."""
    return event.is_local and event.visibility != EventVisibility.MEMBERS


def group_only(event: Event) -> bool:
    """Events for the group's members only (also every event of a members-only group)."""
    return event.group is not None and event.visibility != EventVisibility.PUBLIC


@dataclass
class Audience:
    """Addressing of an event and the local actors through whom it is delivered."""

    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    author_followers: bool = False  # delivered to the author's remote followers
    public: bool = False


def author_of(event: Event) -> Actor:
    """Who sends the event's activities: the person who made it (a group event is then
    passed on by the group, as group posts are); the organiser when the maker is gone."""
    return event.created_by if event.created_by is not None else event.organizer


def audience(event: Event) -> Audience:
    """Public events: to everyone, cc the author's and the group's followers; group events
    only to the group's followers."""
    group_followers = [followers_uri(event.group.actor)] if event.group is not None else []
    if group_only(event):
        return Audience(to=group_followers)
    followers = [followers_uri(author_of(event))]
    return Audience(
        to=[v.PUBLIC], cc=followers + group_followers, author_followers=True, public=True
    )


def _place(event: Event) -> PlaceInfo | None:
    address = PostalAddressInfo(
        street=event.street_address or None,
        postal_code=event.postal_code or None,
        locality=event.locality or None,
        region=event.region or None,
        country=event.country or None,
    )
    has_address = any((address.street, address.postal_code, address.locality))
    if not event.place_name and not has_address:
        return None
    return PlaceInfo(
        name=event.place_name or None,
        address=address if has_address else None,
        latitude=event.latitude,
        longitude=event.longitude,
    )


def _images(event: Event, image_url: str | None) -> tuple[ImageInfo, ...]:
    if not image_url:
        return ()
    media_type = event.image.mime_type if event.image is not None else None
    return (ImageInfo(image_url, media_type, event.image_alt or None),)


def event_info(event: Event, image_url: str | None = None, participants: int = 0) -> EventInfo:
    """The plain values of a local event as we federate it."""
    uri = event_uri(event)
    addressed = audience(event)
    author = actor_uri(author_of(event))
    return EventInfo(
        id=uri,
        name=event.title,
        start=event.starts_at,
        end=event.starts_at + timedelta(minutes=event.duration),
        timezone=event.timezone,
        content=event.description_html,
        source=event.description or None,
        language=event.language or None,
        url=uri,
        attributed_to=author,
        organizer=author,
        place=_place(event),
        is_online=bool(event.online_url),
        online_url=event.online_url or None,
        join_mode=_JOIN_MODE.get(EventJoinMode(event.join_mode), "free"),
        capacity=event.capacity,
        remaining_capacity=(
            max(event.capacity - participants, 0) if event.capacity is not None else None
        ),
        participant_count=participants,
        status=_STATUS.get(EventStatus(event.status), "CONFIRMED"),
        categories=tuple(event.categories),
        images=_images(event, image_url),
        to=tuple(addressed.to),
        cc=tuple(addressed.cc),
        published=event.created_at,
        updated=event.updated_at,
    )


def event_document(event: Event, image_url: str | None = None, participants: int = 0) -> Any:
    """The ActivityPub Event of a local event, with a Mastodon-readable summary in the
    event's language (German or English). A group event names its group as ``audience``
    (as group posts do, FEP-1b12); it is attributed to the member who made it, who sends
    it and answers sign-ups (receivers require a Create's object to be its actor's)."""
    locale = event.language if event.language in _SUMMARY_LOCALES else "de"
    document = event_to_ap(event_info(event, image_url, participants), summary_locale=locale)
    if event.group is not None:
        document["audience"] = actor_uri(event.group.actor)
    return document


def event_tombstone(event: Event) -> dict[str, Any]:
    """What a deleted event's id answers (410): a Tombstone that was an Event."""
    deleted = event.deleted_at or event.updated_at
    return v.with_context(
        activities.tombstone(event_uri(event), former_type=v.EVENT, deleted=deleted)
    )
