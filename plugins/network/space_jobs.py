"""Background upkeep of the exchange space."""

from __future__ import annotations

from huey import crontab

from quarter_node.plugin_api import is_enabled, periodic_job

from . import space


@periodic_job(crontab(minute="*/15"))
def prune_space_members() -> None:
    """A node that left the network keeps no members in the space for longer than this."""
    if is_enabled("network") and space.is_coordination():
        space.prune_outsiders()
