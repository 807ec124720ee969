"""Periods: the database's bucketing (SQLite or PostgreSQL) agrees with Python's at the
edges of weeks, months and years."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from plugins.network.periods import CHOICES, Unit, bucket_of, bucket_sql, buckets, choice_for
from quarter_node.extensions import db
from quarter_node.posts.models import Post

EDGES = [
    datetime(2026, 11, 29, 23, 59, 59, tzinfo=UTC),  # Sunday night
    datetime(2026, 11, 30, 0, 0, tzinfo=UTC),  # Monday morning, last day of November
    datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 0, tzinfo=UTC),  # week of 2025-12-29 runs into 2026
    datetime(2026, 1, 1, 0, 30, tzinfo=UTC),
    datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("unit", list(Unit))
def test_the_database_buckets_like_python(app, factories, unit: Unit) -> None:
    author = factories.user("anna")
    for moment in EDGES:
        post = factories.post(author)
        post.created_at = moment
    db.session.commit()
    query = select(Post.created_at, bucket_sql(Post.created_at, unit)).order_by(Post.id)
    found = [
        (moment, date.fromisoformat(str(day)[:10])) for moment, day in db.session.execute(query)
    ]
    assert found == [(moment, bucket_of(moment, unit)) for moment in EDGES]


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    assert bucket_of(EDGES[0], Unit.WEEK) == date(2026, 11, 23)
    assert bucket_of(EDGES[1], Unit.WEEK) == date(2026, 11, 30)
    assert bucket_of(EDGES[3], Unit.WEEK) == date(2025, 12, 29)
    assert bucket_of(EDGES[4], Unit.MONTH) == date(2026, 1, 1)


def test_the_selector_counts_back_from_the_current_period() -> None:
    now = datetime(2026, 2, 10, tzinfo=UTC)
    months = buckets(choice_for("24m"), now)
    assert (months[0], months[-1], len(months)) == (date(2024, 3, 1), date(2026, 2, 1), 24)
    weeks = buckets(choice_for("26w"), now)
    assert (weeks[-1], len(weeks)) == (date(2026, 2, 9), 26)
    assert choice_for(None) == choice_for("") == CHOICES[0]
    assert choice_for("1y") is None
