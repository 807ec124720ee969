"""The listings of posts: home timeline, local timeline, one conversation (thread).

Every listing starts from ``visible_posts_filter``; a thread checks each post with
``can_view_post`` (it also shows deleted placeholders and, to authors and moderators, hidden
posts, which listings leave out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from quarter_node.accounts.models import Actor, User
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.groups.permissions import active_member_group_ids
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.visibility import can_view_post, visible_posts_filter
from quarter_node.social.models import Follow, FollowState

THREAD_LIMIT = 500  # replies shown on one post page


def card_loading() -> tuple[Any, ...]:
    """What a post card shows, loaded with the posts instead of one query per card.
    (A function: building these at import time would configure the mappers too early.)"""
    return (
        joinedload(Post.author),
        joinedload(Post.group).joinedload(Group.actor),
        selectinload(Post.media),
    )


def followed_ids(user: User) -> Select[tuple[int]]:
    """A SELECT of the ids of the actors ``user`` follows (accepted follows of people and
    groups, here or elsewhere)."""
    return select(Follow.followed_id).where(
        Follow.follower_id == user.actor_id, Follow.state == FollowState.ACCEPTED
    )


def home_query(user: User) -> Select[tuple[Post]]:
    """Posts of the people and groups ``user`` follows, of their groups, and their own.

    Replies appear when written by someone followed (or the user); other replies live in
    their threads.
    """
    followed = followed_ids(user)
    followed_groups = select(Group.id).where(Group.actor_id.in_(followed))
    member_groups = active_member_group_ids(user)
    from_followed_or_self = or_(Post.author_id.in_(followed), Post.author_id == user.actor_id)
    in_my_groups = or_(Post.group_id.in_(followed_groups), Post.group_id.in_(member_groups))
    return select(Post).where(
        visible_posts_filter(user),
        or_(from_followed_or_self, in_my_groups),
        or_(Post.in_reply_to_id.is_(None), from_followed_or_self),
    )


def local_query(viewer: User | None) -> Select[tuple[Post]]:
    """First posts (no replies) written on this node that ``viewer`` may see."""
    local_author = exists().where(Actor.id == Post.author_id, Actor.domain == "")
    return select(Post).where(
        visible_posts_filter(viewer),
        Post.in_reply_to_id.is_(None),
        Post.visibility != Visibility.UNLISTED,
        local_author,
    )


def shown_in_thread(viewer: User | None, post: Post) -> bool:
    """Visible posts, deleted placeholders of visible posts, hidden posts for those
    ``can_view_post`` lets in (their authors and the node's moderators)."""
    return can_view_post(viewer, post)


@dataclass
class Thread:
    """A conversation as ``viewer`` sees it: the first post (None if not visible to them)
    and the replies they may see, oldest first, each with its depth (1 = answers the first
    post, 2 = answers a reply)."""

    root: Post | None
    root_id: int
    replies: list[tuple[Post, int]] = field(default_factory=list)

    @property
    def posts(self) -> list[Post]:
        return ([self.root] if self.root else []) + [post for post, _depth in self.replies]


def thread_of(viewer: User | None, post: Post) -> Thread:
    root_id = post.thread_root_id or post.id
    root = post if post.id == root_id else db.session.get(Post, root_id)
    replies = list(
        db.session.scalars(
            select(Post)
            .where(Post.thread_root_id == root_id)
            .options(*card_loading())
            .order_by(Post.created_at.asc(), Post.id.asc())
            .limit(THREAD_LIMIT)
        )
    )
    # One query finds the plainly visible replies; only the rest (placeholders, hidden posts,
    # what only moderators may open) are asked about one by one.
    listed = set(
        db.session.scalars(
            select(Post.id).where(Post.thread_root_id == root_id, visible_posts_filter(viewer))
        )
    )
    shown = [r for r in replies if r.id in listed or shown_in_thread(viewer, r)]
    return Thread(
        root=root if root is not None and shown_in_thread(viewer, root) else None,
        root_id=root_id,
        replies=[(reply, 1 if reply.in_reply_to_id == root_id else 2) for reply in shown],
    )
