"""A fake Quarter Node on loopback: its instance actor, and its directory when it
coordinates a network."""

from __future__ import annotations

import json

import responses

from federation import vocabulary as v
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from tests.activitypub.inbox.fakes import RemoteActor
from tests.plugins.network.space_support import host


def fake_node(peers: responses.RequestsMock, port: int, key_number: int = 0) -> RemoteActor:
    """The instance actor of ``http://127.0.0.1:<port>`` (served at ``/actor``)."""
    origin = f"http://127.0.0.1:{port}"
    actor = RemoteActor(
        "actor",
        origin=origin,
        kind=v.APPLICATION,
        key_number=key_number,
        fixed_uri=origin + "/actor",
    )
    return actor.serve(peers)


def serve_directory(
    peers: responses.RequestsMock, node: RemoteActor, members: list[dict] | None = None
) -> None:
    document = {
        "type": "QuarterNodeNetworkDirectory",
        "network": "Nachbarschaften vernetzen",
        "coordination": {"actor": node.uri},
        "members": members or [],
    }
    peers.upsert(
        responses.GET,
        node.origin + "/network/directory.json",
        body=json.dumps(document),
        content_type="application/json",
    )


def member_entry(node: RemoteActor, name: str) -> dict:
    domain = host(node.origin)
    return {"domain": domain, "actor": node.uri, "name": name, "topics": ["Umwelt"]}


def sent(kind: str) -> list[dict]:
    """The activities of ``kind`` this node sent (read afresh)."""
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == kind)
    )
    return [row.payload for row in rows]
