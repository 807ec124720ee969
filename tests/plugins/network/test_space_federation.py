"""The exchange space's federation rules: who may join the space, how posts into it are
addressed on a quarter node, and which servers may fetch them (nobody outside the network).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import responses
from flask import Flask

from federation.signatures import SigningKey, load_private_key
from plugins.network import space
from plugins.network.models import NetworkNode
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import Delivery, OutboundActivity, PostAddressee
from quarter_node.errors import InvalidInput
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.posts import remote_groups
from quarter_node.posts import services as posts
from quarter_node.posts.models import Visibility
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.activitypub.serving.support import fetch, signed_get
from tests.plugins.network.space_support import (
    COORDINATION,
    MEMBER,
    OUTSIDE,
    be_coordination,
    be_quarter_member,
    host,
    instance_actor,
)

SPACE_URI = "http://localhost/groups/austausch"


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Netzwerk")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def peers() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def key_of(fake: RemoteActor) -> SigningKey:
    return SigningKey(fake.key_id, load_private_key(fake.keys.private_pem))


def follow(follower: Actor, followed: Actor) -> None:
    db.session.add(
        Follow(follower_id=follower.id, followed_id=followed.id, state=FollowState.ACCEPTED)
    )
    db.session.commit()


def stored(fake: RemoteActor) -> Actor:
    return db.session.scalar(db.select(Actor).where(Actor.uri == fake.uri))


# --- the coordination node -------------------------------------------------------------------


def test_only_people_of_member_nodes_may_ask_to_join(client, factories, peers) -> None:
    be_coordination(MEMBER)
    team = factories.user("team")
    space.create_space(team)
    outsider = RemoteActor("olaf").serve(peers)
    member = RemoteActor("mia", origin=MEMBER, key_number=1).serve(peers)

    deliver(client, outsider, outsider.activity("Follow", SPACE_URI))
    deliver(client, member, member.activity("Follow", SPACE_URI))

    follows = {f.follower.uri: f.state for f in db.session.scalars(db.select(Follow))}
    assert follows == {member.uri: FollowState.PENDING}  # the moderators decide on mia
    (reject,) = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Reject")
    )
    assert reject.payload["object"]["actor"] == outsider.uri
    inboxes = set(
        db.session.scalars(db.select(Delivery.inbox_url).where(Delivery.activity_id == reject.id))
    )
    assert inboxes <= {outsider.inbox, f"{outsider.origin}/inbox"} and inboxes


def test_space_posts_are_fetched_by_member_nodes_with_members_only(
    client, factories, peers
) -> None:
    be_coordination(MEMBER, "http://127.0.0.4:59996")
    team = factories.user("team")
    the_space = space.create_space(team)
    mia = RemoteActor("mia", origin=MEMBER, key_number=1).serve(peers)
    deliver(client, mia, mia.activity("Follow", SPACE_URI))
    db.session.scalar(db.select(Follow)).state = FollowState.ACCEPTED
    db.session.commit()
    post = factories.post(team, "Termine", group=the_space, visibility=Visibility.GROUP)
    path = f"/posts/{post.id}"

    member_node = instance_actor(MEMBER)
    empty_member_node = instance_actor("http://127.0.0.4:59996", key_number=3)
    outside_node = instance_actor(OUTSIDE, key_number=4)

    assert signed_get(client, path, key_of(member_node)).status_code == 200
    assert signed_get(client, path, key_of(mia)).status_code == 200  # a member herself
    for refused in (empty_member_node, outside_node):
        assert signed_get(client, path, key_of(refused)).status_code == 404
    assert fetch(client, path).status_code == 404


# --- a quarter node --------------------------------------------------------------------------


def _remote_space(closed: bool = True, origin: str = COORDINATION) -> Actor:
    group = Actor(
        kind=ActorKind.GROUP,
        handle="austausch",
        domain=host(origin),
        uri=f"{origin}/groups/austausch",
        inbox_url=f"{origin}/groups/austausch/inbox",
        followers_url=f"{origin}/groups/austausch/followers",
        manually_approves_followers=closed,
    )
    db.session.add(group)
    db.session.commit()
    return group


def test_posts_into_the_space_are_for_its_members_only(factories, peers) -> None:
    be_quarter_member(COORDINATION, MEMBER)
    anna = factories.user("anna")
    group = _remote_space()
    follow(anna.actor, group)
    peers.upsert(responses.POST, group.inbox_url, status=202)

    assert remote_groups.offered_visibilities(group) == [Visibility.GROUP]
    with pytest.raises(InvalidInput):
        posts.publish_post(anna, "Alle lesen mit", to_group=group, visibility="public")
    post = posts.publish_post(anna, "Lastenrad zu verleihen", to_group=group, visibility="group")

    assert post.visibility == Visibility.DIRECT
    addressees = db.session.scalars(
        db.select(PostAddressee.actor_id).where(PostAddressee.post_id == post.id)
    )
    assert list(addressees) == [group.id]
    (create,) = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Create")
    )
    assert create.payload["to"] == [group.uri] and not create.public
    inboxes = db.session.scalars(
        db.select(Delivery.inbox_url).where(Delivery.activity_id == create.id)
    )
    assert set(inboxes) == {group.inbox_url}


def test_only_the_networks_nodes_may_fetch_a_post_into_the_space(client, factories) -> None:
    be_quarter_member(COORDINATION, MEMBER)
    anna = factories.user("anna")
    group = _remote_space()
    follow(anna.actor, group)
    post = posts.publish_post(anna, "Nur für das Netzwerk", to_group=group, visibility="group")
    path = f"/posts/{post.id}"

    member_node = instance_actor(MEMBER)
    for allowed in (member_node, instance_actor(COORDINATION, key_number=3)):
        assert signed_get(client, path, key_of(allowed)).status_code == 200
    assert (
        signed_get(client, path, key_of(instance_actor(OUTSIDE, key_number=4))).status_code == 404
    )
    assert fetch(client, path).status_code == 404
    assert "Nur für das Netzwerk" not in client.get(path).get_data(as_text=True)

    post.hidden_at = post.created_at  # hidden by the moderators: served to nobody
    db.session.commit()
    assert signed_get(client, path, key_of(member_node)).status_code == 404


def test_other_groups_keep_the_core_rules(factories) -> None:
    be_quarter_member(COORDINATION, MEMBER)
    anna = factories.user("anna")
    public_group = _remote_space(closed=False)
    assert remote_groups.offered_visibilities(public_group) == [
        Visibility.PUBLIC,
        Visibility.UNLISTED,
    ]
    follow(anna.actor, public_group)
    post = posts.publish_post(anna, "Offen", to_group=public_group)
    assert post.visibility == Visibility.PUBLIC
    elsewhere = _remote_space(origin="http://127.0.0.9:59990")
    assert Visibility.GROUP not in remote_groups.offered_visibilities(elsewhere)


def test_a_node_outside_any_network_offers_no_space(factories) -> None:
    group = _remote_space()
    assert not space.is_network_space(group)
    assert remote_groups.offered_visibilities(group)[0] == Visibility.PUBLIC


def test_members_of_a_node_that_left_the_network_are_let_go(client, factories, peers) -> None:
    be_coordination(MEMBER)
    team = factories.user("team")
    space.create_space(team)
    mia = RemoteActor("mia", origin=MEMBER, key_number=1).serve(peers)
    deliver(client, mia, mia.activity("Follow", SPACE_URI))
    db.session.scalar(db.select(Follow)).state = FollowState.ACCEPTED
    db.session.commit()
    assert space.prune_outsiders() == []

    db.session.scalar(db.select(NetworkNode)).status = "left"
    db.session.commit()
    assert [actor.uri for actor in space.prune_outsiders()] == [mia.uri]

    assert db.session.scalar(db.select(Follow)) is None
    rejects = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Reject")
    )
    assert [reject.payload["object"]["actor"] for reject in rejects] == [mia.uri]
