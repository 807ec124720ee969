"""The network's directory on the coordination node: public JSON for machines (quarter
nodes mirror it). Other nodes answer 404: that is how an applying
quarter knows it did not reach a coordination node. The page for people is
``/network/directory`` (``aggregation_views``)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from quarter_node.plugin_api import actor_uri, base_url, instance_actor

from .aggregation import require_coordination
from .blueprint import bp
from .discovery import DIRECTORY_TYPE
from .entries import entry_of, own_domain
from .queries import member_nodes
from .settings import setting


def directory_document() -> dict[str, Any]:
    return {
        "type": DIRECTORY_TYPE,
        "network": setting("network_name"),
        "coordination": {
            "domain": own_domain(),
            "actor": actor_uri(instance_actor()),
            "url": base_url(),
        },
        "members": [entry_of(node) for node in member_nodes()],
    }


@bp.get("/network/directory.json")
def directory_json() -> Any:
    require_coordination()
    response = jsonify(directory_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
