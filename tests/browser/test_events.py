"""A recurring event, told through the browser alone (the events plugin's end-to-end story).

An organiser sets up the node and publishes a Repair-Café every other Saturday, 14:00–17:00 in
Berlin, with a place, a category, accessibility notes, a picture and three places; a neighbour
registers, finds it in the month calendar and signs up for one date; the organiser sees her on
the participants page. The calendar shows the dates on the right days at 14:00 local time on
both sides of a daylight-saving change, and the iCalendar feeds (the node's, found through the
calendar page's ``<link rel="alternate">``, and the neighbour's personal one from her
"Calendar subscriptions" page) carry the series as calendar apps read it (parsed with
``icalendar``). JavaScript stays off; every page visited passes the accessibility basics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.calendar_checks import (
    BERLIN,
    assert_calendar_readable,
    event_days,
    fetch_calendar,
    the_vevent,
)
from tests.browser.conftest import DESKTOP, PHONE, Contexts, LiveNode
from tests.browser.pictures import repair_cafe_png
from tests.browser.ui import (
    Person,
    assert_accessible_basics,
    fill_fields,
    follow,
    goto,
    main_text,
    path_of,
    submit,
)

pytestmark = pytest.mark.browser

ORGANISER = Person("ines@nordstadt.example", "ines", "Ines Kowalski", "Lötkolben-und-Nadel-42")
NEIGHBOUR = Person("derya@nordstadt.example", "derya", "Derya Yılmaz", "Toaster kaputt seit Mai")

SETUP_FORM = 'main form[action="/setup"]'
REGISTER_FORM = 'main form[action^="/register"]'
EVENT_FORM = "main form.event-form"

TITLE = "Repair-Café"
PLACE = "Nachbarschaftshaus Nordstadt"
STREET = "Stollenstraße 36"
ACCESS_NOTES = "Eingang über den Hof mit Rampe; barrierefreie Toilette im Erdgeschoss."
IMAGE_ALT = "Eine Werkbank mit Toaster, gelber Lampe und Schraubendreher"
DESCRIPTION = (
    "Kaputter Toaster, wackliger Stuhl, Loch in der Jacke? Ehrenamtliche aus der Nachbarschaft "
    "reparieren **gemeinsam mit Ihnen**, was sonst im Müll landen würde.\n\n"
    "- Bringen Sie das defekte Gerät und, wenn vorhanden, das Netzteil mit.\n"
    "- Kaffee und Kuchen gegen Spende."
)


@dataclass
class Story:
    """What the steps hand on: the node, the people's pages, the event and its dates."""

    node: LiveNode
    contexts: Contexts
    shot: Any
    tmp: Path
    first: date  # the first Saturday of the series
    organiser: Any = None
    neighbour: Any = None
    event_id: int = 0
    signed_up_key: str = ""
    others: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.node.url + path

    def page(self, viewport: dict[str, int] = PHONE) -> Any:
        return self.contexts.new(viewport=viewport).new_page()

    def showcase_month(self) -> date:
        """The month after the first date: every week of it has events (the screenshot)."""
        return (self.first.replace(day=1) + timedelta(days=32)).replace(day=1)

    def dates(self, count: int = 40) -> list[date]:
        """The series' dates: every other Saturday from the first on."""
        return [self.first + timedelta(weeks=2 * n) for n in range(count)]


def test_a_recurring_event_from_the_form_to_the_feeds(
    live_node: LiveNode, contexts: Contexts, screenshot: Any, tmp_path: Path
) -> None:
    story = Story(live_node, contexts, screenshot, tmp_path, first=first_saturday())
    the_organiser_sets_up_the_node(story)
    the_organiser_publishes_the_repair_cafe(story)
    the_organiser_adds_more_events_for_the_calendar(story)
    the_neighbour_registers_and_signs_up_from_the_calendar(story)
    the_organiser_sees_her_among_the_participants(story)
    the_calendar_shows_the_dates_across_daylight_saving(story)
    the_node_feed_carries_the_series(story)
    the_personal_feed_carries_her_date(story)
    every_events_page_passes_the_accessibility_basics(story)
    screenshots_for_the_readme(story)


