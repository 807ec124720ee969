"""Shared helpers for the events plugin's tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plugins.events.event_input import EventInput
from plugins.events.models import Event
from plugins.events.services import create_event


def event_input(**fields: Any) -> EventInput:
    values: dict[str, Any] = {"title": "Hoffest", "start_local": datetime(2026, 12, 12, 15, 0)}
    values.update(fields)
    return EventInput(**values)


def make_event(user: Any, group: Any = None, **fields: Any) -> Event:
    return create_event(user, event_input(**fields), group=group)
