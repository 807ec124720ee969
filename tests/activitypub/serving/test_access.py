"""Who outside (and inside) this node may see which post: ``can_actor_view_post``."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import AccountState
from quarter_node.activitypub.access import can_actor_view_post
from quarter_node.activitypub.models import PostAddressee
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Visibility
from tests.activitypub.serving.support import follow, remote_actor

V = Visibility


@pytest.fixture
def cast(factories):  # noqa: ANN001, ANN201
    """Anna writes; a remote follower, a remote stranger, a local member, an addressee."""
    anna = factories.user("anna")
    follower, _ = remote_actor("fan")
    stranger, _ = remote_actor("stranger")
    addressee, _ = remote_actor("addressee", "other.example")
    local = factories.user("lokal").actor
    follow(follower, anna.actor)
    return {
        "anna": anna,
        "follower": follower,
        "stranger": stranger,
        "addressee": addressee,
        "local": local,
    }


def _post(factories, cast, visibility: V, **kwargs):  # noqa: ANN001, ANN003, ANN202
    post = factories.post(cast["anna"], visibility=visibility, **kwargs)
    db.session.add(PostAddressee(post_id=post.id, actor_id=cast["addressee"].id))
    db.session.commit()
    return post


# who: None (unsigned), follower, stranger, addressee, local member
MATRIX = {
    V.PUBLIC: (True, True, True, True, True),
    V.UNLISTED: (True, True, True, True, True),
    V.MEMBERS: (False, False, False, False, True),
    V.FOLLOWERS: (False, True, False, False, False),
    V.DIRECT: (False, False, False, True, False),
}


@pytest.mark.parametrize("visibility", list(MATRIX))
def test_visibility_matrix(factories, cast, visibility: V) -> None:
    post = _post(factories, cast, visibility)
    viewers = (None, cast["follower"], cast["stranger"], cast["addressee"], cast["local"])
    seen = tuple(can_actor_view_post(viewer, post) for viewer in viewers)
    assert seen == MATRIX[visibility]
    assert can_actor_view_post(cast["anna"].actor, post)  # authors see their own posts


def test_pending_follow_does_not_open_followers_posts(factories, cast) -> None:
    from quarter_node.social.models import FollowState

    waiting, _ = remote_actor("waiting")
    follow(waiting, cast["anna"].actor, FollowState.PENDING)
    post = _post(factories, cast, V.FOLLOWERS)
    assert not can_actor_view_post(waiting, post)


def test_removed_posts_and_suspended_authors_are_seen_by_nobody(factories, cast) -> None:
    hidden, deleted, by_suspended = (_post(factories, cast, V.PUBLIC) for _ in range(3))
    hidden.hidden_at = utcnow()
    deleted.deleted_at = utcnow()
    db.session.commit()
    for post in (hidden, deleted):
        assert not can_actor_view_post(None, post)
        assert not can_actor_view_post(cast["follower"], post)
    cast["anna"].actor.suspended_at = utcnow()
    db.session.commit()
    assert not can_actor_view_post(cast["follower"], by_suspended)


def test_suspended_viewer_counts_as_unsigned(factories, cast) -> None:
    post = _post(factories, cast, V.FOLLOWERS)
    cast["follower"].suspended_at = utcnow()
    db.session.commit()
    assert not can_actor_view_post(cast["follower"], post)


def test_group_posts_reach_members_and_accepted_remote_followers(factories, cast) -> None:
    member = factories.user("mitglied")
    group = factories.group("garten", members=(cast["anna"], member))
    remote_member, _ = remote_actor("remotemember")
    follow(remote_member, group.actor)
    post = _post(factories, cast, V.GROUP, group=group)
    assert can_actor_view_post(member.actor, post)
    assert can_actor_view_post(remote_member, post)
    assert not can_actor_view_post(cast["local"], post)
    assert not can_actor_view_post(cast["follower"], post)  # follows Anna, not the group
    assert not can_actor_view_post(None, post)


def test_members_only_group_content_never_leaves_the_group(factories, cast) -> None:
    group = factories.group(
        "haus", visibility=GroupVisibility.MEMBERS_ONLY, members=(cast["anna"],)
    )
    remote_member, _ = remote_actor("remotemember")
    follow(remote_member, group.actor)
    post = _post(factories, cast, V.PUBLIC, group=group)
    assert can_actor_view_post(remote_member, post)
    for outsider in (None, cast["follower"], cast["stranger"], cast["addressee"], cast["local"]):
        assert not can_actor_view_post(outsider, post)


def test_members_visibility_needs_an_active_local_account(factories, cast) -> None:
    pending = factories.user("wartend", state=AccountState.PENDING).actor
    post = _post(factories, cast, V.MEMBERS)
    assert not can_actor_view_post(pending, post)
    assert can_actor_view_post(cast["local"], post)
