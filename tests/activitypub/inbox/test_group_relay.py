"""FEP-1b12 through the inbox: our groups relay what remote members write into them, and we
take in what a followed remote group relays (fetching third-origin posts from their origin)."""

from __future__ import annotations

import json

import pytest
import responses

from federation import vocabulary as v
from quarter_node.accounts.models import Actor, User
from quarter_node.activitypub.models import Delivery, InboxItem, InboxState, OutboundActivity
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts import remote_groups
from quarter_node.posts import services as posts
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.fakes import ACTIVITY_JSON, RemoteActor, deliver

PUBLIC = v.PUBLIC
GROUP_URI = "http://localhost/groups/garten"


@pytest.fixture
def dora(peers: responses.RequestsMock) -> RemoteActor:
    """A member on a second server (its own shared inbox)."""
    return RemoteActor("dora", origin="http://127.0.0.2:59999", key_number=1).serve(peers)


def _remote_post(note: dict) -> Post | None:
    return db.session.scalar(db.select(Post).where(Post.uri == note["id"]))


def _announces() -> list[OutboundActivity]:
    query = db.select(OutboundActivity).where(OutboundActivity.activity_type == "Announce")
    return list(db.session.scalars(query.order_by(OutboundActivity.id)))


def _inboxes_of(activity: OutboundActivity) -> set[str]:
    query = db.select(Delivery.inbox_url).where(Delivery.activity_id == activity.id)
    return set(db.session.scalars(query))


def _join(client, *members: RemoteActor) -> None:  # noqa: ANN001
    for member in members:
        deliver(client, member, member.activity("Follow", GROUP_URI))


# --- our group relays its remote members -------------------------------------------------


def test_a_remote_members_reply_in_a_group_thread_is_announced_to_the_other_members(
    client, factories, bob, dora
):
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    topic = factories.post(anna, "Gartentag", group=group)
    _join(client, bob, dora)
    reply = bob.note("Ich bringe einen Spaten", inReplyTo=f"http://localhost/posts/{topic.id}")
    reply |= {"to": [PUBLIC], "cc": [bob.uri + "/followers"]}  # no word of the group
    create = bob.create(reply)

    deliver(client, bob, create)

    assert _remote_post(reply).group_id == group.id
    (announce,) = _announces()
    assert announce.payload["actor"] == GROUP_URI
    assert announce.payload["object"]["id"] == create["id"]
    assert announce.payload["to"] == [f"{GROUP_URI}/followers"]
    assert _inboxes_of(announce) == {f"{bob.origin}/inbox", f"{dora.origin}/inbox"}


def test_edits_and_deletions_of_a_remote_member_are_announced_too(client, factories, bob, dora):
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    _join(client, bob, dora)
    note = bob.note("Gießdienst gesucht", to=[GROUP_URI, PUBLIC], audience=GROUP_URI)
    deliver(client, bob, bob.create(note))
    post_id = _remote_post(note).id
    assert _remote_post(note).group_id == group.id

    update = bob.activity("Update", note | {"content": "Gießdienst gefunden"})
    deliver(client, bob, update)
    delete = bob.activity("Delete", {"id": note["id"], "type": v.TOMBSTONE})
    deliver(client, bob, delete)

    relayed = [a.payload["object"] for a in _announces()]
    assert [r["type"] for r in relayed] == ["Create", "Update", "Delete"]
    assert relayed[1]["id"] == update["id"] and relayed[2]["id"] == delete["id"]
    assert db.session.get(Post, post_id) is None


def test_a_members_only_group_relays_only_to_its_members(client, factories, bob, dora):
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna, visibility=GroupVisibility.MEMBERS_ONLY)
    topic = factories.post(anna, "Schlüsselkasten", group=group, visibility=Visibility.GROUP)
    _join(client, bob)  # members-only groups vet their members: the owner accepts
    db.session.execute(db.update(Follow).values(state=FollowState.ACCEPTED))
    db.session.commit()
    _join(client, dora)  # still waiting for the owner
    reply = bob.note("Danke", inReplyTo=f"http://localhost/posts/{topic.id}", to=[GROUP_URI])

    deliver(client, bob, bob.create(reply))

    assert _remote_post(reply).visibility == Visibility.GROUP
    (announce,) = _announces()
    assert PUBLIC not in announce.payload.get("cc", []) and announce.public is False
    assert _inboxes_of(announce) == {f"{bob.origin}/inbox"}  # dora is no member yet


def test_a_strangers_reply_in_a_members_only_group_is_refused(client, factories, bob):
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna, visibility=GroupVisibility.MEMBERS_ONLY)
    topic = factories.post(anna, "Schlüsselkasten", group=group, visibility=Visibility.GROUP)
    reply = bob.note("Und der Code?", inReplyTo=f"http://localhost/posts/{topic.id}")

    deliver(client, bob, bob.create(reply))

    assert _remote_post(reply) is None and _announces() == []