def first_saturday() -> date:
    """A Saturday a few days ahead (upcoming whenever the test runs, in any time zone)."""
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def offset(day: date) -> timedelta | None:
    return datetime.combine(day, time(14), BERLIN).utcoffset()


# --- the steps -------------------------------------------------------------------------------


def the_organiser_sets_up_the_node(story: Story) -> None:
    story.organiser = page = story.page()
    goto(page, story.node.setup_link)
    fill_fields(
        page,
        SETUP_FORM,
        {
            "name": "Nordstadt online",
            "quarter": "Dortmund-Nordstadt",
            "description": "Das Netz der Nachbarschaft rund um Borsigplatz und Nordmarkt.",
            "default_language": "de",
            "registration_mode": "open",
            "email": ORGANISER.email,
            "handle": ORGANISER.handle,
            "display_name": ORGANISER.name,
            "password": ORGANISER.password,
            "password_confirm": ORGANISER.password,
        },
    )
    submit(page, SETUP_FORM)
    assert path_of(page) == "/admin"


def the_organiser_publishes_the_repair_cafe(story: Story) -> None:
    page = story.organiser
    goto(page, story.url("/events"))
    assert_accessible_basics(page)
    follow(page, 'main a[href="/events/new"]')
    assert_accessible_basics(page)
    publish_event(
        page,
        {
            "title": TITLE,
            "description": DESCRIPTION,
            "start_date": story.first.isoformat(),
            "start_time": "14:00",
            "end_time": "17:00",
            "timezone": "Europe/Berlin",
            "repeat": "weekly",
            "interval": "2",
            "place_name": PLACE,
            "street_address": STREET,
            "postal_code": "44145",
            "locality": "Dortmund",
            "image_alt": IMAGE_ALT,
            "step_free": True,
            "accessibility_notes": ACCESS_NOTES,
            "contact": "reparieren@nordstadt.example",
            "visibility": "public",
            "join_mode": "free",
            "capacity": "3",
        },
        weekdays=["SA"],
        categories=["hilfe"],
        image=repair_cafe_png(story.tmp),
    )
    story.event_id = int(path_of(page).split("/")[2])
    assert page.locator("main h1").inner_text() == TITLE
    facts = page.locator("main dl.event-facts").inner_text()
    for expected in (PLACE, STREET, "44145 Dortmund", ACCESS_NOTES, "Nachbarschaftshilfe"):
        assert expected in facts, facts
    assert page.locator("main img.event-image").get_attribute("alt") == IMAGE_ALT
    assert page.locator("main .event-description strong").inner_text() == "gemeinsam mit Ihnen"
    next_dates = page.locator("main ul.event-series li").count()
    assert next_dates >= 10, f"every other Saturday for a year: {next_dates} dates listed"
    assert_accessible_basics(page)


def publish_event(
    page: Any,
    values: dict[str, str | bool],
    *,
    weekdays: Sequence[str] = (),
    categories: Sequence[str] = (),
    image: Path | None = None,
) -> None:
    """Fill the new-event form (checkbox lists by value) and publish it."""
    fill_fields(page, EVENT_FORM, values)
    for name, chosen in (("weekdays", weekdays), ("categories", categories)):
        for value in chosen:
            page.locator(f'{EVENT_FORM} input[name="{name}"][value="{value}"]').check()
    if image is not None:
        page.locator(f'{EVENT_FORM} input[name="image"]').set_input_files(image)
    submit(page, EVENT_FORM)
    assert page.locator(".flash--success").count() == 1, main_text(page)
    assert path_of(page).startswith("/events/"), path_of(page)


