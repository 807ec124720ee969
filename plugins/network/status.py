"""What ``quarter-node network status`` prints: the role, then the membership (quarter)
or the register (coordination)."""

from __future__ import annotations

from .models import NodeStatus
from .queries import current_membership, member_nodes
from .registry import is_closed
from .settings import is_coordination, role, setting


def status_lines() -> list[str]:
    lines = [f"role: {role().value}"]
    if is_coordination():
        return lines + _register_lines()
    found = current_membership()
    if found is None:
        return [*lines, "membership: none"]
    name = found.network_name or found.domain
    lines.append(f"membership: {found.status} in {name} ({found.domain})")
    lines += [f"member: {node.domain} {node.name}" for node in member_nodes()]
    return lines


def _register_lines() -> list[str]:
    lines = [f"network: {setting('network_name')}", f"closed: {'yes' if is_closed() else 'no'}"]
    for status in (NodeStatus.APPROVED, NodeStatus.APPLIED, NodeStatus.DECLINED, NodeStatus.LEFT):
        lines += [f"{status}: {node.domain} {node.name}" for node in member_nodes(status)]
    return lines
