"""Editing through the pages: the edit form round-trips, postponing, one date of a series,
clear errors for refused input."""

from __future__ import annotations

from datetime import UTC, datetime

from plugins.events.models import Event
from quarter_node.extensions import db
from tests.helpers import login, post_form
from tests.plugins.events.helpers import make_event

FORM = {
    "title": "Repair-Café",
    "start_date": "2026-12-12",
    "start_time": "14:00",
    "end_time": "17:00",
    "timezone": "Europe/Berlin",
    "repeat": "monthly_weekday",
    "repeat_end": "never",
    "categories": ["hilfe", "nachbarschaft"],
    "visibility": "public",
    "join_mode": "free",
    "country": "DE",
    "language": "de",
    "place_name": "Stadtteilladen",
}


def test_saving_the_edit_form_unchanged_keeps_the_event(client, factories) -> None:
    anna = factories.user("anna")
    event = make_event(
        anna,
        title="Repair-Café",
        start_local=datetime(2026, 12, 12, 14, 0),
        duration=180,
        rrule="FREQ=MONTHLY;BYDAY=2SA",
        categories=["hilfe", "nachbarschaft"],
        place_name="Stadtteilladen",
    )
    login(client, anna.email)
    form = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="Repair-Café"' in form and 'value="14:00"' in form
    assert post_form(client, f"/events/{event.id}/edit", FORM).status_code == 302
    stored = db.session.get(Event, event.id)
    assert stored.rrule == "FREQ=MONTHLY;BYDAY=2SA"
    assert stored.duration == 180 and stored.categories == ["hilfe", "nachbarschaft"]


def test_refused_input_is_shown_on_the_form(client, factories) -> None:
    anna = factories.user("anna")
    login(client, anna.email)
    response = post_form(client, "/events/new", {**FORM, "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "Unknown time zone." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_postponing_through_the_page(client, factories) -> None:
    anna = factories.user("anna")
    event = make_event(anna, start_local=datetime(2026, 12, 12, 15, 0))
    login(client, anna.email)
    response = post_form(
        client, f"/events/{event.id}/postpone", {"start_date": "2027-01-16", "start_time": "15:00"}
    )
    assert response.status_code == 302
    stored = db.session.get(Event, event.id)
    assert stored.status == "postponed"
    assert stored.starts_at == datetime(2027, 1, 16, 14, 0, tzinfo=UTC)
    assert "Postponed" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_moving_one_date_of_a_series_through_the_page(client, factories) -> None:
    anna = factories.user("anna")
    event = make_event(
        anna, title="Chor", start_local=datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3"
    )
    login(client, anna.email)
    url = f"/events/{event.id}/occurrences/2026-12-08T19:00"
    assert client.get(url).status_code == 200
    response = post_form(
        client,
        url,
        {
            "start_date": "2026-12-09",
            "start_time": "18:00",
            "duration": "60",
            "title": "Chor extra",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/events/{event.id}?occurrence=2026-12-08T19:00").get_data(as_text=True)
    assert "Chor extra" in html and "Wed, 9. Dec 2026, 18:00" in html
    month = client.get("/events/calendar?month=2026-12").get_data(as_text=True)
    assert month.count("Chor") == 3 and "Chor extra" in month
