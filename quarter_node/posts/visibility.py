"""Who may see which post: one definition used by every page, listing and (later) federation.

Two forms of the same rule: ``visible_posts_filter`` for queries (timelines, profiles, group
pages, search, counts) and ``can_view_post`` for a single post. A test checks that both agree.
Blocks (``social.blocks``) keep two people's posts apart in both directions: the blocker no
longer sees the blocked account's posts and replies, and the blocked account cannot open (and
so cannot reply to) the blocker's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from quarter_node.accounts.models import Actor, ActorKind, Role, User
from quarter_node.activitypub import policy
from quarter_node.activitypub.models import PostAddressee
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.groups.permissions import active_member_group_ids, can_see_group_content
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.blocks import blocked_either_way, blocked_either_way_filter
from quarter_node.social.models import Follow, FollowState

# Anybody may open these; UNLISTED ones are only left out of public timelines.
_OPEN_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED)


def _viewer(user: User | None) -> User | None:
    return user if user is not None and user.is_active else None


def visible_posts_filter(user: User | None) -> ColumnElement[bool]:
    """A WHERE clause that keeps exactly the posts ``user`` (None: a visitor) may see in
    listings. Hidden and deleted posts never appear in listings."""
    viewer = _viewer(user)
    not_removed = and_(
        Post.hidden_at.is_(None),
        Post.deleted_at.is_(None),
        ~exists().where(Actor.id == Post.author_id, Actor.suspended_at.is_not(None)),
    )
    return and_(
        not_removed,
        _audience_filter(viewer),
        _group_filter(viewer),
        _block_filter(viewer),
        _limited_host_filter(viewer),
    )


def _block_filter(viewer: User | None) -> ColumnElement[bool]:
    """Posts of anybody the viewer blocked or is blocked by (nobody can block themselves)."""
    if viewer is None:
        return true()
    return ~blocked_either_way_filter(viewer.actor_id, Post.author_id)


def _audience_filter(viewer: User | None) -> ColumnElement[bool]:
    if viewer is None:
        return Post.visibility.in_(_OPEN_VISIBILITIES)
    member_groups = active_member_group_ids(viewer)
    follows_author = exists().where(
        Follow.follower_id == viewer.actor_id,
        Follow.followed_id == Post.author_id,
        Follow.state == FollowState.ACCEPTED,
    )
    addressed = exists().where(
        PostAddressee.post_id == Post.id, PostAddressee.actor_id == viewer.actor_id
    )
    return or_(
        Post.author_id == viewer.actor_id,
        Post.visibility.in_([*_OPEN_VISIBILITIES, Visibility.MEMBERS]),
        and_(
            Post.visibility == Visibility.DIRECT,
            or_(addressed, exists().where(_to_joined_group(viewer))),
        ),
        and_(
            Post.visibility == Visibility.GROUP,
            Post.group_id.in_(member_groups) if member_groups else false(),
        ),
        and_(Post.visibility == Visibility.FOLLOWERS, follows_author),
    )


def _to_joined_group(viewer: User, post_id: Any = Post.id) -> ColumnElement[bool]:
    """Addressed to a group on another server that ``viewer`` joined (an accepted follow):
    a members-only group's posts reach its members there as direct posts to the group."""
    joined, group = aliased(Follow), aliased(Actor)
    return and_(
        PostAddressee.post_id == post_id,
        PostAddressee.actor_id == joined.followed_id,
        joined.follower_id == viewer.actor_id,
        joined.state == FollowState.ACCEPTED,
        group.id == joined.followed_id,
        group.kind == ActorKind.GROUP,
        group.domain != "",
    )


def _group_filter(viewer: User | None) -> ColumnElement[bool]:
    """Posts of members-only groups are for the group's members alone, whatever their own
    visibility says."""
    public_group = exists().where(
        Group.id == Post.group_id, Group.visibility == GroupVisibility.PUBLIC
    )
    member_groups = active_member_group_ids(viewer)
    in_member_group = Post.group_id.in_(member_groups) if member_groups else false()
    return or_(Post.group_id.is_(None), public_group, in_member_group)


def _limited_host_filter(viewer: User | None) -> ColumnElement[bool]:
    """Posts by actors of servers the admins limited are for the authors' followers only
    (Mastodon's "limit"). The limited hosts are read once per listing (few rows), so the
    condition costs nothing while no server is limited and is one EXISTS otherwise."""
    hosts = policy.limited_hosts()
    if not hosts:
        return true()
    from_limited_host = exists().where(
        Actor.id == Post.author_id, Actor.domain != "", policy.domain_in(Actor.domain, hosts)
    )
    if viewer is None:
        return ~from_limited_host
    follows_author = exists().where(
        Follow.follower_id == viewer.actor_id,
        Follow.followed_id == Post.author_id,
        Follow.state == FollowState.ACCEPTED,
    )
    return or_(~from_limited_host, follows_author)


