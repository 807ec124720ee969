"""Questions every part of the network plugin asks: which nodes are members, which
network this node belongs to, and which servers count as "the network"."""

from __future__ import annotations

from sqlalchemy import select

from quarter_node.plugin_api import db

from .models import MembershipStatus, NetworkMembership, NetworkNode, NodeStatus
from .settings import is_coordination


def member_nodes(status: str = NodeStatus.APPROVED) -> list[NetworkNode]:
    """The known nodes with ``status``, by name then domain."""
    query = select(NetworkNode).where(NetworkNode.status == status)
    return list(db.session.scalars(query.order_by(NetworkNode.name, NetworkNode.domain)))


def node_for_domain(domain: str) -> NetworkNode | None:
    return db.session.scalar(select(NetworkNode).where(NetworkNode.domain == domain.lower()))


def current_membership() -> NetworkMembership | None:
    """This node's pending or approved membership in a network (at most one)."""
    open_states = (MembershipStatus.PENDING, MembershipStatus.APPROVED)
    return db.session.scalar(
        select(NetworkMembership)
        .where(NetworkMembership.status.in_(open_states))
        .order_by(NetworkMembership.id.desc())
        .limit(1)
    )


def approved_membership() -> NetworkMembership | None:
    """This node's membership, when a network has approved it."""
    membership = current_membership()
    return membership if membership and membership.status == MembershipStatus.APPROVED else None


def network_domains() -> set[str]:
    """The servers of the network this node belongs to (without this node itself).

    On the coordination node: its approved members. On a quarter node that is an approved
    member: the coordination node and the other members it lists. Otherwise: nobody."""
    members = {node.domain for node in member_nodes()}
    if is_coordination():
        return members
    membership = approved_membership()
    return members | {membership.domain} if membership is not None else set()


def is_network_domain(domain: str) -> bool:
    return domain.lower() in network_domains()
