"""Newly published events in the timelines (the hook ``quarter_timeline_items``).

An event appears once, at the time it was published here (``created_at``: made on this
node, or received from another server), as a small card among the posts:

- a member's home: events organised by people and groups she follows (here or elsewhere),
  events of her groups and of groups she follows, and her own;
- the quarter (``/local``): public events made on this node;
- a group's page: the group's events.

Every answer starts from ``visible_events_filter``. Events imported from subscribed
calendars stay out: they arrive in bulk and nobody here published them. One query per page
(and one for a member's groups); the card shows the first date as published (exceptions are
not read).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from markupsafe import Markup
from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import joinedload

from quarter_node.plugin_api import (
    Group,
    TimelineEntry,
    TimelineKind,
    TimelineWindow,
    db,
    followed_actor_ids,
    member_group_ids,
)

from .models import Event, EventVisibility
from .recurrence import Occurrence, occurrence_bounds
from .visibility import visible_events_filter


def timeline_entries(timeline: TimelineWindow) -> list[TimelineEntry]:
    """The events published within the page's range that belong in this timeline."""
    viewer = timeline.viewer
    my_groups = member_group_ids(viewer) if viewer is not None else []
    audience = _audience(timeline, my_groups)
    if audience is None:
        return []
    query = (
        select(Event)
        .where(
            visible_events_filter(viewer, my_groups),
            Event.subscription_id.is_(None),
            audience,
            timeline.time_filter(Event.created_at),
        )
        .options(joinedload(Event.organizer), joinedload(Event.group).joinedload(Group.actor))
        .order_by(Event.created_at.desc(), Event.id.desc())
        .limit(timeline.limit)
    )
    return [TimelineEntry(event.created_at, _card(event)) for event in db.session.scalars(query)]


def _audience(timeline: TimelineWindow, my_groups: list[int]) -> ColumnElement[bool] | None:
    """Which events belong in the timeline asked about (None: none at all)."""
    if timeline.kind == TimelineKind.LOCAL:
        return (Event.visibility == EventVisibility.PUBLIC) & Event.uri.is_(None)
    if timeline.kind == TimelineKind.GROUP and timeline.group is not None:
        return Event.group_id == timeline.group.id
    if timeline.kind == TimelineKind.HOME and timeline.viewer is not None:
        return _home_audience(timeline.viewer, my_groups)
    return None


def _home_audience(user: Any, my_groups: list[int]) -> ColumnElement[bool]:
    followed = followed_actor_ids(user)
    followed_groups = select(Group.id).where(Group.actor_id.in_(followed))
    return or_(
        Event.organizer_id.in_(followed),
        Event.organizer_id == user.actor_id,
        Event.created_by_id == user.actor_id,
        Event.group_id.in_(followed_groups),
        Event.group_id.in_(my_groups) if my_groups else false(),
    )


def _card(event: Event) -> Markup:
    return Markup(
        render_template(
            "events/_timeline_card.html", event=event, occurrence=first_as_published(event)
        )
    )


def first_as_published(event: Event) -> Occurrence:
    """The event's first date as its rule and start say, without its exceptions (which a
    page of timeline cards does not load)."""
    start, end = occurrence_bounds(
        event.start_local, event.duration, event.all_day, ZoneInfo(event.timezone)
    )
    return Occurrence(
        event=event,
        start=start,
        end=end,
        start_local=event.start_local,
        original_start_local=event.start_local,
        title=event.title,
        place_name=event.place_name,
        status=event.status,
        overridden=False,
    )
