"""The activity builders produce what peers expect to receive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from federation import activities as build
from federation.readers import is_public
from federation.vocabulary import CONTEXT, PUBLIC

ME = "https://quarter.example/users/bernd"
ANNA = "https://social.example/users/anna"
NOON = datetime(2024, 6, 1, 12, 0, 0, 123456, tzinfo=UTC)


def note(**extra):
    return {
        "id": "https://quarter.example/posts/42",
        "type": "Note",
        "attributedTo": ME,
        "content": "<p>Hallo</p>",
        "to": [PUBLIC],
        "cc": [f"{ME}/followers"],
        "published": "2024-06-01T12:00:00Z",
        **extra,
    }


def test_create_copies_the_objects_addressing_and_carries_our_context():
    created = build.create(ME, note(), id="https://quarter.example/posts/42/activity")
    assert created["@context"] == CONTEXT
    assert created["type"] == "Create" and created["actor"] == ME
    assert created["to"] == [PUBLIC] and created["cc"] == [f"{ME}/followers"]
    assert created["published"] == "2024-06-01T12:00:00Z"
    assert "@context" not in created["object"]


def test_update_stamps_the_object_with_its_update_time():
    updated = build.update(ME, note(), id="https://quarter.example/u/1", updated=NOON)
    assert updated["object"]["updated"] == "2024-06-01T12:00:00Z"
    assert is_public(updated)


def test_delete_carries_a_tombstone():
    deleted = build.delete_with_tombstone(
        ME,
        "https://quarter.example/posts/42",
        id="https://quarter.example/posts/42#delete",
        to=[PUBLIC],
        former_type="Note",
        deleted=NOON,
    )
    assert deleted["object"] == {
        "id": "https://quarter.example/posts/42",
        "type": "Tombstone",
        "formerType": "Note",
        "deleted": "2024-06-01T12:00:00Z",
    }


def test_follow_accept_and_undo_round():
    follow = build.follow(ME, ANNA, id="https://quarter.example/follows/1")
    assert follow["to"] == [ANNA] and follow["object"] == ANNA
    accepted = build.accept(ANNA, follow, id="https://social.example/accepts/1")
    assert accepted["object"]["id"] == follow["id"]
    assert accepted["to"] == [ME]
    assert "@context" not in accepted["object"]
    undone = build.undo(ME, follow, id="https://quarter.example/follows/1/undo")
    assert undone["object"]["type"] == "Follow" and undone["to"] == [ANNA]


def test_reject_names_the_refused_request():
    join = {"id": "https://a.example/join/1", "type": "Join", "actor": ANNA, "object": ME}
    rejected = build.reject(ME, join, id="https://quarter.example/rejects/1")
    assert rejected["type"] == "Reject" and rejected["to"] == [ANNA]


def test_group_announce_embeds_the_members_activity():
    created = build.create(ANNA, note(attributedTo=ANNA), id="https://social.example/c/1")
    shared = build.announce(
        "https://quarter.example/groups/garten",
        created,
        id="https://quarter.example/groups/garten/announce/1",
        to=[PUBLIC],
        cc=["https://quarter.example/groups/garten/followers"],
    )
    assert shared["object"]["type"] == "Create"
    assert "@context" not in shared["object"]


def test_like_flag_block_join_leave_address_the_right_actor():
    post = "https://social.example/users/anna/statuses/1"
    assert build.like(ME, post, id="https://q/l/1", author=ANNA)["to"] == [ANNA]
    flag = build.flag(
        "https://quarter.example/actor",
        [ANNA, post],
        id="https://q/f/1",
        target_actor=ANNA,
        reason="Spam",
    )
    assert flag["object"] == [ANNA, post] and flag["content"] == "Spam"
    assert build.block(ME, ANNA, id="https://q/b/1")["to"] == [ANNA]
    group = "https://mobilizon.example/@repaircafe"
    assert build.join(ME, group, id="https://q/j/1")["type"] == "Join"
    assert build.leave(ME, group, id="https://q/j/1/leave")["to"] == [group]


def test_timestamps_are_utc_with_z_and_naive_ones_are_refused():
    berlin = datetime(2024, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert build.format_datetime(berlin) == "2024-06-01T12:00:00Z"
    with pytest.raises(ValueError):
        build.format_datetime(datetime(2024, 6, 1, 12, 0))


def test_empty_addressing_is_left_out():
    document = build.activity("Like", id="https://q/1", actor=ME, object="https://q/2")
    assert "to" not in document and "cc" not in document
