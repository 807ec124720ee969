"""ActivityPub relays: this node subscribing to a relay, and this node being one.

Peers are fake servers served by ``responses``; deliveries the node plans are read from
its outbox tables (the delivery jobs POST them to the fake inboxes)."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from federation import vocabulary as v
from quarter_node.accounts.models import Role
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import Delivery, OutboundActivity
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.services import publish_post
from quarter_node.posts.timelines import home_query
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.helpers import logged_in_client, post_form

FOLLOWERS_ONLY = "http://127.0.0.1:59999/users/bob/followers"


def _server(name: str, origin: str, peers: responses.RequestsMock) -> RemoteActor:
    """Another server's instance actor at ``<origin>/actor``."""
    actor = RemoteActor(name, origin=origin, kind=v.APPLICATION, fixed_uri=f"{origin}/actor")
    return actor.serve(peers)


def _sent(kind: str) -> list[tuple[dict[str, Any], list[str]]]:
    """Activities of ``kind`` the node sent, each with the inboxes it went to."""
    found = []
    for outbound in db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == kind)
    ):
        inboxes = db.session.scalars(
            db.select(Delivery.inbox_url).where(Delivery.activity_id == outbound.id)
        ).all()
        found.append((outbound.payload, sorted(inboxes)))
    return found


# --- this node as a relay -------------------------------------------------------------------


@pytest.fixture
def relay_on(app) -> None:  # noqa: ANN001
    update_node_settings(relay_enabled=True)
    instance_actor()
    db.session.commit()


@pytest.fixture
def subscribers(client, peers, relay_on) -> tuple[RemoteActor, RemoteActor]:  # noqa: ANN001
    """Two servers subscribed: one at bob's origin, one elsewhere."""
    first = _server("one", "http://127.0.0.1:59999", peers)
    second = _server("two", "http://127.0.0.1:59998", peers)
    for server in (first, second):
        response = deliver(client, server, server.activity("Follow", v.PUBLIC), path="/actor/inbox")
        assert response.status_code == 202
    return first, second


def test_a_disabled_relay_rejects_subscriptions(client, peers) -> None:  # noqa: ANN001
    instance_actor()
    db.session.commit()
    server = _server("one", "http://127.0.0.1:59999", peers)
    deliver(client, server, server.activity("Follow", v.PUBLIC), path="/actor/inbox")
    assert [inboxes for _, inboxes in _sent(v.REJECT)] == [["http://127.0.0.1:59999/inbox"]]
    assert db.session.scalar(db.select(Follow)) is None


def test_subscriptions_are_accepted(subscribers) -> None:  # noqa: ANN001
    follows = db.session.scalars(db.select(Follow)).all()
    assert {f.follower.uri for f in follows} == {s.uri for s in subscribers}
    assert {f.state for f in follows} == {FollowState.ACCEPTED}
    accepted = _sent(v.ACCEPT)
    assert len(accepted) == 2
    assert all(payload["object"]["object"] == v.PUBLIC for payload, _ in accepted)


def test_a_public_post_is_announced_to_the_other_subscribers_only(client, bob, subscribers):  # noqa: ANN001
    note = bob.note("Kiezfest am Samstag", to=[v.PUBLIC], cc=[FOLLOWERS_ONLY])
    deliver(client, bob, bob.create(note), path="/actor/inbox")

    [(announce, inboxes)] = _sent(v.ANNOUNCE)
    assert announce["object"] == note["id"]
    assert announce["actor"] == "http://localhost/actor"
    assert inboxes == ["http://127.0.0.1:59998/inbox"]  # never back to bob's server


def test_edits_are_passed_on_as_an_announce_of_the_update(client, bob, subscribers):  # noqa: ANN001
    note = bob.note("Kiezfest am Sonntag", to=[v.PUBLIC])
    deliver(client, bob, bob.activity("Update", note, to=[v.PUBLIC]))
    [(announce, _)] = _sent(v.ANNOUNCE)
    assert announce["object"]["type"] == "Update"
    assert announce["object"]["object"]["id"] == note["id"]


def test_followers_only_posts_are_not_relayed(client, bob, subscribers) -> None:  # noqa: ANN001
    note = bob.note("Nur für Freunde", to=[FOLLOWERS_ONLY])
    deliver(client, bob, bob.create(note))
    assert _sent(v.ANNOUNCE) == []


def test_servers_that_do_not_subscribe_are_not_relayed(client, carol, peers, relay_on) -> None:  # noqa: ANN001
    _server("two", "http://127.0.0.1:59998", peers)
    note = carol.note("Hallo", to=[v.PUBLIC])
    deliver(client, carol, carol.create(note))
    assert _sent(v.ANNOUNCE) == []


def test_an_undo_ends_a_subscription(client, subscribers) -> None:  # noqa: ANN001
    first, _ = subscribers
    request = first.activity("Follow", v.PUBLIC)
    deliver(client, first, request, path="/actor/inbox")
    deliver(client, first, first.activity("Undo", request), path="/actor/inbox")
    assert [f.follower.uri for f in db.session.scalars(db.select(Follow))] == [subscribers[1].uri]


# --- this node subscribing to a relay --------------------------------------------------------


@pytest.fixture
def relay(peers) -> RemoteActor:  # noqa: ANN001
    return _server("relay", "http://127.0.0.1:59997", peers)


