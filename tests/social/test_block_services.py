"""Blocking at the service level: what a block ends, what it hides from whom, and that the
visibility filter and the per-post check still agree with blocks in the world."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts import services as posts
from quarter_node.posts.models import Visibility
from quarter_node.posts.timelines import home_query, local_query, thread_of
from quarter_node.posts.visibility import can_view_post, visible_posts
from quarter_node.social import block_services, services
from quarter_node.social.models import Block, Follow, FollowState


@pytest.fixture(autouse=True)
def _request(app):  # noqa: ANN001, ANN202
    with app.test_request_context():
        yield


def _ids(query) -> set[int]:  # noqa: ANN001
    return {post.id for post in db.session.scalars(query)}


def _notifications(user) -> list[Notification]:  # noqa: ANN001
    return list(
        db.session.scalars(
            db.select(Notification).where(Notification.recipient_id == user.actor_id)
        )
    )


def _follows() -> set[tuple[int, int]]:
    return {
        tuple(row) for row in db.session.execute(db.select(Follow.follower_id, Follow.followed_id))
    }


@pytest.fixture
def anna_and_bert(factories):  # noqa: ANN001, ANN201
    anna, bert = factories.user("anna"), factories.user("bert")
    services.follow(anna, bert.actor)
    services.follow(bert, anna.actor)
    return anna, bert


def test_blocking_ends_follows_both_ways_and_forgets_notifications(anna_and_bert) -> None:  # noqa: ANN001
    anna, bert = anna_and_bert
    post = posts.publish_post(anna, "Wer leiht mir eine Leiter?")
    posts.like_post(bert, post)
    assert {n.kind for n in _notifications(anna)} == {
        NotificationKind.FOLLOW,
        NotificationKind.LIKE,
    }

    block = block_services.block_actor(anna, bert.actor)
    again = block_services.block_actor(anna, bert.actor)

    assert again.id == block.id
    assert _follows() == set()
    assert _notifications(anna) == []
    assert db.session.scalar(db.select(Block.blocked_id)) == bert.actor_id


def test_the_blocked_account_cannot_follow_reply_like_or_mention(anna_and_bert) -> None:  # noqa: ANN001
    anna, bert = anna_and_bert
    question = posts.publish_post(anna, "Wer hat einen Akkuschrauber?")
    block_services.block_actor(anna, bert.actor)

    with pytest.raises(PermissionDenied):
        services.follow(bert, anna.actor)
    with pytest.raises(InvalidInput):  # and the blocker is told to unblock first
        services.follow(anna, bert.actor)
    with pytest.raises(NotFound):
        posts.publish_post(bert, "Ich!", in_reply_to=question)
    posts.publish_post(bert, "Hallo @anna, hörst du mich?")
    with pytest.raises(NotFound):
        posts.like_post(bert, posts.publish_post(anna, "Noch eine Frage"))
    assert _notifications(anna) == []
    assert _follows() == set()


def test_the_blocked_accounts_posts_leave_home_quarter_and_thread(factories) -> None:  # noqa: ANN001
    anna, bert, carl = factories.user("anna"), factories.user("bert"), factories.user("carl")
    services.follow(anna, bert.actor)
    question = posts.publish_post(carl, "Wer kommt zum Straßenfest?")
    answer = posts.publish_post(bert, "Ich bringe Kuchen", in_reply_to=question)
    own = posts.publish_post(bert, "Flohmarkt bei mir")
    assert own.id in _ids(home_query(anna)) and own.id in _ids(local_query(anna))

    block_services.block_actor(anna, bert.actor)

    assert own.id not in _ids(home_query(anna)) and own.id not in _ids(local_query(anna))
    assert [reply.id for reply in thread_of(anna, question).posts] == [question.id]
    assert not can_view_post(anna, own) and not can_view_post(anna, answer)
    # Others still see everything; the blocked account no longer sees the blocker's posts.
    assert {question.id, answer.id} <= {p.id for p in thread_of(carl, question).posts}
    mine = posts.publish_post(anna, "Von Anna")
    assert not can_view_post(bert, mine) and can_view_post(carl, mine)


def test_unblocking_shows_the_posts_again_but_restores_no_follows(anna_and_bert) -> None:  # noqa: ANN001
    anna, bert = anna_and_bert
    post = posts.publish_post(bert, "Wieder da")
    block_services.block_actor(anna, bert.actor)
    assert block_services.unblock_actor(anna, bert.actor) is True
    assert block_services.unblock_actor(anna, bert.actor) is False
    assert can_view_post(anna, post) and post.id in _ids(visible_posts(anna))
    assert _follows() == set()
    assert services.follow(anna, bert.actor).state == FollowState.ACCEPTED


def test_nobody_blocks_themselves_or_a_local_group(factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    group = factories.group("garten", owner=anna)
    with pytest.raises(InvalidInput):
        block_services.block_actor(anna, anna.actor)
    with pytest.raises(InvalidInput):
        block_services.block_actor(anna, group.actor)
    with pytest.raises(PermissionDenied):
        block_services.block_actor(None, group.actor)
    assert db.session.scalar(db.select(db.func.count(Block.id))) == 0


def test_filter_and_single_post_check_agree_with_blocks_both_ways(factories) -> None:  # noqa: ANN001
    anna, bert, carl = factories.user("anna"), factories.user("bert"), factories.user("carl")
    remote = Actor(
        kind=ActorKind.PERSON, handle="rita", domain="example.net", uri="https://example.net/u/rita"
    )
    db.session.add(remote)
    db.session.commit()
    services.follow(carl, anna.actor)
    group = factories.group("hof", owner=anna, members=(bert, carl))
    world = [
        factories.post(author, visibility=visibility)
        for author in (anna, bert, carl)
        for visibility in (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.FOLLOWERS)
    ]
    world += [factories.post(author, group=group) for author in (anna, bert)]
    world.append(factories.post(carl, in_reply_to=world[0]))
    block_services.block_actor(anna, bert.actor)
    db.session.add(Block(blocker_id=remote.id, blocked_id=carl.actor_id))  # a remote Block
    db.session.commit()
    for viewer in (anna, bert, carl, None):
        listed = _ids(visible_posts(viewer))
        for post in world:
            assert can_view_post(viewer, post) == (post.id in listed), (viewer, post.id)
    anna_sees = {p.author_id for p in world if can_view_post(anna, p)}
    bert_sees = {p.author_id for p in world if can_view_post(bert, p)}
    assert bert.actor_id not in anna_sees and anna.actor_id not in bert_sees
    assert carl.actor_id in anna_sees and carl.actor_id in bert_sees
