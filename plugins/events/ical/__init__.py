"""iCalendar export, import and feed fetching for the events plugin.

Pure code: plain dataclasses (``IcalEvent``) in and out, bytes on the wire side; no
models, no Flask, no network of its own (``fetch`` gets its HTTP client injected). The
plugin's ``feeds.py`` and ``subscriptions.py`` map these to and from the database.
"""

from __future__ import annotations

from .export import calendar_bytes
from .fetch import FetchResult, fetch_calendar, normalise_feed_url
from .model import Geo, IcalError, IcalEvent, ParsedCalendar
from .parse import parse_calendar
from .sync import ExistingEvent, SyncPlan, content_hash, plan_sync

__all__ = [
    "ExistingEvent",
    "FetchResult",
    "Geo",
    "IcalError",
    "IcalEvent",
    "ParsedCalendar",
    "SyncPlan",
    "calendar_bytes",
    "content_hash",
    "fetch_calendar",
    "normalise_feed_url",
    "parse_calendar",
    "plan_sync",
]
