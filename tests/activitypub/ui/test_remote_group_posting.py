"""Writing into a group on another server from its page here (FEP-1b12 membership by follow)."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub.models import PostAddressee
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.models import Follow, FollowState
from tests.helpers import logged_in_client, post_form, text_of

GROUP_PAGE = "/@garten@social.example"


@pytest.fixture
def anna(factories):  # noqa: ANN001, ANN201
    return factories.user("anna", locale="en")


@pytest.fixture
def browser(make_client, anna):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, anna)


@pytest.fixture
def garden(remote_actor):  # noqa: ANN001, ANN201
    return remote_actor("garten", display_name="Garten Fern", kind=ActorKind.GROUP)


def _follow(anna, actor, state: FollowState = FollowState.ACCEPTED) -> None:  # noqa: ANN001
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=actor.id, state=state))
    db.session.commit()


def _write(browser, group, text: str, visibility: str = "public"):  # noqa: ANN001, ANN202
    data = {"text": text, "visibility": visibility, "to_group": str(group.id), "next_url": "/"}
    return post_form(browser, "/posts", data)


def test_a_member_writes_into_the_remote_group_from_its_page(browser, anna, garden) -> None:  # noqa: ANN001
    _follow(anna, garden)
    page = text_of(browser.get(GROUP_PAGE))
    assert "Write in Garten Fern" in page and 'name="to_group"' in page

    response = _write(browser, garden, "Setzlinge zu verschenken")

    assert response.status_code == 302
    post = db.session.scalar(db.select(Post))
    assert post.visibility == Visibility.PUBLIC and post.group_id is None
    addressee = db.session.scalar(db.select(PostAddressee.actor_id))
    assert addressee == garden.id
    assert "Setzlinge zu verschenken" in text_of(browser.get(GROUP_PAGE))  # the group's threads


def test_only_members_may_write_into_a_remote_group(browser, anna, garden) -> None:  # noqa: ANN001
    _follow(anna, garden, FollowState.PENDING)
    assert 'name="to_group"' not in text_of(browser.get(GROUP_PAGE))

    assert _write(browser, garden, "Darf ich?").status_code == 403
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_posts_into_a_remote_group_are_public_or_unlisted(browser, anna, garden) -> None:  # noqa: ANN001
    _follow(anna, garden)

    response = _write(browser, garden, "Nur für Follower", visibility="followers")

    assert response.status_code == 422
    assert "public or unlisted" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_people_are_no_groups_to_write_into(browser, anna, remote_actor) -> None:  # noqa: ANN001
    maria = remote_actor("maria")
    _follow(anna, maria)
    assert _write(browser, maria, "Hallo").status_code == 404
