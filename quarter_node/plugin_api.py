"""Everything a plugin may use of Quarter Node, and nothing else.

Plugins (the shipped ones in ``plugins/`` as much as installed packages) import only from
this module, so the rest of ``quarter_node`` can change shape without breaking them. What is
here stays compatible; see ``docs/plugins.md`` for how to use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app, request, send_from_directory
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from huey import crontab
from sqlalchemy import ColumnElement, Select, select

from federation.safe_http import Response
from quarter_node import signals
from quarter_node.accounts.mails import absolute_url, in_language_of
from quarter_node.accounts.models import Actor, Role, User
from quarter_node.activitypub import delivery_health as _delivery_health
from quarter_node.activitypub import remote as _remote
from quarter_node.activitypub.delivery_health import HostDeliveryHealth
from quarter_node.activitypub.handlers import Context as HandlerContext
from quarter_node.activitypub.instance_follows import (
    accept_instance_follower,
    drop_instance_follower,
    enable_relay,
    instance_follow,
    instance_follow_state,
    instance_unfollow,
    set_host_allowlisted,
    use_allowlist,
)
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.plugin_support import (
    BadFetchSignature,
    activity_json,
    activity_not_found,
    actor_uri,
    base_url,
    fetch_remote_actor,
    fetch_remote_document,
    fetch_signer,
    find_actor,
    followers_uri,
    in_group_audience,
    inboxes_reached,
    is_followed_here,
    kept_as_public,
    new_activity_id,
    sanitize_remote_html,
    send_activity,
    serve_activity_json,
)
from quarter_node.admin.cli import node_command
from quarter_node.db_types import UTCDateTime, utcnow
from quarter_node.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups import permissions as _group_permissions
from quarter_node.groups import queries as _group_queries
from quarter_node.groups import services as _group_services
from quarter_node.groups.models import Group
from quarter_node.jobs import job, periodic_job
from quarter_node.mail import send_mail as _send_mail
from quarter_node.media import services as _media
from quarter_node.media.models import Media
from quarter_node.moderation.audit import record as record_audit
from quarter_node.node.services import get_node_settings as _node_settings
from quarter_node.notifications import services as _notifications
from quarter_node.notifications.models import Notification
from quarter_node.permissions import current_account, require_role
from quarter_node.plugins.hookspecs import hookimpl
from quarter_node.plugins.services import plugin_setting
from quarter_node.plugins.state import is_enabled
from quarter_node.plugins.types import (
    ActivityRecord,
    InboundHandler,
    MapPlace,
    NavItem,
    SearchDocument,
    SearchKind,
    SettingField,
    TimelineEntry,
    TimelineKind,
    TimelineWindow,
)
from quarter_node.plugins.wiring import call_hook
from quarter_node.posts import addressing as _addressing
from quarter_node.posts import markdown as _markdown
from quarter_node.posts.models import Post
from quarter_node.posts.timelines import followed_ids as _followed_ids
from quarter_node.posts.views import timeline_page as _timeline_page
from quarter_node.posts.visibility import visible_posts_filter as _visible_posts_filter
from quarter_node.search import index as _search_index
from quarter_node.search import plugins as _search
from quarter_node.search.services import SearchRequest, SearchResult
from quarter_node.search.services import run_search as _run_search
from quarter_node.social.blocks import blocked_either_way, blocked_either_way_filter
from quarter_node.social.models import Follow, FollowState


def object_to_ap(obj: Any) -> dict[str, Any] | None:
    """The ActivityStreams JSON of a plugin object, from the enabled plugin that knows it."""
    return call_hook("quarter_object_to_ap", obj=obj)  # type: ignore[no-any-return]


def post_page(condition: ColumnElement[bool]) -> Any:
    """One page of the first posts (no replies) matching ``condition`` that the current
    viewer may see, newest first, paged by the core's cursors in ``request.args``; render
    each of its ``items`` with the core's ``render_post`` macro (``posts/_post.html``) and
    its links with ``pagination(page)`` (``_macros.html``). Visibility, blocks and limited
    hosts are applied as on the node's own timelines."""
    query = select(Post).where(
        _visible_posts_filter(current_account()), Post.in_reply_to_id.is_(None), condition
    )
    return _timeline_page(query, request.args)


def index_for_search(obj: Any) -> None:
    """Tell the search index that ``obj`` was created or changed: the enabled plugins'
    ``quarter_search_documents(obj)`` answers are indexed (replacing what was there under
    the same key), in the caller's transaction."""
    _search.index_for_search(obj)


def remove_from_search(key: str) -> None:
    """Drop the document ``"<kind>:<id>"`` from the search index (an object deleted or no
    longer to be found), in the caller's transaction."""
    _search_index.remove(key)


