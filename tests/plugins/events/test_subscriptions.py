"""Subscribing to an outside calendar served by a real HTTP server on loopback (through
the core's guarded client in development mode): first import, 304 with the ETag,
updates, cancellations and removals, errors, and the periodic refresh."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer

import pytest
from icalendar import Calendar

from plugins.events.feed_export import clear_cache
from plugins.events.ical_models import IcalSubscription
from plugins.events.jobs import refresh_ical_subscriptions
from plugins.events.models import Event
from plugins.events.subscriptions import due_subscription_ids, refresh, refresh_due
from quarter_node.extensions import db
from quarter_node.plugin_api import utcnow
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from tests.helpers import login, post_form
from tests.plugins.events.ical.test_fetch import FEEDS, Feed, Handler


@pytest.fixture
def feed_server() -> Iterator[tuple[str, Feed]]:
    feed = Feed(
        (FEEDS / "club_v1.ics").read_bytes(), '"v1"', datetime(2026, 11, 30, 10, tzinfo=UTC)
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"feed": feed}))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", feed
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def dev_app(app):  # noqa: ANN001, ANN201
    app.config["DEV_MODE"] = True  # loopback is reachable, as for nodes on one machine
    return app


def events_of(subscription_id: int) -> dict[str, Event]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Event).filter_by(subscription_id=subscription_id))
    return {event.title: event for event in rows}


def subscribe(client, url: str, target: str, category: str = "") -> IcalSubscription:  # noqa: ANN001
    response = post_form(
        client, "/events/subscriptions", {"url": url, "target": target, "category": category}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalars(db.select(IcalSubscription).filter_by(url=url)).one()


def test_a_group_subscription_follows_the_feed(dev_app, client, factories, feed_server) -> None:
    clear_cache()
    base, feed = feed_server
    anna = factories.user("anna")
    choir = factories.group("chor", owner=anna)
    login(client, anna.email)

    subscription = subscribe(client, f"{base}/verein.ics", f"group:{choir.id}", "musik")

    events = events_of(subscription.id)
    assert set(events) == {"Chorprobe", "Frühjahrskonzert", "Chorausflug"}
    probe = events["Chorprobe"]
    assert (probe.organizer_id, probe.group_id, probe.join_mode) == (
        choir.actor_id, choir.id, "closed",
    )  # fmt: skip
    assert probe.ical_uid == "probe@abendklang.example"
    assert probe.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert probe.start_local == datetime(2027, 1, 12, 19, 30) and probe.duration == 120
    assert probe.place_name == "Gemeindehaus" and probe.categories == ["musik"]
    assert events["Chorausflug"].all_day
    assert subscription.title == "Chor Abendklang" and subscription.etag == '"v1"'
    page = client.get("/events/subscriptions").get_data(as_text=True)
    assert "Chor Abendklang" in page and "OK" in page

    # Unchanged: the server answers 304 to the ETag, nothing is touched.
    stamp = events["Frühjahrskonzert"].updated_at
    assert post_form(client, f"/events/subscriptions/{subscription.id}/refresh").status_code == 302
    assert feed.requests[-1]["If-None-Match"] == '"v1"'
    assert events_of(subscription.id)["Frühjahrskonzert"].updated_at == stamp

    # The club changes its calendar: a moved rehearsal, a cancelled concert, a new party,
    # the outing gone, and a cancelled meeting nobody here ever saw.
    feed.publish(
        (FEEDS / "club_v2.ics").read_bytes(), '"v2"', datetime(2026, 12, 7, 10, tzinfo=UTC)
    )
    assert refresh(subscription.id).status == "changed"

    db.session.expire_all()
    rows = db.session.scalars(db.select(Event).filter_by(subscription_id=subscription.id)).all()
    by_title = {e.title: e for e in rows}
    assert by_title["Chorprobe"].start_local == datetime(2027, 1, 12, 19, 0)
    assert by_title["Frühjahrskonzert"].status == "cancelled"
    assert by_title["Sommerfest"].deleted_at is None
    assert by_title["Chorausflug"].deleted_at is not None
    assert "Abgesagtes Treffen" not in by_title
    node_feed = Calendar.from_ical(client.get("/events/calendar.ics").data)
    statuses = {str(v["SUMMARY"]): str(v["STATUS"]) for v in node_feed.walk("VEVENT")}
    assert statuses == {
        "Chorprobe": "CONFIRMED", "Frühjahrskonzert": "CANCELLED", "Sommerfest": "CONFIRMED",
    }  # fmt: skip
    assert db.session.get(IcalSubscription, subscription.id).etag == '"v2"'

    # Removing the subscription removes its events.
    subscription_id = subscription.id
    assert post_form(client, f"/events/subscriptions/{subscription_id}/delete").status_code == 302
    assert db.session.get(IcalSubscription, subscription_id) is None
    assert all(e.deleted_at is not None for e in events_of(subscription_id).values())


def test_errors_are_recorded_and_gone_feeds_stop(dev_app, client, factories, feed_server) -> None:
    base, _feed = feed_server
    admin = factories.user("admin", role="admin")
    login(client, admin.email)

    missing = subscribe(client, f"{base}/missing.ics", "me")
    gone = subscribe(client, f"{base}/gone.ics", "me")
    page = subscribe(client, f"{base}/page", "me")

    db.session.expire_all()
    assert "404" in missing.last_error and missing.active
    assert "410" in gone.last_error and not gone.active
    assert page.last_error and page.active
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    html = client.get("/events/subscriptions").get_data(as_text=True)
    assert "Error:" in html and "Stopped" in html

    # The club moved its calendar back: "refresh now" switches the subscription on again.
    gone.url = f"{base}/verein.ics"
    db.session.commit()
    assert post_form(client, f"/events/subscriptions/{gone.id}/refresh").status_code == 302
    db.session.expire_all()
    assert gone.active and gone.last_error == ""


def test_only_http_addresses_and_only_moderators(dev_app, client, factories) -> None:
    anna, bert = factories.user("anna"), factories.user("bert")
    choir = factories.group("chor", owner=anna, members=(bert,))
    login(client, anna.email)
    refused = post_form(
        client,
        "/events/subscriptions",
        {"url": "file:///etc/passwd", "target": f"group:{choir.id}"},
    )
    assert refused.status_code == 422
    assert "https://" in refused.get_data(as_text=True)
    assert (
        post_form(
            client, "/events/subscriptions", {"url": "https://example.org/c.ics", "target": "me"}
        ).status_code
        == 422
    )  # not an admin: no subscriptions in her own name
    assert db.session.scalar(db.select(db.func.count(IcalSubscription.id))) == 0

    other = client.application.test_client()
    login(other, bert.email)
    assert other.get("/events/subscriptions").status_code == 403


def test_the_periodic_refresh_takes_only_due_subscriptions(dev_app, factories, feed_server) -> None:
    base, feed = feed_server
    admin = factories.user("admin", role="admin")
    fresh = IcalSubscription(url=f"{base}/verein.ics", actor_id=admin.actor_id,
                             last_fetched_at=utcnow() - timedelta(hours=1))  # fmt: skip
    due = IcalSubscription(url=f"{base}/verein.ics", actor_id=admin.actor_id,
                           last_fetched_at=utcnow() - timedelta(hours=7))  # fmt: skip
    new = IcalSubscription(url=f"{base}/broken.ics", actor_id=admin.actor_id)
    stopped = IcalSubscription(url=f"{base}/verein.ics", actor_id=admin.actor_id, active=False)
    db.session.add_all([fresh, due, new, stopped])
    db.session.commit()

    assert due_subscription_ids() == [new.id, due.id]
    outcomes = refresh_due()

    assert [o.status for o in outcomes] == ["error", "changed"]
    assert [r["path"] for r in feed.requests] == ["/broken.ics", "/verein.ics"]
    assert set(events_of(due.id)) == {"Chorprobe", "Frühjahrskonzert", "Chorausflug"}
    assert due_subscription_ids() == []


def test_the_worker_job_refreshes_only_while_the_plugin_is_enabled(
    dev_app, factories, feed_server
) -> None:
    base, feed = feed_server
    admin = factories.user("admin", role="admin")
    subscription = IcalSubscription(url=f"{base}/verein.ics", actor_id=admin.actor_id)
    db.session.add(subscription)
    db.session.commit()

    set_plugin_enabled_by_operator("events", False)
    refresh_ical_subscriptions.call_local()
    assert feed.requests == []

    set_plugin_enabled_by_operator("events", True)
    refresh_ical_subscriptions.call_local()
    assert len(events_of(subscription.id)) == 3


def test_outside_development_mode_loopback_addresses_are_refused(
    app, factories, feed_server
) -> None:
    base, feed = feed_server
    admin = factories.user("admin", role="admin")
    subscription = IcalSubscription(url=f"{base}/verein.ics", actor_id=admin.actor_id)
    db.session.add(subscription)
    db.session.commit()

    outcome = refresh(subscription.id)

    assert outcome.status == "error" and feed.requests == []
    assert db.session.get(IcalSubscription, subscription.id).last_error
    assert events_of(subscription.id) == {}


def test_node_moderators_may_subscribe_any_local_group(dev_app, client, factories) -> None:
    moderator = factories.user("mod", role="moderator")
    choir = factories.group("chor", owner=factories.user("anna"))
    login(client, moderator.email)
    page = client.get("/events/subscriptions").get_data(as_text=True)
    assert f'value="group:{choir.id}"' in page and 'value="me"' not in page
