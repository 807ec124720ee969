"""Directory entries: what a node tells the network about its initiative, and how such an
entry from elsewhere is read into a ``NetworkNode`` without trusting its shape."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from quarter_node.plugin_api import base_url, node_name

from .models import NetworkNode
from .settings import coordinate, setting

TEXT_LIMITS = {"name": 200, "quarter": 200, "contact": 300, "summary": 5000, "website": 2048}


def own_domain() -> str:
    """This node's host with port, as other nodes see it ("127.0.0.1:8001")."""
    return urlsplit(base_url()).netloc.lower()


def own_entry() -> dict[str, Any]:
    """This node's directory entry (``qn:profile`` of its ``Join``)."""
    return {
        "name": node_name(),
        "quarter": setting("quarter"),
        "topics": [t.strip() for t in setting("topics").split(",") if t.strip()],
        "contact": setting("contact"),
        "summary": setting("summary"),
        "url": base_url(),
        "latitude": coordinate("latitude"),
        "longitude": coordinate("longitude"),
    }


def entry_of(node: NetworkNode) -> dict[str, Any]:
    """A member as ``/network/directory.json`` lists it."""
    return {
        "domain": node.domain,
        "actor": node.actor_uri,
        "name": node.name,
        "quarter": node.quarter,
        "topics": node.topic_list,
        "contact": node.contact,
        "summary": node.summary,
        "url": node.website,
        "latitude": node.latitude,
        "longitude": node.longitude,
    }


def read_entry(node: NetworkNode, entry: Any) -> None:
    """Copy a received entry onto ``node``: strings cut to their column, topics joined,
    coordinates only when they are numbers on the globe; anything else is ignored."""
    if not isinstance(entry, dict):
        return
    for key, limit in TEXT_LIMITS.items():
        value = entry.get("url" if key == "website" else key)
        setattr(node, key, value.strip()[:limit] if isinstance(value, str) else "")
    if node.website and not node.website.startswith(("https://", "http://")):
        node.website = ""
    topics = entry.get("topics")
    if isinstance(topics, list):
        node.topics = ", ".join(str(t).strip() for t in topics if str(t).strip())[:500]
    node.latitude = _number(entry.get("latitude"), 90)
    node.longitude = _number(entry.get("longitude"), 180)


def _number(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if -limit <= value <= limit else None
