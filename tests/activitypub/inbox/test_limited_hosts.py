"""What arrives from a server the admins limited: follow requests always wait for approval,
and its mentions and replies notify only people who follow their author."""

from __future__ import annotations

from quarter_node.accounts.models import Actor, Role
from quarter_node.activitypub.models import HostPolicy, OutboundActivity, PeerHost
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.fakes import RemoteActor, deliver


def _limit(remote: RemoteActor) -> None:
    host = remote.origin.split("://", 1)[1]
    db.session.add(PeerHost(host=host, policy=HostPolicy.LIMIT))
    db.session.commit()


def _notified(kind: NotificationKind) -> list[int]:
    return list(
        db.session.scalars(
            db.select(Notification.recipient_id)
            .where(Notification.kind == kind)
            .order_by(Notification.recipient_id)
        )
    )


def test_a_follow_from_a_limited_server_waits_even_for_an_open_account(client, factories, bob):
    anna = factories.user("anna")  # does not approve followers manually
    _limit(bob)
    deliver(client, bob, bob.activity("Follow", "http://localhost/@anna"))
    assert db.session.scalar(db.select(Follow)).state == FollowState.PENDING
    assert db.session.scalar(db.select(OutboundActivity)) is None  # no Accept sent
    assert _notified(NotificationKind.FOLLOW_REQUEST) == [anna.actor_id]


def test_a_follow_of_an_open_group_from_a_limited_server_waits_too(client, factories, bob):
    owner = factories.user("owner")
    factories.group("garten", owner=owner)
    _limit(bob)
    deliver(client, bob, bob.activity("Follow", "http://localhost/groups/garten"))
    assert db.session.scalar(db.select(Follow)).state == FollowState.PENDING
    assert _notified(NotificationKind.FOLLOW_REQUEST) == [owner.actor_id]


def test_mentions_and_replies_from_a_limited_server_notify_followers_only(client, factories, bob):
    anna, bert = factories.user("anna"), factories.user("bert")
    moderator = factories.user("mod", role=Role.MODERATOR)
    question = factories.post(anna, "Wer hat eine Leiter?")
    deliver(client, bob, bob.activity("Follow", "http://localhost/@nobody"))  # bob is known
    remote_bob = db.session.scalar(db.select(Actor).where(Actor.uri == bob.uri))
    db.session.add(Follow(follower_id=bert.actor_id, followed_id=remote_bob.id))
    db.session.commit()
    _limit(bob)
    named = [f"http://localhost/@{handle}" for handle in ("anna", "bert", "mod")]
    note = bob.note(
        "<p>@anna @bert @mod Ich!</p>",
        inReplyTo=f"http://localhost/posts/{question.id}",
        to=["https://www.w3.org/ns/activitystreams#Public", *named],
        tag=[{"type": "Mention", "href": href, "name": href} for href in named],
    )
    deliver(client, bob, bob.create(note))
    assert _notified(NotificationKind.REPLY) == []  # anna does not follow bob
    assert _notified(NotificationKind.MENTION) == [bert.actor_id]
    assert moderator.actor_id not in _notified(NotificationKind.MENTION)
