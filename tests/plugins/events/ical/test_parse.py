"""Importing real-world feeds: a municipality, Google, Outlook, Nextcloud, a club."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plugins.events.ical import Geo, IcalError, IcalEvent, parse_calendar

FEEDS = Path(__file__).parent / "feeds"
BERLIN = ZoneInfo("Europe/Berlin")


def feed(name: str) -> dict[str, IcalEvent]:
    return {event.uid: event for event in parse_calendar((FEEDS / name).read_bytes()).events}


def test_a_municipality_calendar_with_its_own_vtimezone() -> None:
    parsed = parse_calendar((FEEDS / "municipality.ics").read_bytes())
    events = {event.uid: event for event in parsed.events}
    market = events["wochenmarkt-2027@musterstadt.de"]

    assert parsed.name == "Veranstaltungen der Stadt Musterstadt"
    assert parsed.description == "Öffentliche Termine, Märkte und Feste"
    assert parsed.refresh_interval == timedelta(hours=12)
    assert market.title == "Wochenmarkt auf dem Rathausplatz"
    assert market.description == "Obst, Gemüse, Käse und Blumen aus der Region.\nBei jedem Wetter."
    assert (market.start, market.end) == (
        datetime(2027, 1, 5, 8, tzinfo=BERLIN),
        datetime(2027, 1, 5, 13, tzinfo=BERLIN),
    )
    assert market.timezone == "Europe/Berlin"
    assert market.start_local == datetime(2027, 1, 5, 8)
    assert market.rrule == "FREQ=WEEKLY;UNTIL=20271228T070000Z;BYDAY=TU"
    assert market.exdates == [datetime(2027, 4, 13, 8, tzinfo=BERLIN)]
    assert market.location == "Rathausplatz 1, 12345 Musterstadt"
    assert market.geo == Geo(52.520008, 13.404954)
    assert market.categories == ["Markt", "Einkaufen"]
    assert market.url == "https://www.musterstadt.de/wochenmarkt"
    assert (market.organizer_name, market.organizer_email) == (
        "Ordnungsamt Musterstadt",
        "markt@musterstadt.de",
    )
    assert (market.sequence, market.last_modified, market.created) == (
        2,
        datetime(2026, 11, 15, 10, 10, 10, tzinfo=UTC),
        datetime(2026, 10, 1, 9, 15, tzinfo=UTC),
    )


def test_multi_day_all_day_events_keep_their_dates() -> None:
    festival = feed("municipality.ics")["stadtfest-2027@musterstadt.de"]

    assert festival.all_day
    assert (festival.start, festival.end) == (date(2027, 6, 18), date(2027, 6, 21))
    assert festival.duration == timedelta(days=3)


def test_a_duration_across_the_spring_clock_change_is_real_time() -> None:
    """02:30 on 28 March 2027 does not exist in Berlin; DURATION:PT1H30M from it ends
    at 05:00 summer time (03:00 UTC), since hours in a DURATION are exact."""
    session = feed("municipality.ics")["ratssitzung-2027-03@musterstadt.de"]

    assert session.start_local == datetime(2027, 3, 28, 2, 30)
    assert session.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert session.end.astimezone(UTC) == datetime(2027, 3, 28, 3, 0, tzinfo=UTC)
    assert session.duration == timedelta(minutes=90)
    assert session.status == "TENTATIVE"


def test_google_overrides_exdates_and_a_cancelled_occurrence() -> None:
    parsed = parse_calendar((FEEDS / "google.ics").read_bytes())
    events = {event.uid: event for event in parsed.events}
    games = events["5kq2rj3v1n6a8b0c9d7e4f2g1h@google.com"]

    assert parsed.timezone == "Europe/Berlin"
    assert len(parsed.events) == 3  # the overrides sit inside their series
    assert games.rrule == "FREQ=WEEKLY;COUNT=20;BYDAY=TH;WKST=MO"
    assert games.exdates == [
        datetime(2027, 1, 21, 19, tzinfo=BERLIN),
        datetime(2027, 2, 4, 19, tzinfo=BERLIN),
    ]
    moved, cancelled = games.overrides
    assert moved.recurrence_id == datetime(2027, 2, 11, 19, tzinfo=BERLIN)
    assert moved.start == datetime(2027, 2, 12, 18, tzinfo=BERLIN)
    assert moved.title == "Spieleabend (Freitag wegen Fasching)"
    assert cancelled.recurrence_id == datetime(2027, 3, 11, 19, tzinfo=BERLIN)
    assert cancelled.cancelled


def test_google_utc_times_are_shown_in_the_calendars_zone() -> None:
    repair = feed("google.ics")["0a1b2c3d4e5f6g7h8i9j@google.com"]

    assert repair.timezone == "Europe/Berlin"
    assert repair.start_local == datetime(2027, 1, 16, 14)
    assert repair.location == ""


def test_html_in_google_descriptions_becomes_plain_text() -> None:
    repair = feed("google.ics")["0a1b2c3d4e5f6g7h8i9j@google.com"]

    assert (
        repair.description
        == "Kaputt? Wir reparieren gemeinsam.\nAnmeldung: hier (https://repair.example/?a=1&b=2)"
    )


def test_outlook_windows_zone_names_and_its_own_zone_names() -> None:
    training, tournament = parse_calendar((FEEDS / "outlook.ics").read_bytes()).events

    assert training.timezone == "Europe/Berlin"
    assert training.start == datetime(2027, 1, 10, 18, tzinfo=BERLIN)
    assert training.rrule == "FREQ=WEEKLY;BYDAY=SU"
    assert training.organizer_name == "Karin Vogt"
    assert training.uid.startswith("040000008200E00074C5B7101A82E008") and " " not in training.uid
    # "(UTC+01:00) Amsterdam, Berlin, ..." is defined only by the feed's VTIMEZONE
    assert tournament.timezone == "Europe/Berlin"
    assert tournament.start == datetime(2027, 7, 4, 14, tzinfo=BERLIN)
    assert tournament.start.astimezone(UTC).hour == 12


def test_a_nextcloud_feed_with_duration_and_floating_time() -> None:
    parsed = parse_calendar((FEEDS / "nextcloud.ics").read_bytes())
    garden, swap = parsed.events

    assert parsed.refresh_interval == timedelta(hours=4)
    assert garden.rrule == "FREQ=MONTHLY;BYDAY=1MO"
    assert garden.end == datetime(2027, 3, 1, 19, tzinfo=BERLIN)
    assert garden.categories == ["Garten", "Treffen"]
    # floating time: wall-clock time in the default zone
    assert swap.start == datetime(2027, 4, 10, 10, tzinfo=BERLIN)
    assert swap.url is None  # a javascript: link never reaches a page


@pytest.mark.parametrize(("offset", "utc_hour"), [("+0500", 7), ("-0300", 15), ("+0500", 7)])
def test_each_feed_s_own_zone_definition_is_used_for_it(offset: str, utc_hour: int) -> None:
    """Feeds may define different zones under one made-up name; none leaks into another."""
    zone = [
        "BEGIN:VTIMEZONE",
        "TZID:Vereinszeit",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    event = _vevent("z@x", "Treffen").replace(
        "DTSTART:20270105T180000Z\r\nDTEND:20270105T200000Z",
        "DTSTART;TZID=Vereinszeit:20270105T120000",
    )

    (parsed,) = parse_calendar(_calendar("\r\n".join(zone), event)).events

    assert parsed.start.astimezone(UTC) == datetime(2027, 1, 5, utc_hour, tzinfo=UTC)
    assert parsed.timezone == "UTC"  # no IANA zone has these offsets in winter and summer


def test_floating_times_use_the_given_default_zone() -> None:
    data = (FEEDS / "nextcloud.ics").read_bytes()

    swap = parse_calendar(data, default_timezone="Europe/Lisbon").events[1]

    assert swap.timezone == "Europe/Lisbon"
    assert swap.start.astimezone(UTC) == datetime(2027, 4, 10, 9, tzinfo=UTC)


def test_cancelled_events_are_reported_as_cancelled() -> None:
    events = feed("club_v2.ics")

    assert events["konzert@abendklang.example"].cancelled
    assert not events["sommerfest@abendklang.example"].cancelled


def test_copies_of_one_uid_are_merged_keeping_the_newest() -> None:
    data = _calendar(
        _vevent("dup@x", "Alt", "SEQUENCE:1"),
        _vevent("dup@x", "Neu", "SEQUENCE:2"),
        _vevent("dup@x", "Veraltet", "SEQUENCE:0"),
    )

    (event,) = parse_calendar(data).events

    assert (event.title, event.sequence) == ("Neu", 2)


def test_an_override_without_its_series_becomes_a_one_off_event() -> None:
    data = _calendar(_vevent("lonely@x", "Einzeln", "RECURRENCE-ID:20270105T180000Z"))

    (event,) = parse_calendar(data).events

    assert event.uid == "lonely@x#20270105T180000Z"
    assert event.recurrence_id is None


def test_a_broken_event_is_skipped_with_a_note_and_the_rest_imported() -> None:
    broken = (
        "BEGIN:VEVENT\r\nUID:kaputt@x\r\nDTSTART:20270101T100000\r\nDTEND:20270101\r\nEND:VEVENT"
    )
    data = _calendar(broken, _vevent("gut@x", "Gut"))

    parsed = parse_calendar(data)

    assert [event.uid for event in parsed.events] == ["gut@x"]
    assert len(parsed.warnings) == 1 and "kaputt@x" in parsed.warnings[0]


def test_an_event_without_uid_gets_a_stable_one() -> None:
    data = _calendar(_vevent(None, "Ohne UID"))

    first, again = parse_calendar(data).events[0], parse_calendar(data).events[0]

    assert first.uid.startswith("generated-") and first.uid == again.uid


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an iCalendar file"),
        (b"<!DOCTYPE html><html><body>Kalender</body></html>", "not an iCalendar file"),
        (b"\x00\xff\x12binary", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n", "incomplete"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nno content line\r\nEND:VCALENDAR\r\n",
            "could not be read",
        ),
    ],
)
def test_what_is_not_a_calendar_gives_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(IcalError, match=message):
        parse_calendar(data)


def test_limits_on_size_and_number_of_events() -> None:
    many = _calendar(*(_vevent(f"e{i}@x", f"Termin {i}") for i in range(11)))

    with pytest.raises(IcalError, match="more than 10 events"):
        parse_calendar(many, max_events=10)
    with pytest.raises(IcalError, match="larger than 1 KiB"):
        parse_calendar(many, max_bytes=1024)
    assert len(parse_calendar(many, max_events=11).events) == 11


def _vevent(uid: str | None, title: str, *extra: str) -> str:
    lines = ["BEGIN:VEVENT", *([f"UID:{uid}"] if uid else []), f"SUMMARY:{title}"]
    lines += ["DTSTART:20270105T180000Z", "DTEND:20270105T200000Z", *extra, "END:VEVENT"]
    return "\r\n".join(lines)


def _calendar(*events: str) -> bytes:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *events])
    return (body + "\r\nEND:VCALENDAR\r\n").encode()


def test_old_outlook_files_in_windows_1252_are_read() -> None:
    data = _calendar(_vevent("alt@x", "Straßenfest für Groß und Klein")).decode().encode("cp1252")

    (event,) = parse_calendar(data).events

    assert event.title == "Straßenfest für Groß und Klein"
