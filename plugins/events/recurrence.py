"""Expanding an event into its occurrences within a time window.

Rules are expanded on the event's LOCAL wall-clock start in its own zone, then each
occurrence is converted to UTC: a weekly meeting at 19:00 in Berlin is at 18:00 UTC in
winter and 17:00 UTC in summer, as the people going there expect.

Local times the clocks skip or repeat follow RFC 5545 (section 3.3.5): a time that does not
exist (02:30 on the night the clocks go forward) is read with the offset before the change,
so it lands after the gap (03:30 summer time); a time that happens twice (02:30 on the night
the clocks go back) is the first of the two. ``zoneinfo`` does exactly that with ``fold=0``.

Exceptions (``OccurrenceException``) are matched by the occurrence's ORIGINAL local start: a
cancelled one stays in the list with status ``cancelled`` (pages show it struck through), a
changed one carries its new start, duration, title or place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

# A series is never expanded further than this (an UNTIL far in the future, a typo).
MAX_OCCURRENCES = 2000
MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class Occurrence:
    """One meeting of an event: when (UTC and local), and what an exception changed."""

    event: Any
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    start_local: datetime  # naive wall-clock start in the event's zone
    original_start_local: datetime  # the rule's start, which identifies the occurrence
    title: str
    place_name: str
    status: str
    overridden: bool
    note: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def key(self) -> str:
        """The occurrence's identifier in URLs (``?occurrence=2026-12-08T19:00``)."""
        return occurrence_key(self.original_start_local)


def occurrence_key(start_local: datetime) -> str:
    return start_local.strftime("%Y-%m-%dT%H:%M")


