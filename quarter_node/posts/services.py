"""Use cases of posts: publish, edit, delete, like. Each checks its rules and commits once.

Who may SEE a post is decided in ``posts.visibility`` only; this module asks it and never
re-states it. On any error the transaction is rolled back, and ``media.services`` removes the
image files written for it, so a refused post leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select

from quarter_node import signals
from quarter_node.accounts.models import Actor, Role, User
from quarter_node.db_types import utcnow
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.groups.permissions import is_active_member, is_group_moderator
from quarter_node.media import services as media
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.posts import addressing, remote_groups
from quarter_node.posts.mentions import Mentions, find_mentions
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.posts.visibility import can_view_post, narrowest

MAX_IMAGES = 4

ImageUpload = tuple[Any, str]  # (werkzeug FileStorage, alt text)


# --- reading -----------------------------------------------------------------------------------


def get_post_for(viewer: User | None, post_id: int) -> Post:
    """The post if it exists and ``viewer`` may open it; otherwise NotFound (never 403, so
    nobody learns that a private post exists)."""
    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(viewer, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    return post


def has_replies(post: Post) -> bool:
    return bool(db.session.scalar(select(exists().where(Post.in_reply_to_id == post.id))))


def render_post_html(text: str) -> str:
    """``text`` rendered with the mentions of people already known here (no lookups)."""
    return find_mentions(text).render(text)


# --- permissions (also used by templates to show or hide buttons) ------------------------------


def _is_active(user: User | None) -> bool:
    return user is not None and user.is_active


def can_edit_post(user: User | None, post: Post) -> bool:
    return _is_active(user) and post.author_id == user.actor_id and post.deleted_at is None


def can_delete_post(user: User | None, post: Post) -> bool:
    """Authors, node moderators, and the moderators of the post's group."""
    if not _is_active(user) or post.deleted_at is not None:
        return False
    if post.author_id == user.actor_id or user.has_role(Role.MODERATOR):
        return True
    return post.group is not None and is_group_moderator(user, post.group)


def _require_active(user: User | None) -> User:
    if not _is_active(user):
        raise PermissionDenied(_("Your account cannot do this right now."))
    return user


# --- publishing --------------------------------------------------------------------------------


def publish_post(
    author: User,
    text: str,
    *,
    visibility: Visibility | str | None = None,
    group: Group | None = None,
    in_reply_to: Post | None = None,
    images: Sequence[ImageUpload] = (),
    language: str | None = None,
    to_group: Actor | None = None,
) -> Post:
    """Publish a post or a reply with its images and notifications, in one commit.

    A reply belongs to its parent's group and never reaches further than its parent. In a
    members-only group every post is for the group's members (GROUP visibility). Without an
    explicit ``visibility`` a top-level post is public and a reply takes its parent's.
    Mentions of people elsewhere are looked up first (WebFinger, short timeouts); the people
    named are addressed (``posts.addressing``), and a direct post must name somebody.
    ``to_group`` addresses a top-level post to a followed group on another server (rules in
    ``posts.remote_groups``); a reply in such a group's thread is addressed to it as well.
    """
    _require_active(author)
    text = _checked_text(text, has_images=bool(images))
    if len(images) > MAX_IMAGES:
        raise InvalidInput(_("A post can have at most %(count)d images.", count=MAX_IMAGES))
    if in_reply_to is not None:
        group = _check_reply_target(author, in_reply_to)
    if to_group is not None and (group is not None or in_reply_to is not None):
        raise InvalidInput(_("A reply or a post in a group here cannot go to another group."))
    if to_group is not None:
        visibility = remote_groups.checked_visibility(author, to_group, visibility)
    visibility = _decide_visibility(visibility, group, in_reply_to)
    if group is not None and not is_active_member(author, group):
        raise PermissionDenied(_("Only members of this group can post in it."))
    with _one_transaction():
        mentions = find_mentions(text, look_up=True)
        audience = addressing.audience_of(author.actor, mentions.actors, in_reply_to)
        addressing.require_audience(visibility, [*audience, *([to_group] if to_group else [])])
        post = _add_post(author, text, visibility, group, in_reply_to, language, mentions)
        addressing.add_addressees(post, audience)
        remote_groups.address_to_group(post, to_group or remote_groups.remote_group_of(in_reply_to))
        for position, (file_storage, alt_text) in enumerate(images):
            _store_numbered_image(author, post, position, file_storage, alt_text)
        _notify_about_new_post(author, post, in_reply_to, audience)
        signals.post_published.send(post)
    return post


def _checked_text(text: str | None, *, has_images: bool) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    limit = current_app.config["POST_MAX_LENGTH"]
    if len(text) > limit:
        raise InvalidInput(
            _(
                "The post is too long (%(length)d of at most %(max)d characters).",
                length=len(text),
                max=limit,
            )
        )
    if not text and not has_images:
        raise InvalidInput(_("Please write something or add an image."))
    return text


def _check_reply_target(author: User, parent: Post) -> Group | None:
    if not can_view_post(author, parent):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if parent.deleted_at is not None:
        raise InvalidInput(_("This post was deleted; it cannot be answered."))
    return parent.group


