"""The ``quarter-node network`` command group; each part of the plugin adds its commands."""

from __future__ import annotations

import click

from .overview_cli import snapshot_command
from .space_cli import space_group


@click.group("network")
def network() -> None:
    """The network of initiatives: members, applications and figures."""


network.add_command(snapshot_command)
network.add_command(space_group)