def the_organiser_adds_more_events_for_the_calendar(story: Story) -> None:
    """A weekly running group and a flea market, so that the calendar looks like a quarter's."""
    page = story.organiser
    tuesday = story.first + timedelta(days=3)
    goto(page, story.url("/events/new"))
    publish_event(
        page,
        {
            "title": "Lauftreff im Park",
            "start_date": tuesday.isoformat(),
            "start_time": "18:30",
            "end_time": "19:30",
            "repeat": "weekly",
            "place_name": "Fredenbaumpark, Eingang Lortzingstraße",
            "join_mode": "closed",
        },
        categories=["sport"],
    )
    second_week = story.showcase_month() + timedelta(days=7)
    sunday = second_week + timedelta(days=6 - second_week.weekday())
    goto(page, story.url("/events/new"))
    publish_event(
        page,
        {
            "title": "Hofflohmarkt Nordmarkt",
            "start_date": sunday.isoformat(),
            "start_time": "11:00",
            "end_time": "16:00",
            "place_name": "Nordmarkt",
            "join_mode": "closed",
        },
        categories=["markt"],
    )
    story.others = ["Lauftreff im Park", "Hofflohmarkt Nordmarkt"]


def the_neighbour_registers_and_signs_up_from_the_calendar(story: Story) -> None:
    story.neighbour = page = story.page()
    goto(page, story.url("/register"))
    fill_fields(page, REGISTER_FORM, NEIGHBOUR.registration())
    submit(page, REGISTER_FORM)
    assert path_of(page) == "/welcome"
    goto(page, story.url("/"))
    follow(page, 'main .events-teaser a[href="/events/calendar"]')
    assert_calendar_readable(page)
    if story.first.month != datetime.now(BERLIN).month:
        follow(page, 'main nav.calendar-pager a[rel="next"]')
    days = event_days(page, story.event_id, TITLE, "14:00")
    assert story.first in days, f"{story.first} not in {sorted(days)}"
    story.signed_up_key = days[story.first]["key"]
    follow(page, f'main table.calendar a[href="{days[story.first]["href"]}"]')
    assert path_of(page).startswith(f"/events/{story.event_id}?occurrence=")
    assert_accessible_basics(page)
    places = page.locator("main .event-signup__places")
    assert places.inner_text() == "Noch 3 Plätze von 3 frei."
    going = f'main form[action="/events/{story.event_id}/signup"]:has(input[value="going"])'
    submit(page, going)
    assert page.locator("main .event-signup__mine").inner_text() == "Sie nehmen teil."
    assert places.inner_text() == "Noch 2 Plätze von 3 frei."
    assert page.locator(f'main form[action="/events/{story.event_id}/withdraw"]').count() == 1
    assert_accessible_basics(page)


def the_organiser_sees_her_among_the_participants(story: Story) -> None:
    page = story.organiser
    goto(page, story.url(f"/events/{story.event_id}?occurrence={story.signed_up_key}"))
    follow(page, f'main .event-signup a[href^="/events/{story.event_id}/participants"]')
    rows = page.locator("main section.participants--going tbody tr")
    assert rows.count() == 1, main_text(page)
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == NEIGHBOUR.name
    assert cells[1].startswith(f"{NEIGHBOUR.handle}@"), cells
    assert cells[2] == f"{story.first.isoformat()} 14:00", cells
    story.shot(page, "event-participants")
    assert_accessible_basics(page)


def the_calendar_shows_the_dates_across_daylight_saving(story: Story) -> None:
    """The first date's month, and the months of the last date before and the first date
    after the clocks change: 14:00 local time throughout, so the UTC offset changes."""
    page = story.neighbour
    dates = story.dates()
    after_change = next(day for day in dates if offset(day) != offset(story.first))
    before_change = dates[dates.index(after_change) - 1]
    for day in (story.first, before_change, after_change):
        goto(page, story.url(f"/events/calendar?month={day:%Y-%m}"))
        assert_calendar_readable(page)
        shown = event_days(page, story.event_id, TITLE, "14:00")
        expected = {d for d in dates if (d.year, d.month) == (day.year, day.month)}
        assert set(shown) == expected, f"{day:%Y-%m}: {sorted(shown)} instead of {sorted(expected)}"
        for d, item in shown.items():
            moment = datetime.fromisoformat(item["datetime"])
            assert item["time"] == "14:00" and moment.time() == time(14), item
            assert moment.utcoffset() == offset(d), f"{d}: {item}"


