"""The exported feed is read back by the ``icalendar`` library with every field intact,
and its recurrences keep their local time across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from plugins.events.ical import Geo, IcalEvent, calendar_bytes, parse_calendar
from plugins.events.ical.export import event_bytes

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def weekly_meeting() -> IcalEvent:
    """A weekly evening meeting from February to November 2027, with one week skipped
    and one occurrence moved, one cancelled."""
    event = IcalEvent(
        uid="0c5e@quarter.example",
        title="Stammtisch; Nachbarn, Freunde",
        start=datetime(2027, 2, 4, 19, tzinfo=BERLIN),
        end=datetime(2027, 2, 4, 21, 30, tzinfo=BERLIN),
        description="Erste Zeile\nZweite Zeile mit Umlauten: äöü ß " + "lang " * 30 + "Ende",
        url="https://quarter.example/events/1",
        rrule="FREQ=WEEKLY;UNTIL=20271125T180000Z;BYDAY=TH",
        exdates=[datetime(2027, 4, 1, 19, tzinfo=BERLIN)],
        location="Café Eck, Hauptstraße 5, 12345 Musterstadt",
        geo=Geo(52.5125, 13.3904),
        categories=["treffen", "nachbarschaft"],
        organizer_name="Anna Beispiel",
        organizer_email="anna@quarter.example",
        created=datetime(2026, 11, 1, 8, tzinfo=UTC),
        last_modified=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        sequence=3,
    )
    event.overrides = [
        IcalEvent(
            uid=event.uid,
            title="Stammtisch (im Garten)",
            start=datetime(2027, 6, 10, 18, tzinfo=BERLIN),
            end=datetime(2027, 6, 10, 22, tzinfo=BERLIN),
            recurrence_id=datetime(2027, 6, 10, 19, tzinfo=BERLIN),
            location="Gemeinschaftsgarten",
            sequence=3,
        ),
        IcalEvent(
            uid=event.uid,
            title="Stammtisch",
            start=datetime(2027, 7, 1, 19, tzinfo=BERLIN),
            end=datetime(2027, 7, 1, 21, 30, tzinfo=BERLIN),
            recurrence_id=datetime(2027, 7, 1, 19, tzinfo=BERLIN),
            status="CANCELLED",
            sequence=3,
        ),
    ]
    return event


def street_party() -> IcalEvent:
    return IcalEvent(
        uid="fest@quarter.example",
        title="Straßenfest",
        start=date(2027, 8, 20),
        end=date(2027, 8, 23),
        status="TENTATIVE",
    )


def exported(*events: IcalEvent) -> bytes:
    return calendar_bytes(
        list(events),
        name="Quartier Nord",
        description="Termine im Quartier",
        url="https://quarter.example/events",
        refresh_interval=timedelta(hours=2),
        now=NOW,
    )


def test_the_calendar_carries_what_subscribing_clients_need() -> None:
    calendar = Calendar.from_ical(exported(weekly_meeting()))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Quartier Nord"
    assert calendar["X-WR-CALDESC"] == "Termine im Quartier"
    assert calendar.refresh_interval == timedelta(hours=2)
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT2H"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_every_field_of_an_event_is_read_back_by_icalendar() -> None:
    calendar = Calendar.from_ical(exported(weekly_meeting()))
    master = next(e for e in calendar.events if "RECURRENCE-ID" not in e)

    assert str(master["UID"]) == "0c5e@quarter.example"
    assert str(master["SUMMARY"]) == "Stammtisch; Nachbarn, Freunde"
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert master.start == datetime(2027, 2, 4, 19, tzinfo=BERLIN)
    assert master.end == datetime(2027, 2, 4, 21, 30, tzinfo=BERLIN)
    assert str(master["DESCRIPTION"]).startswith("Erste Zeile\nZweite Zeile mit Umlauten: äöü ß")
    assert str(master["URL"]) == "https://quarter.example/events/1"
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20271125T180000Z;BYDAY=TH"
    assert master.exdates == [datetime(2027, 4, 1, 19, tzinfo=BERLIN)]
    assert str(master["STATUS"]) == "CONFIRMED"
    assert master["SEQUENCE"] == 3
    assert str(master["LOCATION"]) == "Café Eck, Hauptstraße 5, 12345 Musterstadt"
    assert (master["GEO"].latitude, master["GEO"].longitude) == (52.5125, 13.3904)
    assert master.categories == ["treffen", "nachbarschaft"]
    assert str(master["ORGANIZER"]) == "mailto:anna@quarter.example"
    assert master["ORGANIZER"].params["CN"] == "Anna Beispiel"
    assert master["DTSTAMP"].dt == NOW
    assert master["CREATED"].dt == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert master["LAST-MODIFIED"].dt == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_overrides_name_the_occurrence_they_replace() -> None:
    calendar = Calendar.from_ical(exported(weekly_meeting()))
    overrides = {e["RECURRENCE-ID"].dt: e for e in calendar.events if "RECURRENCE-ID" in e}

    moved = overrides[datetime(2027, 6, 10, 19, tzinfo=BERLIN)]
    assert str(moved["UID"]) == "0c5e@quarter.example"
    assert moved.start == datetime(2027, 6, 10, 18, tzinfo=BERLIN)
    assert str(moved["LOCATION"]) == "Gemeinschaftsgarten"
    assert "RRULE" not in moved
    assert str(overrides[datetime(2027, 7, 1, 19, tzinfo=BERLIN)]["STATUS"]) == "CANCELLED"


def test_all_day_events_are_dates() -> None:
    calendar = Calendar.from_ical(exported(street_party()))
    (event,) = calendar.events

    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert (event.start, event.end) == (date(2027, 8, 20), date(2027, 8, 23))
    assert str(event["STATUS"]) == "TENTATIVE"
    assert b"DTSTART;VALUE=DATE:20270820" in exported(street_party())


def test_a_weekly_event_stays_at_19_00_local_across_both_clock_changes() -> None:
    calendar = Calendar.from_ical(exported(weekly_meeting()))
    occurrences = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 11, 30))
    starts = {o.start for o in occurrences if str(o.get("STATUS")) != "CANCELLED"}

    # the last Thursdays before and the first after the changes on 28 March and 31 October
    for day in (date(2027, 3, 25), date(2027, 4, 8), date(2027, 10, 28), date(2027, 11, 4)):
        start = datetime(day.year, day.month, day.day, 19, tzinfo=BERLIN)
        assert start in starts
    assert {s.astimezone(BERLIN).hour for s in starts} == {18, 19}  # 18: the moved one
    assert datetime(2027, 3, 25, 18, tzinfo=UTC) in {s.astimezone(UTC) for s in starts}
    assert datetime(2027, 4, 8, 17, tzinfo=UTC) in {s.astimezone(UTC) for s in starts}
    assert datetime(2027, 4, 1, 19, tzinfo=BERLIN) not in starts  # EXDATE
    assert datetime(2027, 7, 1, 19, tzinfo=BERLIN) not in starts  # cancelled override
    assert datetime(2027, 6, 10, 18, tzinfo=BERLIN) in starts  # moved
    assert max(starts) == datetime(2027, 11, 25, 19, tzinfo=BERLIN)  # UNTIL


def test_a_time_the_clocks_skip_is_written_as_given() -> None:
    """An event at 02:30 on the night summer time begins keeps its wall-clock time;
    clients resolve it as RFC 5545 says (the offset before the gap)."""
    night = IcalEvent(
        uid="nacht@quarter.example",
        title="Sternwanderung",
        start=datetime(2027, 3, 28, 2, 30, tzinfo=BERLIN),
        end=datetime(2027, 3, 28, 5, 0, tzinfo=BERLIN),
    )
    data = exported(night)

    assert b"DTSTART;TZID=Europe/Berlin:20270328T023000" in data
    (event,) = Calendar.from_ical(data).events
    assert event.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_an_export_imports_again_unchanged() -> None:
    original = [weekly_meeting(), street_party()]

    parsed = parse_calendar(exported(*original))

    assert parsed.name == "Quartier Nord"
    assert parsed.refresh_interval == timedelta(hours=2)
    assert parsed.warnings == []
    assert parsed.events == original


def test_long_and_special_text_is_folded_and_escaped() -> None:
    data = exported(weekly_meeting())

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"SUMMARY:Stammtisch\\; Nachbarn\\, Freunde" in data


def test_a_feed_built_from_reused_event_lines_is_the_same_feed() -> None:
    events = [weekly_meeting(), street_party()]
    written: list[str] = []

    def reuse(event: IcalEvent) -> bytes:
        written.append(event.uid)
        return event_bytes(event, now=NOW)

    whole = calendar_bytes(events, "Quartier", now=NOW)
    pieced = calendar_bytes(events, "Quartier", now=NOW, event_bytes_of=reuse)

    assert pieced == whole
    assert written == [e.uid for e in events]
    assert len(Calendar.from_ical(whole).walk("VEVENT")) == 2 + len(events[0].overrides)
