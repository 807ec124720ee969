"""The origin rules stop forged, spoofed and cross-origin activities."""

from __future__ import annotations

import copy

import pytest

from federation.actors import parse_actor
from federation.validation import (
    Decision,
    check_activity_origin,
    check_authorship,
    check_embedded_object,
    check_modification,
    check_response,
    check_signer,
    check_undo,
    origin_of,
    same_origin,
    validate_incoming,
)
from tests.federation.conftest import load_fixture

ANNA_KEY = "https://social.example/users/anna#main-key"


@pytest.fixture
def anna():
    return parse_actor(load_fixture("mastodon/person.json"))


def test_origins_normalise_case_and_default_ports():
    assert origin_of("https://Social.Example:443/users/anna") == ("https", "social.example", 443)
    assert same_origin("https://social.example/a", "https://SOCIAL.example:443/b")
    assert not same_origin("https://social.example/a", "http://social.example/a")
    assert not same_origin("https://social.example/a", "https://social.example:8443/a")
    assert not same_origin("https://social.example.evil.example/a", "https://social.example/a")
    assert origin_of("urn:uuid:1234") is None and not same_origin(None, None)


@pytest.mark.parametrize(
    "name",
    [
        "mastodon/create_note.json",
        "mastodon/delete_tombstone.json",
        "mastodon/undo_like.json",
        "mastodon/follow.json",
        "mastodon/accept_follow.json",
    ],
)
def test_genuine_mastodon_activities_pass(name, anna):
    verdict = validate_incoming(load_fixture(name), key_id=ANNA_KEY, signer=anna)
    assert verdict.accepted, verdict.reason


def test_an_activity_id_from_another_origin_is_rejected():
    activity = load_fixture("mastodon/follow.json")
    activity["id"] = "https://evil.example/follows/1"
    assert check_activity_origin(activity).decision is Decision.REJECT
    del activity["id"]
    assert check_activity_origin(activity).decision is Decision.REJECT


def test_a_key_the_actor_does_not_list_is_rejected(anna):
    activity = load_fixture("mastodon/follow.json")
    verdict = check_signer(activity, "https://evil.example/users/anna#main-key", anna)
    assert verdict.decision is Decision.REJECT


def test_a_signature_by_another_actor_means_refetch(anna):
    activity = load_fixture("mastodon/follow.json")
    activity["actor"] = "https://social.example/users/carl"
    activity["id"] = "https://social.example/users/carl#follows/1"
    assert check_signer(activity, ANNA_KEY, anna).decision is Decision.REFETCH


def test_forged_delete_of_another_servers_post_is_rejected(anna):
    forged = load_fixture("mastodon/delete_tombstone.json")
    forged["object"]["id"] = "https://quarter.example/posts/42"
    verdict = validate_incoming(forged, key_id=ANNA_KEY, signer=anna)
    assert verdict.decision is Decision.REJECT
    assert "may not modify" in verdict.reason


def test_forged_delete_by_bare_reference_is_rejected():
    forged = load_fixture("mastodon/delete_tombstone.json")
    forged["object"] = "https://quarter.example/users/bernd"
    assert check_modification(forged).decision is Decision.REJECT


def test_forged_update_of_another_actors_profile_is_rejected(anna):
    update = {
        "id": "https://social.example/users/anna#updates/1",
        "type": "Update",
        "actor": "https://social.example/users/anna",
        "object": {"id": "https://lemmy.example/u/carla", "type": "Person", "name": "hacked"},
    }
    assert validate_incoming(update, key_id=ANNA_KEY, signer=anna).decision is Decision.REJECT


def test_updating_ones_own_profile_is_fine(anna):
    update = {
        "id": "https://social.example/users/anna#updates/2",
        "type": "Update",
        "actor": "https://social.example/users/anna",
        "object": load_fixture("mastodon/person.json"),
    }
    assert validate_incoming(update, key_id=ANNA_KEY, signer=anna).accepted


def test_update_or_delete_without_object_is_rejected():
    assert check_modification({"type": "Delete", "actor": "https://a.example/u"}).decision is (
        Decision.REJECT
    )


def test_undoing_someone_elses_like_is_rejected():
    undo = load_fixture("mastodon/undo_like.json")
    undo["object"]["actor"] = "https://quarter.example/users/bernd"
    assert check_undo(undo).decision is Decision.REJECT


def test_creating_a_post_attributed_to_someone_else_is_rejected():
    create = load_fixture("mastodon/create_note.json")
    create["object"]["attributedTo"] = "https://social.example/users/carl"
    assert check_authorship(create).decision is Decision.REJECT


def test_embedded_objects_from_other_origins_must_be_refetched():
    create = load_fixture("mastodon/create_note.json")
    create["object"]["id"] = "https://quarter.example/posts/42"
    assert check_embedded_object(create).decision is Decision.REFETCH


def test_group_announce_of_a_members_activity_means_refetch_per_fep_1b12():
    announce = load_fixture("lemmy/announce_create_page.json")
    group = parse_actor(load_fixture("lemmy/group.json"))
    verdict = validate_incoming(
        announce, key_id="https://lemmy.example/c/lindenviertel#main-key", signer=group
    )
    assert verdict.accepted  # same origin: the community relays its own server's post
    relayed = copy.deepcopy(announce)
    relayed["object"]["id"] = "https://social.example/users/anna/statuses/1/activity"
    relayed["object"]["actor"] = "https://social.example/users/anna"
    verdict = validate_incoming(
        relayed, key_id="https://lemmy.example/c/lindenviertel#main-key", signer=group
    )
    assert verdict.decision is Decision.REFETCH


def test_embedded_create_object_without_id_is_rejected():
    create = load_fixture("mastodon/create_note.json")
    del create["object"]["id"]
    assert check_embedded_object(create).decision is Decision.REJECT


def test_rejection_wins_over_refetch(anna):
    create = load_fixture("mastodon/create_note.json")
    create["object"]["id"] = "https://quarter.example/posts/42"
    create["id"] = "https://evil.example/activity"
    assert validate_incoming(create, key_id=ANNA_KEY, signer=anna).decision is Decision.REJECT


def test_accepting_a_follow_addressed_to_someone_else_is_rejected():
    accept = load_fixture("mastodon/accept_follow.json")
    assert check_response(accept).accepted
    accept["object"]["object"] = "https://social.example/users/carl"
    assert check_response(accept).decision is Decision.REJECT


def test_a_relay_may_accept_a_follow_of_the_public_collection():
    """Relays answer subscriptions, which follow Public (Mastodon's relay shape)."""
    accept = load_fixture("mastodon/accept_follow.json")
    accept["object"]["object"] = "https://www.w3.org/ns/activitystreams#Public"
    assert check_response(accept).accepted
