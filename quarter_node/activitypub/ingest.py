"""Turning a remote Note/Article/Page/Question into a ``Post`` (and finding local objects).

Remote HTML is never trusted: it passes the same nh3 allowlist as our own rendering
(``posts.markdown.clean_html``). A post is only stored when somebody here has a reason to
see it — its author is followed from here, it answers or mentions something local, or a
member of one of our groups posted it into the group — so unsolicited public spam never
fills the database.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape

from federation import vocabulary as v
from federation.objects import ParsedObject, parse_object
from federation.readers import ids_of
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import access, remote, urls
from quarter_node.activitypub.models import PostAddressee
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.posts import remote_groups
from quarter_node.posts.markdown import clean_html
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.visibility import can_view_post, limit_lets_through
from quarter_node.social.models import Follow, FollowState

_LOCAL_ACTOR_PATH = re.compile(r"^/(?:@(?P<person>[a-z0-9_]+)|groups/(?P<group>[a-z0-9_]+))/?$")
_LOCAL_POST_PATH = re.compile(r"^/posts/(?P<id>\d+)/?$")
MAX_CONTENT_CHARS = 100_000


class IngestRefused(Exception):
    """The object may not be stored as sent (e.g. attributed to someone else)."""


def sanitize_remote_html(html: str) -> str:
    """Remote HTML through our allowlist: no scripts, styles, classes or event handlers."""
    return clean_html(html[:MAX_CONTENT_CHARS]).strip()


# --- finding local and stored objects ------------------------------------------------------


def _local_path(uri: str) -> str | None:
    return uri[len(urls.base_url()) :] if urls.is_local_uri(uri) else None


def local_actor(uri: str | None) -> Actor | None:
    """Our person or group whose id is ``uri`` (``/@anna``, ``/groups/garten``)."""
    path = _local_path(uri) if uri else None
    match = _LOCAL_ACTOR_PATH.match(path or "")
    if match is None:
        return None
    kind = ActorKind.PERSON if match["person"] else ActorKind.GROUP
    return db.session.scalar(
        db.select(Actor).where(
            Actor.domain == "",
            Actor.kind == kind,
            Actor.handle == (match["person"] or match["group"]),
        )
    )


def find_actor(uri: str | None) -> Actor | None:
    """A local actor by its id, or a stored remote one."""
    if not uri:
        return None
    return local_actor(uri) or db.session.scalar(db.select(Actor).where(Actor.uri == uri))


def find_post(uri: str | None) -> Post | None:
    """A local post by its id (``/posts/17``) or a stored remote post by its ``uri``."""
    if not uri:
        return None
    match = _LOCAL_POST_PATH.match(_local_path(uri) or "")
    if match is not None:
        post = db.session.get(Post, int(match["id"]))
        return post if post is not None and post.uri is None else None
    return db.session.scalar(db.select(Post).where(Post.uri == uri))


def group_of(actor: Actor | None) -> Group | None:
    if actor is None or actor.kind != ActorKind.GROUP or not actor.is_local:
        return None
    return db.session.scalar(db.select(Group).where(Group.actor_id == actor.id))


def is_followed_here(actor: Actor) -> bool:
    """Whether any local actor follows ``actor`` (accepted)."""
    return (
        db.session.scalar(
            db.select(Follow.id)
            .join(Actor, Actor.id == Follow.follower_id)
            .where(
                Follow.followed_id == actor.id,
                Follow.state == FollowState.ACCEPTED,
                Actor.domain == "",
            )
            .limit(1)
        )
        is not None
    )


def kept_as_public(document: Any, author: Actor) -> bool:
    """Whether an enabled plugin keeps this content of ``author`` although nobody here
    follows them (``quarter_keeps_public_content``; the network plugin aggregates its
    members' posts). Only content addressed to the public in ``to`` is offered: unlisted,
    followers-only and direct content never becomes visible here through a plugin."""
    if not isinstance(document, dict) or v.PUBLIC_SPELLINGS.isdisjoint(ids_of(document.get("to"))):
        return False
    from quarter_node.plugins.wiring import call_hook  # the plugins import this module

    return any(call_hook("quarter_keeps_public_content", actor=author))


# --- creating posts ----------------------------------------------------------------------


def from_ap(document: Any, author: Actor, *, relevant: bool = False) -> Post | None:
    """Store a remote content object as a ``Post`` (uncommitted), or ``None`` when nobody
    here has a reason to see it (``relevant``: the caller knows one, e.g. a followed group
    relayed it). An already stored object is returned unchanged.

    Raises ``InvalidDocument`` for unusable objects and ``IngestRefused`` for objects not
    attributed to ``author``.
    """
    parsed = parse_object(document)
    if parsed.attributed_to != author.uri:
        raise IngestRefused(f"{parsed.id} is not attributed to {author.uri}")
    existing = db.session.scalar(db.select(Post).where(Post.uri == parsed.id))
    if existing is not None:
        return existing
    parent = find_post(parsed.in_reply_to)
    named = _local_addressees(parsed)
    group = _group_for(parsed, author, parent, named)
    people = [actor for actor in named if actor.kind == ActorKind.PERSON]
    if not (relevant or _is_relevant(author, parent, people, group)):
        if not kept_as_public(document, author):
            return None
    post = _new_post(parsed, document, author, parent, group)
    _add_addressees(post, named, parsed)
    if group is None:
        remote_groups.address_to_group(post, _remote_group(parsed, parent))
    _notify(post, parent, named)
    return post


def _local_addressees(parsed: ParsedObject) -> list[Actor]:
    uris = dict.fromkeys([*parsed.mentions, *sorted(parsed.addressees)])
    found = {actor.id: actor for uri in uris if (actor := local_actor(uri)) is not None}
    return list(found.values())


def _group_for(
    parsed: ParsedObject, author: Actor, parent: Post | None, named: list[Actor]
) -> Group | None:
    """The local group the object belongs to (FEP-1b12).

    A reply belongs to its thread's group, as our own replies do; a non-member may not
    answer inside a members-only group. A new post addressed to one of our groups (``to``,
    ``cc``, ``audience``) only becomes a group post when its author is in the group's
    audience: strangers cannot post into a group by naming it.
    """
    if parent is not None:
        group = parent.group
        if (
            group is not None
            and group.visibility == GroupVisibility.MEMBERS_ONLY
            and not access.in_group_audience(author, group)
        ):
            raise IngestRefused(f"{author.uri} is not a member of {group.actor.handle}")
        return group
    addressed = [*named, local_actor(parsed.community)]
    group = next((g for g in map(group_of, addressed) if g is not None), None)
    if group is not None and not access.in_group_audience(author, group):
        return None
    return group


def _remote_group(parsed: ParsedObject, parent: Post | None) -> Actor | None:
    """The group on another server the object was written into: its ``audience`` when we
    follow that group, else its thread's. Replies here are then addressed to the group too
    (``posts.remote_groups``), which relays them to all its members."""
    named = db.session.scalar(
        db.select(Actor).where(
            Actor.uri == (parsed.community or ""), Actor.kind == ActorKind.GROUP, Actor.domain != ""
        )
    )
    if named is not None and is_followed_here(named):
        return named
    return remote_groups.remote_group_of(parent)


def _is_relevant(author: Actor, parent: Post | None, named: list[Actor], group: Group | None):  # noqa: ANN202
    return bool(parent is not None or named or group is not None or is_followed_here(author))


def _new_post(
    parsed: ParsedObject, document: Any, author: Actor, parent: Post | None, group: Group | None
) -> Post:
    published = parsed.published if parsed.published and parsed.published < utcnow() else None
    post = Post(
        author_id=author.id,
        author=author,
        group_id=group.id if group else None,
        in_reply_to_id=parent.id if parent else None,
        thread_root_id=(parent.thread_root_id or parent.id) if parent else None,
        visibility=derive_visibility(document, author, group),
        source="",
        content_html=content_html(parsed),
        language=(parsed.language or None) and parsed.language[:10],
        uri=parsed.id,
        url=remote.web_url(parsed.url) or remote.web_url(parsed.id),
        created_at=published or utcnow(),
    )
    db.session.add(post)
    db.session.flush()
    return post


def derive_visibility(document: Any, author: Actor, group: Group | None) -> Visibility:
    """Who may see it here, from its addressing.

    Public in ``to`` → PUBLIC; Public only in ``cc`` → UNLISTED; otherwise addressed to a
    group of ours → GROUP; to the author's followers → FOLLOWERS; else only the named
    actors → DIRECT. Posts in members-only groups are always GROUP.
    """
    if group is not None and group.visibility == GroupVisibility.MEMBERS_ONLY:
        return Visibility.GROUP
    to, cc = set(ids_of(document.get("to"))), set(ids_of(document.get("cc")))
    if to & v.PUBLIC_SPELLINGS:
        return Visibility.PUBLIC
    if cc & v.PUBLIC_SPELLINGS:
        return Visibility.UNLISTED
    if group is not None:
        return Visibility.GROUP
    if author.followers_url and author.followers_url in to | cc:
        return Visibility.FOLLOWERS
    return Visibility.DIRECT


def content_html(parsed: ParsedObject) -> str:
    """Title (Article/Page), content warning, text and attachment links, sanitised."""
    parts = []
    if parsed.name and parsed.type != v.NOTE:
        parts.append(f"<p><strong>{escape(parsed.name)}</strong></p>")
    if parsed.summary:
        parts.append(f"<p>{escape(parsed.summary)}</p>")
    parts.append(parsed.content or "")
    for attachment in parsed.attachments:
        label = escape(attachment.description or attachment.url)
        parts.append(f'<p><a href="{escape(attachment.url)}">{label}</a></p>')
    return sanitize_remote_html("".join(parts))


def _add_addressees(post: Post, named: list[Actor], parsed: ParsedObject) -> None:
    """Local people addressed or mentioned: they may see a direct post, and are listed."""
    for actor in named:
        if actor.kind == ActorKind.PERSON:
            db.session.add(PostAddressee(post_id=post.id, actor_id=actor.id))
    db.session.flush()


def _notify(post: Post, parent: Post | None, named: list[Actor]) -> None:
    """REPLY to the local parent's author, MENTION to named local people who may see it."""
    notified: set[int] = set()
    if parent is not None and parent.author.is_local and _may_see(parent.author, post):
        notify(parent.author, NotificationKind.REPLY, actor=post.author, post_id=post.id)
        notified.add(parent.author_id)
    for actor in named:
        if actor.kind == ActorKind.PERSON and actor.id not in notified and _may_see(actor, post):
            notify(actor, NotificationKind.MENTION, actor=post.author, post_id=post.id)
            notified.add(actor.id)


def _may_see(actor: Actor, post: Post) -> bool:
    """Sees the post, and hears from its author: moderators open every post, but authors on
    a limited server notify their followers only."""
    user = actor.user
    return user is not None and can_view_post(user, post) and limit_lets_through(user, post.author)


def update_from_ap(post: Post, document: Any) -> bool:
    """Apply an edit of a stored remote post; ``False`` when nothing changed."""
    parsed = parse_object(document)
    html = content_html(parsed)
    if html == post.content_html:
        return False
    post.content_html = html
    post.edited_at = parsed.updated if parsed.updated and parsed.updated < utcnow() else utcnow()
    return True
