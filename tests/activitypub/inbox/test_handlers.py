"""What each received activity does here: follows, posts, reactions, actors, reports."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from federation import vocabulary as v
from quarter_node.accounts.models import Actor
from quarter_node.activitypub.models import InboxState, OutboundActivity, PostAddressee, Share
from quarter_node.extensions import db
from quarter_node.moderation.models import Report, ReportState
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.posts.visibility import can_view_post
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.conftest import inbox_items
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.helpers import login

PUBLIC = v.PUBLIC


def _notifications(kind: NotificationKind) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.kind == kind)))


def _remote(actor: RemoteActor) -> Actor:
    return db.session.scalar(db.select(Actor).where(Actor.uri == actor.uri))


def _local_follows_remote(factories, client, local_user, remote: RemoteActor) -> None:  # noqa: ANN001
    """Make ``local_user`` an accepted follower of ``remote`` (fetched as it would be)."""
    deliver(client, remote, remote.activity("Follow", "http://localhost/@nobody"))
    db.session.add(Follow(follower_id=local_user.actor_id, followed_id=_remote(remote).id))
    db.session.commit()


def _remote_post(note: dict) -> Post | None:
    return db.session.scalar(db.select(Post).where(Post.uri == note["id"]))


# --- follows -----------------------------------------------------------------------------


def test_follow_of_an_open_account_is_accepted_and_answered(client, factories, bob):
    anna = factories.user("anna")
    follow = bob.activity("Follow", "http://localhost/@anna")
    assert deliver(client, bob, follow).status_code == 202
    stored = db.session.scalar(db.select(Follow).where(Follow.uri == follow["id"]))
    assert stored.state == FollowState.ACCEPTED and stored.followed_id == anna.actor_id
    assert stored.follower.domain == "127.0.0.1:59999" and stored.follower.handle == "bob"
    accept = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Accept")
    )
    assert accept.payload["object"]["id"] == follow["id"]
    assert accept.payload["actor"] == "http://localhost/@anna"
    assert [n.recipient_id for n in _notifications(NotificationKind.FOLLOW)] == [anna.actor_id]


def test_follow_of_a_locked_account_waits_for_approval(client, factories, bob):
    anna = factories.user("anna")
    anna.actor.manually_approves_followers = True
    db.session.commit()
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))
    assert db.session.scalar(db.select(Follow)).state == FollowState.PENDING
    assert db.session.scalar(db.select(OutboundActivity)) is None
    assert len(_notifications(NotificationKind.FOLLOW_REQUEST)) == 1


def test_undo_follow_removes_the_follow(client, factories, bob):
    factories.user("anna")
    follow = bob.activity("Follow", "http://localhost/@anna")
    deliver(client, bob, follow)
    deliver(client, bob, bob.activity("Undo", follow))
    assert db.session.scalars(db.select(Follow)).all() == []


def test_accept_of_our_follow_makes_it_accepted(client, factories, bob):
    anna = factories.user("anna")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))
    ours = Follow(
        follower_id=anna.actor_id,
        followed_id=_remote(bob).id,
        state=FollowState.PENDING,
        uri="http://localhost/activities/follow/abc",
    )
    db.session.add(ours)
    db.session.commit()
    request = {
        "id": ours.uri,
        "type": "Follow",
        "actor": "http://localhost/@anna",
        "object": bob.uri,
    }
    deliver(client, bob, bob.activity("Accept", request))
    assert db.session.scalar(db.select(Follow)).state == FollowState.ACCEPTED


def test_reject_of_our_follow_removes_it(client, factories, bob, carol):
    anna = factories.user("anna")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))
    db.session.add(
        Follow(follower_id=anna.actor_id, followed_id=_remote(bob).id, state=FollowState.PENDING)
    )
    db.session.commit()
    request = {"type": "Follow", "actor": "http://localhost/@anna", "object": bob.uri}
    deliver(client, carol, carol.activity("Reject", request))  # not carol's to answer
    assert db.session.scalar(db.select(Follow)) is not None
    deliver(client, bob, bob.activity("Reject", request))
    assert db.session.scalar(db.select(Follow)) is None


# --- posts -------------------------------------------------------------------------------


def test_reply_to_a_local_post_appears_in_the_thread(client, factories, bob):
    anna = factories.user("anna")
    post = factories.post(anna, "Wer hat eine Leiter?")
    note = bob.note(
        "<p>Ich!<script>alert(1)</script></p>",
        inReplyTo=f"http://localhost/posts/{post.id}",
        to=[PUBLIC],
        cc=[bob.uri + "/followers"],
    )
    deliver(client, bob, bob.create(note))
    reply = _remote_post(note)
    assert reply.in_reply_to_id == post.id and reply.thread_root_id == post.id
    assert reply.visibility == Visibility.PUBLIC
    assert "script" not in reply.content_html and "Ich!" in reply.content_html
    assert [n.recipient_id for n in _notifications(NotificationKind.REPLY)] == [anna.actor_id]
    page = client.get(f"/posts/{post.id}")
    assert "Ich!" in page.get_data(as_text=True)


def test_unsolicited_public_post_is_not_stored(client, factories, bob):
    factories.user("anna")
    note = bob.note("Kauft Billigpillen!", to=[PUBLIC])
    deliver(client, bob, bob.create(note))
    assert _remote_post(note) is None
    assert [item.state for item in inbox_items()] == ["ignored"]


def test_post_of_a_followed_author_is_stored_with_its_addressing(client, factories, bob):
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    public = bob.note("Öffentlich", to=[PUBLIC])
    unlisted = bob.note("Ungelistet", to=[bob.uri + "/followers"], cc=[PUBLIC])
    followers = bob.note("Nur Folgende", to=[bob.uri + "/followers"])
    for note in (public, unlisted, followers):
        deliver(client, bob, bob.create(note))
    assert _remote_post(public).visibility == Visibility.PUBLIC
    assert _remote_post(unlisted).visibility == Visibility.UNLISTED
    assert _remote_post(followers).visibility == Visibility.FOLLOWERS


def test_mention_notifies_and_a_direct_message_reaches_only_the_addressee(client, factories, bob):
    anna = factories.user("anna")
    factories.user("bert")
    note = bob.note(
        "<p>@anna psst</p>",
        to=["http://localhost/@anna"],
        tag=[{"type": "Mention", "href": "http://localhost/@anna", "name": "@anna@localhost"}],
    )
    deliver(client, bob, bob.create(note))
    post = _remote_post(note)
    assert post.visibility == Visibility.DIRECT
    addressees = db.session.scalars(db.select(PostAddressee.actor_id)).all()
    assert addressees == [anna.actor_id]
    assert [n.recipient_id for n in _notifications(NotificationKind.MENTION)] == [anna.actor_id]
    assert can_view_post(anna, post)
    login(client, "bert@example.org")
    assert client.get(f"/posts/{post.id}").status_code == 404


def test_update_edits_only_the_authors_own_post(client, factories, bob):
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    note = bob.note("Erste Fassung", to=[PUBLIC])
    deliver(client, bob, bob.create(note))
    deliver(client, bob, bob.activity("Update", note | {"content": "Zweite Fassung"}))
    post = _remote_post(note)
    assert "Zweite Fassung" in post.content_html and post.edited_at is not None


def test_update_by_another_actor_of_the_same_server_changes_nothing(client, factories, bob, peers):
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    note = bob.note("Original", to=[PUBLIC])
    deliver(client, bob, bob.create(note))
    mallory = RemoteActor("mallory", key_number=2).serve(peers)
    forged = note | {"content": "Gefälscht", "attributedTo": mallory.uri}
    deliver(client, mallory, mallory.activity("Update", forged))
    assert "Original" in _remote_post(note).content_html


def test_delete_removes_the_post(client, factories, bob, carol):
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    note = bob.note("Bald weg", to=[PUBLIC])
    deliver(client, bob, bob.create(note))
    deliver(client, carol, carol.activity("Delete", note["id"]))  # same host, not the author
    assert _remote_post(note) is not None
    tombstone = {"id": note["id"], "type": "Tombstone"}
    deliver(client, bob, bob.activity("Delete", tombstone))
    assert _remote_post(note) is None


def test_post_to_a_local_group_is_stored_for_the_group_and_relayed(client, factories, bob):
    owner = factories.user("anna")
    group = factories.group("garten", owner=owner)
    group_uri = "http://localhost/groups/garten"
    deliver(client, bob, bob.activity("Follow", group_uri))
    note = bob.note("Gießdienst gesucht", to=[group_uri], cc=[PUBLIC], audience=group_uri)
    create = bob.create(note)
    deliver(client, bob, create)
    post = _remote_post(note)
    assert post.group_id == group.id
    relay = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Announce")
    )
    assert relay.payload["actor"] == group_uri and relay.payload["object"]["id"] == create["id"]


def test_post_to_a_group_by_a_stranger_is_not_stored_nor_relayed(client, factories, bob):
    owner = factories.user("anna")
    factories.group("garten", owner=owner)
    group_uri = "http://localhost/groups/garten"
    note = bob.note("Werbung", to=[group_uri], cc=[PUBLIC])
    deliver(client, bob, bob.create(note))
    assert _remote_post(note) is None  # naming a group is no reason to keep a post
    assert (
        db.session.scalar(
            db.select(OutboundActivity).where(OutboundActivity.activity_type == "Announce")
        )
        is None
    )


# --- reactions ---------------------------------------------------------------------------


def test_like_and_undo_like(client, factories, bob):
    anna = factories.user("anna")
    post = factories.post(anna, "Schönes Wetter")
    like = bob.activity("Like", f"http://localhost/posts/{post.id}")
    deliver(client, bob, like)
    stored = db.session.scalar(db.select(Like))
    assert stored.post_id == post.id and stored.uri == like["id"]
    assert [n.recipient_id for n in _notifications(NotificationKind.LIKE)] == [anna.actor_id]
    deliver(client, bob, bob.activity("Undo", like))
    assert db.session.scalar(db.select(Like)) is None


def test_announce_of_a_local_post_is_a_share(client, factories, bob):
    anna = factories.user("anna")
    post = factories.post(anna, "Teilenswert")
    announce = bob.activity("Announce", f"http://localhost/posts/{post.id}", to=[PUBLIC])
    deliver(client, bob, announce)
    assert db.session.scalar(db.select(Share)).post_id == post.id
    deliver(client, bob, bob.activity("Undo", announce["id"]))
    assert db.session.scalar(db.select(Share)) is None


# --- actors and reports --------------------------------------------------------------------


def test_update_of_the_actor_refreshes_the_profile(client, factories, bob):
    factories.user("anna")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))
    changed = bob.document() | {"name": "Bob Neu", "summary": "<p>Hallo</p>"}
    deliver(client, bob, bob.activity("Update", changed))
    assert _remote(bob).display_name == "Bob Neu"


def test_delete_of_the_actor_removes_it_and_its_content(client, factories, bob, peers):
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))
    note = bob.note("Tschüss", to=[PUBLIC])
    deliver(client, bob, bob.create(note))
    post = factories.post(anna, "Hallo")
    deliver(client, bob, bob.activity("Like", f"http://localhost/posts/{post.id}"))
    deliver(client, bob, bob.activity("Announce", f"http://localhost/posts/{post.id}", to=[PUBLIC]))
    assert db.session.scalar(db.select(Like)) and db.session.scalar(db.select(Share))
    # As a deleted account's server does: the document answers 410, and our copy is
    # old enough to be refetched; the key we cached still verifies the Delete.
    peers.upsert("GET", bob.uri, status=410)
    _remote(bob).fetched_at = _remote(bob).fetched_at - timedelta(days=2)
    db.session.commit()

    assert deliver(client, bob, bob.activity("Delete", bob.uri)).status_code == 202
    assert inbox_items()[-1].state == InboxState.DONE
    assert _remote(bob) is None
    assert _remote_post(note) is None
    assert db.session.scalars(db.select(Follow)).all() == []
    assert db.session.scalar(db.select(Like)) is None
    assert db.session.scalar(db.select(Share)) is None
    assert client.get("/@bob@127.0.0.1:59999").status_code == 404


def test_block_removes_follows_both_ways(client, factories, bob):
    anna = factories.user("anna")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=_remote(bob).id))
    db.session.commit()
    deliver(client, bob, bob.activity("Block", "http://localhost/@anna"))
    assert db.session.scalars(db.select(Follow)).all() == []


def test_flag_files_a_report_in_the_moderation_queue(client, factories, bob):
    from quarter_node.accounts.models import Role

    moderator = factories.user("mona", role=Role.MODERATOR)
    anna = factories.user("anna")
    post = factories.post(anna, "Strittig")
    flag = bob.activity(
        "Flag",
        ["http://localhost/@anna", f"http://localhost/posts/{post.id}"],
        content="Beleidigt andere",
    )
    deliver(client, bob, flag)
    report = db.session.scalar(db.select(Report))
    assert report.target_actor_id == anna.actor_id and report.target_post_id == post.id
    assert report.reason == "Beleidigt andere" and report.state == ReportState.OPEN
    assert [n.recipient_id for n in _notifications(NotificationKind.REPORT)] == [moderator.actor_id]
    login(client, "mona@example.org")
    assert "Beleidigt andere" in client.get("/moderation").get_data(as_text=True)


@pytest.mark.parametrize("kind", ["Like", "Follow"])
def test_activities_about_unknown_local_objects_are_ignored(client, factories, bob, kind):
    target = "http://localhost/posts/999" if kind == "Like" else "http://localhost/@nobody"
    deliver(client, bob, bob.activity(kind, target))
    assert [item.state for item in inbox_items()] == ["ignored"]


def test_embedded_object_of_another_origin_is_fetched_from_there(client, factories, bob, peers):
    """Bob boosts a post of dora's server and embeds a doctored copy: what is stored is
    what dora's server says, not bob's claim."""
    anna = factories.user("anna")
    _local_follows_remote(factories, client, anna, bob)
    dora = RemoteActor("dora", origin="http://127.0.0.2:59999", key_number=1).serve(peers)
    real = dora.note("Echter Text", to=[PUBLIC])
    peers.upsert("GET", real["id"], body=json.dumps(real), content_type="application/activity+json")
    doctored = real | {"content": "Gefälschter Text"}
    deliver(client, bob, bob.activity("Announce", doctored, to=[PUBLIC]))
    post = _remote_post(real)
    assert "Echter Text" in post.content_html and post.author.uri == dora.uri
    assert db.session.scalar(db.select(Share)).post_id == post.id


def test_links_other_than_http_are_dropped(client, factories, bob, peers):
    anna = factories.user("anna")
    bob.extra = {"url": "javascript:alert(1)", "icon": {"type": "Image", "url": "data:x"}}
    bob.serve(peers)
    _local_follows_remote(factories, client, anna, bob)
    note = bob.note("<p><a href='javascript:alert(2)'>hier</a></p>", to=[PUBLIC])
    note["url"] = "javascript:alert(3)"
    deliver(client, bob, bob.create(note))
    post = _remote_post(note)
    assert "javascript" not in post.content_html and post.url == note["id"]
    assert _remote(bob).profile_url == "" and _remote(bob).icon_url == ""
