"""A one-off ``.ics`` upload: events for the member or her group, a second upload
updates instead of duplicating, exceptions survive the way back out, and bad files get a
clear message in the reader's language."""

from __future__ import annotations

import io
from datetime import datetime

from icalendar import Calendar

from plugins.events.feed_export import clear_cache
from plugins.events.models import Event
from quarter_node.extensions import db
from tests.helpers import login, post_form
from tests.plugins.events.ical.test_fetch import FEEDS


def upload(client, data: bytes, target: str = "me", name: str = "kalender.ics"):  # noqa: ANN001, ANN201
    return post_form(
        client,
        "/events/import",
        {"target": target, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def live_events() -> dict[str, Event]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Event).where(Event.deleted_at.is_(None)))
    return {event.title: event for event in rows}


def test_an_upload_becomes_the_members_events_with_their_exceptions(client, factories) -> None:
    clear_cache()
    anna = factories.user("anna")
    login(client, anna.email)
    data = (FEEDS / "google.ics").read_bytes()

    assert upload(client, data).status_code == 302

    events = live_events()
    game = events["Spieleabend"]
    assert game.organizer_id == anna.actor_id and game.subscription_id is None
    assert game.join_mode == "free"
    cancelled = {e.original_start_local for e in game.exceptions if e.cancelled}
    assert cancelled == {
        datetime(2027, 1, 21, 19), datetime(2027, 2, 4, 19), datetime(2027, 3, 11, 19)
    }  # fmt: skip
    (moved,) = [e for e in game.exceptions if not e.cancelled]
    assert (moved.original_start_local, moved.start_local) == (
        datetime(2027, 2, 11, 19), datetime(2027, 2, 12, 18),
    )  # fmt: skip
    assert moved.title == "Spieleabend (Freitag wegen Fasching)"

    again = upload(client, data)
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Event.id))) == len(events)

    # Out again through the member's feed: the same dates are left out or moved.
    exported = Calendar.from_ical(client.get("/@anna/events.ics").data)
    masters = [v for v in exported.walk("VEVENT") if str(v["SUMMARY"]) == "Spieleabend"]
    (master,) = [v for v in masters if "RECURRENCE-ID" not in v]
    exdates = {d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts}
    assert exdates == cancelled
    override = next(v for v in exported.walk("VEVENT") if "RECURRENCE-ID" in v)
    assert override["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 2, 12, 18)


def test_an_upload_into_a_group_needs_membership(client, factories) -> None:
    anna, bert = factories.user("anna"), factories.user("bert")
    club = factories.group("club", owner=bert, members=(anna,))
    other = factories.group("andere", owner=bert)
    login(client, anna.email)
    data = (FEEDS / "club_v1.ics").read_bytes()

    assert upload(client, data, target=f"group:{other.id}").status_code == 422
    assert upload(client, data, target=f"group:{club.id}").status_code == 302
    assert {e.group_id for e in live_events().values()} == {club.id}


def test_bad_files_are_refused_with_a_clear_message(client, factories) -> None:
    anna = factories.user("anna", locale="de")
    login(client, anna.email)

    not_ics = upload(client, b"%PDF-1.4 this is no calendar", name="flyer.pdf")
    empty = upload(client, b"")
    broken = upload(client, b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n")
    huge = upload(client, b"BEGIN:VCALENDAR\r\n" + b"X" * (3 * 1024 * 1024))

    assert [r.status_code for r in (not_ics, empty, broken, huge)] == [422] * 4
    assert "Dies ist keine iCalendar-Datei" in not_ics.get_data(as_text=True)
    assert "Bitte wählen Sie eine iCalendar-Datei" in empty.get_data(as_text=True)
    assert "unvollständig" in broken.get_data(as_text=True)
    assert "zu groß" in huge.get_data(as_text=True)
    assert live_events() == {}


def test_uploads_are_for_members(client) -> None:
    assert client.get("/events/import").status_code == 403


def test_a_second_upload_keeps_who_may_see_an_event(client, factories) -> None:
    anna = factories.user("anna")
    login(client, anna.email)
    data = (FEEDS / "club_v1.ics").read_bytes()
    assert upload(client, data).status_code == 302
    concert = live_events()["Frühjahrskonzert"]
    concert.visibility = "members"
    db.session.commit()

    assert upload(client, (FEEDS / "club_v2.ics").read_bytes()).status_code == 302

    concert = live_events()["Frühjahrskonzert"]
    assert (concert.visibility, concert.status) == ("members", "cancelled")
    assert "Chorausflug" in live_events()  # an upload never deletes
