"""The sign-up pages: buttons on the event page, the organisers' participant list, its CSV
export, messages to participants, and "My events"."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from plugins.events.participation_models import Participation
from plugins.events.participation_queries import find_participation
from plugins.events.signups import sign_up
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.plugin_api import utcnow
from tests.helpers import logged_in_client, post_form, text_of
from tests.plugins.events.helpers import make_event


def soon(days: int = 3, hour: int = 18) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(
        tzinfo=None, hour=hour, minute=0, second=0, microsecond=0
    )


def test_signing_up_from_the_event_page_shows_places_and_waiting_position(
    factories, make_client
) -> None:
    organiser, anna, bert = factories.user("orga"), factories.user("anna"), factories.user("bert")
    event = make_event(organiser, start_local=soon(), capacity=1)
    page = f"/events/{event.id}"
    visitor = make_client()
    html = text_of(visitor.get(page))
    assert "1 place left of 1." in html and "Log in to sign up." in html

    anna_client = logged_in_client(make_client, anna)
    html = text_of(anna_client.get(page))
    assert "I am going" in html and "Interested" in html
    response = post_form(anna_client, f"/events/{event.id}/signup", {"state": "going"})
    assert response.status_code == 302 and response.location.endswith(page)
    html = text_of(anna_client.get(page))
    assert "You are going." in html and "I am not coming after all" in html
    assert "All places are taken" in html

    bert_client = logged_in_client(make_client, bert)
    post_form(bert_client, f"/events/{event.id}/signup", {"state": "going"})
    assert "You are on the waiting list, position 1." in text_of(bert_client.get(page))

    post_form(anna_client, f"/events/{event.id}/withdraw")
    assert "You are going." in text_of(bert_client.get(page))
    assert find_participation(event, anna.actor, None) is None
    assert "Participants" not in text_of(bert_client.get(page))  # only for organisers


def test_series_dates_are_signed_up_for_one_by_one(factories, make_client) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    start = soon()
    event = make_event(organiser, start_local=start, rrule="FREQ=WEEKLY;COUNT=4")
    second = (start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    client = logged_in_client(make_client, anna)
    response = post_form(
        client, f"/events/{event.id}/signup", {"state": "going", "occurrence": second}
    )
    assert response.location.endswith(f"/events/{event.id}?occurrence={second}")
    assert "You are going." in text_of(client.get(f"/events/{event.id}?occurrence={second}"))
    assert "You are going." not in text_of(client.get(f"/events/{event.id}"))
    row = db.session.scalar(db.select(Participation))
    assert row.occurrence_local == start + timedelta(days=7)
    bad = post_form(client, f"/events/{event.id}/signup", {"state": "going", "occurrence": "x"})
    assert bad.status_code == 404


def test_refused_sign_ups_answer_with_a_clear_status(factories, make_client) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    closed = make_event(organiser, start_local=soon(), join_mode="closed")
    client = logged_in_client(make_client, anna)
    page = client.get(f"/events/{closed.id}")
    assert "takes no sign-ups" in text_of(page)
    assert f"/events/{closed.id}/signup" not in page.text  # no button offers it
    assert post_form(client, f"/events/{closed.id}/signup", {"state": "going"}).status_code == 403
    event = make_event(organiser, start_local=soon())
    assert post_form(client, f"/events/{event.id}/signup", {"state": "x"}).status_code == 400
    assert (
        post_form(make_client(), f"/events/{event.id}/signup", {"state": "going"}).status_code
        == 403
    )


def test_only_organisers_and_moderators_see_the_participant_list(factories, make_client) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    moderator = factories.user("mod", role="moderator")
    event = make_event(organiser, start_local=soon())
    sign_up(anna.actor, event, None, "going")
    for path in (f"/events/{event.id}/participants", f"/events/{event.id}/participants.csv"):
        assert make_client().get(path).status_code == 403
        assert logged_in_client(make_client, anna).get(path).status_code == 403
        assert logged_in_client(make_client, moderator).get(path).status_code == 200
    html = text_of(logged_in_client(make_client, organiser).get(f"/events/{event.id}/participants"))
    assert "Anna" in html or "anna" in html
    hidden = make_event(organiser, start_local=soon(), visibility="members")
    assert make_client().get(f"/events/{hidden.id}/participants").status_code == 404


def test_the_participant_list_answers_requests(factories, make_client) -> None:
    organiser, anna, bert = factories.user("orga"), factories.user("anna"), factories.user("bert")
    event = make_event(organiser, start_local=soon(), join_mode="approval", capacity=5)
    sign_up(anna.actor, event, None, "going", message="Ich bringe Kuchen mit")
    sign_up(bert.actor, event, None, "going")
    client = logged_in_client(make_client, organiser)
    html = text_of(client.get(f"/events/{event.id}/participants"))
    assert "Requests (2)" in html and "Ich bringe Kuchen mit" in html and "Approve" in html
    anna_row = find_participation(event, anna.actor, None)
    bert_row = find_participation(event, bert.actor, None)
    base = f"/events/{event.id}/participants"
    assert post_form(client, f"{base}/{anna_row.id}/approve").status_code == 302
    assert post_form(client, f"{base}/{bert_row.id}/reject").status_code == 302
    html = text_of(client.get(base))
    assert "Going (1)" in html and "Declined (1)" in html
    other = make_event(organiser, start_local=soon())
    assert (
        post_form(client, f"/events/{other.id}/participants/{anna_row.id}/reject").status_code
        == 404
    )


def test_the_csv_export_is_parseable_and_safe_against_formulas(factories, make_client) -> None:
    organiser = factories.user("orga")
    anna = factories.user("anna", display_name='=HYPERLINK("http://evil")')
    rita = factories.remote_actor("rita", "social.example")
    start = soon()
    event = make_event(organiser, start_local=start, rrule="FREQ=WEEKLY;COUNT=2", capacity=1)
    sign_up(anna.actor, event, start, "going")
    sign_up(rita, event, start, "going", message="+1 from afar")
    response = logged_in_client(make_client, organiser).get(f"/events/{event.id}/participants.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text_of(response))))
    assert [row["state"] for row in rows] == ["going", "waiting"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["handle"] == "anna@localhost"
    assert rows[1]["handle"] == "rita@social.example" and rows[1]["message"] == "'+1 from afar"
    assert rows[0]["occurrence"] == start.isoformat(timespec="minutes")
    assert datetime.fromisoformat(rows[0]["since"]) <= utcnow()
    assert set(rows[0]) == {"name", "handle", "state", "occurrence", "since", "message"}


def test_organisers_message_participants_as_notifications(factories, make_client) -> None:
    organiser, anna, bert = factories.user("orga"), factories.user("anna"), factories.user("bert")
    rita = factories.remote_actor("rita")
    event = make_event(organiser, start_local=soon(), title="Hoffest")
    sign_up(anna.actor, event, None, "going")
    sign_up(bert.actor, event, None, "interested")
    sign_up(rita, event, None, "going")
    client = logged_in_client(make_client, organiser)
    response = post_form(
        client, f"/events/{event.id}/participants/message", {"text": "Bitte Becher mitbringen"}
    )
    assert response.status_code == 302
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "events.message"))
    assert sorted(n.recipient.handle for n in notes) == ["anna", "bert"]
    html = text_of(logged_in_client(make_client, anna).get("/notifications"))
    assert "The organisers of Hoffest wrote to the participants:" in html
    assert "Bitte Becher mitbringen" in html
    empty = post_form(client, f"/events/{event.id}/participants/message", {"text": "  "})
    assert empty.status_code == 400
    assert (
        post_form(
            logged_in_client(make_client, anna),
            f"/events/{event.id}/participants/message",
            {"text": "x"},
        ).status_code
        == 403
    )


def test_my_events_lists_upcoming_sign_ups(factories, make_client) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    going = make_event(organiser, start_local=soon(days=5), title="Flohmarkt")
    make_event(organiser, start_local=soon(days=2), title="Nicht angemeldet")
    interested = make_event(organiser, start_local=soon(days=2), title="Lesung")
    sign_up(anna.actor, going, None, "going")
    sign_up(anna.actor, interested, None, "interested")
    client = logged_in_client(make_client, anna)
    assert 'href="/events/mine"' in text_of(client.get("/events"))
    html = text_of(client.get("/events/mine"))
    assert "Nicht angemeldet" not in html
    assert html.index("Lesung") < html.index("Flohmarkt")  # soonest first
    assert make_client().get("/events/mine").status_code == 403
