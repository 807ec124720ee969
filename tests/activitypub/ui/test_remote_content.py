"""Remote accounts and their posts on our pages: profiles, cards, threads, likes, shares."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from quarter_node import signals
from quarter_node.activitypub.models import Share
from quarter_node.extensions import db
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.social.models import Follow, FollowState
from tests.helpers import logged_in_client, post_form, text_of

REMOTE_IMG = re.compile(r"<img[^>]+src=\"https?://", re.IGNORECASE)


@pytest.fixture
def anna(factories):  # noqa: ANN001, ANN201
    return factories.user("anna", locale="en")


@pytest.fixture
def browser(make_client, anna):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, anna)


@pytest.fixture
def maria(remote_actor):  # noqa: ANN001, ANN201
    return remote_actor(
        "maria",
        display_name="Maria Fern",
        bio='<p>Gärtnerin <script>alert(1)</script><img src="https://social.example/x.png"></p>',
    )


@pytest.fixture
def received() -> Iterator[list[tuple[str, object]]]:
    """What the share signals carried (the federation emitters listen to the same)."""
    seen: list[tuple[str, object]] = []

    def on_shared(sender: object) -> None:
        seen.append(("shared", sender))

    def on_unshared(sender: object) -> None:
        seen.append(("unshared", sender))

    signals.post_shared.connect(on_shared)
    signals.post_unshared.connect(on_unshared)
    yield seen
    signals.post_shared.disconnect(on_shared)
    signals.post_unshared.disconnect(on_unshared)


def test_remote_profile_shows_the_account_and_its_posts(client, maria, remote_post) -> None:  # noqa: ANN001
    remote_post(maria, "<p>Tomaten sind reif</p>")
    remote_post(maria, "<p>Nur für Folgende</p>", visibility=Visibility.FOLLOWERS)
    page = client.get("/@maria@social.example")
    html = text_of(page)
    assert page.status_code == 200
    assert "Maria Fern" in html and "@maria@social.example" in html
    assert "Gärtnerin" in html and "<script>" not in html
    assert 'href="https://social.example/@maria"' in html  # the original profile
    assert "Tomaten sind reif" in html and "Nur für Folgende" not in html
    assert not REMOTE_IMG.search(html)  # no remote avatars or images are loaded


def test_followers_only_posts_show_to_accepted_followers(browser, anna, maria, remote_post) -> None:  # noqa: ANN001
    remote_post(maria, "<p>Nur für Folgende</p>", visibility=Visibility.FOLLOWERS)
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=maria.id))
    db.session.commit()
    html = text_of(browser.get("/@maria@social.example"))
    assert "Nur für Folgende" in html and "Unfollow" in html
    assert "Nur für Folgende" in text_of(browser.get("/"))  # in the home timeline too


def test_unknown_remote_profiles_are_not_found(client) -> None:  # noqa: ANN001
    assert client.get("/@nobody@social.example").status_code == 404


def test_a_remote_post_card(client, maria, remote_post) -> None:  # noqa: ANN001
    post = remote_post(
        maria,
        '<p>Hallo <img src="https://social.example/cat.png"> <a href="https://x.example">x</a></p>',
    )
    html = text_of(client.get(f"/posts/{post.id}", headers={"Accept-Language": "en"}))
    assert "@maria@social.example" in html
    assert 'href="/@maria@social.example"' in html
    assert f'href="{post.url}"' in html and "view original on social.example" in html
    assert not REMOTE_IMG.search(html)


def test_members_like_reply_to_and_share_remote_posts(
    browser, anna, maria, remote_post, received
) -> None:  # noqa: ANN001
    post = remote_post(maria)
    assert post_form(browser, f"/posts/{post.id}/like").status_code == 302
    assert (
        db.session.scalar(db.select(Like).where(Like.post_id == post.id)).actor_id == anna.actor_id
    )
    reply = post_form(
        browser, "/posts", {"text": "Schön!", "visibility": "public", "in_reply_to": str(post.id)}
    )
    assert reply.status_code == 302
    assert (
        db.session.scalar(db.select(Post).where(Post.in_reply_to_id == post.id)).source == "Schön!"
    )

    assert post_form(browser, f"/posts/{post.id}/share").status_code == 302
    share = db.session.scalar(db.select(Share).where(Share.post_id == post.id))
    assert share.actor_id == anna.actor_id
    assert [kind for kind, _sender in received] == ["shared"]
    assert "Stop sharing" in text_of(browser.get(f"/posts/{post.id}"))

    assert post_form(browser, f"/posts/{post.id}/share").status_code == 302  # twice: no change
    assert db.session.scalar(db.select(db.func.count(Share.id))) == 1
    assert post_form(browser, f"/posts/{post.id}/unshare").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Share.id))) == 0
    assert [kind for kind, _sender in received] == ["shared", "unshared"]


def test_share_counts_show_to_visitors(client, factories, maria, remote_post) -> None:  # noqa: ANN001
    post = remote_post(maria)
    for _ in range(2):
        db.session.add(Share(actor_id=factories.user().actor_id, post_id=post.id))
    db.session.commit()
    assert "2 shares" in text_of(client.get(f"/posts/{post.id}", headers={"Accept-Language": "en"}))


def test_private_posts_cannot_be_shared(browser, anna, factories, received) -> None:  # noqa: ANN001
    ben = factories.user("ben")
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=ben.actor_id))
    db.session.commit()
    post = factories.post(ben, "Nur für euch", visibility=Visibility.FOLLOWERS)
    assert "/share" not in text_of(browser.get(f"/posts/{post.id}"))
    response = post_form(browser, f"/posts/{post.id}/share")
    assert response.status_code == 400
    assert "Only public posts can be shared" in text_of(response)
    assert received == [] and db.session.scalar(db.select(db.func.count(Share.id))) == 0


def test_remote_follow_state_on_the_profile(browser, anna, maria) -> None:  # noqa: ANN001
    html = text_of(browser.get("/@maria@social.example"))
    assert 'action="/remote/follow"' in html
    db.session.add(
        Follow(follower_id=anna.actor_id, followed_id=maria.id, state=FollowState.PENDING)
    )
    db.session.commit()
    assert "Withdraw follow request" in text_of(browser.get("/@maria@social.example"))
    response = post_form(browser, f"/remote/actors/{maria.id}/unfollow")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Follow.id))) == 0
