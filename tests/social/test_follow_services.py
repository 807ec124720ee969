"""Following at the service level: who can be followed, notifications, pending follows."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import AccountState, Actor, ActorKind
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Visibility
from quarter_node.posts.visibility import visible_posts
from quarter_node.social import services
from quarter_node.social.models import FollowState


@pytest.fixture(autouse=True)
def _request(app):  # noqa: ANN001, ANN202
    with app.test_request_context():
        yield


def _follow_notifications(user) -> int:  # noqa: ANN001
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.recipient_id == user.actor_id,
            Notification.kind == NotificationKind.FOLLOW,
        )
    )


def test_following_a_person_is_accepted_and_notified_once(factories) -> None:  # noqa: ANN001
    anna, ben = factories.user(), factories.user()
    first = services.follow(anna, ben.actor)
    again = services.follow(anna, ben.actor)
    assert first.id == again.id and first.state == FollowState.ACCEPTED
    assert _follow_notifications(ben) == 1
    assert services.follower_count(ben.actor) == 1
    assert db.session.scalars(services.following_query(anna.actor)).all() == [ben.actor]


def test_nobody_follows_themselves(factories) -> None:  # noqa: ANN001
    anna = factories.user()
    with pytest.raises(InvalidInput):
        services.follow(anna, anna.actor)


def test_members_only_groups_cannot_be_followed(factories) -> None:  # noqa: ANN001
    anna = factories.user()
    group = factories.group(visibility=GroupVisibility.MEMBERS_ONLY)
    with pytest.raises(InvalidInput):
        services.follow(anna, group.actor)


def test_visitors_cannot_follow(factories) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.follow(None, factories.user().actor)


def test_followers_only_posts_reach_followers_after_following(factories) -> None:  # noqa: ANN001
    anna, ben = factories.user(), factories.user()
    post = factories.post(ben, "Nur für Folgende", visibility=Visibility.FOLLOWERS)
    seen = lambda: [p.id for p in db.session.scalars(visible_posts(anna))]  # noqa: E731
    assert post.id not in seen()
    services.follow(anna, ben.actor)
    assert post.id in seen()
    assert services.unfollow(anna, ben.actor) is True
    assert post.id not in seen()


def test_a_follow_of_a_remote_actor_waits_for_acceptance(factories) -> None:  # noqa: ANN001
    anna = factories.user()
    remote = Actor(kind=ActorKind.PERSON, handle="karl", domain="other.example")
    db.session.add(remote)
    db.session.commit()
    pending = services.follow(anna, remote)
    assert pending.state == FollowState.PENDING
    assert services.following_count(anna.actor) == 0
    services.accept_follow(anna.actor, remote)
    assert services.following_count(anna.actor) == 1


def test_accounts_waiting_for_approval_cannot_be_followed(factories) -> None:  # noqa: ANN001
    anna = factories.user()
    applicant = factories.user(state=AccountState.PENDING)
    with pytest.raises(NotFound):
        services.follow(anna, applicant.actor)
    assert services.follower_count(applicant.actor) == 0
