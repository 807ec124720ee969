"""A server the admins limited (Mastodon's "limit"): what its actors wrote is shown only to
people who follow them, on every page and listing, and changing the policy changes what is
shown of posts already stored."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Role
from quarter_node.activitypub.models import HostPolicy, PeerHost
from quarter_node.activitypub.ui_admin import block_host, unblock_host
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.notifications.services import notifications_query
from quarter_node.posts.models import Visibility
from quarter_node.posts.timelines import home_query, thread_of
from quarter_node.posts.visibility import can_view_post, visible_posts
from quarter_node.social.models import Follow, FollowState
from quarter_node.web.template_helpers import unread_notification_count
from tests.helpers import text_of
from tests.posts.support import browser_of

LIMITED = "limited.example"


def _follow(follower, followed_actor) -> None:  # noqa: ANN001
    db.session.add(
        Follow(
            follower_id=follower.actor_id,
            followed_id=followed_actor.id,
            state=FollowState.ACCEPTED,
        )
    )
    db.session.commit()


def _limit(host: str = LIMITED) -> PeerHost:
    peer = PeerHost(host=host, policy=HostPolicy.LIMIT)
    db.session.add(peer)
    db.session.commit()
    return peer


def _listed(viewer) -> set[int]:  # noqa: ANN001
    return {post.id for post in db.session.scalars(visible_posts(viewer))}


@pytest.fixture
def world(factories):  # noqa: ANN001, ANN201
    """Remote authors on the limited server, a subdomain of it (with a port), a server
    whose name merely ends alike, and an unrelated one; local viewers of every kind."""
    authors = {
        "limited": factories.remote_actor("lim", LIMITED),
        "subdomain": factories.remote_actor("sub", f"eu.{LIMITED}:8443"),
        "lookalike": factories.remote_actor("look", f"not{LIMITED}"),
        "other": factories.remote_actor("other", "other.example"),
    }
    follower, plain = factories.user("follower"), factories.user("plain")
    for author in authors.values():
        _follow(follower, author)
    posts = {
        (name, visibility): factories.remote_post(author, f"{name} {visibility}", visibility=v)
        for name, author in authors.items()
        for visibility, v in (("public", Visibility.PUBLIC), ("followers", Visibility.FOLLOWERS))
    }
    posts[("local", "public")] = factories.post(plain, "local public")
    _limit()
    viewers = {"visitor": None, "follower": follower, "plain": plain}
    return authors, posts, viewers


def test_query_filter_and_single_post_check_agree_for_limited_servers(world) -> None:  # noqa: ANN001
    _authors, posts, viewers = world
    for name, viewer in viewers.items():
        listed = _listed(viewer)
        for key, post in posts.items():
            assert can_view_post(viewer, post) == (post.id in listed), (name, key)


def test_only_followers_see_what_limited_servers_and_their_subdomains_sent(world) -> None:  # noqa: ANN001
    _authors, posts, viewers = world
    hidden = {key for key in posts if key[0] in ("limited", "subdomain")}
    for name in ("visitor", "plain"):
        shown = {key for key, post in posts.items() if post.id in _listed(viewers[name])}
        assert not shown & hidden, name
        assert ("lookalike", "public") in shown and ("other", "public") in shown, name
        assert ("local", "public") in shown, name
    assert {key for key, post in posts.items() if post.id in _listed(viewers["follower"])} == set(
        posts
    )


def test_moderators_may_still_open_limited_posts_but_do_not_list_them(world, factories) -> None:  # noqa: ANN001
    _authors, posts, _viewers = world
    moderator = factories.user("mod", role=Role.MODERATOR)
    post = posts[("limited", "public")]
    assert can_view_post(moderator, post)
    assert post.id not in _listed(moderator)


def test_changing_the_policy_changes_what_is_shown_of_stored_posts(world, factories) -> None:  # noqa: ANN001
    _authors, posts, viewers = world
    admin = factories.user("admin", role=Role.ADMIN)
    post, plain = posts[("limited", "public")], viewers["plain"]
    peer = db.session.scalar(db.select(PeerHost).where(PeerHost.host == LIMITED))

    unblock_host(admin, peer.id)
    assert can_view_post(plain, post) and post.id in _listed(plain)
    assert can_view_post(None, post) and post.id in _listed(None)

    block_host(admin, LIMITED, HostPolicy.LIMIT, "spam wave")
    assert not can_view_post(plain, post) and post.id not in _listed(plain)
    assert not can_view_post(None, post) and post.id not in _listed(None)


def test_a_reply_from_a_limited_server_is_left_out_of_the_thread_for_non_followers(
    factories, make_client
) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    question = factories.post(anna, "Wer leiht mir eine Leiter?")
    lim = factories.remote_actor("lim", LIMITED)
    reply = factories.remote_post(lim, "LIMITIERTE-ANTWORT hier", in_reply_to=question)
    _limit()
    _follow(bert, lim)

    assert [p.id for p in thread_of(anna, question).posts] == [question.id]
    assert [p.id for p in thread_of(bert, question).posts] == [question.id, reply.id]
    for who, browser in {"visitor": make_client(), "anna": browser_of(make_client, anna)}.items():
        assert "LIMITIERTE-ANTWORT" not in text_of(browser.get(f"/posts/{question.id}")), who
        assert browser.get(f"/posts/{reply.id}").status_code == 404, who
    bert_browser = browser_of(make_client, bert)
    assert "LIMITIERTE-ANTWORT" in text_of(bert_browser.get(f"/posts/{question.id}"))


def test_the_remote_profile_shows_limited_posts_to_followers_only(factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    lim = factories.remote_actor("lim", LIMITED)
    factories.remote_post(lim, "LIMITIERT-PROFIL Werbung")
    _limit()
    _follow(bert, lim)
    profile = f"/@lim@{LIMITED}"
    anna_page = text_of(browser_of(make_client, anna).get(profile))
    assert "LIMITIERT-PROFIL" not in anna_page
    assert "only people who follow this account see its posts" in anna_page
    assert "LIMITIERT-PROFIL" in text_of(browser_of(make_client, bert).get(profile))
    assert "LIMITIERT-PROFIL" in text_of(browser_of(make_client, bert).get("/"))  # home
    assert "LIMITIERT-PROFIL" not in text_of(make_client().get(profile))


def test_mentions_and_replies_from_limited_servers_reach_followers_only(app, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    lim = factories.remote_actor("lim", LIMITED)
    post = factories.remote_post(lim, "@anna @bert hallo", visibility=Visibility.PUBLIC)
    for user in (anna, bert):
        kind = NotificationKind.MENTION
        db.session.add(
            Notification(recipient_id=user.actor_id, kind=kind, actor_id=lim.id, post_id=post.id)
        )
    db.session.add(
        Notification(recipient_id=anna.actor_id, kind=NotificationKind.LIKE, actor_id=lim.id)
    )
    db.session.commit()
    _follow(bert, lim)
    peer = _limit()

    def kinds(user) -> list[NotificationKind]:  # noqa: ANN001
        return sorted(n.kind for n in db.session.scalars(notifications_query(user)))

    assert kinds(anna) == [NotificationKind.LIKE]  # mentions from a stranger there: silenced
    assert kinds(bert) == [NotificationKind.MENTION]  # bert follows lim: he hears of it
    with app.test_request_context():
        from flask_login import login_user

        login_user(anna)
        assert unread_notification_count() == 1
    peer.policy = HostPolicy.NONE
    db.session.commit()
    assert kinds(anna) == [NotificationKind.LIKE, NotificationKind.MENTION]


def test_home_timeline_keeps_limited_posts_of_followed_authors(factories) -> None:  # noqa: ANN001
    bert = factories.user("bert")
    lim = factories.remote_actor("lim", LIMITED)
    post = factories.remote_post(lim, "für Folgende")
    _limit()
    assert post.id not in {p.id for p in db.session.scalars(home_query(bert))}
    _follow(bert, lim)
    assert post.id in {p.id for p in db.session.scalars(home_query(bert))}
