"""What local actions send to other servers, end to end: service -> signal -> outbox ->
worker -> a real signed POST to a loopback inbox."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from federation import vocabulary as v
from quarter_node.accounts import account_settings
from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub import urls
from quarter_node.activitypub.models import Delivery, OutboundActivity
from quarter_node.extensions import db
from quarter_node.posts import services as posts
from quarter_node.posts.models import Post, Visibility
from quarter_node.social import services as social
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.delivery.conftest import follow, remote_actor


def _activities(receiver) -> list[dict]:  # noqa: ANN001
    for received in receiver.received:
        assert received.scheme is not None, received.error
    return [json.loads(r.body) for r in receiver.received]


@pytest.fixture
def anna(factories, key_ring):  # noqa: ANN001, ANN201
    user = factories.user("anna")
    key_ring.trust(user.actor)
    return user


def test_a_public_post_its_edit_and_its_deletion_reach_the_remote_followers(anna, receivers):
    inbox = receivers()
    for _ in range(2):
        follow(remote_actor(inbox.host), anna.actor)

    post = posts.publish_post(anna, "Flohmarkt am Samstag")
    posts.edit_post(anna, post, "Flohmarkt am Sonntag")
    posts.delete_post(anna, post)

    create, update, delete = _activities(inbox)
    assert len(inbox.received) == 3, "one delivery per shared inbox"
    assert create["type"] == "Create" and create["actor"] == urls.actor_uri(anna.actor)
    assert "Samstag" in create["object"]["content"] and v.PUBLIC in create["to"]
    assert update["type"] == "Update" and "Sonntag" in update["object"]["content"]
    assert delete["type"] == "Delete" and delete["object"]["type"] == v.TOMBSTONE
    assert delete["object"]["id"] == create["object"]["id"]


def test_members_only_posts_never_leave_the_node(anna, receivers):
    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)

    post = posts.publish_post(anna, "Nur für uns", visibility=Visibility.MEMBERS)
    posts.delete_post(anna, post)

    assert db.session.scalar(select(func.count(OutboundActivity.id))) == 0
    assert inbox.wait_for(1, timeout=0.3) == []


def test_a_group_post_is_announced_by_the_group_to_its_remote_followers(
    anna, factories, key_ring, receivers
):
    group = factories.group("garten", owner=anna)
    key_ring.trust(group.actor)
    group_follower_inbox, anna_follower_inbox = receivers(), receivers()
    follow(remote_actor(group_follower_inbox.host), group.actor)
    follow(remote_actor(anna_follower_inbox.host), anna.actor)

    posts.publish_post(anna, "Gießplan", group=group, visibility=Visibility.PUBLIC)

    (announce,) = _activities(group_follower_inbox)
    assert announce["type"] == "Announce" and announce["actor"] == urls.actor_uri(group.actor)
    assert announce["object"]["type"] == "Create"
    assert announce["object"]["object"]["audience"] == urls.actor_uri(group.actor)
    (create,) = _activities(anna_follower_inbox)
    assert create["type"] == "Create"


def test_a_post_into_a_followed_remote_group_goes_to_the_group_with_its_audience(anna, receivers):
    inbox = receivers()
    group = remote_actor(inbox.host, kind=ActorKind.GROUP)
    follow(anna.actor, group)

    posts.publish_post(anna, "Setzlinge zu verschenken", to_group=group)

    (create,) = _activities(inbox)
    note = create["object"]
    assert note["audience"] == group.uri and group.uri in create["to"] + create["cc"]
    assert v.PUBLIC in note["to"]


def test_likes_of_remote_posts_go_to_their_author_and_can_be_taken_back(anna, receivers):
    inbox = receivers()
    author = remote_actor(inbox.host)
    post = Post(
        author_id=author.id,
        uri=f"{author.uri}/notes/1",
        content_html="<p>Hallo</p>",
        visibility=Visibility.PUBLIC,
    )
    db.session.add(post)
    db.session.commit()

    posts.like_post(anna, post)
    posts.unlike_post(anna, post)

    like, undo = _activities(inbox)
    assert (like["type"], like["object"]) == ("Like", post.uri)
    assert undo["type"] == "Undo" and undo["object"]["id"] == like["id"]


def test_following_a_remote_actor_sends_follow_and_undo_with_the_stored_id(anna, receivers):
    inbox = receivers()
    target = remote_actor(inbox.host)

    row = social.follow(anna, target)
    follow_uri = row.uri
    social.unfollow(anna, target)

    sent_follow, undo = _activities(inbox)
    assert sent_follow["type"] == "Follow" and sent_follow["id"] == follow_uri
    assert sent_follow["object"] == target.uri
    assert undo["type"] == "Undo" and undo["object"]["id"] == follow_uri


def test_accepting_and_refusing_remote_followers_answers_their_follow(anna, receivers):
    inbox = receivers()
    welcome, refused = remote_actor(inbox.host), remote_actor(inbox.host)
    for requester, n in ((welcome, 1), (refused, 2)):
        row = follow(requester, anna.actor, FollowState.PENDING)
        row.uri = f"{requester.uri}/follows/{n}"
        db.session.commit()

    social.accept_follow(welcome, anna.actor)
    social.reject_follow(refused, anna.actor)

    accept, reject = _activities(inbox)
    assert accept["type"] == "Accept" and accept["object"]["id"] == f"{welcome.uri}/follows/1"
    assert reject["type"] == "Reject" and reject["object"]["actor"] == refused.uri


def test_profile_changes_and_account_deletion_are_planned_for_followers(anna, receivers):
    inbox = receivers()
    follow(remote_actor(inbox.host), anna.actor)

    account_settings.update_profile(anna, display_name="Anna B.", bio="Gärtnerin", locale=None)
    (update,) = _activities(inbox)
    assert update["type"] == "Update" and update["object"]["name"] == "Anna B."

    actor_uri = urls.actor_uri(anna.actor)
    account_settings.delete_account(anna, password="Nachbarschaft-2026")
    delete = db.session.scalar(
        select(OutboundActivity).where(OutboundActivity.activity_type == "Delete")
    )
    assert delete.payload["object"] == actor_uri
    assert db.session.scalar(select(Delivery.inbox_url).where(Delivery.activity_id == delete.id))
    assert db.session.scalar(select(func.count(Follow.id))) == 0
