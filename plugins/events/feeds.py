"""The iCalendar feeds: the node's, a group's, a category's, a member's (what she
organises) and the personal one behind a secret token (what she organises or signed up
for). Paths are built in ``links.py``; the listing pages advertise them.

Public feeds show what a visitor may see, whoever asks (calendar apps send no cookies,
and a cached feed must not leak). Every feed answers conditional requests with 304.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from sqlalchemy import and_, select
from werkzeug.http import http_date

from quarter_node.plugin_api import Actor, _, can_see_group_content, db, node_name

from . import feed_tokens, links
from .blueprint import bp
from .categories import configured_categories
from .feed_export import FeedSpec, feed_document, feed_version
from .lookups import local_group
from .models import Event, EventCategory
from .my_events import personal_feed_filter, signed_up_dates
from .visibility import visible_events_filter

CONTENT_TYPE = "text/calendar; charset=utf-8"
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=300"


def _public() -> Any:
    return visible_events_filter(None)


def _title(what: str) -> str:
    name = node_name()
    return f"{what} – {name}" if name else what


@bp.get("/events/calendar.ics")
def node_feed() -> Response:
    spec = FeedSpec("node", _public(), _title(_("Events")), links.absolute("/events"))
    return _serve(spec, PUBLIC_CACHE)


@bp.get("/events/groups/<handle>.ics")
def group_feed(handle: str) -> Response:
    group = local_group(handle)
    if group is None or not can_see_group_content(None, group):
        abort(404)
    spec = FeedSpec(
        f"group:{group.id}",
        and_(_public(), Event.group_id == group.id),
        _title(group.actor.name),
        links.absolute(f"/groups/{group.actor.handle}/events"),
    )
    return _serve(spec, PUBLIC_CACHE)


@bp.get("/events/categories/<slug>.ics")
def category_feed(slug: str) -> Response:
    label = configured_categories().get(slug)
    if label is None:
        abort(404)
    in_category = Event.id.in_(select(EventCategory.event_id).where(EventCategory.category == slug))
    spec = FeedSpec(
        f"category:{slug}",
        and_(_public(), in_category),
        _title(label),
        links.absolute(f"/events?category={slug}"),
    )
    return _serve(spec, PUBLIC_CACHE)


@bp.get("/@<handle>/events.ics")
def member_feed(handle: str) -> Response:
    actor = db.session.scalar(
        select(Actor).where(Actor.handle == handle.lower(), Actor.domain == "")
    )
    if actor is None:
        abort(404)
    spec = FeedSpec(
        f"member:{actor.id}",
        and_(_public(), Event.organizer_id == actor.id),
        _title(actor.name),
        links.absolute(f"/@{actor.handle}"),
    )
    return _serve(spec, PUBLIC_CACHE)


@bp.get("/events/feeds/<token>.ics")
def personal_feed(token: str) -> Response:
    user = feed_tokens.member_for_token(token)
    if user is None:
        abort(404)
    dates = signed_up_dates(user.actor_id)
    spec = FeedSpec(
        f"personal:{user.actor_id}:{token}",
        personal_feed_filter(user),
        _title(_("My events")),
        links.absolute("/events"),
        dates=dates,
        extra_version=repr(sorted((k, sorted(v)) for k, v in dates.items())),
    )
    return _serve(spec, PRIVATE_CACHE)


def _serve(spec: FeedSpec, cache_control: str) -> Response:
    """The feed, or 304 when the client's copy (by ETag, else by date) is current."""
    etag, last_modified = feed_version(spec)
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if last_modified is not None:  # (werkzeug would write "now" for None)
        headers["Last-Modified"] = http_date(last_modified)
    not_modified = Response(status=304, headers=headers)
    if request.if_none_match:
        if request.if_none_match.contains_weak(etag.strip('"')):
            return not_modified
    elif last_modified and request.if_modified_since and request.if_modified_since >= last_modified:
        return not_modified
    document = feed_document(spec, (etag, last_modified))
    response = Response(document.body, headers=headers, content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = "inline; filename=calendar.ics"
    return response
