"""Plan what one refresh of a subscribed feed changes in the calendar.

Pure: it compares what the feed says (``ParsedCalendar``) with what an earlier refresh
stored (per UID: SEQUENCE, LAST-MODIFIED and a content hash) and returns the changes;
the plugin applies them in one transaction.

What a user expects, and so what the plan does:
- a new UID is created (unless the feed announces it as cancelled: there is nothing to
  cancel that anyone has seen);
- a known UID whose SEQUENCE or LAST-MODIFIED went up, or whose content changed, is
  updated; STATUS:CANCELLED cancels it (it stays visible as cancelled, so people who
  planned to go learn that it will not take place);
- a copy older than the stored one (lower SEQUENCE, or same SEQUENCE and older
  LAST-MODIFIED) is ignored;
- an event that vanished from the feed is deleted, as calendar apps do with
  subscriptions, EXCEPT when it is already over (feeds often list only coming events,
  and the past-events pages should keep them) and except when the feed is empty as a
  whole (that is far more often a broken export than a cancelled calendar).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from .model import IcalEvent, ParsedCalendar


class ExistingEvent(NamedTuple):
    """What the plugin stored for one imported UID. A plain 3-tuple works as well."""

    sequence: int
    last_modified: datetime | None
    content_hash: str
    ends_at: datetime | None = None  # end of the last occurrence; None = open-ended


@dataclass
class SyncPlan:
    create: list[IcalEvent] = field(default_factory=list)
    update: list[IcalEvent] = field(default_factory=list)
    cancel: list[IcalEvent] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)  # UIDs
    unchanged: list[str] = field(default_factory=list)  # UIDs, incl. stale copies
    hashes: dict[str, str] = field(default_factory=dict)  # UID -> content hash to store

    @property
    def empty(self) -> bool:
        return not (self.create or self.update or self.cancel or self.delete)


def plan_sync(
    existing: dict[str, ExistingEvent | tuple],
    parsed: ParsedCalendar,
    *,
    now: datetime | None = None,
) -> SyncPlan:
    """The changes that bring the stored events in line with ``parsed``."""
    now = now or datetime.now(UTC)
    stored = {uid: ExistingEvent(*value) for uid, value in existing.items()}
    plan = SyncPlan()
    for event in _unique(parsed.events):
        digest = content_hash(event)
        plan.hashes[event.uid] = digest
        before = stored.get(event.uid)
        if before is None:
            (plan.unchanged if event.cancelled else plan.create).append(
                event.uid if event.cancelled else event
            )
        elif _is_stale(event, before) or not _has_changed(event, before, digest):
            plan.unchanged.append(event.uid)
        else:
            (plan.cancel if event.cancelled else plan.update).append(event)
    if parsed.events:
        seen = set(plan.hashes)
        plan.delete = [
            uid
            for uid, before in stored.items()
            if uid not in seen and not (before.ends_at is not None and before.ends_at < now)
        ]
    return plan


def _unique(events: list[IcalEvent]) -> list[IcalEvent]:
    """``parse_calendar`` already merges copies of a UID; a hand-made list may not."""
    by_uid: dict[str, IcalEvent] = {}
    for event in events:
        current = by_uid.get(event.uid)
        if current is None or not _is_older(event, current):
            by_uid[event.uid] = event
    return list(by_uid.values())


def _is_older(event: IcalEvent, other: IcalEvent) -> bool:
    return _is_stale(event, ExistingEvent(other.sequence, other.last_modified, ""))


def _is_stale(event: IcalEvent, before: ExistingEvent) -> bool:
    if event.sequence != before.sequence:
        return event.sequence < before.sequence
    if event.last_modified and before.last_modified:
        return event.last_modified < before.last_modified
    return False


def _has_changed(event: IcalEvent, before: ExistingEvent, digest: str) -> bool:
    newer_stamp = bool(
        event.last_modified and before.last_modified and event.last_modified > before.last_modified
    )
    return event.sequence > before.sequence or newer_stamp or digest != before.content_hash


def content_hash(event: IcalEvent) -> str:
    """A stable digest of what an event shows (not its SEQUENCE or timestamps, which
    some servers bump on every export), overrides included."""
    text = json.dumps(_content(event), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _content(event: IcalEvent) -> dict[str, object]:
    return {
        "title": event.title,
        "start": _moment(event.start),
        "end": _moment(event.end),
        "timezone": event.timezone,
        "description": event.description,
        "url": event.url,
        "rrule": event.rrule,
        "exdates": sorted(_moment(m) for m in event.exdates),
        "recurrence_id": _moment(event.recurrence_id),
        "status": event.status,
        "location": event.location,
        "geo": [event.geo.latitude, event.geo.longitude] if event.geo else None,
        "categories": sorted(event.categories),
        "organizer": [event.organizer_name, event.organizer_email],
        "overrides": [_content(o) for o in event.overrides],
    }


def _moment(moment: date | datetime | None) -> str | None:
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(UTC).isoformat()
    return moment.isoformat() if moment is not None else None
