"""``quarter-node network ...``: the network's admin steps on the command line, through the
same services as ``/admin/network`` (refusals print their message and exit with 1)."""

from __future__ import annotations

from pathlib import Path

import click

from quarter_node.plugin_api import node_command

from . import bulk, membership, registry
from .operator import OPERATOR
from .overview_cli import snapshot_command
from .space_cli import space_group
from .status import status_lines


@click.group("network")
def network_command() -> None:
    """Join a network of initiatives, or coordinate one."""


network_command.add_command(snapshot_command)
network_command.add_command(space_group)


@network_command.add_command
@node_command("apply")
@click.argument("address")
@click.option("--message", default="", help="A note for the coordinators.")
def apply_command(address: str, message: str) -> None:
    """Apply to the network coordinated by the node at ADDRESS."""
    found = membership.apply(OPERATOR, address, message)
    click.echo(f"Applied to {found.network_name or found.domain} ({found.domain}).")


@network_command.add_command
@node_command("leave")
def leave_command() -> None:
    """Leave the network (or take the application back)."""
    found = membership.leave(OPERATOR)
    click.echo(f"Left {found.network_name or found.domain}.")


@network_command.add_command
@node_command("approve")
@click.argument("domain")
def approve_command(domain: str) -> None:
    """Approve the application of DOMAIN (coordination node)."""
    node = registry.approve(OPERATOR, domain)
    click.echo(f"{node.domain}: approved")


@network_command.add_command
@node_command("decline")
@click.argument("domain")
def decline_command(domain: str) -> None:
    """Decline the application of DOMAIN (coordination node)."""
    node = registry.decline(OPERATOR, domain)
    click.echo(f"{node.domain}: declined")


@network_command.add_command
@node_command("remove")
@click.argument("domain")
def remove_command(domain: str) -> None:
    """Remove the member DOMAIN from the network (coordination node)."""
    node = registry.remove(OPERATOR, domain)
    click.echo(f"{node.domain}: removed")


@network_command.add_command
@node_command("invite")
@click.argument("domain")
def invite_command(domain: str) -> None:
    """Let DOMAIN deliver its application to a closed network (coordination node)."""
    host = registry.invite(OPERATOR, domain)
    click.echo(f"{host}: may apply")


@network_command.add_command
@node_command("add")
@click.argument("domains", nargs=-1)
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one address per line (# starts a comment).",
)
def add_command(domains: tuple[str, ...], from_file: Path | None) -> None:
    """Add existing nodes as members (coordination node)."""
    addresses = [*domains, *(_read_addresses(from_file) if from_file else [])]
    if not addresses:
        raise click.UsageError("Name at least one DOMAIN or --from-file FILE.")
    with click.progressbar(length=len(addresses), label="Adding nodes") as bar:
        result = bulk.add_nodes(OPERATOR, addresses, progress=lambda _address: bar.update(1))
    click.echo(
        f"{len(result.added)} added, {len(result.skipped)} already members, "
        f"{len(result.failed)} failed."
    )
    for address, why in result.failed.items():
        click.echo(f"failed: {address}: {why}")
    if result.failed:
        raise click.exceptions.Exit(1)


def _read_addresses(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


@network_command.add_command
@node_command("status")
def status_command() -> None:
    """This node's role and its membership, or the network's members."""
    for line in status_lines():
        click.echo(line)
