"""Deliveries from people on member nodes and the network's register, for the aggregation
tests (fixtures in ``conftest.py``)."""

from __future__ import annotations

from typing import Any

import responses

from federation import vocabulary as v
from plugins.network.models import NetworkNode, NodeStatus
from quarter_node.extensions import db
from quarter_node.plugins.services import save_plugin_settings_by_operator
from tests.activitypub.inbox.fakes import ACTIVITY_JSON, RemoteActor, deliver

OBERBILK = "http://127.0.0.1:59999"
FLINGERN = "http://127.0.0.1:59996"
OUTSIDE = "http://127.0.0.1:59995"


def make_coordination() -> None:
    save_plugin_settings_by_operator("network", {"role": "coordination"})
    db.session.commit()


def add_member(origin: str, **entry: Any) -> NetworkNode:
    """An approved member node at ``origin``."""
    domain = origin.split("://", 1)[1]
    node = NetworkNode(
        domain=domain, actor_uri=f"{origin}/actor", status=NodeStatus.APPROVED, **entry
    )
    db.session.add(node)
    db.session.commit()
    return node


def publish(client, author: RemoteActor, text: str, **more: Any) -> dict[str, Any]:  # noqa: ANN001
    """``author`` delivers a public Create(Note) (by default) to this node's inbox."""
    more.setdefault("to", [v.PUBLIC])
    more.setdefault("cc", [f"{author.uri}/followers"])
    note = author.note(text, **more)
    response = deliver(client, author, author.create(note))
    assert response.status_code == 202, response.get_data(as_text=True)
    return note


def publish_event(client, peers, author: RemoteActor, name: str, **more: Any) -> dict[str, Any]:  # noqa: ANN001
    """``author`` delivers a public Create(Event) to this node's inbox."""
    event_id = author.new_id("events")
    document = {
        "id": event_id,
        "type": v.EVENT,
        "attributedTo": author.uri,
        "name": name,
        "content": f"<p>{name} für alle.</p>",
        "startTime": "2027-06-15T14:00:00+02:00",
        "endTime": "2027-06-15T17:00:00+02:00",
        "to": [v.PUBLIC],
        "cc": [f"{author.uri}/followers"],
        "url": event_id,
        **more,
    }
    peers.upsert(responses.GET, event_id, json=document, content_type=ACTIVITY_JSON)
    activity = author.activity("Create", document, to=document["to"], cc=document["cc"])
    response = deliver(client, author, activity)
    assert response.status_code == 202, response.get_data(as_text=True)
    return document
