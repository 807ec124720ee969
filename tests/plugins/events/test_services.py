"""Creating and changing events: who may, what is stored, what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plugins.events.event_input import EventInput
from plugins.events.models import Event
from plugins.events.occurrence_services import (
    cancel_occurrence,
    change_occurrence,
    restore_occurrence,
)
from plugins.events.recurrence import occurrences
from plugins.events.services import (
    cancel_event,
    delete_event,
    postpone_event,
    update_event,
)
from quarter_node.accounts.models import Role
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from tests.plugins.events.helpers import event_input, make_event


def test_a_member_creates_a_personal_event_stored_in_utc_with_sanitised_description(
    factories,
) -> None:
    anna = factories.user("anna")
    event = make_event(
        anna,
        description="**Kuchen** <script>alert(1)</script>",
        categories=["feste", "kinder"],
        rrule=None,
    )
    stored = db.session.get(Event, event.id)
    assert stored.organizer_id == anna.actor_id and stored.group_id is None
    assert stored.starts_at == datetime(2026, 12, 12, 14, 0, tzinfo=UTC)
    assert stored.ends_at == datetime(2026, 12, 12, 15, 0, tzinfo=UTC)
    assert "<strong>Kuchen</strong>" in stored.description_html
    assert "<script>" not in stored.description_html
    assert stored.categories == ["feste", "kinder"]
    assert stored.ical_uid.endswith("@localhost")


def test_bad_input_is_refused_and_nothing_is_stored(factories) -> None:
    anna = factories.user("anna")
    for fields in (
        {"title": "  "},
        {"timezone": "Mars/Olympus"},
        {"duration": -5},
        {"categories": ["unbekannt"]},
        {"online_url": "javascript:alert(1)"},
        {"visibility": "group"},
        {"latitude": 52.5},
        {"capacity": 0},
    ):
        with pytest.raises(InvalidInput):
            make_event(anna, **fields)
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_group_events_are_for_members_and_the_group_organises_them(factories) -> None:
    owner, member, outsider = factories.user(), factories.user(), factories.user()
    group = factories.group("garten", owner=owner, members=(member,))
    event = make_event(member, group=group)
    assert event.organizer_id == group.actor_id and event.created_by_id == member.actor_id
    with pytest.raises(PermissionDenied):
        make_event(outsider, group=group)


def test_a_private_groups_events_stay_inside_the_group(factories) -> None:
    owner = factories.user()
    group = factories.group(owner=owner, visibility=GroupVisibility.MEMBERS_ONLY)
    event = make_event(owner, group=group, visibility="public")
    assert event.visibility == "group"


def test_who_may_edit(factories) -> None:
    anna, bert, moderator = factories.user(), factories.user(), factories.user(role=Role.MODERATOR)
    group_owner, group_member = factories.user(), factories.user()
    group = factories.group(owner=group_owner, members=(group_member, bert))
    personal = make_event(anna)
    with pytest.raises(PermissionDenied):
        update_event(bert, personal, event_input(title="Meins"))
    update_event(moderator, personal, event_input(title="Geändert"))
    assert personal.title == "Geändert"
    group_event = make_event(group_member, group=group)
    update_event(group_owner, group_event, event_input(title="Vom Gruppenvorstand"))
    with pytest.raises(PermissionDenied):
        update_event(bert, group_event, event_input(title="Nein"))


def test_postpone_cancel_and_delete(factories) -> None:
    anna = factories.user()
    event = make_event(anna)
    postpone_event(anna, event, datetime(2027, 1, 9, 15, 0))
    assert event.status == "postponed"
    assert event.starts_at == datetime(2027, 1, 9, 14, 0, tzinfo=UTC)
    cancel_event(anna, event)
    assert db.session.get(Event, event.id).status == "cancelled"
    with pytest.raises(PermissionDenied):
        postpone_event(anna, event, datetime(2027, 2, 1, 15, 0))
    delete_event(anna, event)
    assert db.session.get(Event, event.id).deleted_at is not None
    with pytest.raises(PermissionDenied):
        cancel_event(anna, event)


def test_one_occurrence_of_a_series_is_cancelled_moved_and_restored(factories) -> None:
    anna, bert = factories.user(), factories.user()
    event = make_event(anna, start_local=datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY;COUNT=3")
    second, third = datetime(2026, 12, 8, 19, 0), datetime(2026, 12, 15, 19, 0)
    with pytest.raises(PermissionDenied):
        cancel_occurrence(bert, event, second)
    with pytest.raises(NotFound):
        cancel_occurrence(anna, event, datetime(2026, 12, 9, 19, 0))
    cancel_occurrence(anna, event, second)
    change_occurrence(
        anna, event, third, start_local=datetime(2026, 12, 16, 20, 0), title="Adventstreffen"
    )
    window = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    found = occurrences(db.session.get(Event, event.id), *window)
    assert [(o.start_local.day, o.status, o.title) for o in found] == [
        (1, "scheduled", "Hoffest"),
        (8, "cancelled", "Hoffest"),
        (16, "scheduled", "Adventstreffen"),
    ]
    assert event.ends_at == datetime(2026, 12, 16, 20, 0, tzinfo=UTC)
    restore_occurrence(anna, event, second)
    assert [o.status for o in occurrences(event, *window)] == ["scheduled"] * 3


def test_changing_the_rule_drops_exceptions_of_dates_that_no_longer_exist(factories) -> None:
    anna = factories.user()
    event = make_event(anna, start_local=datetime(2026, 12, 1, 19, 0), rrule="FREQ=WEEKLY")
    cancel_occurrence(anna, event, datetime(2026, 12, 8, 19, 0))
    assert event.ends_at is None
    data = EventInput(
        title="Hoffest", start_local=datetime(2026, 12, 2, 19, 0), rrule="FREQ=WEEKLY"
    )
    update_event(anna, event, data)
    assert db.session.get(Event, event.id).exceptions == []
