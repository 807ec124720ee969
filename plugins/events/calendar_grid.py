"""The month and week grids of the calendar pages: which occurrences fall on which day.

Days are the node's local days (Europe/Berlin by default); an occurrence over several days
appears on each of them. Weeks start on Monday (ISO 8601, as calendars in Germany do).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import DEFAULT_TIMEZONE
from .recurrence import Occurrence

ZONE = ZoneInfo(DEFAULT_TIMEZONE)


@dataclass
class Day:
    day: date
    in_month: bool = True
    occurrences: list[Occurrence] = field(default_factory=list)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZONE)


def parse_month(text: str | None, today: date) -> date:
    """``2026-12`` → the first of that month; anything else → this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def parse_week(text: str | None, today: date) -> date:
    """``2026-W49`` → the Monday of that ISO week; anything else → this week's Monday."""
    try:
        year, week = (text or "").split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return today - timedelta(days=today.weekday())


def month_weeks(first: date) -> list[list[date]]:
    return calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)


def fill(days: list[Day], found: list[Occurrence]) -> None:
    """Put each occurrence on every local day it touches."""
    by_day = {day.day: day for day in days}
    for occurrence in found:
        first = occurrence.start.astimezone(ZONE).date()
        last_moment = max(occurrence.start, occurrence.end - timedelta(seconds=1))
        last = last_moment.astimezone(ZONE).date()
        current = first
        while current <= last:
            if current in by_day:
                by_day[current].occurrences.append(occurrence)
            current += timedelta(days=1)


def month_grid(first: date, found: list[Occurrence]) -> list[list[Day]]:
    weeks = [[Day(day, day.month == first.month) for day in week] for week in month_weeks(first)]
    fill([day for week in weeks for day in week], found)
    return weeks


def week_days(monday: date, found: list[Occurrence]) -> list[Day]:
    days = [Day(monday + timedelta(days=n)) for n in range(7)]
    fill(days, found)
    return days


def month_window(first: date) -> tuple[datetime, datetime]:
    weeks = month_weeks(first)
    return local_midnight(weeks[0][0]), local_midnight(weeks[-1][-1] + timedelta(days=1))


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
