"""The recurrence choices of the event form, as RFC 5545 RRULE text and back.

The form offers what neighbours need: weekly (every n weeks, on chosen weekdays), monthly on
the n-th or last weekday of the start (e.g. 2nd Tuesday, last Friday), monthly on the date of
the start; ending on a date, after a number of times, or not at all. Anything richer that
arrives by import is kept as it is and described generically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date

from quarter_node.plugin_api import InvalidInput, _

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REPEAT_CHOICES = ("none", "weekly", "monthly_weekday", "monthly_last_weekday", "monthly_date")
MAX_INTERVAL = 52
MAX_COUNT = 500


@dataclass
class RepeatChoice:
    """What the form says about repetition."""

    repeat: str = "none"
    interval: int = 1
    weekdays: list[str] = field(default_factory=list)
    until: date | None = None
    count: int | None = None


def build_rrule(
    choice: RepeatChoice, start_local: datetime, zone: str, all_day: bool
) -> str | None:
    """RRULE text for the choice (None for a one-off event); refuses nonsense clearly."""
    if choice.repeat == "none":
        return None
    if choice.repeat not in REPEAT_CHOICES:
        raise InvalidInput(_("Please choose how the event repeats."))
    parts = [*_pattern(choice, start_local), *_end(choice, start_local, zone, all_day)]
    return ";".join(parts)


def _pattern(choice: RepeatChoice, start: datetime) -> list[str]:
    weekday = WEEKDAYS[start.weekday()]
    if choice.repeat == "weekly":
        if not 1 <= choice.interval <= MAX_INTERVAL:
            raise InvalidInput(_("Repeat every 1 to %(max)d weeks.", max=MAX_INTERVAL))
        days = [day for day in WEEKDAYS if day in set(choice.weekdays)] or [weekday]
        if weekday not in days:
            raise InvalidInput(_("The first date must fall on one of the chosen weekdays."))
        interval = [f"INTERVAL={choice.interval}"] if choice.interval > 1 else []
        return ["FREQ=WEEKLY", *interval, "BYDAY=" + ",".join(days)]
    if choice.repeat == "monthly_weekday":
        position = (start.day - 1) // 7 + 1
        if position > 4:
            raise InvalidInput(_("A fifth weekday is not in every month: choose the last one."))
        return ["FREQ=MONTHLY", f"BYDAY={position}{weekday}"]
    if choice.repeat == "monthly_last_weekday":
        if (start + timedelta(days=7)).month == start.month:
            raise InvalidInput(_("The first date is not the last such weekday of its month."))
        return ["FREQ=MONTHLY", f"BYDAY=-1{weekday}"]
    return ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]


def _end(choice: RepeatChoice, start: datetime, zone: str, all_day: bool) -> list[str]:
    if choice.until is not None and choice.count is not None:
        raise InvalidInput(_("End the series either on a date or after a number of times."))
    if choice.count is not None:
        if not 1 <= choice.count <= MAX_COUNT:
            raise InvalidInput(_("A series has 1 to %(max)d dates.", max=MAX_COUNT))
        return [f"COUNT={choice.count}"]
    if choice.until is None:
        return []
    if choice.until < start.date():
        raise InvalidInput(_("The series cannot end before it starts."))
    if all_day:
        return ["UNTIL=" + choice.until.strftime("%Y%m%d")]
    # With a time zone, RFC 5545 wants UNTIL in UTC: the end of that local day.
    last_moment = datetime.combine(choice.until, time(23, 59, 59), tzinfo=ZoneInfo(zone))
    return ["UNTIL=" + last_moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")]


def parse_choice(rule: str | None, zone: str) -> RepeatChoice:
    """The form's choice for stored RRULE text (for the edit form)."""
    if not rule:
        return RepeatChoice()
    values = dict(part.partition("=")[::2] for part in rule.upper().split(";") if part)
    choice = RepeatChoice(interval=int(values.get("INTERVAL", "1") or 1))
    byday = values.get("BYDAY", "")
    if values.get("FREQ") == "WEEKLY":
        choice.repeat, choice.weekdays = "weekly", [d for d in byday.split(",") if d]
    elif values.get("FREQ") == "MONTHLY" and byday.startswith("-1"):
        choice.repeat = "monthly_last_weekday"
    elif values.get("FREQ") == "MONTHLY" and byday:
        choice.repeat = "monthly_weekday"
    elif values.get("FREQ") == "MONTHLY":
        choice.repeat = "monthly_date"
    if "COUNT" in values:
        choice.count = int(values["COUNT"])
    if "UNTIL" in values:
        choice.until = _until_date(values["UNTIL"], zone)
    return choice


def _until_date(value: str, zone: str) -> date:
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").date()
    instant = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()
    return instant.date()


def describe(rule: str | None, start_local: datetime, zone: str) -> str:
    """A sentence for people: "Every 2 weeks on Tuesday, until 31 Dec 2026"."""
    if not rule:
        return ""
    choice = parse_choice(rule, zone)
    weekday = format_date(start_local.date(), "EEEE")
    if choice.repeat == "weekly":
        days = ", ".join(_weekday_name(day) for day in choice.weekdays) or weekday
        if choice.interval > 1:
            text = _("Every %(n)d weeks on %(days)s", n=choice.interval, days=days)
        else:
            text = _("Weekly on %(days)s", days=days)
    elif choice.repeat == "monthly_weekday":
        position = (start_local.day - 1) // 7 + 1
        text = _("Monthly on the %(n)d. %(day)s", n=position, day=weekday)
    elif choice.repeat == "monthly_last_weekday":
        text = _("Monthly on the last %(day)s", day=weekday)
    elif choice.repeat == "monthly_date":
        text = _("Monthly on day %(n)d", n=start_local.day)
    else:
        text = _("Repeats")
    if choice.until is not None:
        text += ", " + _("until %(date)s", date=format_date(choice.until, "medium"))
    elif choice.count is not None:
        text += ", " + _("%(n)d times", n=choice.count)
    return text


def _weekday_name(code: str) -> str:
    # 2026-11-30 is a Monday: the n-th day after it is WEEKDAYS[n].
    return format_date(date(2026, 11, 30) + timedelta(days=WEEKDAYS.index(code[-2:])), "EEEE")
