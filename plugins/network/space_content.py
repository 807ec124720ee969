"""What the sections of the exchange space list: announcements, discussions, people by
topic. Read-only queries; the caller has checked that the viewer may read the space."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import select

from quarter_node.plugin_api import (
    Actor,
    Group,
    Post,
    User,
    blocked_either_way_filter,
    db,
    group_audience,
)

from .models import NetworkNode

SECTION_LIMIT = 20
# A hashtag in a profile text: letters first (so "&#39;" in HTML is none), then word chars.
HASHTAG = re.compile(r"(?<![&\w])#([^\W\d_][\w-]{0,49})")


def _top_level_posts(space: Group, viewer: User | None):  # noqa: ANN202  (a Select[Post])
    query = select(Post).where(
        Post.group_id == space.id,
        Post.in_reply_to_id.is_(None),
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
    )
    if viewer is not None:
        query = query.where(~blocked_either_way_filter(viewer.actor_id, Post.author_id))
    return query.order_by(Post.created_at.desc(), Post.id.desc()).limit(SECTION_LIMIT)


def announcements(space: Group, viewer: User | None, team: set[int]) -> list[Post]:
    """The newest top-level posts of the project team (``team``: ids of the space's owners
    and moderators, ``space.team_ids``)."""
    if not team:
        return []
    return list(db.session.scalars(_top_level_posts(space, viewer).where(Post.author_id.in_(team))))


def discussions(space: Group, viewer: User | None, team: set[int]) -> list[Post]:
    """The newest threads the members outside ``team`` started."""
    query = _top_level_posts(space, viewer)
    if team:
        query = query.where(Post.author_id.not_in(team))
    return list(db.session.scalars(query))


def stated_topics(actor: Actor) -> list[str]:
    """The topics a person states: the hashtags in their profile text, as written."""
    seen: dict[str, str] = {}
    for tag in HASHTAG.findall(actor.bio or ""):
        seen.setdefault(tag.lower(), tag)
    return list(seen.values())


def topics_of(actor: Actor, nodes: dict[str, NetworkNode]) -> list[str]:
    """Their own topics, else those of their initiative (the directory entry of their node,
    looked up in ``nodes`` by domain)."""
    stated = stated_topics(actor)
    if stated or not actor.domain:
        return stated
    node = nodes.get(actor.domain.lower())
    return node.topic_list if node is not None else []


def _nodes_of(actors: list[Actor]) -> dict[str, NetworkNode]:
    """The known nodes of these actors' servers, by domain (one query)."""
    domains = {actor.domain.lower() for actor in actors if actor.domain}
    if not domains:
        return {}
    found = db.session.scalars(select(NetworkNode).where(NetworkNode.domain.in_(domains)))
    return {node.domain: node for node in found}


def people_by_topic(space: Group) -> list[tuple[str, list[Actor]]]:
    """The space's members grouped by topic (a person with several topics appears under
    each; people without any under ``""``), topics in alphabetical order."""
    grouped: dict[str, list[Actor]] = defaultdict(list)
    names: dict[str, str] = {}
    audience = list(group_audience(space))
    nodes = _nodes_of(audience)
    for actor in audience:
        for topic in topics_of(actor, nodes) or [""]:
            key = topic.casefold()
            names.setdefault(key, topic)
            grouped[key].append(actor)
    order = sorted(grouped, key=lambda key: (key == "", key))
    return [(names[key], grouped[key]) for key in order]
