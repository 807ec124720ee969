"""Deliveries from people on member nodes, for the aggregation tests (fixtures in
``conftest.py``; the network's register comes from ``space_support``)."""

from __future__ import annotations

from typing import Any

import responses

from federation import vocabulary as v
from tests.activitypub.inbox.fakes import ACTIVITY_JSON, RemoteActor, deliver

OBERBILK = "http://127.0.0.1:59999"
FLINGERN = "http://127.0.0.1:59996"
OUTSIDE = "http://127.0.0.1:59995"


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
