"""Where the events plugin's feeds and pages live: every URL built in one place.

The iCalendar feeds are served by ``feeds.py`` (wave 2) at these fixed paths; listing
pages advertise them with ``<link rel="alternate" type="text/calendar">`` already, so both
sides must agree on the paths: build them only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from quarter_node.plugin_api import _

CALENDAR_MIME_TYPE = "text/calendar"


@dataclass(frozen=True)
class FeedLink:
    """One ``<link rel="alternate">`` of a listing page."""

    href: str
    title: str
    type: str = CALENDAR_MIME_TYPE


def node_feed_path() -> str:
    return "/events/calendar.ics"


def group_feed_path(group_handle: str) -> str:
    return f"/events/groups/{group_handle}.ics"


def category_feed_path(slug: str) -> str:
    return f"/events/categories/{slug}.ics"


def member_feed_path(handle: str) -> str:
    return f"/@{handle}/events.ics"


def absolute(path: str) -> str:
    """An absolute URL on this node (feeds are subscribed to from other programs)."""
    return url_for("events.index", _external=True).removesuffix("/events") + path


def node_feed() -> FeedLink:
    return FeedLink(absolute(node_feed_path()), _("All events of this node (iCalendar)"))


def group_feed(group: Any) -> FeedLink:
    handle = group.actor.handle
    return FeedLink(
        absolute(group_feed_path(handle)),
        _("Events of %(group)s (iCalendar)", group=group.actor.name),
    )


def category_feed(slug: str, label: str) -> FeedLink:
    return FeedLink(
        absolute(category_feed_path(slug)), _("Events: %(category)s (iCalendar)", category=label)
    )


def member_feed(actor: Any) -> FeedLink:
    return FeedLink(
        absolute(member_feed_path(actor.handle)),
        _("Events of %(name)s (iCalendar)", name=actor.name),
    )


def event_url(event: Any, occurrence_key: str | None = None, external: bool = False) -> str:
    values: dict[str, Any] = {"event_id": event.id, "_external": external}
    if occurrence_key:
        values["occurrence"] = occurrence_key
    return url_for("events.show", **values)


def event_image_url(event: Any) -> str:
    """The event's picture: served by the plugin (same visibility as the event), or the
    remote picture's own URL."""
    if event.image_id is not None:
        return url_for("events.image", event_id=event.id, _external=True)
    return event.image_url
