"""Planning a refresh: the second version of a club's feed updates, cancels, adds and
removes events against what the first import stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from plugins.events.ical import (
    ExistingEvent,
    ParsedCalendar,
    content_hash,
    parse_calendar,
    plan_sync,
)

FEEDS = Path(__file__).parent / "feeds"
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def parsed(name: str) -> ParsedCalendar:
    return parse_calendar((FEEDS / name).read_bytes())


def stored(calendar: ParsedCalendar, ends_at: datetime | None = None) -> dict[str, ExistingEvent]:
    """What the plugin keeps after importing ``calendar``."""
    return {
        event.uid: ExistingEvent(event.sequence, event.last_modified, content_hash(event), ends_at)
        for event in calendar.events
    }


def uids(events: list) -> list[str]:
    return sorted(event.uid for event in events)


def test_a_first_import_creates_everything_but_what_is_already_cancelled() -> None:
    plan = plan_sync({}, parsed("club_v2.ics"), now=NOW)

    assert uids(plan.create) == [
        "probe@abendklang.example",
        "sommerfest@abendklang.example",
    ]
    assert sorted(plan.unchanged) == ["alt@abendklang.example", "konzert@abendklang.example"]
    assert plan.update == plan.cancel == plan.delete == []
    assert set(plan.hashes) == {e.uid for e in parsed("club_v2.ics").events}


def test_the_same_feed_again_changes_nothing() -> None:
    first = parsed("club_v1.ics")

    plan = plan_sync(stored(first), parsed("club_v1.ics"), now=NOW)

    assert plan.empty
    assert sorted(plan.unchanged) == uids(first.events)


def test_the_next_version_updates_cancels_creates_and_deletes() -> None:
    plan = plan_sync(stored(parsed("club_v1.ics")), parsed("club_v2.ics"), now=NOW)

    assert uids(plan.update) == ["probe@abendklang.example"]
    assert plan.update[0].start_local == datetime(2027, 1, 12, 19)
    assert uids(plan.cancel) == ["konzert@abendklang.example"]
    assert uids(plan.create) == ["sommerfest@abendklang.example"]
    assert plan.delete == ["ausflug@abendklang.example"]


def test_plain_tuples_work_as_stored_state() -> None:
    existing = {uid: tuple(v)[:3] for uid, v in stored(parsed("club_v1.ics")).items()}

    plan = plan_sync(existing, parsed("club_v2.ics"), now=NOW)

    assert plan.delete == ["ausflug@abendklang.example"]


def test_a_changed_event_without_a_new_sequence_is_still_updated() -> None:
    """Many feeds never bump SEQUENCE; the content itself is compared."""
    before = parsed("club_v1.ics")
    after = parsed("club_v1.ics")
    after.events[1].location = "Stadthalle"

    plan = plan_sync(stored(before), after, now=NOW)

    assert uids(plan.update) == ["konzert@abendklang.example"]


def test_an_older_copy_never_overwrites_a_newer_one() -> None:
    newer = parsed("club_v2.ics")

    plan = plan_sync(stored(newer), parsed("club_v1.ics"), now=NOW)

    assert plan.update == plan.cancel == []
    assert "probe@abendklang.example" in plan.unchanged


def test_a_bumped_sequence_alone_is_an_update() -> None:
    before = parsed("club_v1.ics")
    after = parsed("club_v1.ics")
    after.events[0].sequence = 5

    assert uids(plan_sync(stored(before), after, now=NOW).update) == ["probe@abendklang.example"]


def test_events_that_are_over_stay_when_the_feed_drops_them() -> None:
    before = stored(parsed("club_v1.ics"))
    before["ausflug@abendklang.example"] = replace_ends(before["ausflug@abendklang.example"])

    plan = plan_sync(before, parsed("club_v2.ics"), now=NOW)

    assert plan.delete == []


def test_an_empty_feed_deletes_nothing() -> None:
    empty = ParsedCalendar(events=[])

    plan = plan_sync(stored(parsed("club_v1.ics")), empty, now=NOW)

    assert plan.empty


def test_duplicate_uids_in_a_hand_made_list_keep_the_newest() -> None:
    calendar = parsed("club_v1.ics")
    old = calendar.events[1]
    calendar.events.append(replace(old, title="Neuer Titel", sequence=1))

    plan = plan_sync({}, calendar, now=NOW)

    assert [e.title for e in plan.create if e.uid == old.uid] == ["Neuer Titel"]


def test_the_content_hash_ignores_stamps_but_not_overrides() -> None:
    games = next(e for e in parsed("club_v1.ics").events if e.rrule)
    restamped = replace(games, last_modified=NOW, sequence=9)
    with_override = replace(games, overrides=[replace(games, rrule=None, title="Anders")])

    assert content_hash(restamped) == content_hash(games)
    assert content_hash(with_override) != content_hash(games)


def replace_ends(before: ExistingEvent) -> ExistingEvent:
    return before._replace(ends_at=datetime(2026, 6, 6, tzinfo=UTC))
