"""``/network/search``: the node's full-text search over what the members published,
narrowed by quarter and topic (the servers of the matching members), type and date.

The core search does the finding and applies who may see what; this page only turns a
quarter or topic into the set of member servers (``author_domains``) and labels each hit
with the initiative it comes from."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import select

from quarter_node.plugin_api import (
    Actor,
    InvalidInput,
    SearchRequest,
    _,
    db,
    is_enabled,
    search_index,
)

from . import aggregation
from .blueprint import bp
from .models import NetworkNode

FIELDS = ("q", "type", "quarter", "topic", "from", "to")


@bp.get("/network/search")
def search() -> tuple[str, int]:
    aggregation.require_coordination()
    args = request.args
    by_domain = aggregation.nodes_by_domain()
    nodes = list(by_domain.values())
    form = {key: args.get(key, "").strip() for key in FIELDS}
    result, error, status = None, None, 200
    if "q" in args:
        try:
            result = search_index(_request(form, _chosen(nodes, form), args))
        except InvalidInput as refused:
            error, status = refused.message, 400
    page = render_template(
        "network/search.html",
        form=form,
        result=result,
        error=error,
        quarters=sorted({node.quarter for node in nodes if node.quarter}),
        topics=sorted({topic for node in nodes for topic in node.topic_list}),
        kinds=_kinds(),
        origins=_origins(result, by_domain),
    )
    return page, status


def _chosen(nodes: list[NetworkNode], form: dict[str, str]) -> frozenset[str]:
    """The member servers of the chosen quarter and topic (all members when none)."""
    quarter, topic = form["quarter"].casefold(), form["topic"].casefold()
    if quarter and not any(node.quarter.casefold() == quarter for node in nodes):
        raise InvalidInput(_("No member initiative is in this quarter."))
    if topic and not any(topic in _folded(node.topic_list) for node in nodes):
        raise InvalidInput(_("No member initiative works on this topic."))
    return frozenset(
        node.domain
        for node in nodes
        if (not quarter or node.quarter.casefold() == quarter)
        and (not topic or topic in _folded(node.topic_list))
    )


def _kinds() -> list[tuple[str, str]]:
    """The types one may search for: posts, and events while the events plugin is on."""
    kinds = [("posts", _("Posts"))]
    if is_enabled("events"):
        kinds.append(("events", _("Events")))
    return kinds


def _folded(topics: list[str]) -> set[str]:
    return {topic.casefold() for topic in topics}


def _request(form: dict[str, str], domains: frozenset[str], args: Any) -> SearchRequest:
    return SearchRequest(
        query=form["q"],
        kind=form["type"],
        date_from=form["from"],
        date_to=form["to"],
        page=args.get("page", 1, type=int) or 1,
        author_domains=domains,
    )


def _origins(result: Any, nodes: dict[str, NetworkNode]) -> dict[int, NetworkNode]:
    """The member each hit's author belongs to, by author id (one query)."""
    if result is None:
        return {}
    ids = {hit.author_id for hit in result.hits if hit.author_id is not None}
    rows = db.session.execute(select(Actor.id, Actor.domain).where(Actor.id.in_(ids)))
    return {actor_id: nodes[domain] for actor_id, domain in rows if domain in nodes}
