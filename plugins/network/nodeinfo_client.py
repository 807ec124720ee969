"""Reading a member node's NodeInfo: what software it runs and how many people use it.

Two GETs through the core's guarded client: ``/.well-known/nodeinfo`` names the document,
the document (2.1 preferred, 2.0 accepted) has the figures. The document must live on the
member's own host, so a member cannot make the coordination node fetch somewhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from federation.errors import FederationError, InvalidDocument
from federation.nodeinfo import nodeinfo_url, parse_nodeinfo
from quarter_node.plugin_api import safe_http_get

from .models import NetworkNode

MAX_BYTES = 256 * 1024  # NodeInfo documents are a few hundred bytes


@dataclass(frozen=True)
class NodeReading:
    """What one NodeInfo document said (counts a node leaves out are ``None``)."""

    software: str
    version: str
    users_total: int | None
    active_month: int | None
    local_posts: int | None


def base_url(node: NetworkNode) -> str:
    """``scheme://domain`` of a member, the scheme taken from its instance actor's id."""
    scheme = urlsplit(node.actor_uri).scheme if node.actor_uri else ""
    return f"{scheme if scheme in ('http', 'https') else 'https'}://{node.domain}"


def read_nodeinfo(node: NetworkNode) -> NodeReading:
    """Fetch and read ``node``'s NodeInfo; raises ``FederationError`` (``FetchError`` or
    ``InvalidDocument``) when the node does not answer with a usable document."""
    links = _get_json(base_url(node) + "/.well-known/nodeinfo")
    document_url = nodeinfo_url(links)
    if (urlsplit(document_url).netloc or "").lower() != node.domain.lower():
        raise InvalidDocument(f"NodeInfo of {node.domain} points to another host")
    return reading_from(_get_json(document_url))


def reading_from(document: Any) -> NodeReading:
    """The figures of a NodeInfo 2.0/2.1 document (``InvalidDocument`` without software)."""
    info = parse_nodeinfo(document)
    usage = _mapping(document.get("usage"))
    users = _mapping(usage.get("users"))
    return NodeReading(
        software=info.software[:100],
        version=(info.version or "")[:100],
        users_total=_count(users.get("total")),
        active_month=_count(users.get("activeMonth")),
        local_posts=_count(usage.get("localPosts")),
    )


def _get_json(url: str) -> Any:
    response = safe_http_get(url, headers={"Accept": "application/json"}, max_bytes=MAX_BYTES)
    if response.status != 200:
        raise InvalidDocument(f"{url} answered {response.status}")
    try:
        return json.loads(response.body)
    except ValueError as error:
        raise InvalidDocument(f"{url} is not JSON") from error


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _count(value: Any) -> int | None:
    """A count as NodeInfo has it: a non-negative integer (booleans are not counts)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


__all__ = ["FederationError", "NodeReading", "base_url", "read_nodeinfo", "reading_from"]
