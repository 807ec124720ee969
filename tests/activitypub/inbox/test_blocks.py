"""Blocks across servers, received: a remote Block of one of ours and its Undo, and what a
local member's block does to the blocked remote account's Follow, replies and likes."""

from __future__ import annotations

from federation import vocabulary as v
from quarter_node.accounts.models import Actor
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from quarter_node.posts.models import Post
from quarter_node.posts.visibility import can_view_post, visible_posts
from quarter_node.social import block_services
from quarter_node.social.models import Block, Follow
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.helpers import login

ANNA = "http://localhost/@anna"


def _remote(actor: RemoteActor) -> Actor:
    return db.session.scalar(db.select(Actor).where(Actor.uri == actor.uri))


def _blocks() -> list[tuple[int, int]]:
    return [tuple(row) for row in db.session.execute(db.select(Block.blocker_id, Block.blocked_id))]


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(db.select(db.func.count(model.id)))


def _bob_follows_and_is_followed_by(anna, client, bob: RemoteActor) -> None:  # noqa: ANN001
    deliver(client, bob, bob.activity("Follow", ANNA))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=_remote(bob).id))
    db.session.commit()
    assert _count(Follow) == 2


def test_a_remote_block_is_stored_ends_follows_and_keeps_the_two_apart(client, factories, bob):
    anna = factories.user("anna")
    _bob_follows_and_is_followed_by(anna, client, bob)
    assert _count(Notification) == 1  # bob's follow

    deliver(client, bob, bob.activity("Block", ANNA))

    assert _blocks() == [(_remote(bob).id, anna.actor_id)]
    assert _count(Follow) == 0 and _count(Notification) == 0
    note = bob.note("<p>BOBS-POST</p>", to=[v.PUBLIC])
    db.session.add(Post(author_id=_remote(bob).id, uri=note["id"], content_html="BOBS-POST"))
    db.session.commit()
    post = db.session.scalar(db.select(Post).where(Post.uri == note["id"]))
    assert not can_view_post(anna, post) and post not in db.session.scalars(visible_posts(anna))
    assert can_view_post(factories.user("carl"), post)


def test_undo_block_lifts_it_but_brings_no_follow_back(client, factories, bob):
    anna = factories.user("anna")
    _bob_follows_and_is_followed_by(anna, client, bob)
    block = bob.activity("Block", ANNA)
    deliver(client, bob, block)
    deliver(client, bob, bob.activity("Block", ANNA))  # sent again under a new id
    assert len(_blocks()) == 1

    undo = bob.activity("Undo", {k: block[k] for k in ("id", "type", "actor", "object")})
    deliver(client, bob, undo)

    assert _blocks() == [] and _count(Follow) == 0


def test_undo_of_a_block_by_another_actor_changes_nothing(client, factories, bob, carol):
    factories.user("anna")
    block = bob.activity("Block", ANNA)
    deliver(client, bob, block)
    deliver(client, carol, carol.activity("Undo", {**block, "actor": carol.uri}))
    deliver(client, carol, carol.activity("Undo", block["id"]))
    assert len(_blocks()) == 1


def test_a_follow_from_an_account_anna_blocked_is_rejected(client, factories, bob):
    anna = factories.user("anna")
    deliver(client, bob, bob.activity("Like", ANNA))  # makes bob known here
    block_services.block_actor(anna, _remote(bob))

    follow = bob.activity("Follow", ANNA)
    deliver(client, bob, follow)

    assert _count(Follow) == 0
    reject = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Reject")
    )
    assert reject.payload["object"]["id"] == follow["id"]
    assert reject.payload["actor"] == ANNA


def test_replies_and_likes_of_a_blocked_account_do_not_reach_anna(
    client, make_client, factories, bob
):
    anna = factories.user("anna")
    carl = factories.user("carl")
    question = factories.post(anna, "Wer hat eine Leiter?")
    deliver(client, bob, bob.activity("Like", ANNA))  # makes bob known here
    block_services.block_actor(anna, _remote(bob))

    note = bob.note(
        "<p>BOBS-ANTWORT</p>",
        inReplyTo=f"http://localhost/posts/{question.id}",
        to=[v.PUBLIC],
        cc=[ANNA],
    )
    deliver(client, bob, bob.create(note))
    deliver(client, bob, bob.activity("Like", f"http://localhost/posts/{question.id}"))

    assert _count(Notification) == 0
    assert db.session.scalar(db.select(Post).where(Post.uri == note["id"])) is not None
    for user, sees_it in ((anna, False), (carl, True)):
        browser = make_client()
        login(browser, user.email)
        page = browser.get(f"/posts/{question.id}").get_data(as_text=True)
        assert ("BOBS-ANTWORT" in page) is sees_it, user.actor.handle