@pytest.fixture
def admin_browser(make_client, factories):  # noqa: ANN001, ANN201
    admin = factories.user("ada", role=Role.ADMIN, locale="en")
    return logged_in_client(make_client, admin)


def _subscribe(client, admin_browser, relay: RemoteActor) -> dict[str, Any]:  # noqa: ANN001
    """Subscribe by the relay's inbox URL (as Mastodon admins do) and let it accept."""
    response = post_form(
        admin_browser, "/admin/federation/relays", {"relay_address": "http://127.0.0.1:59997/inbox"}
    )
    assert response.status_code == 302
    [(follow, inboxes)] = _sent(v.FOLLOW)
    assert inboxes == ["http://127.0.0.1:59997/inbox"]
    deliver(client, relay, relay.activity("Accept", follow), path="/actor/inbox")
    return follow


def test_subscribing_sends_a_follow_of_public_and_waits_for_the_accept(
    client, admin_browser, relay
) -> None:  # noqa: ANN001
    post_form(admin_browser, "/admin/federation/relays", {"relay_address": relay.uri})
    [(follow, _)] = _sent(v.FOLLOW)
    assert follow["object"] == v.PUBLIC
    assert follow["actor"] == "http://localhost/actor"
    assert db.session.scalar(db.select(Follow.state)) == FollowState.PENDING
    deliver(client, relay, relay.activity("Accept", follow), path="/actor/inbox")
    assert db.session.scalar(db.select(Follow.state)) == FollowState.ACCEPTED
    assert "http://127.0.0.1:59997/actor" in admin_browser.get("/admin/federation").text


def test_public_posts_go_to_an_accepted_relay(client, admin_browser, relay, factories) -> None:  # noqa: ANN001
    _subscribe(client, admin_browser, relay)
    author = factories.user("anna")
    public = publish_post(author, "Für alle", visibility=Visibility.PUBLIC)
    publish_post(author, "Nur Folgende", visibility=Visibility.FOLLOWERS)

    to_relay = [payload["object"]["id"] for payload, inboxes in _sent(v.CREATE) if inboxes]
    assert to_relay == [f"http://localhost/posts/{public.id}"]
    assert [inboxes for _, inboxes in _sent(v.CREATE) if inboxes] == [
        ["http://127.0.0.1:59997/inbox"]
    ]


def test_announced_public_posts_are_stored_but_stay_off_home_timelines(
    client, admin_browser, relay, carol, peers, factories
) -> None:  # noqa: ANN001
    _subscribe(client, admin_browser, relay)
    reader = factories.user("rita")
    public = carol.note("Stadtteilfest", to=[v.PUBLIC])
    private = carol.note("Geheim", to=[f"{carol.uri}/followers"])
    for note in (public, private):
        peers.upsert(responses.GET, note["id"], json=note, content_type="application/activity+json")
        deliver(client, relay, relay.activity("Announce", note["id"], to=[v.PUBLIC]))

    stored = db.session.scalars(db.select(Post).where(Post.uri.is_not(None))).all()
    assert [post.uri for post in stored] == [public["id"]]
    assert stored[0].visibility == Visibility.PUBLIC
    assert db.session.scalars(home_query(reader)).all() == []


def test_after_unsubscribing_announces_are_ignored(
    client, admin_browser, relay, carol, peers
) -> None:  # noqa: ANN001
    _subscribe(client, admin_browser, relay)
    follow_id = db.session.scalar(db.select(Follow.id))
    assert (
        post_form(admin_browser, f"/admin/federation/relays/{follow_id}/remove").status_code == 302
    )
    [(undo, inboxes)] = _sent(v.UNDO)
    assert undo["object"]["object"] == v.PUBLIC and inboxes == ["http://127.0.0.1:59997/inbox"]

    note = carol.note("Zu spät", to=[v.PUBLIC])
    peers.upsert(responses.GET, note["id"], json=note, content_type="application/activity+json")
    deliver(client, relay, relay.activity("Announce", note["id"], to=[v.PUBLIC]))
    assert db.session.scalar(db.select(Post).where(Post.uri == note["id"])) is None


def test_boosts_are_relayed_but_announces_of_servers_are_not(client, bob, subscribers) -> None:  # noqa: ANN001
    first, _ = subscribers
    shared = "http://127.0.0.1:59999/notes/shared"
    deliver(client, bob, bob.activity("Announce", shared, to=[v.PUBLIC]))
    deliver(client, first, first.activity("Announce", shared, to=[v.PUBLIC]), path="/actor/inbox")
    assert [(announce["object"], inboxes) for announce, inboxes in _sent(v.ANNOUNCE)] == [
        (shared, ["http://127.0.0.1:59998/inbox"])
    ]


def test_relayed_posts_from_blocked_servers_are_not_fetched(
    client, admin_browser, relay, carol, peers
) -> None:  # noqa: ANN001
    _subscribe(client, admin_browser, relay)
    post_form(
        admin_browser,
        "/admin/federation/blocks",
        {"host": "127.0.0.1:59999", "policy": "reject", "reason": ""},
    )
    note = carol.note("Werbung", to=[v.PUBLIC])
    deliver(client, relay, relay.activity("Announce", note["id"], to=[v.PUBLIC]))
    assert db.session.scalar(db.select(Post).where(Post.uri == note["id"])) is None
    assert not [call for call in peers.calls if call.request.url == note["id"]]
