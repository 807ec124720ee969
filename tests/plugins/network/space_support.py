"""A network as the join protocol leaves it, written straight into the tables, for the
exchange space's tests: this node's role, its member nodes, its membership."""

from __future__ import annotations

from typing import Any

from plugins.network.models import NetworkMembership, NetworkNode, NodeStatus
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import ActorKey
from quarter_node.extensions import db
from quarter_node.plugins.services import save_plugin_settings_by_operator
from tests.activitypub.inbox.fakes import RemoteActor

MEMBER = "http://127.0.0.2:59998"  # a member node of the network
COORDINATION = "http://127.0.0.3:59997"  # the coordination node (seen from a quarter)
OUTSIDE = "http://127.0.0.1:59999"  # the fakes' default origin: not in the network


def host(origin: str) -> str:
    return origin.split("://", 1)[1]


def be_coordination(*members: str) -> None:
    save_plugin_settings_by_operator("network", {"role": "coordination"})
    for origin in members:
        add_node(origin)
    db.session.commit()


def be_quarter_member(coordination: str = COORDINATION, *others: str) -> None:
    """An approved member of the network ``coordination`` runs, with ``others`` listed."""
    db.session.add(
        NetworkMembership(
            coordination_uri=f"{coordination}/actor",
            domain=host(coordination),
            status="approved",
            application_uri=f"http://localhost/activities/join/{len(others)}",
        )
    )
    for origin in others:
        add_node(origin)
    db.session.commit()


def add_node(origin: str, status: str = NodeStatus.APPROVED, **entry: Any) -> NetworkNode:
    """A node at ``origin`` in the register (approved unless told otherwise), not committed."""
    node = NetworkNode(domain=host(origin), actor_uri=f"{origin}/actor", status=status, **entry)
    db.session.add(node)
    return node


def add_member(origin: str, **entry: Any) -> NetworkNode:
    """An approved member node at ``origin``, committed."""
    node = add_node(origin, **entry)
    db.session.commit()
    return node


def instance_actor(origin: str, key_number: int = 2) -> RemoteActor:
    """The instance actor of a node at ``origin``, stored with its key (as after a fetch)."""
    fake = RemoteActor("actor", origin=origin, key_number=key_number, fixed_uri=f"{origin}/actor")
    actor = Actor(
        kind=ActorKind.APPLICATION,
        handle=host(origin).replace(".", "_").replace(":", "_"),
        domain=host(origin),
        uri=fake.uri,
        inbox_url=f"{origin}/actor/inbox",
    )
    db.session.add(actor)
    db.session.flush()
    db.session.add(ActorKey(actor_id=actor.id, key_id=fake.key_id, public_pem=fake.keys.public_pem))
    db.session.commit()
    return fake
