"""What a post card needs besides the post: counts, the viewer's like, which buttons to show.

``post_info(post, viewer)`` is a template global used by ``posts/_post.html``. Listings call
``preload_post_info(posts, viewer)`` first so a page of twenty posts costs a fixed handful
of queries, not a hundred; a card rendered without preloading still works (it loads its own
numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import g
from sqlalchemy import func, select

from quarter_node.accounts.models import User
from quarter_node.activitypub.models import Share
from quarter_node.extensions import db
from quarter_node.posts.forms import short_visibility_labels
from quarter_node.posts.models import Like, Post
from quarter_node.posts.services import can_delete_post, can_edit_post
from quarter_node.posts.visibility import is_shareable, visible_posts_filter

_CACHE = "_qn_post_info"


@dataclass(frozen=True)
class PostInfo:
    deleted: bool
    like_count: int
    reply_count: int  # replies the viewer can see (the whole thread for a first post)
    liked: bool
    can_like: bool
    share_count: int  # local and remote shares (Announces) this node knows of
    shared: bool  # by the viewer
    can_share: bool
    can_edit: bool
    can_delete: bool
    can_report: bool
    visibility_label: str


def post_info(post: Post, viewer: User | None) -> PostInfo:
    key = _key(post, viewer)
    cache = g.setdefault(_CACHE, {})
    if key not in cache:
        preload_post_info([post], viewer)
    return cache[key]  # type: ignore[no-any-return]


def preload_post_info(posts: Iterable[Post], viewer: User | None) -> None:
    posts = list(posts)
    if not posts:
        return
    viewer = viewer if viewer is not None and viewer.is_active else None
    counts = _Counts(
        likes=_counts_by_post(Like, posts),
        shares=_counts_by_post(Share, posts),
        replies=_reply_counts(posts, viewer),
        liked=_done_by(Like, posts, viewer),
        shared=_done_by(Share, posts, viewer),
    )
    cache = g.setdefault(_CACHE, {})
    for post in posts:
        cache[_key(post, viewer)] = _info(post, viewer, counts)


@dataclass(frozen=True)
class _Counts:
    """What one page's posts need, each loaded with one query for the whole page."""

    likes: dict[int, int]
    shares: dict[int, int]
    replies: dict[int, int]
    liked: set[int]
    shared: set[int]


def _info(post: Post, viewer: User | None, counts: _Counts) -> PostInfo:
    deleted = post.deleted_at is not None
    member = viewer is not None and not deleted
    return PostInfo(
        deleted=deleted,
        like_count=counts.likes.get(post.id, 0),
        reply_count=counts.replies.get(post.id, 0),
        liked=post.id in counts.liked,
        can_like=member,
        share_count=counts.shares.get(post.id, 0),
        shared=post.id in counts.shared,
        can_share=member and is_shareable(post),
        can_edit=can_edit_post(viewer, post),
        can_delete=can_delete_post(viewer, post),
        can_report=member and post.author_id != viewer.actor_id,
        visibility_label=short_visibility_labels()[post.visibility],
    )


def _key(post: Post, viewer: User | None) -> tuple[int, int | None]:
    return post.id, viewer.id if viewer is not None else None


def _counts_by_post(model: type[Like] | type[Share], posts: list[Post]) -> dict[int, int]:
    ids = [post.id for post in posts]
    rows = db.session.execute(
        select(model.post_id, func.count(model.id))
        .where(model.post_id.in_(ids))
        .group_by(model.post_id)
    )
    return {post_id: count for post_id, count in rows}


def _reply_counts(posts: list[Post], viewer: User | None) -> dict[int, int]:
    """Count only replies the viewer could open, so a count never betrays a private reply."""
    roots = [post.id for post in posts if post.thread_root_id is None]
    others = [post.id for post in posts if post.thread_root_id is not None]
    counts: dict[int, int] = {}
    for column, ids in ((Post.thread_root_id, roots), (Post.in_reply_to_id, others)):
        if ids:
            rows = db.session.execute(
                select(column, func.count(Post.id))
                .where(column.in_(ids), visible_posts_filter(viewer))
                .group_by(column)
            )
            counts.update({post_id: count for post_id, count in rows})
    return counts


def _done_by(model: type[Like] | type[Share], posts: list[Post], viewer: User | None) -> set[int]:
    """The posts the viewer liked (or shared)."""
    if viewer is None:
        return set()
    ids = [post.id for post in posts]
    return set(
        db.session.scalars(
            select(model.post_id).where(model.actor_id == viewer.actor_id, model.post_id.in_(ids))
        )
    )
