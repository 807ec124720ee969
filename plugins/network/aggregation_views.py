"""The coordination node's public pages of what its members publish: the network's
timeline, its calendar and the directory of initiatives. Thin: check the role, ask
``aggregation`` and ``events_bridge``, render. On a quarter node they answer 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template, request

from quarter_node.plugin_api import current_account, post_page

from . import aggregation, events_bridge
from .blueprint import bp
from .models import NetworkNode


@bp.get("/network")
def timeline() -> str:
    aggregation.require_coordination()
    nodes = aggregation.nodes_by_domain()
    page = post_page(aggregation.public_posts_of(frozenset(nodes)))
    return render_template(
        "network/timeline.html", page=page, nodes=nodes, viewer=current_account()
    )


@bp.get("/network/calendar")
def calendar() -> str:
    aggregation.require_coordination()
    nodes = aggregation.nodes_by_domain()
    month = events_bridge.month_of_events(request.args.get("month"), frozenset(nodes))
    return render_template("network/calendar.html", month=month, nodes=nodes)


@bp.get("/network/directory")
def directory() -> str:
    aggregation.require_coordination()
    nodes = aggregation.nodes_by_domain()
    domains = frozenset(nodes)
    last = _last_activity(domains)
    posts = aggregation.latest_posts(domains)
    events = events_bridge.upcoming_events(domains)
    entries = [
        _entry(node, last.get(d), posts.get(d, []), events.get(d, [])) for d, node in nodes.items()
    ]
    return render_template("network/directory.html", entries=entries)


def _last_activity(domains: frozenset[str]) -> dict[str, datetime]:
    posts = aggregation.last_post_at(domains)
    events = events_bridge.last_event_at(domains)
    return {d: max(at) for d in domains if (at := [*_one(posts, d), *_one(events, d)])}


def _one(found: dict[str, datetime], domain: str) -> list[datetime]:
    return [found[domain]] if domain in found else []


def _entry(
    node: NetworkNode, last_activity: datetime | None, posts: list[Any], events: list[Any]
) -> dict[str, object]:
    """What the directory shows of one initiative."""
    return {
        "node": node,
        "url": aggregation.node_url(node),
        "contact_url": aggregation.contact_url(node.contact),
        "posts": posts,
        "events": events,
        "last_activity": last_activity,
    }
