"""The venues of current events for maps (the ``quarter_map_places`` hook).

Only events with coordinates that the viewer may see and that have not ended (or run
open-ended) are places worth a marker; cancelled ones are left out. A remote event names
its server in ``domain`` so that a network map can put it under its initiative.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select

from quarter_node.plugin_api import MapPlace, db, utcnow

from .links import event_url
from .models import Event, EventStatus
from .visibility import visible_events_filter

LIMIT = 300
RECENT = timedelta(days=1)  # what ended yesterday is still a place people look for


def map_places(viewer: Any) -> list[MapPlace]:
    """The viewer's visible current events with coordinates, soonest first."""
    since = utcnow() - RECENT
    query = (
        select(Event)
        .where(visible_events_filter(viewer))
        .where(Event.latitude.is_not(None), Event.longitude.is_not(None))
        .where(Event.status != EventStatus.CANCELLED)
        .where(or_(Event.ends_at.is_(None), Event.ends_at >= since))
        .order_by(Event.starts_at, Event.id)
        .limit(LIMIT)
    )
    return [_place(event) for event in db.session.scalars(query)]


def _place(event: Event) -> MapPlace:
    title = f"{event.title} ({event.place_name})" if event.place_name else event.title
    return MapPlace(
        title=title,
        url=event_url(event),
        latitude=float(event.latitude or 0.0),
        longitude=float(event.longitude or 0.0),
        domain=urlsplit(event.uri).netloc.lower() if event.uri else "",
        starts_at=event.starts_at,
    )
