"""``quarter-node keys``: the ActivityPub signing keys of local actors.

``keys rotate`` replaces keys (see ``key_rotation``); what it did is printed one line per
actor, refusals end with status 1 like every admin command.
"""

from __future__ import annotations

import click

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.admin.cli import node_command


@click.group("keys")
def keys_group() -> None:
    """Signing keys of local actors (ActivityPub)."""


@node_command("rotate")
@click.argument("handle", required=False)
@click.option("--instance", is_flag=True, help="Rotate the key of the node's instance actor.")
@click.option("--all", "everyone", is_flag=True, help="Rotate every local actor's key.")
def rotate(handle: str | None, instance: bool, everyone: bool) -> None:
    """Make a new key for @HANDLE (or --instance, or --all), revoke the old one and send
    the new key to followers and known servers."""
    from quarter_node.activitypub import key_rotation, keys

    if sum((bool(handle), instance, everyone)) != 1:
        raise click.UsageError("Name exactly one of: @handle, --instance, --all.")
    if everyone:
        actors = key_rotation.actors_with_keys()
    elif instance:
        actors = [keys.instance_actor()]
    else:
        actors = [key_rotation.local_actor_by_handle(handle or "")]
    for done in key_rotation.rotate_keys_by_operator(actors):
        revoked = ", ".join(done.old_key_ids) or "none"
        click.echo(
            f"{_label(done.actor)}: new key {done.new_key_id} (revoked: {revoked}); "
            f"Update planned to {done.deliveries} inbox(es)."
        )
    click.echo(f"{len(actors)} key(s) rotated.")


def _label(actor: Actor) -> str:
    return "instance actor" if actor.kind == ActorKind.APPLICATION else f"@{actor.handle}"


keys_group.add_command(rotate)
