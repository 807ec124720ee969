"""The home timeline with shares: what a member's people and groups wrote and what they shared.

Every post appears once. A post shared by someone the member follows (or by herself) is listed
at the time of its latest such share, with that sharer on the card ("Bert shared"), however
many shared it; other posts are listed at the time they were written. Shares never widen an
audience: a shared post must pass ``visible_posts_filter`` for the viewer and be shareable
(public or unlisted, outside members-only groups), whatever a peer announced.

The entries are one UNION of two SELECTs, each keeping only the row that wins for its post
(``NOT EXISTS`` a later share), so the keyset condition and LIMIT of a page apply to plain
rows and no window over the whole timeline is computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, cast, exists, null, or_, select
from sqlalchemy.orm import aliased

from quarter_node.accounts.models import Actor, User
from quarter_node.activitypub.models import Share
from quarter_node.posts.models import Post
from quarter_node.posts.pagination import Page, paginate_entries
from quarter_node.posts.timelines import followed_ids, home_query
from quarter_node.posts.visibility import shareable_posts_filter, visible_posts_filter


def home_page(user: User, page_args: Mapping[str, str], **link_options: Any) -> Page:
    """One page of ``user``'s home timeline (one query for posts, authors and sharers)."""
    return paginate_entries(home_entries(user).subquery(), page_args, **link_options)


def home_entries(user: User) -> Select[Any]:
    """Rows (``post_id``, ``at``, ``sharer_id``), one per post of the home timeline."""
    counted_share = aliased(Share)
    # The post conditions stay outside the EXISTS: nested one level deeper, their own
    # subqueries would no longer refer to the outer post.
    shared_into_home = and_(
        shareable_posts_filter(),
        exists().where(counted_share.post_id == Post.id, _counts_for(counted_share, user)),
    )
    written = (
        home_query(user)
        .where(~shared_into_home)
        .with_only_columns(
            Post.id.label("post_id"),
            Post.created_at.label("at"),
            cast(null(), Integer).label("sharer_id"),
        )
    )
    return written.union_all(_latest_shares(user))


def _latest_shares(user: User) -> Select[Any]:
    """The latest counting share of every shared post the viewer may see."""
    later = aliased(Share)
    later_share = exists().where(
        later.post_id == Share.post_id,
        _counts_for(later, user),
        or_(
            later.created_at > Share.created_at,
            and_(later.created_at == Share.created_at, later.id > Share.id),
        ),
    )
    return (
        select(
            Share.post_id.label("post_id"),
            Share.created_at.label("at"),
            Share.actor_id.label("sharer_id"),
        )
        .join(Post, Post.id == Share.post_id)
        .where(
            _counts_for(Share, user),
            visible_posts_filter(user),
            shareable_posts_filter(),
            ~later_share,
        )
    )


def _counts_for(share: Any, user: User) -> ColumnElement[bool]:
    """Shares that bring a post into ``user``'s home: by an account she follows (person or
    group, here or elsewhere) or by herself, not suspended."""
    followed = followed_ids(user)
    sharer_active = exists().where(Actor.id == share.actor_id, Actor.suspended_at.is_(None))
    return and_(or_(share.actor_id.in_(followed), share.actor_id == user.actor_id), sharer_active)
