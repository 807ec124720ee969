"""Recurrence expansion on local wall-clock time: daylight saving, exceptions, all-day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from plugins.events.recurrence import (
    all_occurrences,
    occurrence_at,
    occurrences,
    series_bounds,
)


@dataclass
class FakeException:
    original_start_local: datetime
    cancelled: bool = False
    start_local: datetime | None = None
    duration: int | None = None
    title: str | None = None
    place_name: str | None = None
    note: str = ""


@dataclass
class FakeEvent:
    """The attributes the expansion reads (a plain object: these are pure unit tests)."""

    start_local: datetime
    duration: int = 60
    rrule: str | None = None
    timezone: str = "Europe/Berlin"
    all_day: bool = False
    title: str = "Treffen"
    place_name: str = "Nachbarschaftshaus"
    status: str = "scheduled"
    exceptions: list[Any] = field(default_factory=list)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_evening_meeting_stays_at_19_local_across_both_clock_changes() -> None:
    event = FakeEvent(datetime(2026, 3, 19, 19, 0), rrule="FREQ=WEEKLY;COUNT=4")
    starts = [o.start for o in occurrences(event, utc(2026, 3, 1), utc(2026, 5, 1))]
    # 19:00 CET is 18:00 UTC; from 29 March 19:00 CEST is 17:00 UTC.
    assert starts == [
        utc(2026, 3, 19, 18),
        utc(2026, 3, 26, 18),
        utc(2026, 4, 2, 17),
        utc(2026, 4, 9, 17),
    ]
    autumn = FakeEvent(datetime(2026, 10, 22, 19, 0), rrule="FREQ=WEEKLY;COUNT=2")
    starts = [o.start for o in occurrences(autumn, utc(2026, 10, 1), utc(2026, 11, 30))]
    assert starts == [utc(2026, 10, 22, 17), utc(2026, 10, 29, 18)]


def test_0230_on_the_night_clocks_go_forward_is_moved_after_the_gap() -> None:
    # 29 March 2026, Berlin: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist.
    event = FakeEvent(datetime(2026, 3, 29, 2, 30), duration=60)
    [occurrence] = occurrences(event, utc(2026, 3, 28), utc(2026, 3, 30))
    assert occurrence.start == utc(2026, 3, 29, 1, 30)  # = 03:30 CEST (RFC 5545 3.3.5)
    assert occurrence.end == utc(2026, 3, 29, 2, 30)
    assert occurrence.start_local == datetime(2026, 3, 29, 2, 30)


def test_0230_on_the_night_clocks_go_back_is_the_first_of_the_two() -> None:
    # 25 October 2026, Berlin: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    event = FakeEvent(datetime(2026, 10, 25, 2, 30))
    [occurrence] = occurrences(event, utc(2026, 10, 24), utc(2026, 10, 26))
    assert occurrence.start == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, not 02:30 CET (01:30 UTC)


def test_a_weekly_series_meeting_at_0230_through_the_spring_night() -> None:
    event = FakeEvent(datetime(2026, 3, 22, 2, 30), rrule="FREQ=WEEKLY;COUNT=3")
    starts = [o.start for o in occurrences(event, utc(2026, 3, 1), utc(2026, 5, 1))]
    assert starts == [utc(2026, 3, 22, 1, 30), utc(2026, 3, 29, 1, 30), utc(2026, 4, 5, 0, 30)]


def test_every_second_week_on_tuesday_and_thursday_until_a_date() -> None:
    event = FakeEvent(
        datetime(2026, 12, 1, 18, 0), rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20261231"
    )
    days = [o.start_local.day for o in occurrences(event, utc(2026, 11, 1), utc(2027, 2, 1))]
    assert days == [1, 3, 15, 17, 29, 31]


def test_monthly_by_weekday_second_tuesday_and_last_friday() -> None:
    second_tuesday = FakeEvent(datetime(2026, 12, 8, 19, 0), rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=3")
    dates = [o.start_local.date().isoformat() for o in all_occurrences(second_tuesday)]
    assert dates == ["2026-12-08", "2027-01-12", "2027-02-09"]
    last_friday = FakeEvent(datetime(2026, 12, 25, 16, 0), rrule="FREQ=MONTHLY;BYDAY=-1FR;COUNT=3")
    dates = [o.start_local.date().isoformat() for o in all_occurrences(last_friday)]
    assert dates == ["2026-12-25", "2027-01-29", "2027-02-26"]


def test_monthly_by_date_and_a_utc_until() -> None:
    event = FakeEvent(
        datetime(2026, 11, 15, 10, 0), rrule="FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270115T090000Z"
    )
    dates = [o.start_local.date().isoformat() for o in all_occurrences(event)]
    assert dates == ["2026-11-15", "2026-12-15", "2027-01-15"]  # 10:00 CET is 09:00 UTC


def test_cancelled_and_moved_occurrences() -> None:
    event = FakeEvent(datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=4")
    event.exceptions = [
        FakeException(datetime(2026, 12, 8, 19, 0), cancelled=True),
        FakeException(
            datetime(2026, 12, 15, 19, 0),
            start_local=datetime(2026, 12, 16, 18, 0),
            title="Weihnachtstreffen",
            place_name="Café Eck",
        ),
    ]
    found = occurrences(event, utc(2026, 11, 1), utc(2027, 1, 1))
    assert [(o.start_local.day, o.status) for o in found] == [
        (1, "scheduled"),
        (8, "cancelled"),
        (16, "scheduled"),
        (22, "scheduled"),
    ]
    moved = found[2]
    assert (
        moved.overridden and moved.title == "Weihnachtstreffen" and moved.place_name == "Café Eck"
    )
    assert moved.key == "2026-12-15T19:00"
    active = occurrences(event, utc(2026, 11, 1), utc(2027, 1, 1), include_cancelled=False)
    assert len(active) == 3


def test_an_occurrence_moved_into_the_window_is_found_from_outside_it() -> None:
    event = FakeEvent(datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=2")
    event.exceptions = [
        FakeException(datetime(2026, 12, 8, 19, 0), start_local=datetime(2027, 1, 20, 19, 0))
    ]
    [occurrence] = occurrences(event, utc(2027, 1, 1), utc(2027, 2, 1))
    assert occurrence.start == utc(2027, 1, 20, 18)


def test_all_day_and_multi_day_events_run_from_local_midnight_to_local_midnight() -> None:
    event = FakeEvent(datetime(2026, 3, 28), duration=2 * 1440, all_day=True)
    [occurrence] = occurrences(event, utc(2026, 3, 29, 12), utc(2026, 3, 29, 13))
    assert occurrence.start == utc(2026, 3, 27, 23)  # midnight CET
    assert occurrence.end == utc(2026, 3, 29, 22)  # midnight CEST: the weekend had 47 hours


def test_open_ended_and_bounded_series_bounds() -> None:
    open_ended = FakeEvent(datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY")
    assert series_bounds(open_ended) == (utc(2026, 12, 1, 18), None)
    bounded = FakeEvent(datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3", duration=90)
    assert series_bounds(bounded) == (utc(2026, 12, 1, 18), utc(2026, 12, 15, 19, 30))


def test_occurrence_at_knows_only_the_rules_own_starts() -> None:
    event = FakeEvent(datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3")
    assert occurrence_at(event, datetime(2026, 12, 8, 19, 0)) is not None
    assert occurrence_at(event, datetime(2026, 12, 9, 19, 0)) is None
    assert occurrence_at(event, datetime(2026, 12, 22, 19, 0)) is None
