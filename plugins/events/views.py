"""The pages that show events: upcoming and past lists, month and week calendar, the
event page (with its JSON-LD) and its picture. Thin: parse, ask ``queries``, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from quarter_node.plugin_api import can_see_group_content, current_account, image_response, utcnow

from . import calendar_grid as grid
from . import links
from .blueprint import bp
from .categories import configured_categories
from .jsonld import event_jsonld, jsonld_script_content
from .lookups import chosen_occurrence, local_group, visible_event_or_404
from .permissions import can_create_event, can_edit_event
from .queries import EventFilters, known_places, occurrences_between, past, upcoming
from .recurrence import occurrences

HOME_TEASER_SIZE = 3


def _filters(group: Any = None) -> tuple[EventFilters, Any]:
    """The filters of the query string (``category``, ``group``, ``place``)."""
    group = group or local_group(request.args.get("group"))
    if request.args.get("group") and group is None:
        abort(404)
    if group is not None and not can_see_group_content(current_account(), group):
        abort(404)
    category = request.args.get("category") or None
    if category is not None and category not in configured_categories():
        abort(404)
    place = (request.args.get("place") or "").strip() or None
    return EventFilters(category, group.id if group else None, place), group


def _feed_links(filters: EventFilters, group: Any) -> list[links.FeedLink]:
    found = [links.node_feed()]
    if group is not None:
        found.append(links.group_feed(group))
    if filters.category:
        found.append(
            links.category_feed(filters.category, configured_categories()[filters.category])
        )
    return found


def _listing(template: str, group: Any = None, **context: Any) -> str:
    filters, group = _filters(group)
    user = current_account()
    return render_template(
        template,
        filters=filters,
        group=group,
        feeds=_feed_links(filters, group),
        categories=configured_categories(),
        places=known_places(user),
        may_create=can_create_event(user, group),
        **context,
    )


@bp.get("/events")
def index() -> str:
    filters, _group = _filters()
    found = upcoming(current_account(), utcnow(), filters)
    return _listing("events/index.html", occurrences=found, showing="upcoming")


@bp.get("/groups/<handle>/events")
def group_events(handle: str) -> str:
    group = local_group(handle)
    if group is None:
        abort(404)
    filters, group = _filters(group)
    found = upcoming(current_account(), utcnow(), filters)
    return _listing("events/index.html", group=group, occurrences=found, showing="upcoming")


@bp.get("/events/past")
def past_events() -> str:
    filters, _group = _filters()
    found = past(current_account(), utcnow(), filters)
    return _listing("events/index.html", occurrences=found, showing="past")


@bp.get("/events/calendar")
def month() -> str:
    filters, _group = _filters()
    first = grid.parse_month(request.args.get("month"), utcnow().astimezone(grid.ZONE).date())
    found = occurrences_between(current_account(), *grid.month_window(first), filters)
    return _listing(
        "events/month.html",
        first=first,
        weeks=grid.month_grid(first, found),
        previous=grid.previous_month(first),
        following=grid.next_month(first),
        today=utcnow().astimezone(grid.ZONE).date(),
    )


@bp.get("/events/week")
def week() -> str:
    filters, _group = _filters()
    monday = grid.parse_week(request.args.get("week"), utcnow().astimezone(grid.ZONE).date())
    start = grid.local_midnight(monday)
    end = grid.local_midnight(monday + timedelta(days=7))
    found = occurrences_between(current_account(), start, end, filters)
    return _listing(
        "events/week.html",
        monday=monday,
        days=grid.week_days(monday, found),
        previous=grid.week_key(monday - timedelta(days=7)),
        following=grid.week_key(monday + timedelta(days=7)),
        week_key=grid.week_key(monday),
        today=utcnow().astimezone(grid.ZONE).date(),
    )


@bp.get("/events/<int:event_id>")
def show(event_id: int) -> str:
    user = current_account()
    event = visible_event_or_404(user, event_id)
    now = utcnow()
    occurrence = chosen_occurrence(event, request.args.get("occurrence"), now)
    image_url = links.event_image_url(event) if event.image_id or event.image_url else None
    series = occurrences(event, now, now + timedelta(days=366)) if event.is_recurring else []
    return render_template(
        "events/show.html",
        event=event,
        occurrence=occurrence,
        series=series[:20],
        jsonld=jsonld_script_content(event_jsonld(occurrence, image_url)),
        may_edit=can_edit_event(user, event),
        feeds=[links.node_feed()],
        image_url=image_url,
    )


@bp.get("/events/<int:event_id>/image")
def image(event_id: int) -> Response:
    event = visible_event_or_404(current_account(), event_id)
    if event.image is None:
        abort(404)
    return image_response(event.image)  # type: ignore[no-any-return]


def home_teaser(user: Any) -> str:
    """The next few events and a link to the calendar, for the node's home page."""
    found = upcoming(user, utcnow(), limit=HOME_TEASER_SIZE)
    return render_template("events/_home_teaser.html", occurrences=found)