def the_node_feed_carries_the_series(story: Story) -> None:
    """The feed the calendar page advertises: one VEVENT with the rule, 14:00 in Berlin."""
    page = story.neighbour
    goto(page, story.url("/events/calendar"))
    feeds = page.locator('head link[rel="alternate"][type="text/calendar"]')
    assert feeds.count() >= 1
    event = the_vevent(fetch_calendar(feeds.first.get_attribute("href")), TITLE)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["INTERVAL"] == [2]
    assert event["RRULE"]["BYDAY"] == ["SA"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == datetime.combine(story.first, time(14), BERLIN)
    assert event.decoded("DTEND") == datetime.combine(story.first, time(17), BERLIN)
    assert PLACE in str(event["LOCATION"]) and STREET in str(event["LOCATION"])
    assert "Nachbarschaftshilfe" in event.categories
    assert str(event["URL"]) == story.url(f"/events/{story.event_id}")


def the_personal_feed_carries_her_date(story: Story) -> None:
    """Her secret feed address, copied from "Calendar subscriptions", holds her date."""
    page = story.neighbour
    goto(page, story.url("/events"))
    follow(page, 'main .events-tools a[href="/events/feeds"]')
    assert_accessible_basics(page)
    address = page.locator("main input#personal-https").input_value()
    assert address.startswith(story.url("/events/feeds/")) and address.endswith(".ics")
    feed = fetch_calendar(address)
    event = the_vevent(feed, TITLE)
    assert event.decoded("DTSTART") == datetime.combine(story.first, time(14), BERLIN)
    assert "RRULE" not in event, "she signed up for one date, not the series"
    assert PLACE in str(event["LOCATION"])
    titles = {str(e.get("SUMMARY")) for e in feed.walk("VEVENT")}
    assert titles == {TITLE}, "only what she signed up for"


def every_events_page_passes_the_accessibility_basics(story: Story) -> None:
    """The plugin's other pages, with the story's events in them, on the phone."""
    event = f"/events/{story.event_id}"
    for page, paths in (
        (story.neighbour, ["/events", "/events/week", "/events/past", "/events/mine",
                           "/events?category=hilfe", f"/events?place={PLACE}"]),
        (story.organiser, ["/events/subscriptions", "/events/import", f"{event}/edit",
                           f"{event}/postpone", f"{event}/delete", f"{event}/participants",
                           f"{event}/occurrences/{story.signed_up_key}"]),
    ):  # fmt: skip
        for path in paths:
            goto(page, story.url(path))
            assert_accessible_basics(page)
    goto(story.neighbour, story.url("/events/mine"))
    assert TITLE in main_text(story.neighbour), "her date is among her events"


def screenshots_for_the_readme(story: Story) -> None:
    """The month after the first date (all its weeks filled) on a wide screen; the event
    page as the neighbour sees it, on her phone and on a wide screen."""
    page = story.neighbour
    calendar = story.url(f"/events/calendar?month={story.showcase_month():%Y-%m}")
    event_page = story.url(f"/events/{story.event_id}?occurrence={story.signed_up_key}")
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        page.set_viewport_size(viewport)
        goto(page, calendar)
        for title in (TITLE, *story.others):
            assert page.locator("main table.calendar a", has_text=title).count() >= 1, title
        story.shot(page, f"events-calendar{suffix}")
        assert_calendar_readable(page)
    for viewport, suffix in ((PHONE, ""), (DESKTOP, "-desktop")):
        page.set_viewport_size(viewport)
        goto(page, event_page)
        story.shot(page, f"event-page{suffix}")
        assert_accessible_basics(page)
    page.set_viewport_size(PHONE)
