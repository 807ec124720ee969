"""The iCalendar feeds, read back with the ``icalendar`` library as calendar apps read
them: what is in which feed, who may see it, conditional requests, the personal feed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from icalendar import Calendar

from plugins.events.feed_export import clear_cache
from plugins.events.occurrence_services import cancel_occurrence, change_occurrence
from plugins.events.participation_models import Participation
from plugins.events.services import cancel_event, postpone_event
from quarter_node.extensions import db
from quarter_node.plugin_api import utcnow
from tests.helpers import login, post_form
from tests.plugins.events.helpers import make_event


def soon(days: int = 5, hour: int = 19) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(
        tzinfo=None, hour=hour, minute=0, second=0, microsecond=0
    )


def read(response) -> dict[str, object]:  # noqa: ANN001
    """SUMMARY -> VEVENT of a feed (overrides under "SUMMARY@RECURRENCE-ID")."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    found = {}
    for vevent in calendar.walk("VEVENT"):
        key = str(vevent["SUMMARY"])
        if "RECURRENCE-ID" in vevent:
            key += "@" + vevent["RECURRENCE-ID"].dt.isoformat()
        found[key] = vevent
    return found


def test_the_node_feed_holds_public_events_with_their_details(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    start = soon()
    make_event(
        anna, title="Hoffest", start_local=start, duration=120, place_name="Hof",
        street_address="Lindenstr. 3", postal_code="10115", locality="Berlin",
        latitude=52.53, longitude=13.38, categories=["feste"],
    )  # fmt: skip
    make_event(anna, title="Nur für Mitglieder", start_local=start, visibility="members")
    moved = make_event(anna, title="Verschoben", start_local=start)
    postpone_event(anna, moved, start + timedelta(days=7))
    called_off = make_event(anna, title="Abgesagt", start_local=start)
    cancel_event(anna, called_off)

    events = read(client.get("/events/calendar.ics"))

    assert set(events) == {"Hoffest", "Verschoben", "Abgesagt"}
    hoffest = events["Hoffest"]
    assert hoffest["DTSTART"].dt.replace(tzinfo=None) == start
    assert str(hoffest["DTSTART"].dt.tzinfo) == "Europe/Berlin"
    assert hoffest["DTEND"].dt - hoffest["DTSTART"].dt == timedelta(hours=2)
    assert str(hoffest["LOCATION"]) == "Hof, Lindenstr. 3, 10115 Berlin"
    assert (hoffest["GEO"].latitude, hoffest["GEO"].longitude) == (52.53, 13.38)
    assert [str(c) for c in hoffest["CATEGORIES"].cats] == ["Feste"]
    assert str(hoffest["URL"]).startswith("http://localhost/events/")
    assert str(hoffest["STATUS"]) == "CONFIRMED"
    assert str(events["Verschoben"]["STATUS"]) == "TENTATIVE"
    assert str(events["Abgesagt"]["STATUS"]) == "CANCELLED"


def test_a_series_carries_its_rule_cancelled_dates_and_changed_dates(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    start = soon()
    series = make_event(anna, title="Chor", start_local=start, rrule="FREQ=WEEKLY;COUNT=5")
    cancel_occurrence(anna, series, start + timedelta(days=7))
    change_occurrence(
        anna, series, start + timedelta(days=14), start_local=start + timedelta(days=14, hours=1),
        duration=90, title="Chor (Generalprobe)", place_name="Kirche", note="",
    )  # fmt: skip

    events = read(client.get("/events/calendar.ics"))

    master = events["Chor"]
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["COUNT"] == [5]
    exdates = [d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts]
    assert exdates == [start + timedelta(days=7)]
    (override_key,) = [k for k in events if k.startswith("Chor (Generalprobe)@")]
    override = events[override_key]
    assert override["UID"] == master["UID"]
    assert override["DTSTART"].dt.replace(tzinfo=None) == start + timedelta(days=14, hours=1)
    assert str(override["LOCATION"]).startswith("Kirche")


def test_group_category_and_member_feeds_hold_only_theirs(client, factories) -> None:
    clear_cache()
    anna, bert = factories.user("anna"), factories.user("bert")
    garden = factories.group("garten", owner=anna)
    secret = factories.group("geheim", owner=anna, visibility="members_only")
    make_event(anna, garden, title="Beete anlegen", start_local=soon(), categories=["garten"])
    make_event(anna, garden, title="Nur die Gruppe", start_local=soon(), visibility="group")
    make_event(anna, secret, title="Geheimtreffen", start_local=soon())
    make_event(bert, title="Berts Flohmarkt", start_local=soon(), categories=["markt"])

    assert set(read(client.get("/events/groups/garten.ics"))) == {"Beete anlegen"}
    assert client.get("/events/groups/geheim.ics").status_code == 404
    assert client.get("/events/groups/niemand.ics").status_code == 404
    assert set(read(client.get("/events/categories/markt.ics"))) == {"Berts Flohmarkt"}
    assert set(read(client.get("/events/categories/garten.ics"))) == {"Beete anlegen"}
    assert client.get("/events/categories/unbekannt.ics").status_code == 404
    assert set(read(client.get("/@bert/events.ics"))) == {"Berts Flohmarkt"}
    node = set(read(client.get("/events/calendar.ics")))
    assert node == {"Beete anlegen", "Berts Flohmarkt"}


def test_public_feeds_never_show_members_events_even_to_members(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    make_event(anna, title="Nur für Mitglieder", start_local=soon(), visibility="members")
    login(client, anna.email)
    assert read(client.get("/events/calendar.ics")) == {}
    assert read(client.get("/@anna/events.ics")) == {}


def test_a_conditional_request_gets_304_until_something_changes(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    event = make_event(anna, title="Hoffest", start_local=soon())
    first = client.get("/events/calendar.ics")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "max-age" in first.headers["Cache-Control"]

    again = client.get("/events/calendar.ics", headers={"If-None-Match": etag})
    by_date = client.get(
        "/events/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert (again.status_code, again.data) == (304, b"")
    assert by_date.status_code == 304

    cancel_event(anna, event)
    changed = client.get("/events/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert str(read(changed)["Hoffest"]["STATUS"]) == "CANCELLED"


def test_the_personal_feed_needs_its_token_and_a_new_token_revokes_it(client, factories) -> None:
    clear_cache()
    anna, bert = factories.user("anna"), factories.user("bert")
    club = factories.group("club", owner=bert, members=(anna,))
    make_event(anna, title="Annas Treffen", start_local=soon(), visibility="members")
    going = make_event(bert, title="Berts Fest", start_local=soon())
    make_event(bert, club, title="Clubabend", start_local=soon(), visibility="group")
    make_event(bert, title="Nicht angemeldet", start_local=soon())
    club_event = db.session.scalar(db.select(type(going)).filter_by(title="Clubabend"))
    db.session.add_all(
        [
            Participation(event_id=going.id, actor_id=anna.actor_id, state="going"),
            Participation(event_id=club_event.id, actor_id=anna.actor_id, state="interested"),
        ]
    )
    db.session.commit()
    login(client, anna.email)
    page = client.get("/events/feeds").get_data(as_text=True)
    (url,) = {u for u in _urls(page) if "/events/feeds/" in u and u.startswith("http")}
    assert f"webcal://{url.split('://')[1]}" in page

    events = read(client.get(url))

    assert set(events) == {"Annas Treffen", "Berts Fest", "Clubabend"}
    assert client.get(url).headers["Cache-Control"].startswith("private")
    assert client.get("/events/feeds/not-a-token.ics").status_code == 404

    assert post_form(client, "/events/feeds/renew").status_code == 302
    assert client.get(url).status_code == 404
    page = client.get("/events/feeds").get_data(as_text=True)
    (new_url,) = {u for u in _urls(page) if "/events/feeds/" in u and u.startswith("http")}
    assert new_url != url and client.get(new_url).status_code == 200


def test_the_subscriptions_page_is_for_members(client) -> None:
    assert client.get("/events/feeds").status_code == 403


def _urls(page: str) -> set[str]:
    return set(re.findall(r'value="([^"]+\.ics)"', page))


def test_listings_lead_members_to_their_feeds_and_imports(client, factories) -> None:
    anna = factories.user("anna")
    factories.group("chor", owner=anna)
    assert "/events/feeds" not in client.get("/events").get_data(as_text=True)
    login(client, anna.email)
    html = client.get("/events").get_data(as_text=True)
    assert 'href="/events/feeds"' in html and 'href="/events/import"' in html
    assert 'href="/events/subscriptions"' in html  # she moderates a group


def test_a_sign_up_for_one_date_puts_only_that_date_in_the_personal_feed(client, factories) -> None:
    clear_cache()
    anna, bert = factories.user("anna"), factories.user("bert")
    start = soon()
    choir = make_event(bert, title="Chor", start_local=start, rrule="FREQ=WEEKLY;COUNT=6")
    db.session.add(
        Participation(event_id=choir.id, actor_id=anna.actor_id, state="going",
                      occurrence_local=start + timedelta(days=14))
    )  # fmt: skip
    db.session.commit()
    login(client, anna.email)
    page = client.get("/events/feeds").get_data(as_text=True)
    (url,) = {u for u in _urls(page) if "/events/feeds/" in u and u.startswith("http")}

    first = client.get(url)
    (vevent,) = read(first).values()
    assert vevent["DTSTART"].dt.replace(tzinfo=None) == start + timedelta(days=14)
    assert "RRULE" not in vevent and str(vevent["UID"]).startswith(choir.ical_uid + "#")
    assert "Last-Modified" not in first.headers  # sign-ups have no reliable change time

    db.session.add(
        Participation(event_id=choir.id, actor_id=anna.actor_id, state="interested",
                      occurrence_local=start + timedelta(days=21))
    )  # fmt: skip
    db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    starts = sorted(
        v["DTSTART"].dt.replace(tzinfo=None) for v in Calendar.from_ical(second.data).walk("VEVENT")
    )
    assert starts == [start + timedelta(days=14), start + timedelta(days=21)]


def test_events_without_a_uid_still_get_one_each(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    for title in ("Eins", "Zwei"):
        make_event(anna, title=title, start_local=soon()).ical_uid = ""
    db.session.commit()
    events = read(client.get("/events/calendar.ics"))
    assert len({str(v["UID"]) for v in events.values()}) == 2
