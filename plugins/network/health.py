"""Federation health of the member nodes: can the coordination node read them, what do they
run, and does what it sends them arrive?

Reachability, software and version come from the last NodeInfo reading (``snapshots``);
delivery trouble from the core's delivery tables (``plugin_api.delivery_health``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from quarter_node.plugin_api import HostDeliveryHealth, delivery_health, utcnow

from .models import NetworkNode
from .queries import member_nodes

FAILED_WITHIN = timedelta(days=7)  # deliveries that gave up longer ago are old news


@dataclass(frozen=True)
class MemberHealth:
    node: NetworkNode
    delivery: HostDeliveryHealth

    @property
    def trouble(self) -> bool:
        """Whether coordinators should look: unreachable, or deliveries failing."""
        return self.node.reachable is False or not self.delivery.healthy


def member_health(now: datetime | None = None) -> list[MemberHealth]:
    """Every approved member with its delivery figures; members in trouble first."""
    nodes = member_nodes()
    since = (now or utcnow()) - FAILED_WITHIN
    deliveries = delivery_health([node.domain for node in nodes], failed_since=since)
    rows = [MemberHealth(node, deliveries[node.domain.lower()]) for node in nodes]
    return sorted(rows, key=lambda row: not row.trouble)
