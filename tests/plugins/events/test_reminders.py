"""Reminders before a date: once per participation and date, to local people going."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from plugins.events.occurrence_services import change_occurrence
from plugins.events.reminders import remind_participants, send_due_reminders
from plugins.events.signups import sign_up
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.plugin_api import utcnow
from quarter_node.plugins.services import save_plugin_settings, set_plugin_enabled_by_operator
from tests.helpers import logged_in_client, text_of
from tests.plugins.events.helpers import make_event


def start_in(days: int) -> object:
    return (utcnow() + timedelta(days=days)).replace(
        tzinfo=None, hour=18, minute=0, second=0, microsecond=0
    )


def reminders_for(user) -> list[Notification]:
    return list(
        db.session.scalars(
            db.select(Notification).where(
                Notification.recipient_id == user.actor_id, Notification.kind == "events.reminder"
            )
        )
    )


def test_people_going_are_reminded_once_a_day_before(factories, make_client) -> None:
    organiser, anna, bert = factories.user("orga"), factories.user("anna"), factories.user("bert")
    rita = factories.remote_actor("rita")
    event = make_event(organiser, start_local=start_in(5), title="Flohmarkt", capacity=1)
    sign_up(anna.actor, event, None, "going")
    sign_up(bert.actor, event, None, "going")  # waiting: no reminder
    sign_up(rita, event, None, "interested")
    starts = event.starts_at
    assert send_due_reminders(now=starts - timedelta(hours=30)) == 0
    assert send_due_reminders(now=starts - timedelta(hours=23)) == 1
    assert send_due_reminders(now=starts - timedelta(hours=10)) == 0  # not twice
    assert len(reminders_for(anna)) == 1 and reminders_for(bert) == []
    html = text_of(logged_in_client(make_client, anna).get("/notifications"))
    assert "Reminder: Flohmarkt is coming up soon." in html
    assert send_due_reminders(now=starts + timedelta(minutes=5)) == 0  # it began


def test_each_date_of_a_series_is_reminded_and_a_moved_date_again(factories) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    first = start_in(2)
    event = make_event(organiser, start_local=first, rrule="FREQ=WEEKLY;COUNT=3")
    second = first + timedelta(days=7)
    sign_up(anna.actor, event, first, "going")
    sign_up(anna.actor, event, second, "going")
    assert send_due_reminders(now=event.starts_at - timedelta(hours=2)) == 1
    second_start = event.starts_at + timedelta(days=7)
    assert send_due_reminders(now=second_start - timedelta(hours=2)) == 1
    # the organiser moves that date a day later: anna hears of the new date
    change_occurrence(organiser, event, second, start_local=second + timedelta(days=1))
    assert send_due_reminders(now=second_start + timedelta(hours=20)) == 1
    assert len(reminders_for(anna)) == 3


def test_the_reminder_time_is_a_setting_and_zero_turns_reminders_off(factories) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    event = make_event(organiser, start_local=start_in(5))
    sign_up(anna.actor, event, None, "going")
    admin = factories.user("admin", role="admin")
    save_plugin_settings(admin, "events", {"reminder_hours": 0})
    db.session.commit()
    assert send_due_reminders(now=event.starts_at - timedelta(hours=1)) == 0
    save_plugin_settings(admin, "events", {"reminder_hours": 48})
    db.session.commit()
    assert send_due_reminders(now=event.starts_at - timedelta(hours=47)) == 1


def test_reminders_go_by_mail_when_the_node_sends_mail(app_factory, smtp_server) -> None:
    from tests.factories import Factories

    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    with app.app_context():
        factories = Factories(app)
        organiser = factories.user("orga")
        anna = factories.user("anna", locale="de")
        event = make_event(organiser, start_local=start_in(5), title="Flohmarkt")
        sign_up(anna.actor, event, None, "going")
        assert send_due_reminders(now=event.starts_at - timedelta(hours=3)) == 1
        path = f"/events/{event.id}"
        db.session.remove()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "anna@example.org"
    assert "Flohmarkt" in message["Subject"]
    assert "http://localhost" + path in message.get_content()
    assert "Sie" in message.get_content()  # in anna's language


def test_the_worker_job_reminds_only_while_the_plugin_is_enabled(factories) -> None:
    organiser, anna = factories.user("orga"), factories.user("anna")
    in_20_hours = (utcnow() + timedelta(hours=20)).astimezone(ZoneInfo("Europe/Berlin"))
    event = make_event(organiser, start_local=in_20_hours.replace(tzinfo=None, microsecond=0))
    sign_up(anna.actor, event, None, "going")
    anna_actor_id = anna.actor_id

    def reminded() -> int:
        return db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.recipient_id == anna_actor_id, Notification.kind == "events.reminder"
            )
        )

    set_plugin_enabled_by_operator("events", False)
    remind_participants.call_local()
    assert reminded() == 0
    set_plugin_enabled_by_operator("events", True)
    remind_participants.call_local()
    assert reminded() == 1
