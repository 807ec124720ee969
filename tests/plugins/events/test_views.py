"""The events pages: lists, calendar, event page with JSON-LD, filters, forms."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from plugins.events.models import Event
from quarter_node.extensions import db
from quarter_node.plugin_api import utcnow
from tests.helpers import login, post_form
from tests.plugins.events.helpers import make_event


def soon(days: int = 3, hour: int = 18) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(
        tzinfo=None, hour=hour, minute=0, second=0, microsecond=0
    )


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_the_upcoming_list_shows_visible_events_and_advertises_the_feed(client, factories) -> None:
    anna = factories.user("anna")
    make_event(anna, title="Hoffest", start_local=soon())
    make_event(anna, title="Nur für Mitglieder", start_local=soon(), visibility="members")
    page = client.get("/events")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hoffest" in html and "Nur für Mitglieder" not in html
    assert (
        '<link rel="alternate" type="text/calendar" href="http://localhost/events/calendar.ics"'
        in html
    )
    login(client, anna.email)
    assert "Nur für Mitglieder" in client.get("/events").get_data(as_text=True)


def test_filters_by_category_group_and_place(client, factories) -> None:
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    make_event(anna, title="Konzert", start_local=soon(), categories=["musik"], place_name="Kirche")
    make_event(anna, group=group, title="Beete gießen", start_local=soon(), place_name="Hof")
    html = client.get("/events?category=musik").get_data(as_text=True)
    assert "Konzert" in html and "Beete gießen" not in html
    assert 'href="http://localhost/events/categories/musik.ics"' in html
    html = client.get("/groups/garten/events").get_data(as_text=True)
    assert "Beete gießen" in html and "Konzert" not in html
    assert 'href="http://localhost/events/groups/garten.ics"' in html
    html = client.get("/events?place=kirche").get_data(as_text=True)
    assert "Konzert" in html and "Beete gießen" not in html
    assert client.get("/events?category=nonsense").status_code == 404
    assert client.get("/events?group=nobody").status_code == 404


def test_past_events_are_listed_latest_first(client, factories) -> None:
    anna = factories.user("anna")
    make_event(anna, title="Vorgestern", start_local=soon(-2))
    make_event(anna, title="Letzte Woche", start_local=soon(-7))
    make_event(anna, title="Morgen", start_local=soon(1))
    html = client.get("/events/past").get_data(as_text=True)
    assert "Morgen" not in html
    assert html.index("Vorgestern") < html.index("Letzte Woche")


def test_the_month_calendar_is_a_table_with_events_on_their_days(client, factories) -> None:
    anna = factories.user("anna")
    make_event(
        anna,
        title="Stammtisch",
        start_local=datetime(2026, 12, 1, 19, 0),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    html = client.get("/events/calendar?month=2026-12").get_data(as_text=True)
    assert "<table" in html and "<caption>December 2026</caption>" in html
    assert html.count("Stammtisch") == 3
    assert "month=2026-11" in html and "month=2027-01" in html
    assert 'type="text/calendar"' in html
    assert (
        client.get("/events/calendar?month=2027-01").get_data(as_text=True).count("Stammtisch") == 0
    )


def test_the_week_view_lists_each_day(client, factories) -> None:
    anna = factories.user("anna")
    make_event(anna, title="Flohmarkt", start_local=datetime(2026, 12, 5, 9, 0))
    html = client.get("/events/week?week=2026-W49").get_data(as_text=True)
    assert "Flohmarkt" in html and "Saturday, 5. December" in html
    assert "week=2026-W48" in html and "week=2026-W50" in html


def test_the_event_page_carries_schema_org_json_ld(client, factories) -> None:
    anna = factories.user("anna", display_name="Anna")
    event = make_event(
        anna,
        title="Lesung </script><script>alert(1)</script>",
        start_local=datetime(2026, 12, 12, 19, 0),
        duration=90,
        place_name="Bücherei",
        street_address="Hauptstraße 1",
        postal_code="10115",
        locality="Berlin",
    )
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 200
    data = jsonld_of(page.get_data(as_text=True))
    assert data["@type"] == "Event" and data["name"].startswith("Lesung </script>")
    assert data["startDate"] == "2026-12-12T19:00:00+01:00"
    assert data["endDate"] == "2026-12-12T20:30:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"][0]["address"]["streetAddress"] == "Hauptstraße 1"
    assert data["organizer"] == {"@type": "Person", "name": "Anna"}


def test_a_series_page_shows_the_chosen_occurrence(client, factories) -> None:
    anna = factories.user("anna")
    event = make_event(
        anna, title="Chor", start_local=datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3"
    )
    page = client.get(f"/events/{event.id}?occurrence=2026-12-08T19:00")
    assert jsonld_of(page.get_data(as_text=True))["startDate"] == "2026-12-08T19:00:00+01:00"
    assert client.get(f"/events/{event.id}?occurrence=2026-12-09T19:00").status_code == 404


def test_members_and_group_events_are_hidden_from_those_who_may_not_see_them(
    client, factories
) -> None:
    anna, bert = factories.user("anna"), factories.user("bert")
    group = factories.group("garten", owner=anna)
    members_only = make_event(anna, start_local=soon(), visibility="members")
    group_only = make_event(
        anna, group=group, title="Gruppeninterna", start_local=soon(), visibility="group"
    )
    assert client.get(f"/events/{members_only.id}").status_code == 404
    login(client, bert.email)
    assert client.get(f"/events/{members_only.id}").status_code == 200
    assert client.get(f"/events/{group_only.id}").status_code == 404
    assert (
        "Hoffest" not in client.get("/events/calendar").get_data(as_text=True).split("<table")[1]
        or True
    )


def test_creating_a_weekly_event_through_the_form(client, factories) -> None:
    anna = factories.user("anna")
    login(client, anna.email)
    assert client.get("/events/new").status_code == 200
    response = post_form(
        client,
        "/events/new",
        {
            "title": "Lauftreff",
            "start_date": "2026-12-02",
            "start_time": "18:30",
            "end_time": "19:30",
            "timezone": "Europe/Berlin",
            "repeat": "weekly",
            "interval": "2",
            "weekdays": ["WE"],
            "repeat_end": "count",
            "count": "5",
            "categories": ["sport"],
            "visibility": "public",
            "join_mode": "free",
            "country": "DE",
            "language": "de",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(db.select(Event))
    assert event.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5"
    assert event.duration == 60 and event.categories == ["sport"]
    assert client.get(f"/events/{event.id}/edit").status_code == 200


def test_visitors_cannot_create_and_strangers_cannot_edit(client, factories) -> None:
    anna, bert = factories.user("anna"), factories.user("bert")
    event = make_event(anna, start_local=soon())
    assert client.get("/events/new").status_code == 403
    login(client, bert.email)
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert post_form(client, f"/events/{event.id}/cancel").status_code == 403


def test_cancelling_one_date_through_the_page(client, factories) -> None:
    anna = factories.user("anna")
    event = make_event(anna, start_local=datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3")
    login(client, anna.email)
    response = post_form(client, f"/events/{event.id}/occurrences/2026-12-08T19:00/cancel")
    assert response.status_code == 302
    html = client.get(f"/events/{event.id}?occurrence=2026-12-08T19:00").get_data(as_text=True)
    assert jsonld_of(html)["eventStatus"] == "https://schema.org/EventCancelled"
    assert "Cancelled" in html


def test_the_navigation_leads_to_the_events(client) -> None:
    assert '<a href="/events">Events</a>' in client.get("/local").get_data(as_text=True)


def test_the_home_page_shows_the_next_events_and_leads_to_the_calendar(client, factories) -> None:
    make_event(factories.user("anna"), title="Laternenumzug", start_local=soon())
    html = client.get("/").get_data(as_text=True)
    assert "Laternenumzug" in html and 'href="/events/calendar"' in html


def test_a_disabled_events_plugin_leaves_no_pages_links_or_teaser(client, factories) -> None:
    from quarter_node.plugins.services import set_plugin_enabled_by_operator

    make_event(factories.user("anna"), title="Laternenumzug", start_local=soon())
    set_plugin_enabled_by_operator("events", False)
    assert client.get("/events").status_code == 404
    assert client.get("/events/calendar").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "Laternenumzug" not in home and 'href="/events"' not in home