def _decide_visibility(
    requested: Visibility | str | None, group: Group | None, parent: Post | None
) -> Visibility:
    try:
        visibility = Visibility(requested) if requested else None
    except ValueError as error:
        raise InvalidInput(_("Please choose who can see the post.")) from error
    if group is not None and group.visibility == GroupVisibility.MEMBERS_ONLY:
        visibility = Visibility.GROUP
    if visibility is None:
        visibility = parent.visibility if parent is not None else Visibility.PUBLIC
    if parent is not None:
        visibility = narrowest(visibility, parent.visibility)
    if visibility == Visibility.GROUP and group is None:
        raise InvalidInput(_("Only posts in a group can be limited to the group's members."))
    if visibility == Visibility.DIRECT and group is not None:
        raise InvalidInput(_("Direct posts cannot be written in a group."))
    return visibility


def _add_post(
    author: User,
    text: str,
    visibility: Visibility,
    group: Group | None,
    parent: Post | None,
    language: str | None,
    mentions: Mentions,
) -> Post:
    post = Post(
        author_id=author.actor_id,
        author=author.actor,
        group_id=group.id if group else None,
        group=group,
        visibility=visibility,
        source=text,
        content_html=mentions.render(text),
        language=(language or None),
        in_reply_to_id=parent.id if parent else None,
        thread_root_id=(parent.thread_root_id or parent.id) if parent else None,
    )
    db.session.add(post)
    db.session.flush()
    return post


def _store_numbered_image(
    author: User, post: Post, position: int, file_storage: Any, alt_text: str
) -> None:
    """Store one image; a refusal says which of the images it was."""
    try:
        media.store_image(
            file_storage, owner=author.actor, alt_text=alt_text, post=post, position=position
        )
    except InvalidInput as error:
        raise InvalidInput(
            _("Image %(number)d: %(problem)s", number=position + 1, problem=error.message)
        ) from error


def _notify_about_new_post(
    author: User, post: Post, parent: Post | None, audience: list[Actor]
) -> None:
    """REPLY to the parent's author, MENTION to the local people addressed; only those who
    may see it (remote people hear of it from their own server)."""
    notified: set[int] = {author.actor_id}
    if parent is not None and _may_see(parent.author, post):
        notify(parent.author, NotificationKind.REPLY, actor=author.actor, post_id=post.id)
        notified.add(parent.author_id)
    for actor in audience:
        if actor.id not in notified and _may_see(actor, post):
            notify(actor, NotificationKind.MENTION, actor=author.actor, post_id=post.id)
            notified.add(actor.id)


def _may_see(actor: Actor, post: Post) -> bool:
    return actor.user is not None and can_view_post(actor.user, post)


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Commit what the block did, or roll all of it back (files included) and re-raise."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# --- editing and deleting ----------------------------------------------------------------------


def edit_post(user: User, post: Post, text: str) -> Post:
    """Only the author edits, and only the text; visibility and group stay as published.
    People newly mentioned are addressed too (as when publishing); nobody is taken off."""
    if not can_edit_post(user, post):
        raise PermissionDenied(_("Only the author can edit this post."))
    text = _checked_text(text, has_images=bool(post.media))
    with _one_transaction():
        mentions = find_mentions(text, look_up=True)
        addressing.add_addressees(post, mentions.actors)
        post.source = text
        post.content_html = mentions.render(text)
        post.edited_at = utcnow()
        signals.post_edited.send(post)
    return post


def delete_post(user: User, post: Post, *, commit: bool = True) -> None:
    """Delete a post (author, node moderators, group moderators).

    A post with replies stays as a placeholder so the conversation keeps its shape: its text,
    images, likes and notifications go, the row stays with ``deleted_at`` set. Otherwise the row
    goes, and a placeholder parent left without replies goes with it. ``commit=False`` lets the
    moderation service add its audit entry to the same transaction.
    """
    if not can_delete_post(user, post):
        raise PermissionDenied(_("You are not allowed to delete this post."))
    try:
        signals.post_deleted.send(post)
        _remove_post(post)
        if commit:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _remove_post(post: Post) -> None:
    parent = post.in_reply_to
    media.delete_files_of_post(post)
    if has_replies(post):
        _make_placeholder(post)
        return
    db.session.delete(post)
    db.session.flush()
    if parent is not None and parent.deleted_at is not None and not has_replies(parent):
        _remove_post(parent)


def _make_placeholder(post: Post) -> None:
    post.deleted_at = utcnow()
    post.source = ""
    post.content_html = ""
    db.session.execute(db.delete(Like).where(Like.post_id == post.id))
    db.session.execute(
        db.delete(Notification).where(
            Notification.post_id == post.id,
            Notification.kind.in_(
                [NotificationKind.REPLY, NotificationKind.MENTION, NotificationKind.LIKE]
            ),
        )
    )


# --- likes -------------------------------------------------------------------------------------


def like_post(user: User, post: Post) -> None:
    """Like a post one may see (once); its author is told."""
    _require_likeable(user, post)
    if _like_of(user, post) is not None:
        return
    with _one_transaction():
        db.session.add(like := Like(actor_id=user.actor_id, post_id=post.id))
        signals.post_liked.send(like)
        notify(post.author, NotificationKind.LIKE, actor=user.actor, post_id=post.id)


def unlike_post(user: User, post: Post) -> None:
    _require_likeable(user, post)
    like = _like_of(user, post)
    if like is None:
        return
    with _one_transaction():
        signals.post_unliked.send(like)
        db.session.delete(like)


def _require_likeable(user: User, post: Post) -> None:
    _require_active(user)
    if not can_view_post(user, post) or post.deleted_at is not None:
        raise NotFound(_("This post does not exist or is not visible to you."))


def _like_of(user: User, post: Post) -> Like | None:
    return db.session.scalar(
        select(Like).where(Like.actor_id == user.actor_id, Like.post_id == post.id)
    )