def search_index(request: SearchRequest) -> SearchResult:
    """One page of the node's full-text search for the current viewer, with the core's
    filters (``kind`` = a ``SearchKind.param``, ``date_from``/``date_to`` as YYYY-MM-DD,
    ``group``) and ``author_domains`` (only documents by actors of these servers). Only
    what the viewer may see is found. Raises ``InvalidInput`` with a message for the reader
    when the request cannot be searched (no words, a bad date)."""
    return _run_search(request, current_account())


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, exactly as posts are rendered (safe to show unescaped)."""
    return _markdown.render_markdown(text)


def is_group_member(user: User | None, group: Group) -> bool:
    """Whether ``user`` is an active member of ``group`` (members may post in it)."""
    return _group_permissions.is_active_member(user, group)


def is_group_moderator(user: User | None, group: Group) -> bool:
    """Group owners and moderators, and node moderators (who moderate every group)."""
    return _group_permissions.is_group_moderator(user, group)


def can_see_group_content(user: User | None, group: Group) -> bool:
    """Whether ``user`` may see what is published in ``group`` (members-only groups)."""
    return _group_permissions.can_see_group_content(user, group)


def member_group_ids(user: User | None) -> list[int]:
    """Ids of the groups ``user`` is an active member of (for listing queries)."""
    return _group_permissions.active_member_group_ids(user)


def create_group(
    owner: User, handle: str, display_name: str, description: str, *, members_only: bool
) -> Group:
    """Found a group as ``owner`` (its first owner), as the group form does, and commit:
    members-only groups let people join on request, public ones openly."""
    visibility, join_mode = ("members_only", "request") if members_only else ("public", "open")
    return _group_services.create_group(
        owner, handle, display_name, description, visibility, join_mode
    )


def find_group(handle: str) -> Group | None:
    """The group of this node with ``handle``, if there is one."""
    return _group_queries.find_group(handle)


def group_audience(group: Group) -> list[Actor]:
    """Everybody the group's members-only content is for: its active members here, then
    the people elsewhere whose follow of the group was accepted (FEP-1b12)."""
    local = [membership.actor for membership in _group_queries.active_memberships(group)]
    remote = db.session.scalars(
        select(Actor)
        .join(Follow, Follow.follower_id == Actor.id)
        .where(
            Follow.followed_id == group.actor_id,
            Follow.state == FollowState.ACCEPTED,
            Actor.domain != "",
        )
        .order_by(Actor.domain, Actor.handle)
    )
    return [*local, *remote]


def group_moderators(group: Group) -> list[Actor]:
    """The group's owners and moderators here."""
    return _group_queries.group_moderator_actors(group)


def remove_follower(followed: Actor, follower: Actor) -> None:
    """End ``follower``'s follow of the local ``followed`` (for a group: their membership
    elsewhere), telling their server with ``Reject``, as a group moderator's refusal does;
    commits."""
    from quarter_node.social import services as _social

    _social.reject_follow(follower, followed)


def post_addressees(post: Post) -> list[Actor]:
    """The actors a post is explicitly addressed to (people named, a group elsewhere it was
    written into), in the order they were added."""
    return _addressing.addressees_of(post)


def followed_actor_ids(user: User) -> Select[tuple[int]]:
    """A SELECT of the ids of the actors ``user`` follows (accepted follows of people and
    groups, here or elsewhere), for ``column.in_(...)`` in a plugin's home timeline query."""
    return _followed_ids(user)


def store_image(file_storage: Any, *, owner: Actor, alt_text: str = "") -> Media:
    """Check, clean (EXIF dropped, re-encoded) and store an uploaded picture for a plugin
    object; returns the added, uncommitted ``Media`` row. Raises ``InvalidInput`` for
    anything that is not a usable image. The file follows the transaction: it is removed
    when the transaction fails, and when the row is deleted (``delete_image``)."""
    return _media.store_image(file_storage, owner=owner, purpose="plugin", alt_text=alt_text)


def delete_image(media: Media) -> None:
    """Delete a stored picture; its file goes when the deletion is committed."""
    _media.delete_media(media)


