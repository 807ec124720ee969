"""A plugin module for the manager's tests: hooks only, no models, no blueprints."""

from __future__ import annotations

from quarter_node.plugin_api import NavItem, hookimpl


@hookimpl
def quarter_navigation(user: object) -> list[NavItem]:
    return [NavItem("Sample", "web.node_page", {"page": "about"})]


@hookimpl
def quarter_object_to_ap(obj: object) -> dict[str, str] | None:
    return {"type": "Note", "content": "sample"} if obj == "sample object" else None
