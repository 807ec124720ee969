"""What the coordination node's instance actor tells members: the answer to an
application (``Accept``/``Reject`` embedding the ``Join``) and changes of the directory
(``Add``/``Remove`` of a member's instance actor, target the directory), after which
members fetch ``/network/directory.json`` again."""

from __future__ import annotations

from quarter_node.plugin_api import (
    Actor,
    actor_uri,
    base_url,
    find_actor,
    instance_actor,
    new_activity_id,
    send_activity,
)

from .discovery import DIRECTORY_PATH
from .models import NetworkNode, NodeStatus
from .queries import member_nodes

CONTEXT = ["https://www.w3.org/ns/activitystreams"]


def send_answer(kind: str, node: NetworkNode, actor: Actor) -> None:
    """``Accept`` or ``Reject`` of the node's ``Join`` (a removal is a late ``Reject``)."""
    me = instance_actor()
    join = {
        "id": node.application_uri or "",
        "type": "Join",
        "actor": node.actor_uri,
        "object": actor_uri(me),
    }
    answer = {
        "@context": CONTEXT,
        "id": new_activity_id(kind.lower()),
        "type": kind,
        "actor": actor_uri(me),
        "object": join,
        "to": [node.actor_uri],
    }
    send_activity(me, answer, recipients=[actor])


def announce(kind: str, node: NetworkNode) -> None:
    """``Add``/``Remove`` of ``node`` to every approved member but ``node`` itself."""
    me = instance_actor()
    others = [m for m in member_nodes(NodeStatus.APPROVED) if m.id != node.id]
    recipients = [a for a in (find_actor(m.actor_uri) for m in others) if a is not None]
    if not recipients:
        return
    notice = {
        "@context": CONTEXT,
        "id": new_activity_id(kind.lower()),
        "type": kind,
        "actor": actor_uri(me),
        "object": node.actor_uri,
        "target": base_url() + DIRECTORY_PATH,
        "to": [r.uri for r in recipients],
    }
    send_activity(me, notice, recipients=recipients)
