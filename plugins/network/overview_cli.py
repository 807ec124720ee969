"""``quarter-node network snapshot``: read every member's NodeInfo now (coordination node)."""

from __future__ import annotations

import click

from quarter_node.plugin_api import _

from .settings import is_coordination
from .snapshots import take_snapshots


@click.command("snapshot")
def snapshot_command() -> None:
    """Read every approved member's NodeInfo now (as the daily job does)."""
    if not is_coordination():
        raise click.ClickException(_("Only a coordination node takes snapshots of members."))
    snapshots = take_snapshots()
    for snapshot in snapshots:
        state = _("reachable") if snapshot.reachable else _("unreachable")
        click.echo(f"{snapshot.node.domain}: {state}")
    reachable = sum(1 for snapshot in snapshots if snapshot.reachable)
    click.echo(
        _(
            "%(reachable)d of %(total)d members reachable.",
            reachable=reachable,
            total=len(snapshots),
        )
    )
