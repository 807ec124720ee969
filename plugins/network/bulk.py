"""Adding many existing nodes to the register at once (``quarter-node network add``).

Each node is found by its instance actor (``/actor``), registered as approved, put on the
allowlist and followed, as if its application had been approved; a node that was added
this way and applies later is welcomed at once (``registry.receive_application``). One
node's failure (unreachable, not a Quarter Node) does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from quarter_node.plugin_api import (
    InvalidInput,
    NotFound,
    _,
    db,
    instance_follow,
    record_audit,
    set_host_allowlisted,
)

from . import discovery, entries, notices, registry
from .models import NetworkNode, NodeStatus
from .operator import Acting, acting_actor
from .queries import node_for_domain

ADD = "network.add"


@dataclass
class BulkResult:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already members
    failed: dict[str, str] = field(default_factory=dict)  # address -> why


def add_nodes(
    by: Acting, addresses: Iterable[str], progress: Callable[[str], None] | None = None
) -> BulkResult:
    """Register every address; commits once, after all of them."""
    moderator = acting_actor(by)
    registry.require_coordination()
    result = BulkResult()
    for address in addresses:
        _add_one(address, result)
        if progress is not None:
            progress(address)
    for domain in result.added:
        record_audit(moderator, ADD, note=domain)
    db.session.commit()
    return result


def _add_one(address: str, result: BulkResult) -> None:
    try:
        with db.session.begin_nested():
            domain = _register(address)
    except (InvalidInput, NotFound) as error:
        result.failed[address] = error.message
        return
    (result.added if domain else result.skipped).append(domain or address)


def _register(address: str) -> str | None:
    base = discovery.base_of(address)
    domain = discovery.domain_of(base)
    if domain == entries.own_domain():
        raise InvalidInput(_("This is the address of this node."))
    node = node_for_domain(domain)
    if node is not None and node.status == NodeStatus.APPROVED:
        return None
    set_host_allowlisted(domain, True)  # before fetching: a closed network asks no one else
    actor = discovery.instance_actor_at(base)
    if node is None:
        node = NetworkNode(domain=domain, actor_uri=actor.uri, website=base)
        db.session.add(node)
    node.actor_uri, node.application_uri = actor.uri, None
    node.inbox_url = actor.shared_inbox_url or actor.inbox_url
    registry.admit(node, None)
    db.session.flush()
    instance_follow(actor, actor.uri)
    notices.announce("Add", node)
    return domain
