"""The coordination node's register: applications, decisions, members leaving or removed.

Approving ties the nodes together: the member's host goes on the allowlist (which counts
once the network is closed), the relay is switched on (the member subscribes to it), our
instance actor follows the member's, and the members hear of the change (``Add``).
Leaving or removal undoes all of that. In a closed network the coordination node takes
deliveries only from allowlisted hosts, so an application can only arrive from a host an
admin has invited first (``invite``): see "Joining a network" in docs/network.md.
"""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import (
    Actor,
    Conflict,
    InvalidInput,
    NotFound,
    _,
    db,
    drop_instance_follower,
    enable_relay,
    find_actor,
    instance_follow,
    instance_unfollow,
    record_audit,
    set_host_allowlisted,
    signals,
    use_allowlist,
    utcnow,
)

from . import entries, notices
from .models import NetworkNode, NodeStatus
from .operator import Acting, acting_actor
from .queries import node_for_domain
from .settings import PLUGIN, flag, is_coordination

APPROVE, DECLINE, REMOVE, INVITE = (
    "network.approve",
    "network.decline",
    "network.remove",
    "network.invite",
)


def require_coordination() -> None:
    if not is_coordination():
        raise InvalidInput(_("This node does not coordinate a network."))


def is_closed() -> bool:
    return flag("closed")


def receive_application(actor: Actor, join: dict[str, Any]) -> bool:
    """Store a ``Join`` from a node's instance actor (from the worker, uncommitted). A node
    that already is a member (added by an admin) is welcomed again at once."""
    node = node_for_domain(actor.domain)
    if node is None:
        node = NetworkNode(domain=actor.domain, actor_uri=actor.uri)
        db.session.add(node)
    node.actor_uri, node.inbox_url = actor.uri, actor.shared_inbox_url or actor.inbox_url
    entries.read_entry(node, join.get("qn:profile"))
    node.application_uri = str(join.get("id"))
    content = join.get("content")
    node.message = content.strip()[:2000] if isinstance(content, str) else ""
    if node.status == NodeStatus.APPROVED:
        _tie(node, actor)
        return True
    node.status, node.applied_at = NodeStatus.APPLIED, utcnow()
    node.decided_at = node.left_at = None
    return True


def approve(by: Acting, domain: str) -> NetworkNode:
    moderator = acting_actor(by)
    require_coordination()
    node = _node(domain, NodeStatus.APPLIED)
    admit(node, moderator)
    _tie(node, _actor_of(node))
    record_audit(moderator, APPROVE, note=node.domain)
    db.session.commit()
    return node


def admit(node: NetworkNode, moderator: Actor | None) -> None:
    """Make ``node`` a member (uncommitted): status, allowlist, relay, closed mode."""
    node.status, node.decided_at, node.left_at = NodeStatus.APPROVED, utcnow(), None
    node.decided_by_id = moderator.id if moderator else None
    set_host_allowlisted(node.domain, True)
    enable_relay()
    if is_closed():
        use_allowlist()


@signals.plugin_settings_saved.connect
def _closed_at_once(plugin: str, values: dict[str, Any] | None = None, **_: Any) -> None:
    """Closing the network takes effect when it is saved, not at the next approval: the
    members are allowlisted already (``admit``), so only the mode changes. Opening it again
    leaves the federation mode to the admins (/admin/federation): the node may have other
    reasons to keep an allowlist."""
    if plugin == PLUGIN and (values or {}).get("closed") and is_coordination():
        use_allowlist()


def _tie(node: NetworkNode, actor: Actor) -> None:
    """Answer the application and follow the member's instance actor; tell the members."""
    if node.application_uri:
        notices.send_answer("Accept", node, actor)
    instance_follow(actor, actor.uri)
    notices.announce("Add", node)


def decline(by: Acting, domain: str) -> NetworkNode:
    moderator = acting_actor(by)
    require_coordination()
    node = _node(domain, NodeStatus.APPLIED)
    node.status, node.decided_at = NodeStatus.DECLINED, utcnow()
    node.decided_by_id = moderator.id if moderator else None
    notices.send_answer("Reject", node, _actor_of(node))
    set_host_allowlisted(node.domain, False)
    record_audit(moderator, DECLINE, note=node.domain)
    db.session.commit()
    return node


def remove(by: Acting, domain: str) -> NetworkNode:
    """A coordinator ends a membership: ``Reject`` of its application, follows ended."""
    moderator = acting_actor(by)
    require_coordination()
    node = _node(domain, NodeStatus.APPROVED)
    actor = _actor_of(node)
    notices.send_answer("Reject", node, actor)
    part(node, actor)
    record_audit(moderator, REMOVE, note=node.domain)
    db.session.commit()
    return node


def member_left(actor: Actor) -> bool:
    """A member's ``Leave`` (from the worker, uncommitted)."""
    node = node_for_domain(actor.domain)
    if node is None or node.actor_uri != actor.uri:
        return False
    if node.status not in (NodeStatus.APPROVED, NodeStatus.APPLIED):
        return False
    part(node, actor)
    record_audit(None, "network.left", note=node.domain)
    return True


def part(node: NetworkNode, actor: Actor | None) -> None:
    """``node`` is no member any more (uncommitted): status, follows, allowlist, members."""
    was_member = node.status == NodeStatus.APPROVED
    node.status, node.left_at = NodeStatus.LEFT, utcnow()
    if actor is not None:
        instance_unfollow(actor)
        drop_instance_follower(actor)
    set_host_allowlisted(node.domain, False)
    if was_member:
        notices.announce("Remove", node)


def invite(by: Acting, domain: str) -> str:
    """Let ``domain`` deliver its application to a closed network (allowlist it)."""
    moderator = acting_actor(by)
    require_coordination()
    host = (domain or "").strip().lower()
    if not host or any(c in host for c in " /@?#"):
        raise InvalidInput(_("Please enter a server name like quartier.example."))
    set_host_allowlisted(host, True)
    if is_closed():
        use_allowlist()
    record_audit(moderator, INVITE, note=host)
    db.session.commit()
    return host


def _node(domain: str, status: str) -> NetworkNode:
    node = node_for_domain((domain or "").strip())
    if node is None:
        raise NotFound(_("No node %(domain)s is known to this network.", domain=domain))
    if node.status != status:
        raise Conflict(_status_message(node))
    return node


def _status_message(node: NetworkNode) -> str:
    messages = {
        NodeStatus.APPLIED: _("%(domain)s waits for a decision.", domain=node.domain),
        NodeStatus.APPROVED: _("%(domain)s already is a member.", domain=node.domain),
        NodeStatus.DECLINED: _("The application of %(domain)s was declined.", domain=node.domain),
        NodeStatus.LEFT: _("%(domain)s is no member any more.", domain=node.domain),
    }
    return messages.get(NodeStatus(node.status), node.status)


def _actor_of(node: NetworkNode) -> Actor:
    actor = find_actor(node.actor_uri)
    if actor is None:
        raise NotFound(_("No node %(domain)s is known to this network.", domain=node.domain))
    return actor