def parse_occurrence_key(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except (TypeError, ValueError):
        return None


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in ``zone`` as an aware UTC instant (RFC 5545 rules for the
    skipped and the repeated hour, see the module docstring)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def utc_to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant as a naive wall-clock time in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def occurrence_bounds(
    start_local: datetime, duration: int, all_day: bool, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """UTC start and end of one occurrence. All-day events run from local midnight to local
    midnight (a day with a clock change has 23 or 25 hours); others last ``duration``
    minutes of real time."""
    start = local_to_utc(start_local, zone)
    if all_day:
        return start, local_to_utc(start_local + timedelta(minutes=duration), zone)
    return start, start + timedelta(minutes=duration)


def parse_rule(event: Any) -> rrule | None:
    """The event's rule as a dateutil ``rrule`` on its naive local start, or None."""
    if not event.rrule:
        return None
    zone = ZoneInfo(event.timezone)
    parts = [part for part in event.rrule.strip().removeprefix("RRULE:").split(";") if part]
    local_parts = [_localise_until(part, zone) for part in parts]
    return rrulestr(";".join(local_parts), dtstart=event.start_local)  # type: ignore[return-value]


def _localise_until(part: str, zone: ZoneInfo) -> str:
    """dateutil refuses a UTC ``UNTIL`` with a naive start: express it as local wall-clock
    time instead (a date-only UNTIL includes that whole local day)."""
    name, _, value = part.partition("=")
    if name.upper() != "UNTIL":
        return part
    if len(value) == 8:  # a date: the series may meet on that day
        return f"UNTIL={value}T235959"
    if value.endswith("Z"):
        instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return "UNTIL=" + utc_to_local(instant, zone).strftime("%Y%m%dT%H%M%S")
    return part


def occurrences(
    event: Any, start: datetime, end: datetime, include_cancelled: bool = True
) -> list[Occurrence]:
    """The occurrences of ``event`` overlapping ``[start, end)`` (aware datetimes), in order.

    Cancelled occurrences (a cancelled exception, or the whole event cancelled) are included
    with status ``cancelled`` unless ``include_cancelled`` is false.
    """
    zone = ZoneInfo(event.timezone)
    found = [
        occurrence
        for original in _candidate_starts(event, start, end, zone)
        if (occurrence := _occurrence(event, original, zone)) is not None
        and _overlaps(occurrence, start, end)
        and (include_cancelled or not occurrence.is_cancelled)
    ]
    return sorted(found, key=lambda occurrence: (occurrence.start, occurrence.title))


def all_occurrences(event: Any, limit: int = MAX_OCCURRENCES) -> list[Occurrence]:
    """Every occurrence of a bounded series (at most ``limit``), or the first ``limit`` of an
    open-ended one."""
    zone = ZoneInfo(event.timezone)
    rule = parse_rule(event)
    originals = [event.start_local] if rule is None else list(islice(iter(rule), limit))
    found = [_occurrence(event, original, zone) for original in originals]
    return sorted((o for o in found if o is not None), key=lambda o: o.start)


def occurrence_at(event: Any, original_start_local: datetime) -> Occurrence | None:
    """The occurrence the rule puts at ``original_start_local``, or None if there is none."""
    rule = parse_rule(event)
    if rule is None:
        is_ours = original_start_local == event.start_local
    else:
        is_ours = rule.after(original_start_local, inc=True) == original_start_local
    if not is_ours:
        return None
    return _occurrence(event, original_start_local, ZoneInfo(event.timezone))


def series_bounds(event: Any) -> tuple[datetime, datetime | None]:
    """``starts_at`` and ``ends_at`` to store: the first start and the last end in UTC
    (``None`` for a series without end)."""
    zone = ZoneInfo(event.timezone)
    first_start, first_end = occurrence_bounds(
        event.start_local, event.duration, event.all_day, zone
    )
    rule = parse_rule(event)
    if rule is None:
        return first_start, first_end
    if not _is_bounded(event.rrule):
        return first_start, None
    ends = [occurrence.end for occurrence in all_occurrences(event)]
    return first_start, max(ends, default=first_end)


def _is_bounded(rule_text: str) -> bool:
    names = {part.partition("=")[0].upper() for part in rule_text.split(";")}
    return bool(names & {"UNTIL", "COUNT"})


def _candidate_starts(event: Any, start: datetime, end: datetime, zone: ZoneInfo) -> list[datetime]:
    """Original local starts that may overlap the window: the rule's, widened by the
    duration and a day for zone offsets, plus those of exceptions moved into the window."""
    rule = parse_rule(event)
    if rule is None:
        return [event.start_local]
    margin = timedelta(minutes=event.duration) + timedelta(days=1)
    low = utc_to_local(start, zone) - margin
    high = utc_to_local(end, zone) + timedelta(days=1)
    found = set(islice(rule.xafter(low, inc=True), MAX_OCCURRENCES))
    found = {when for when in found if when <= high}
    found.update(
        exception.original_start_local
        for exception in event.exceptions
        if exception.start_local is not None
        and rule.after(exception.original_start_local, inc=True) == exception.original_start_local
    )
    return sorted(found)


def _occurrence(event: Any, original: datetime, zone: ZoneInfo) -> Occurrence | None:
    exception = _exception_for(event, original)
    start_local = original
    duration = event.duration
    title, place_name, note = event.title, event.place_name, ""
    status = event.status
    if exception is not None:
        start_local = exception.start_local or original
        duration = exception.duration if exception.duration is not None else duration
        title = exception.title or title
        place_name = exception.place_name or place_name
        note = exception.note or ""
        if exception.cancelled:
            status = "cancelled"
    occurrence_start, occurrence_end = occurrence_bounds(start_local, duration, event.all_day, zone)
    return Occurrence(
        event=event,
        start=occurrence_start,
        end=occurrence_end,
        start_local=start_local,
        original_start_local=original,
        title=title,
        place_name=place_name,
        status=status,
        overridden=exception is not None,
        note=note,
    )


def _exception_for(event: Any, original: datetime) -> Any:
    for exception in event.exceptions:
        if exception.original_start_local == original:
            return exception
    return None


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    if occurrence.start >= end:
        return False
    return occurrence.end > start or occurrence.start >= start
