"""Applying an import plan (``ical.sync.plan_sync``) to ``Event`` rows.

Shared by subscriptions (which also delete what vanished from the feed) and one-off
uploads (which never delete). The caller commits once: an import is stored whole or not
at all. A single event whose data the model cannot hold (a rule dateutil refuses, for
example) is skipped and counted, never stops the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import select

from quarter_node.plugin_api import _, db, render_markdown, utcnow

from . import signals
from .categories import configured_categories
from .event_input import MAX_DURATION, MINUTES_PER_DAY
from .ical import ExistingEvent, IcalEvent, ParsedCalendar, SyncPlan, plan_sync
from .ical.model import wall_clock
from .ical_models import ImportState
from .models import (
    Event,
    EventCategory,
    EventJoinMode,
    EventStatus,
    EventVisibility,
    OccurrenceException,
)
from .recurrence import occurrence_at, series_bounds

GROUP_IS_PRIVATE = "members_only"


@dataclass
class ImportTarget:
    """Whose calendar imported events land in, and how they are stored."""

    organizer_id: int
    created_by_id: int | None
    group: Any = None
    subscription_id: int | None = None
    default_category: str = ""
    join_mode: str = EventJoinMode.CLOSED
    may_delete: bool = False  # subscriptions mirror the feed; uploads only add and update


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    deleted: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.cancelled or self.deleted)


def target_events(target: ImportTarget) -> dict[str, Event]:
    """The events an earlier import into ``target`` made, by UID (deleted ones too, so a
    UID that comes back revives its event)."""
    query = select(Event).where(Event.uri.is_(None))
    if target.subscription_id is not None:
        query = query.where(Event.subscription_id == target.subscription_id)
    else:
        query = query.where(
            Event.subscription_id.is_(None), Event.organizer_id == target.organizer_id
        )
    return {event.ical_uid: event for event in db.session.scalars(query)}


def import_calendar(parsed: ParsedCalendar, target: ImportTarget) -> ImportCounts:
    """Create, update, cancel (and for subscriptions delete) events to match ``parsed``."""
    rows = target_events(target)
    plan = plan_sync(_existing(rows), parsed, now=utcnow())
    return apply_plan(plan, rows, target)


def _existing(rows: dict[str, Event]) -> dict[str, ExistingEvent]:
    live = [event for event in rows.values() if event.deleted_at is None]
    states = {
        state.event_id: state
        for state in db.session.scalars(
            select(ImportState).where(ImportState.event_id.in_([e.id for e in live]))
        )
    }
    found = {}
    for event in live:
        state = states.get(event.id)
        found[event.ical_uid] = ExistingEvent(
            state.sequence if state else 0,
            state.source_modified if state else None,
            state.content_hash if state else "",
            event.ends_at,
        )
    return found


def apply_plan(plan: SyncPlan, rows: dict[str, Event], target: ImportTarget) -> ImportCounts:
    counts = ImportCounts()
    known = configured_categories()  # read once: each read is a settings query
    for ical, kind in [
        *((e, "created") for e in plan.create),
        *((e, "updated") for e in plan.update),
        *((e, "cancelled") for e in plan.cancel),
    ]:
        event = rows.get(ical.uid)
        is_new = event is None
        if event is None:
            event = Event(ical_uid=ical.uid[:500], organizer_id=target.organizer_id)
        if not _usable(ical):
            counts.skipped += 1
            continue
        _fill(event, ical, target, known)
        if is_new:
            db.session.add(event)
        db.session.flush()
        _store_state(event, ical, plan.hashes.get(ical.uid, ""))
        setattr(counts, kind, getattr(counts, kind) + 1)
        _signal(kind if not is_new else "created").send(event)
    if target.may_delete:
        for uid in plan.delete:
            event = rows[uid]
            event.deleted_at = utcnow()
            counts.deleted += 1
            signals.event_deleted.send(event)
    return counts


def _signal(kind: str) -> Any:
    return {
        "created": signals.event_created,
        "updated": signals.event_updated,
        "cancelled": signals.event_cancelled,
    }[kind]


def _store_state(event: Event, ical: IcalEvent, digest: str) -> None:
    state = db.session.get(ImportState, event.id) or ImportState(event_id=event.id)
    state.sequence, state.source_modified, state.content_hash = (
        ical.sequence,
        ical.last_modified,
        digest,
    )
    db.session.add(state)


def _usable(ical: IcalEvent) -> bool:
    """Whether the model can hold the event: its zone is known and its rule expands."""
    probe = SimpleNamespace(
        timezone=ical.timezone, start_local=ical.start_local, duration=_minutes(ical),
        all_day=ical.all_day, rrule=ical.rrule, exceptions=[], title=ical.title,
        place_name=ical.location, status="scheduled",
    )  # fmt: skip
    try:
        series_bounds(probe)
    except (ValueError, TypeError, OverflowError, KeyError, ZoneInfoNotFoundError):
        return False
    return True


def _fill(event: Event, ical: IcalEvent, target: ImportTarget, known: dict[str, str]) -> None:
    """Every field of ``event`` from the feed's copy (checked by ``_usable``)."""
    event.subscription_id = target.subscription_id
    event.created_by_id = target.created_by_id
    event.group_id = target.group.id if target.group is not None else None
    event.group = target.group
    event.deleted_at = None
    event.title = (ical.title or _("Untitled event"))[:200]
    event.description = _description(ical)
    event.description_html = render_markdown(event.description)
    event.timezone = ical.timezone
    event.all_day = ical.all_day
    event.start_local = ical.start_local
    event.duration = _minutes(ical)
    event.rrule = ical.rrule[:500] if ical.rrule else None
    event.place_name = ical.location[:200]
    event.latitude = ical.geo.latitude if ical.geo else None
    event.longitude = ical.geo.longitude if ical.geo else None
    event.status = EventStatus.CANCELLED if ical.cancelled else EventStatus.SCHEDULED
    if event.id is None:  # an update keeps who may see it and how people sign up
        event.join_mode = target.join_mode
        event.visibility = EventVisibility.PUBLIC
        if target.group is not None and str(target.group.visibility) == GROUP_IS_PRIVATE:
            event.visibility = EventVisibility.GROUP
    event.category_rows = [
        EventCategory(category=slug) for slug in _categories(ical, target, known)
    ]
    event.exceptions = _exceptions(event, ical)
    event.starts_at, event.ends_at = series_bounds(event)
    event.updated_at = utcnow()


