"""Keys of local actors, and actor and post documents as peers parse them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from federation import vocabulary as v
from federation.actors import parse_actor
from federation.objects import parse_object
from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub import keys, serializers, urls
from quarter_node.activitypub.models import ActorKey, PostAddressee
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility, JoinMode
from quarter_node.media.models import Media
from quarter_node.posts.models import Visibility
from quarter_node.posts.services import render_post_html
from tests.activitypub.serving.support import remote_actor

BASE = "http://localhost"


def _keys_of(actor) -> list[ActorKey]:  # noqa: ANN001
    return list(db.session.scalars(db.select(ActorKey).where(ActorKey.actor_id == actor.id)))


def test_a_local_actor_gets_one_key_and_keeps_it(factories) -> None:
    anna = factories.user("anna").actor
    first = keys.ensure_key(anna)
    db.session.commit()
    assert keys.ensure_key(anna).id == first.id
    assert len(_keys_of(anna)) == 1
    assert first.key_id == f"{BASE}/@anna#main-key"
    assert "BEGIN PRIVATE KEY" in first.private_pem and "BEGIN PUBLIC KEY" in first.public_pem


def test_signing_key_is_loaded_once(factories) -> None:
    anna = factories.user("anna").actor
    one = keys.signing_key(anna)
    assert keys.signing_key(anna) is one  # the same object: the PEM is not parsed again
    assert one.key_id == urls.key_id(anna)


def test_remote_actors_have_no_key_of_ours(factories) -> None:
    remote, _key = remote_actor("bob")
    with pytest.raises(ValueError):
        keys.ensure_key(remote)


def test_instance_actor_is_made_once(app) -> None:
    first = keys.instance_actor()
    db.session.commit()
    again = keys.instance_actor()
    assert again.id == first.id
    assert first.kind == ActorKind.APPLICATION and first.handle == "instance.actor"
    assert len(_keys_of(first)) == 1


def test_person_document_parses_with_key_and_inboxes(factories) -> None:
    user = factories.user("anna", display_name="Anna Beispiel")
    user.actor.bio = "Ich mag **Gärten**. <script>x</script>"
    db.session.commit()
    document = serializers.actor_to_ap(user.actor)
    info = parse_actor(document)
    assert (info.id, info.type, info.preferred_username) == (f"{BASE}/@anna", "Person", "anna")
    assert info.inbox == f"{BASE}/@anna/inbox"
    assert info.shared_inbox == f"{BASE}/inbox"
    assert (info.outbox, info.followers) == (f"{BASE}/@anna/outbox", f"{BASE}/@anna/followers")
    assert info.public_key.id == f"{BASE}/@anna#main-key"
    assert info.public_key.owner == info.id
    assert info.name == "Anna Beispiel"
    assert "<strong>Gärten</strong>" in document["summary"] and "<script" not in document["summary"]
    assert document["@context"][0] == v.AS_NAMESPACE
    assert info.manually_approves_followers is False
    assert "icon" not in document


@pytest.mark.parametrize(
    ("visibility", "join_mode", "approves"),
    [
        (GroupVisibility.PUBLIC, JoinMode.OPEN, False),
        (GroupVisibility.PUBLIC, JoinMode.REQUEST, True),
        (GroupVisibility.MEMBERS_ONLY, JoinMode.OPEN, True),
    ],
)
def test_group_document_is_an_fep_1b12_group(factories, visibility, join_mode, approves) -> None:
    group = factories.group("garten", visibility=visibility, join_mode=join_mode)
    document = serializers.actor_to_ap(group.actor)
    info = parse_actor(document)
    assert (info.id, info.type) == (f"{BASE}/groups/garten", "Group")
    assert info.inbox == f"{BASE}/groups/garten/inbox"
    assert info.manually_approves_followers is approves
    assert document["postingRestrictedToMods"] is False
    assert document["discoverable"] is (visibility == GroupVisibility.PUBLIC)


def test_instance_actor_document(app) -> None:
    info = parse_actor(serializers.actor_to_ap(keys.instance_actor()))
    assert (info.id, info.type, info.preferred_username) == (
        f"{BASE}/actor",
        "Application",
        "instance.actor",
    )
    assert info.public_key is not None and info.public_key.id == f"{BASE}/actor#main-key"


def test_suspended_actor_keeps_only_a_minimal_document(factories) -> None:
    user = factories.user("anna", display_name="Anna Beispiel")
    user.actor.suspended_at = utcnow()
    db.session.commit()
    document = serializers.actor_to_ap(user.actor)
    assert document["suspended"] is True
    assert "name" not in document and "summary" not in document
    assert parse_actor(document).public_key is not None


def _note(post) -> dict:  # noqa: ANN001
    return serializers.post_to_ap(post)


def test_public_note_round_trips_through_the_reader(factories) -> None:
    anna = factories.user("anna")
    parent = factories.post(anna, "Erster Beitrag")
    reply = factories.post(anna, "Eine *Antwort*", in_reply_to=parent)
    reply.language = "de"
    reply.edited_at = reply.created_at + timedelta(minutes=5)
    db.session.commit()
    document = _note(reply)
    parsed = parse_object(document)
    assert parsed.id == f"{BASE}/posts/{reply.id}"
    assert (parsed.type, parsed.attributed_to) == ("Note", f"{BASE}/@anna")
    assert parsed.in_reply_to == f"{BASE}/posts/{parent.id}"
    assert parsed.public is True
    assert "<em>Antwort</em>" in parsed.content
    assert parsed.language == "de"
    assert parsed.updated is not None and parsed.published is not None
    assert document["to"] == [v.PUBLIC] and document["cc"] == [f"{BASE}/@anna/followers"]
    assert document["sensitive"] is False


def _addressed(factories, visibility: Visibility, **kwargs) -> tuple[list, list]:  # noqa: ANN001, ANN003
    anna = factories.user(f"a{visibility.value}")
    post = factories.post(anna, "Hallo", visibility=visibility, **kwargs)
    return serializers.addressing(post)


def test_addressing_per_visibility(factories) -> None:
    followers = lambda handle: f"{BASE}/@{handle}/followers"  # noqa: E731
    assert _addressed(factories, Visibility.UNLISTED) == ([followers("aunlisted")], [v.PUBLIC])
    assert _addressed(factories, Visibility.FOLLOWERS) == ([followers("afollowers")], [])
    assert _addressed(factories, Visibility.MEMBERS) == ([], [])  # local-only, never federated


def test_direct_note_goes_to_its_addressees_only(factories) -> None:
    anna = factories.user("anna")
    bob, _key = remote_actor("bob")
    post = factories.post(anna, "Nur für Bob", visibility=Visibility.DIRECT)
    db.session.add(PostAddressee(post_id=post.id, actor_id=bob.id))
    db.session.commit()
    document = _note(post)
    parsed = parse_object(document)
    assert document["to"] == [bob.uri] and document["cc"] == []
    assert parsed.public is False
    assert parsed.mentions == (bob.uri,)
    assert document["tag"][0]["name"] == "@bob@remote.example"


def test_group_notes_name_the_group_as_audience(factories) -> None:
    anna = factories.user("anna")
    public_group = factories.group("garten", members=(anna,))
    private_group = factories.group("haus", visibility=GroupVisibility.MEMBERS_ONLY)
    garten, haus = f"{BASE}/groups/garten", f"{BASE}/groups/haus"
    public_post = factories.post(anna, group=public_group)
    document = _note(public_post)
    assert document["to"] == [v.PUBLIC, garten]
    assert f"{garten}/followers" in document["cc"]
    assert parse_object(document).community == garten
    members_post = factories.post(anna, group=public_group, visibility=Visibility.GROUP)
    assert serializers.addressing(members_post) == ([garten], [f"{garten}/followers"])
    # A members-only group's posts are never public, whatever their own visibility says.
    private_post = factories.post(anna, group=private_group, visibility=Visibility.PUBLIC)
    assert serializers.addressing(private_post) == ([haus], [f"{haus}/followers"])
    assert parse_object(_note(private_post)).public is False


def test_tombstone_of_a_deleted_post(factories) -> None:
    post = factories.post(factories.user("anna"))
    post.deleted_at = utcnow()
    db.session.commit()
    document = serializers.tombstone(post)
    assert document["type"] == "Tombstone" and document["formerType"] == "Note"
    assert document["id"] == f"{BASE}/posts/{post.id}"
    assert document["deleted"].endswith("Z")


def test_local_mentions_become_absolute_links_and_mention_tags(factories) -> None:
    factories.user("bert")
    anna = factories.user("anna")
    post = factories.post(anna, "Hallo @bert!")
    post.content_html = render_post_html(post.source)
    db.session.commit()
    document = _note(post)
    assert f'href="{BASE}/@bert"' in document["content"]
    assert 'href="/@' not in document["content"]
    assert parse_object(document).mentions == (f"{BASE}/@bert",)


def test_avatar_and_images_are_published_with_their_media_types(factories) -> None:
    anna = factories.user("anna")
    post = factories.post(anna, "Mit Bild")
    db.session.add_all(
        [
            Media(
                owner_id=anna.actor_id,
                purpose="avatar",
                storage_name="a.webp",
                mime_type="image/webp",
                width=64,
                height=64,
                size_bytes=10,
            ),
            Media(
                owner_id=anna.actor_id,
                post_id=post.id,
                storage_name="p.jpg",
                mime_type="image/jpeg",
                width=800,
                height=600,
                size_bytes=10,
                alt_text="Ein Beet",
            ),
        ]
    )
    db.session.commit()
    db.session.expire_all()
    actor = serializers.actor_to_ap(anna.actor)
    assert actor["icon"] == {
        "type": "Image",
        "mediaType": "image/webp",
        "url": f"{BASE}/media/a.webp",
    }
    assert parse_actor(actor).icon_url == f"{BASE}/media/a.webp"
    attachment = parse_object(_note(post)).attachments[0]
    assert (attachment.url, attachment.media_type) == (f"{BASE}/media/p.jpg", "image/jpeg")
    assert attachment.description == "Ein Beet"