def test_a_strangers_post_to_a_group_is_no_group_post(client, factories, bob):
    """Naming a group does not put a post into it; a followed author's post is still kept."""
    anna = factories.user("anna")
    factories.group("garten", owner=anna)
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=_actor(bob).id))
    db.session.commit()
    note = bob.note("Werbung", to=[GROUP_URI, PUBLIC], audience=GROUP_URI)

    deliver(client, bob, bob.create(note))

    assert _remote_post(note).group_id is None and _announces() == []


def _actor(remote: RemoteActor) -> Actor:
    return db.session.scalar(db.select(Actor).where(Actor.uri == remote.uri))


# --- a followed remote group relays to us ---------------------------------------------------


@pytest.fixture
def garden(peers: responses.RequestsMock, factories, client) -> RemoteActor:  # noqa: ANN001
    """A group on another server, followed by anna here."""
    group = RemoteActor("garten", origin="http://127.0.0.3:59999", kind="Group", key_number=2)
    group.serve(peers)
    anna = factories.user("anna")
    deliver(client, group, group.activity("Follow", "http://localhost/@nobody"))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=_actor(group).id))
    db.session.commit()
    return group


def _serve(peers: responses.RequestsMock, document: dict, status: int = 200) -> None:
    body = json.dumps(document) if status == 200 else ""
    peers.upsert(
        responses.GET, document["id"], body=body, status=status, content_type=ACTIVITY_JSON
    )


def _relay(client, group: RemoteActor, activity: dict) -> None:  # noqa: ANN001
    deliver(client, group, group.activity("Announce", activity, to=[group.uri + "/followers"]))


def test_a_relayed_post_of_another_server_is_taken_from_its_origin(client, peers, garden, bob):
    note = bob.note("Setzlinge zu verschenken", to=[PUBLIC], audience=garden.uri)
    _serve(peers, note)
    doctored = note | {"content": "Kauft Wundermittel!"}

    _relay(client, garden, bob.create(doctored))

    post = _remote_post(note)
    assert "Setzlinge" in post.content_html and post.author.uri == bob.uri
    assert remote_groups.remote_group_of(post).uri == garden.uri  # replies go to the group


def test_a_reply_here_in_a_relayed_thread_is_addressed_to_the_group(
    client, peers, garden, bob, factories
):
    note = bob.note("Setzlinge zu verschenken", to=[PUBLIC])  # no audience: a Mastodon member
    _serve(peers, note)
    _relay(client, garden, bob.create(note))
    anna = db.session.scalar(db.select(User).where(User.actor.has(handle="anna")))

    reply = posts.publish_post(anna, "Ich nehme zwei", in_reply_to=_remote_post(note))

    create = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Create")
    )
    assert create.payload["object"]["audience"] == garden.uri
    assert garden.uri in create.payload["cc"] and reply.visibility == Visibility.PUBLIC
    assert f"{garden.origin}/inbox" in _inboxes_of(create)


def test_relayed_edits_are_fetched_and_deletions_believed_only_when_gone(
    client, peers, garden, bob
):
    note = bob.note("Setzlinge zu verschenken", to=[PUBLIC], audience=garden.uri)
    _serve(peers, note)
    _relay(client, garden, bob.create(note))
    _serve(peers, note | {"content": "Alle Setzlinge vergeben"})

    _relay(client, garden, bob.activity("Update", note | {"content": "Anders"}))
    assert "vergeben" in _remote_post(note).content_html

    _relay(client, garden, bob.activity("Delete", note["id"]))  # its server still has it
    assert _remote_post(note) is not None
    _serve(peers, {"id": note["id"]}, status=410)
    _relay(client, garden, bob.activity("Delete", note["id"]))
    assert _remote_post(note) is None


def test_relays_of_a_group_nobody_here_follows_are_ignored(client, peers, bob):
    stranger = RemoteActor("laden", origin="http://127.0.0.3:59999", kind="Group", key_number=2)
    stranger.serve(peers)
    note = bob.note("Angebot der Woche", to=[PUBLIC])
    _serve(peers, note)

    _relay(client, stranger, bob.create(note))

    assert _remote_post(note) is None
    assert db.session.scalar(db.select(InboxItem.state)) == InboxState.IGNORED


def test_the_groups_outbox_lists_a_remote_members_post_under_the_announce_sent(
    client, factories, bob, dora
):
    """The outbox shows the Announce that went out (same id), pointing at the post on its
    author's server instead of a copy rebuilt here."""
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    _join(client, bob, dora)
    note = bob.note("Tausche Tomatensetzlinge") | {
        "to": [PUBLIC],
        "cc": [GROUP_URI],
        "audience": GROUP_URI,
    }
    deliver(client, bob, bob.create(note))
    (announce,) = _announces()
    assert _remote_post(note).group_id == group.id

    page = client.get("/groups/garten/outbox?page=1", headers={"Accept": ACTIVITY_JSON})

    (item,) = page.get_json()["orderedItems"]
    assert item["id"] == announce.uri
    assert client.get(announce.uri.removeprefix("http://localhost")).status_code == 200
    assert item["object"] == note["id"]
    assert item["to"] == [f"{GROUP_URI}/followers"] and item["cc"] == [PUBLIC]
