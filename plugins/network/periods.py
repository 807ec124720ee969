"""The periods the dashboard counts in: calendar weeks (from Monday) or months, in UTC.

Counting happens in the database (one grouped query instead of a row per post), but SQLite
and PostgreSQL truncate dates differently, so ``bucket_sql`` writes the dialect's own
expression; both give the period's first day as ``YYYY-MM-DD``, as ``bucket_of`` does in
Python for rows that are counted here (events, snapshots).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import String, func, type_coerce

from quarter_node.plugin_api import _l, db


class Unit(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Choice:
    """One entry of the period selector (``key`` is what the URL carries)."""

    key: str
    unit: Unit
    count: int
    label: Any


CHOICES = (
    Choice("12w", Unit.WEEK, 12, _l("Last 12 weeks")),
    Choice("26w", Unit.WEEK, 26, _l("Last 26 weeks")),
    Choice("12m", Unit.MONTH, 12, _l("Last 12 months")),
    Choice("24m", Unit.MONTH, 24, _l("Last 24 months")),
)
DEFAULT_CHOICE = CHOICES[0]


def choice_for(key: str | None) -> Choice | None:
    """The selector entry named ``key`` (the default for an empty key, ``None`` if unknown)."""
    if not key:
        return DEFAULT_CHOICE
    return next((choice for choice in CHOICES if choice.key == key), None)


def bucket_of(moment: datetime | date, unit: Unit) -> date:
    """The first day of the week or month ``moment`` falls in (UTC)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date() if moment.tzinfo else moment.date()
    if unit == Unit.WEEK:
        return moment - timedelta(days=moment.weekday())
    return moment.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_bucket(start: date, unit: Unit) -> date:
    return start + timedelta(weeks=1) if unit == Unit.WEEK else _add_months(start, 1)


def buckets(choice: Choice, now: datetime) -> list[date]:
    """The first days of the chosen periods, oldest first; the last one contains ``now``."""
    current = bucket_of(now, choice.unit)
    if choice.unit == Unit.WEEK:
        return [current - timedelta(weeks=back) for back in range(choice.count - 1, -1, -1)]
    return [_add_months(current, -back) for back in range(choice.count - 1, -1, -1)]


def as_moment(day: date) -> datetime:
    """Midnight UTC at the start of ``day`` (for range conditions on stored instants)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def bucket_sql(column: Any, unit: Unit) -> Any:
    """SQL for the first day (``YYYY-MM-DD``) of the period a UTC timestamp column is in."""
    if db.session.get_bind().dialect.name == "postgresql":
        expression = func.to_char(func.date_trunc(unit.value, column), "YYYY-MM-DD")
    elif unit == Unit.WEEK:
        # back six days, then forward to the next Monday: the Monday on or before the day
        expression = func.date(column, "-6 days", "weekday 1")
    else:
        expression = func.strftime("%Y-%m-01", column)
    return type_coerce(expression, String)
