"""Locked accounts: follow requests wait until the person answers them."""

from __future__ import annotations

import pytest

from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.social.models import Follow, FollowState
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def anna(factories):  # noqa: ANN001, ANN201
    return factories.user("anna", locale="en")


@pytest.fixture
def browser(make_client, anna):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, anna)


def _follow(follower_id: int, followed_id: int) -> Follow | None:
    return db.session.scalar(
        db.select(Follow).where(
            Follow.follower_id == follower_id, Follow.followed_id == followed_id
        )
    )


def test_locking_the_account_makes_local_follows_wait(
    browser, anna, factories, make_client
) -> None:  # noqa: ANN001
    assert post_form(browser, "/followers/approval", {"manual": "y"}).status_code == 302
    db.session.refresh(anna.actor)
    assert anna.actor.manually_approves_followers
    ben = factories.user("ben", locale="en")
    ben_browser = logged_in_client(make_client, ben)
    assert post_form(ben_browser, "/@anna/follow").status_code == 302
    request = _follow(ben.actor_id, anna.actor_id)
    assert request.state == FollowState.PENDING
    notes = db.session.scalars(
        db.select(Notification.kind).where(Notification.recipient_id == anna.actor_id)
    )
    assert list(notes) == [NotificationKind.FOLLOW_REQUEST]
    page = text_of(browser.get("/followers/requests"))
    assert "@ben" in page and f"/followers/requests/{request.id}/accept" in page

    assert post_form(browser, f"/followers/requests/{request.id}/accept").status_code == 302
    assert _follow(ben.actor_id, anna.actor_id).state == FollowState.ACCEPTED
    assert "Nobody is waiting" in text_of(browser.get("/followers/requests"))


def test_unlocking_again_accepts_new_followers_at_once(browser, anna, factories) -> None:  # noqa: ANN001
    post_form(browser, "/followers/approval", {"manual": "y"})
    post_form(browser, "/followers/approval", {})
    db.session.refresh(anna.actor)
    assert not anna.actor.manually_approves_followers


def test_declining_a_remote_request(browser, anna, remote_actor) -> None:  # noqa: ANN001
    maria = remote_actor("maria")
    request = Follow(
        follower_id=maria.id,
        followed_id=anna.actor_id,
        state=FollowState.PENDING,
        uri="https://social.example/follows/1",
    )
    db.session.add(request)
    db.session.commit()
    page = text_of(browser.get("/followers/requests"))
    assert "@maria@social.example" in page and 'href="/@maria@social.example"' in page
    assert post_form(browser, f"/followers/requests/{request.id}/reject").status_code == 302
    assert _follow(maria.id, anna.actor_id) is None


def test_only_the_followed_person_answers(browser, factories) -> None:  # noqa: ANN001
    ben, carla = factories.user("ben"), factories.user("carla")
    request = Follow(
        follower_id=ben.actor_id, followed_id=carla.actor_id, state=FollowState.PENDING
    )
    db.session.add(request)
    db.session.commit()
    response = post_form(browser, f"/followers/requests/{request.id}/accept")
    assert response.status_code == 404
    assert _follow(ben.actor_id, carla.actor_id).state == FollowState.PENDING
    assert "@ben" not in text_of(browser.get("/followers/requests"))


def test_visitors_must_log_in(client) -> None:  # noqa: ANN001
    response = client.get("/followers/requests")
    assert response.status_code == 302 and "/login" in response.location


def test_the_way_to_the_requests(browser, anna, remote_actor) -> None:  # noqa: ANN001
    from quarter_node.notifications.services import notify

    notify(anna.actor, NotificationKind.FOLLOW_REQUEST, actor=remote_actor("maria"))
    db.session.commit()
    assert 'href="/followers/requests"' in text_of(browser.get("/notifications"))
    assert 'href="/followers/requests"' in text_of(browser.get("/settings/profile"))
    assert 'href="/followers/requests"' in text_of(browser.get("/@anna"))
