"""The form's repetition choices as RRULE text, read back, and described in words."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plugins.events.rules import RepeatChoice, build_rrule, describe, parse_choice
from quarter_node.errors import InvalidInput

TUESDAY = datetime(2026, 12, 8, 19, 0)  # the 2nd Tuesday of December 2026
BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(
    ("choice", "rule"),
    [
        (RepeatChoice(), None),
        (RepeatChoice("weekly"), "FREQ=WEEKLY;BYDAY=TU"),
        (
            RepeatChoice("weekly", interval=2, weekdays=["TH", "TU"], count=6),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6",
        ),
        (RepeatChoice("monthly_weekday"), "FREQ=MONTHLY;BYDAY=2TU"),
        (
            RepeatChoice("monthly_date", until=date(2027, 6, 30)),
            "FREQ=MONTHLY;BYMONTHDAY=8;UNTIL=20270630T215959Z",
        ),
    ],
)
def test_choices_become_rules_and_read_back(choice: RepeatChoice, rule: str | None) -> None:
    assert build_rrule(choice, TUESDAY, BERLIN, all_day=False) == rule
    back = parse_choice(rule, BERLIN)
    assert (back.repeat, back.count, back.until) == (choice.repeat, choice.count, choice.until)


def test_last_weekday_of_the_month_and_all_day_until() -> None:
    last_friday = datetime(2026, 12, 25)
    rule = build_rrule(
        RepeatChoice("monthly_last_weekday", until=date(2027, 3, 1)), last_friday, BERLIN, True
    )
    assert rule == "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270301"


@pytest.mark.parametrize(
    "choice",
    [
        RepeatChoice("weekly", weekdays=["WE"]),  # the first date is a Tuesday
        RepeatChoice("weekly", interval=0),
        RepeatChoice("monthly_last_weekday"),  # 8 December is not the last Tuesday
        RepeatChoice("weekly", until=date(2026, 12, 1)),
        RepeatChoice("weekly", until=date(2027, 1, 1), count=3),
        RepeatChoice("yearly"),
    ],
)
def test_nonsense_is_refused(choice: RepeatChoice) -> None:
    with pytest.raises(InvalidInput):
        build_rrule(choice, TUESDAY, BERLIN, all_day=False)


def test_a_fifth_weekday_must_be_the_last_one() -> None:
    with pytest.raises(InvalidInput, match="last"):
        build_rrule(RepeatChoice("monthly_weekday"), datetime(2026, 12, 29, 19), BERLIN, False)


def test_rules_are_described_in_words(app) -> None:
    with app.test_request_context():
        assert describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6", TUESDAY, BERLIN) == (
            "Every 2 weeks on Tuesday, Thursday, 6 times"
        )
        assert describe("FREQ=MONTHLY;BYDAY=2TU", TUESDAY, BERLIN) == "Monthly on the 2. Tuesday"
        assert describe("FREQ=MONTHLY;BYMONTHDAY=8;UNTIL=20270630T215959Z", TUESDAY, BERLIN) == (
            "Monthly on day 8, until Jun 30, 2027"
        )
