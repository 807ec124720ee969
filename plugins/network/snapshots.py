"""Daily readings of every member node's NodeInfo (``NodeSnapshot`` rows).

The coordination node asks each approved member once a day (and whenever an admin runs
``quarter-node network snapshot``). A reading updates the member's software, version and
reachability for the health page and adds a snapshot for the dashboard's figures over time;
a member that does not answer gets a snapshot without figures (a gap, not a zero).
"""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab

from quarter_node.plugin_api import db, is_enabled, periodic_job, utcnow

from .models import NetworkNode, NodeSnapshot
from .nodeinfo_client import FederationError, read_nodeinfo
from .queries import member_nodes
from .settings import is_coordination

log = logging.getLogger(__name__)


def take_snapshot(node: NetworkNode, now: datetime | None = None) -> NodeSnapshot:
    """Read ``node``'s NodeInfo and store the snapshot (in the caller's transaction)."""
    now = now or utcnow()
    snapshot = NodeSnapshot(node_id=node.id, taken_at=now, reachable=False)
    try:
        reading = read_nodeinfo(node)
    except FederationError as error:
        log.info("NodeInfo of member %s not read: %s", node.domain, error)
    else:
        snapshot.reachable = True
        snapshot.users_total = reading.users_total
        snapshot.active_month = reading.active_month
        snapshot.local_posts = reading.local_posts
        node.software, node.version = reading.software, reading.version
    node.reachable, node.checked_at = snapshot.reachable, now
    db.session.add(snapshot)
    return snapshot


def take_snapshots() -> list[NodeSnapshot]:
    """A snapshot of every approved member, each committed on its own (a slow member
    late in the list does not hold back what was already read)."""
    taken = []
    for node in member_nodes():
        taken.append(take_snapshot(node))
        db.session.commit()
    return taken


@periodic_job(crontab(minute="23", hour="4"))
def daily_snapshots() -> None:
    """Once a day, on the coordination node only, while the plugin is enabled."""
    if is_enabled("network") and is_coordination():
        take_snapshots()