def image_response(media: Media) -> Any:
    """A response sending a stored picture. The plugin checks who may see it first: the
    core's ``/media/`` URL does not serve plugin pictures."""
    response = send_from_directory(
        _media.upload_dir(), media.storage_name, mimetype=media.mime_type
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def notify(
    recipient: Actor, kind: str, *, actor: Actor | None = None, subject: str = "", text: str = ""
) -> Notification | None:
    """Add a notification of the plugin's own ``kind`` (named ``"<plugin>.<kind>"``) for a
    local person, in the caller's transaction. ``subject`` says what it is about in the
    plugin's terms (e.g. ``"event:42"``), ``text`` is shown below the sentence; the plugin's
    hook ``quarter_notification_text`` writes the sentence and link. As for the core's own
    notifications: nobody hears of their own actions or of someone blocked, and remote
    actors get none (returns None then)."""
    if "." not in kind:
        raise ValueError("a plugin's notification kind is named '<plugin>.<kind>'")
    return _notifications.notify(recipient, kind, actor=actor, subject=subject, text=text)


def mail_configured() -> bool:
    """Whether the node sends mail (an SMTP server is set); without it mail is only logged."""
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(user: User, subject: str, body: str) -> None:
    """Queue a plain-text mail to a member (delivered by the worker). Render ``subject``
    and ``body`` inside ``in_language_of(user)`` so they are in the recipient's language."""
    _send_mail(user.email, subject, body)


def node_name() -> str:
    """The node's name as its admins set it (for titles of feeds and pages)."""
    return str(_node_settings().name or "")


def safe_http_get(
    url: str, *, headers: dict[str, str] | None = None, max_bytes: int = 2 * 1024 * 1024
) -> Response:
    """GET ``url`` through the core's guarded client: http(s) only, timeouts, at most
    ``max_bytes``, every redirect re-checked, no special-use addresses (loopback only in
    development mode). Returns an answer with ``url``, ``status``, ``headers``, ``body``
    and ``header(name)``; raises ``federation.errors.FetchError`` when the request fails."""
    return _remote.guarded_client(max_bytes).get(url, headers=headers)


def map_places(viewer: User | None) -> list[MapPlace]:
    """Every ``MapPlace`` the enabled plugins show ``viewer`` (their ``quarter_map_places``)."""
    answers = call_hook("quarter_map_places", viewer=viewer)
    return [place for answer in answers if answer for place in answer]


def content_security_policy(*, image_origins: tuple[str, ...] = ()) -> str:
    """The node's Content-Security-Policy with pictures also allowed from ``image_origins``
    (``"https://tile.example"``). A page that shows pictures from elsewhere (map tiles)
    sets it as its response's ``Content-Security-Policy`` header; the node keeps a header
    a view has set."""
    from quarter_node.app import CONTENT_SECURITY_POLICY

    if not image_origins:
        return CONTENT_SECURITY_POLICY
    extra = " ".join(sorted(set(image_origins)))
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {extra}")


def activity_records(since: datetime) -> list[ActivityRecord]:
    """The ``ActivityRecord``s of every enabled plugin since ``since`` (their hook
    ``quarter_activity_records``): what plugins add to activity figures besides posts."""
    answers = call_hook("quarter_activity_records", since=since)
    return [record for answer in answers for record in answer or ()]


def delivery_health(
    hosts: Iterable[str], failed_since: datetime | None = None
) -> dict[str, HostDeliveryHealth]:
    """How delivery to each of ``hosts`` (``"host[:port]"``) is going: per host a
    ``HostDeliveryHealth`` with ``failed`` (gave up, since ``failed_since`` if given),
    ``retrying`` (pending after a failed attempt), ``pending``, ``oldest_pending``,
    ``unavailable`` (the node waits for a probe before trying again), ``last_success_at``
    and ``healthy``. Hosts never delivered to come back with zeros."""
    return _delivery_health.delivery_health(hosts, failed_since)


__all__ = [
    "ActivityRecord",
    "node_command",
    "instance_actor",
    "use_allowlist",
    "set_host_allowlisted",
    "instance_unfollow",
    "instance_follow_state",
    "instance_follow",
    "enable_relay",
    "drop_instance_follower",
    "accept_instance_follower",
    "Actor",
    "BadFetchSignature",
    "Conflict",
    "Group",
    "HandlerContext",
    "HostDeliveryHealth",
    "InboundHandler",
    "InvalidInput",
    "MapPlace",
    "Media",
    "Notification",
    "NavItem",
    "NotFound",
    "PermissionDenied",
    "Post",
    "Role",
    "SearchDocument",
    "SearchKind",
    "SearchRequest",
    "SearchResult",
    "SettingField",
    "TimelineEntry",
    "TimelineKind",
    "TimelineWindow",
    "UTCDateTime",
    "User",
    "_",
    "_l",
    "absolute_url",
    "activity_json",
    "activity_records",
    "activity_not_found",
    "actor_uri",
    "base_url",
    "blocked_either_way",
    "blocked_either_way_filter",
    "content_security_policy",
    "can_see_group_content",
    "create_group",
    "crontab",
    "current_account",
    "db",
    "delete_image",
    "delivery_health",
    "fetch_remote_actor",
    "fetch_remote_document",
    "fetch_signer",
    "followed_actor_ids",
    "find_actor",
    "find_group",
    "followers_uri",
    "group_audience",
    "group_moderators",
    "hookimpl",
    "image_response",
    "in_group_audience",
    "index_for_search",
    "in_language_of",
    "inboxes_reached",
    "is_enabled",
    "is_followed_here",
    "is_group_member",
    "is_group_moderator",
    "job",
    "kept_as_public",
    "mail_configured",
    "map_places",
    "member_group_ids",
    "new_activity_id",
    "node_name",
    "ngettext",
    "notify",
    "object_to_ap",
    "periodic_job",
    "plugin_setting",
    "post_addressees",
    "post_page",
    "record_audit",
    "remove_follower",
    "remove_from_search",
    "render_markdown",
    "require_role",
    "safe_http_get",
    "search_index",
    "sanitize_remote_html",
    "send_activity",
    "send_mail",
    "serve_activity_json",
    "signals",
    "store_image",
    "utcnow",
]