def _description(ical: IcalEvent) -> str:
    text = ical.description.strip()
    if ical.url and ical.url not in text:
        text = f"{text}\n\n{ical.url}".strip()
    return text[:20000]


def _minutes(ical: IcalEvent) -> int:
    if ical.all_day:
        return max(1, ical.duration.days) * MINUTES_PER_DAY
    minutes = int(ical.duration / timedelta(minutes=1))
    return min(max(0, minutes), MAX_DURATION)


def _categories(ical: IcalEvent, target: ImportTarget, known: dict[str, str]) -> list[str]:
    """The feed's categories that match a configured slug or label (``known``: the
    configured categories), else the subscription's default category."""
    by_name = {**{label.lower(): slug for slug, label in known.items()}, **{s: s for s in known}}
    found = [by_name[name.lower()] for name in ical.categories if name.lower() in by_name]
    if not found and target.default_category in known:
        found = [target.default_category]
    return list(dict.fromkeys(found))


def _exceptions(event: Event, ical: IcalEvent) -> list[OccurrenceException]:
    """EXDATEs and cancelled overrides as cancelled dates, other overrides as changed
    dates; those that name no date of the series are dropped."""
    if not event.rrule:
        return []
    zone = ical.timezone
    kept = {e.original_start_local: e for e in event.exceptions}  # reused: unique per date
    found: dict[datetime, OccurrenceException] = {}

    def row(original: datetime) -> OccurrenceException:
        exception = kept.get(original) or OccurrenceException(original_start_local=original)
        exception.start_local = exception.duration = exception.title = None
        exception.place_name, exception.note, exception.cancelled = None, "", False
        found[original] = exception
        return exception

    for moment in ical.exdates:
        row(wall_clock(moment, zone)).cancelled = True
    for override in ical.overrides:
        if override.recurrence_id is None:
            continue
        exception = row(wall_clock(override.recurrence_id, zone))
        exception.cancelled = override.cancelled
        exception.start_local = wall_clock(override.start, zone)
        exception.duration = _minutes(override)
        if override.title and override.title != ical.title:
            exception.title = override.title[:200]
        if override.location and override.location != ical.location:
            exception.place_name = override.location[:200]
    return [e for key, e in sorted(found.items()) if occurrence_at(event, key) is not None]
