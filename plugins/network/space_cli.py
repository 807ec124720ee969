"""``quarter-node network space ...``: the exchange space from the command line.

``cli.py`` adds the ``space`` subgroup to the plugin's ``network`` group.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from quarter_node.plugin_api import Actor, Conflict, InvalidInput, PermissionDenied, User, db

from . import space

space_group = AppGroup("space", help="The network's exchange space (coordination node).")


@space_group.command("create")
@click.option("--owner", "owner_handle", required=True, help="Handle of the local owner.")
@click.option("--name", "display_name", default="", help="Name shown for the space.")
def create_space_command(owner_handle: str, display_name: str) -> None:
    """Create the exchange space: a members-only group named by the ``space_handle``
    setting, owned by a local account (who then names further moderators on its page)."""
    owner = _local_user(owner_handle)
    try:
        group = space.create_space(owner, display_name)
    except (InvalidInput, Conflict, PermissionDenied) as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Exchange space created: @{group.actor.handle} ({group.actor.name})")


@space_group.command("status")
def space_status_command() -> None:
    """Say whether the space exists and how many members it has."""
    from quarter_node.plugin_api import group_audience

    found = space.the_space()
    if found is None:
        click.echo("No exchange space on this node.")
        return
    click.echo(f"@{found.actor.handle}: {len(group_audience(found))} members")


@space_group.command("prune")
def space_prune_command() -> None:
    """Remove the space's members whose node left the network (also done every 15 minutes)."""
    removed = space.prune_outsiders()
    click.echo(f"{len(removed)} members removed.")


def _local_user(handle: str) -> User:
    user = db.session.scalar(
        select(User)
        .join(Actor, User.actor_id == Actor.id)
        .where(Actor.handle == handle.lstrip("@").lower(), Actor.domain == "")
    )
    if user is None:
        raise click.ClickException(f"There is no local account @{handle.lstrip('@')}.")
    return user