def visible_posts(user: User | None):  # noqa: ANN201  (a Select[Post])
    """All posts ``user`` may see, newest first."""
    return (
        select(Post)
        .where(visible_posts_filter(user))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )


def can_view_post(user: User | None, post: Post) -> bool:
    """May ``user`` open this post? Node moderators may open every post (they act on
    reports); authors always see their own posts, even hidden ones."""
    viewer = _viewer(user)
    if viewer is not None and viewer.has_role(Role.MODERATOR):
        return True
    if viewer is not None and post.author_id == viewer.actor_id:
        return True
    if post.hidden_at is not None or post.author.suspended_at is not None:
        return False
    if post.group is not None and not can_see_group_content(viewer, post.group):
        return False
    if viewer is not None and blocked_either_way(viewer.actor_id, post.author_id):
        return False
    if not limit_lets_through(viewer, post.author):
        return False
    return _in_audience(viewer, post)


def limit_lets_through(viewer: User | None, author: Actor) -> bool:
    """The single-post form of ``_limited_host_filter``: may ``viewer`` see what ``author``
    writes, as far as the node's LIMIT policy for the author's server goes? (Also decides
    whether their mentions and replies notify.)"""
    if author.is_local or not policy.host_limited(author.domain):
        return True
    return viewer is not None and _follows(viewer.actor_id, author.id)


def _in_audience(viewer: User | None, post: Post) -> bool:
    if post.visibility in _OPEN_VISIBILITIES:
        return True
    if viewer is None:
        return False
    if post.visibility == Visibility.MEMBERS:
        return True
    if post.visibility == Visibility.GROUP:
        return post.group_id is not None and post.group_id in active_member_group_ids(viewer)
    if post.visibility == Visibility.FOLLOWERS:
        return _follows(viewer.actor_id, post.author_id)
    if post.visibility == Visibility.DIRECT:
        return _is_addressee(viewer.actor_id, post.id) or _is_to_joined_group(viewer, post.id)
    return False


def _is_to_joined_group(viewer: User, post_id: int) -> bool:
    from quarter_node.extensions import db

    query = select(true()).where(_to_joined_group(viewer, post_id)).limit(1)
    return db.session.scalar(query) is not None


def _follows(follower_id: int, followed_id: int) -> bool:
    from quarter_node.extensions import db

    return (
        db.session.scalar(
            select(true()).where(
                Follow.follower_id == follower_id,
                Follow.followed_id == followed_id,
                Follow.state == FollowState.ACCEPTED,
            )
        )
        is not None
    )


def _is_addressee(actor_id: int, post_id: int) -> bool:
    from quarter_node.extensions import db

    return (
        db.session.scalar(
            select(true()).where(
                PostAddressee.post_id == post_id, PostAddressee.actor_id == actor_id
            )
        )
        is not None
    )


# --- sharing ----------------------------------------------------------------------------------

# As Mastodon: only posts anybody may open can be shared (boosted); a share never widens a
# post's audience.
SHAREABLE = _OPEN_VISIBILITIES


def is_shareable(post: Post) -> bool:
    """Public and unlisted posts outside members-only groups, not deleted."""
    if post.deleted_at is not None or post.visibility not in SHAREABLE:
        return False
    return post.group is None or post.group.visibility == GroupVisibility.PUBLIC


def shareable_posts_filter() -> ColumnElement[bool]:
    """``is_shareable`` as a WHERE clause: shares of other posts (a peer may announce
    anything) are never listed."""
    public_group = exists().where(
        Group.id == Post.group_id, Group.visibility == GroupVisibility.PUBLIC
    )
    return and_(
        Post.deleted_at.is_(None),
        Post.visibility.in_(SHAREABLE),
        or_(Post.group_id.is_(None), public_group),
    )


# Visibilities a post may be given, from widest to narrowest audience.
VISIBILITY_ORDER = (
    Visibility.PUBLIC,
    Visibility.UNLISTED,
    Visibility.MEMBERS,
    Visibility.FOLLOWERS,
    Visibility.GROUP,
    Visibility.DIRECT,
)


def narrowest(a: Visibility, b: Visibility) -> Visibility:
    """A reply never reaches further than what it answers."""
    return max(a, b, key=VISIBILITY_ORDER.index)
