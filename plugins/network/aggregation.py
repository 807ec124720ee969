"""What the coordination node aggregates: the public posts and events of the people on
its approved member nodes.

Such content arrives through the relay subscription of each member, from authors nobody
here follows; the core would drop it. The network plugin answers the core's
``quarter_keeps_public_content`` for these authors, so it is kept (public content only;
the core never asks about anything else). The pages then list it by the author's server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import abort
from sqlalchemy import ColumnElement, and_, func, select, true

from quarter_node.plugin_api import (
    Actor,
    Post,
    blocked_either_way_filter,
    current_account,
    db,
)

from .models import NetworkNode, NodeStatus
from .queries import member_nodes, node_for_domain
from .settings import is_coordination

PUBLIC = "public"  # ``Post.visibility`` of posts addressed to the public


def keeps_public_content(actor: Any) -> bool:
    """On the coordination node: whether ``actor`` is on an approved member node (one
    indexed lookup: the worker asks this for every public post that arrives)."""
    domain = getattr(actor, "domain", "") or ""
    if not domain or not is_coordination():
        return False
    node = node_for_domain(domain)
    return node is not None and node.status == NodeStatus.APPROVED


def require_coordination() -> None:
    """The aggregation pages exist on the coordination node only (404 elsewhere)."""
    if not is_coordination():
        abort(404)


def authors_on(domains: frozenset[str]) -> Any:
    """A SELECT of the ids of the actors stored from these servers (never correlated with
    an ``actors`` table of the enclosing query)."""
    return select(Actor.id).where(Actor.domain.in_(sorted(domains))).correlate(None)


def public_posts_of(domains: frozenset[str]) -> ColumnElement[bool]:
    """SQL condition: public, live posts by people on these servers."""
    return and_(
        Post.visibility == PUBLIC,
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
        Post.author_id.in_(authors_on(domains)),
    )


def nodes_by_domain() -> dict[str, NetworkNode]:
    """The approved members by their domain (to label what each one published)."""
    return {node.domain: node for node in member_nodes()}


def latest_posts(domains: frozenset[str], per_node: int = 3) -> dict[str, list[Post]]:
    """The newest public first posts of each member, by domain (the directory's recent
    activity), in one query however many members there are; what the reader keeps apart
    from by a block is left out."""
    newest_first = (Post.created_at.desc(), Post.id.desc())
    ranked = (
        select(
            Post.id,
            Actor.domain,
            func.row_number().over(partition_by=Actor.domain, order_by=newest_first).label("n"),
        )
        .join(Actor, Actor.id == Post.author_id)
        .where(public_posts_of(domains), Post.in_reply_to_id.is_(None), _not_blocked())
        .subquery()
    )
    query = (
        select(Post, ranked.c.domain)
        .join(ranked, ranked.c.id == Post.id)
        .where(ranked.c.n <= per_node)
        .order_by(*newest_first)
    )
    found: dict[str, list[Post]] = {}
    for post, domain in db.session.execute(query):
        found.setdefault(domain, []).append(post)
    return found


def _not_blocked() -> ColumnElement[bool]:
    viewer = current_account()
    if viewer is None:
        return true()
    return ~blocked_either_way_filter(viewer.actor_id, Post.author_id)


def last_post_at(domains: frozenset[str]) -> dict[str, datetime]:
    """When each of these members last published a public post, by domain (one query)."""
    query = (
        select(Actor.domain, func.max(Post.created_at))
        .join(Post, Post.author_id == Actor.id)
        .where(public_posts_of(domains))
        .group_by(Actor.domain)
    )
    return {domain: at for domain, at in db.session.execute(query) if at is not None}


def node_url(node: NetworkNode) -> str:
    """The member's own site: its stated web address, else its node's address."""
    if node.website.startswith(("https://", "http://")):
        return node.website
    parts = urlsplit(node.actor_uri)
    return f"{parts.scheme}://{parts.netloc}/" if parts.netloc else f"https://{node.domain}/"


def contact_url(contact: str) -> str | None:
    """A link for a directory contact: a web address as it is, an e-mail address as
    ``mailto:``; anything else is shown as text only."""
    value = contact.strip()
    if value.startswith(("https://", "http://")):
        return value
    if "@" in value and " " not in value and ":" not in value:
        return f"mailto:{value}"
    return None
