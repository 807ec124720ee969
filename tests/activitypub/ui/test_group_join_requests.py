"""People on other servers ask to join a group that vets its members (FEP-1b12 follows)."""

from __future__ import annotations

import pytest

from quarter_node.activitypub.models import Delivery, OutboundActivity
from quarter_node.extensions import db
from quarter_node.groups.models import GroupRole, GroupVisibility, JoinMode, Membership
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.notifications.presenter import present
from quarter_node.social.models import Follow, FollowState
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def owner(factories):  # noqa: ANN001, ANN201
    return factories.user("olga", locale="en")


@pytest.fixture
def group(factories, owner):  # noqa: ANN001, ANN201
    return factories.group("garten", owner=owner, join_mode=JoinMode.REQUEST)


@pytest.fixture
def request_of_maria(remote_actor, group):  # noqa: ANN001, ANN201
    maria = remote_actor("maria")
    follow = Follow(
        follower_id=maria.id,
        followed_id=group.actor_id,
        state=FollowState.PENDING,
        uri="https://social.example/follows/7",
    )
    db.session.add(follow)
    db.session.commit()
    return follow


def _sent(kind: str) -> list[tuple[str, int | None]]:
    rows = db.session.execute(
        db.select(Delivery.inbox_url, OutboundActivity.actor_id)
        .join(OutboundActivity, Delivery.activity_id == OutboundActivity.id)
        .where(OutboundActivity.activity_type == kind)
    )
    return [tuple(row) for row in rows]


def test_moderators_see_remote_requests_and_let_them_in(
    make_client, owner, group, request_of_maria
) -> None:  # noqa: ANN001
    browser = logged_in_client(make_client, owner)
    page = text_of(browser.get("/groups/garten/settings"))
    assert "@maria@social.example" in page
    accept = f"/groups/garten/remote-requests/{request_of_maria.id}/accept"
    assert accept in browser.get("/groups/garten/settings").get_data(as_text=True)

    assert post_form(browser, accept).status_code == 302

    db.session.refresh(request_of_maria)
    assert request_of_maria.state == FollowState.ACCEPTED
    assert _sent("Accept") == [("https://social.example/inbox", group.actor_id)]
    assert "@maria@social.example" not in text_of(browser.get("/groups/garten/settings"))


def test_declining_sends_a_reject_and_forgets_the_request(
    make_client, owner, group, request_of_maria
) -> None:  # noqa: ANN001
    browser = logged_in_client(make_client, owner)
    request_id = request_of_maria.id
    decline = f"/groups/garten/remote-requests/{request_id}/decline"
    assert post_form(browser, decline).status_code == 302
    assert db.session.get(Follow, request_id) is None
    assert _sent("Reject") == [("https://social.example/inbox", group.actor_id)]


def test_plain_members_cannot_answer(make_client, factories, group, request_of_maria) -> None:  # noqa: ANN001
    member = factories.user("mia", locale="en")
    db.session.add(Membership(group_id=group.id, actor_id=member.actor_id, role=GroupRole.MEMBER))
    db.session.commit()
    browser = logged_in_client(make_client, member)
    accept = f"/groups/garten/remote-requests/{request_of_maria.id}/accept"
    assert post_form(browser, accept).status_code == 403
    db.session.refresh(request_of_maria)
    assert request_of_maria.state == FollowState.PENDING
    assert _sent("Accept") == []


def test_a_request_to_another_group_is_not_found_here(
    make_client, factories, owner, remote_actor
) -> None:  # noqa: ANN001
    factories.group("garten", owner=owner, join_mode=JoinMode.REQUEST)
    other = factories.group("chor", visibility=GroupVisibility.MEMBERS_ONLY)
    follow = Follow(
        follower_id=remote_actor("maria").id, followed_id=other.actor_id, state=FollowState.PENDING
    )
    db.session.add(follow)
    db.session.commit()
    browser = logged_in_client(make_client, owner)
    response = post_form(browser, f"/groups/garten/remote-requests/{follow.id}/accept")
    assert response.status_code == 404
    db.session.refresh(follow)
    assert follow.state == FollowState.PENDING


def test_the_notification_leads_to_the_groups_requests(app, owner, group, request_of_maria) -> None:  # noqa: ANN001
    db.session.add(
        Notification(
            recipient_id=owner.actor_id,
            kind=NotificationKind.FOLLOW_REQUEST,
            actor_id=request_of_maria.follower_id,
            group_id=group.id,
        )
    )
    db.session.commit()
    note = db.session.scalar(db.select(Notification))
    with app.test_request_context():
        item = present(note, owner)
    assert "asks to join" in item.sentence and item.url.endswith("/groups/garten/settings")
