"""``parse_actor`` reads the actor documents of the servers we federate with."""

from __future__ import annotations

import pytest

from federation.actors import parse_actor
from federation.errors import InvalidDocument
from tests.federation.conftest import load_fixture


def test_mastodon_person():
    actor = parse_actor(load_fixture("mastodon/person.json"))
    assert actor.id == "https://social.example/users/anna"
    assert actor.type == "Person"
    assert actor.preferred_username == "anna"
    assert actor.name == "Anna Beispiel"
    assert actor.inbox == "https://social.example/users/anna/inbox"
    assert actor.shared_inbox == actor.delivery_inbox == "https://social.example/inbox"
    assert actor.followers == "https://social.example/users/anna/followers"
    assert actor.url == "https://social.example/@anna"
    assert actor.icon_url == "https://files.social.example/accounts/avatars/anna.png"
    assert actor.manually_approves_followers is True
    assert actor.public_key.id == "https://social.example/users/anna#main-key"
    assert actor.public_key.owner == actor.id
    assert actor.public_key.pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert actor.lists_key("https://social.example/users/anna#main-key")
    assert not actor.lists_key("https://evil.example/users/anna#main-key")


def test_mobilizon_group_with_pkcs1_key():
    group = parse_actor(load_fixture("mobilizon/group.json"))
    assert group.type == "Group"
    assert group.name == "Repair Café Lindenviertel"
    assert group.manually_approves_followers is False
    assert group.public_key.pem.startswith("-----BEGIN RSA PUBLIC KEY-----")
    assert group.shared_inbox == "https://mobilizon.example/inbox"


def test_lemmy_community():
    group = parse_actor(load_fixture("lemmy/group.json"))
    assert (group.type, group.preferred_username) == ("Group", "lindenviertel")
    assert group.icon_url == "https://lemmy.example/pictrs/image/linde.png"
    assert group.outbox == "https://lemmy.example/c/lindenviertel/outbox"


def test_key_arrays_link_urls_and_fep_521a_multikeys():
    actor = parse_actor(load_fixture("fedify/person_multikey.json"))
    assert [k.id for k in actor.public_keys] == ["https://fedify.example/users/frieda#main-key"]
    assert [(k.id.rsplit("#")[1], k.key.algorithm) for k in actor.multikeys] == [
        ("main-key", "rsa"),
        ("ed25519-key", "ed25519"),
    ]
    assert len(actor.multikeys[1].key.key_bytes) == 32
    assert actor.lists_key("https://fedify.example/users/frieda#ed25519-key")
    assert actor.url == "https://fedify.example/@frieda"
    assert actor.icon_url == "https://fedify.example/avatars/frieda.webp"


def test_a_key_owned_by_someone_else_is_not_listed_as_the_actors_key():
    document = load_fixture("mastodon/person.json")
    document["publicKey"]["owner"] = "https://social.example/users/mallory"
    assert not parse_actor(document).lists_key("https://social.example/users/anna#main-key")


def test_unusable_multikeys_are_skipped():
    document = load_fixture("fedify/person_multikey.json")
    document["assertionMethod"][1]["publicKeyMultibase"] = "uNotBase58"
    assert len(parse_actor(document).multikeys) == 1


@pytest.mark.parametrize("missing", ["id", "inbox", "type"])
def test_actors_without_id_type_or_inbox_are_refused(missing):
    document = load_fixture("mastodon/person.json")
    del document[missing]
    with pytest.raises(InvalidDocument):
        parse_actor(document)


def test_non_objects_are_refused():
    with pytest.raises(InvalidDocument):
        parse_actor(["not", "an", "actor"])
