"""Admin commands of ``quarter-node`` (to be built)."""

import click


def admin_commands() -> list[click.Command]:
    return []
