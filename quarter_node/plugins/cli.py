"""Commands for plugins: ``quarter-node plugins list|enable|disable``, plugins' own commands,
and ``quarter-node db`` whose ``upgrade`` applies the core and every plugin's branch."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_migrate import cli as migrate_cli
from flask_migrate import upgrade

from quarter_node.admin.cli import node_command
from quarter_node.plugins import services


@click.group("plugins")
def plugins_command() -> None:
    """See and switch the node's plugins."""


@plugins_command.add_command
@node_command("list")
def list_command() -> None:
    """Installed plugins: name, version, on or off, description."""
    for plugin in services.installed_plugins():
        info = plugin.info
        switch = "enabled" if plugin.enabled else "disabled"
        click.echo(f"{info.name} {info.version or '-'} {switch}: {info.description}")


@plugins_command.add_command
@node_command("enable")
@click.argument("name")
def enable_command(name: str) -> None:
    """Enable the plugin NAME on this node."""
    services.set_plugin_enabled_by_operator(name, True)
    click.echo(f"{name}: enabled")


@plugins_command.add_command
@node_command("disable")
@click.argument("name")
def disable_command(name: str) -> None:
    """Disable the plugin NAME on this node."""
    services.set_plugin_enabled_by_operator(name, False)
    click.echo(f"{name}: disabled")


@plugins_command.add_command
@node_command("set")
@click.argument("name")
@click.argument("key")
@click.argument("value")
def set_command(name: str, key: str, value: str) -> None:
    """Set the setting KEY of the plugin NAME to VALUE (as on its admin settings page)."""
    field = services.setting_field(name, key)
    try:
        typed = services.typed_value(field, value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} does not fit the setting {key}") from error
    services.save_plugin_settings_by_operator(name, {key: typed})
    click.echo(f"{name}.{key} = {typed!r}")


@click.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def _upgrade_all(revision: str) -> None:
    """Upgrade the database to the newest revision of the core and every plugin."""
    upgrade(revision=revision)


def db_command() -> click.Group:
    """Flask-Migrate's ``db`` group, with an ``upgrade`` that applies every branch."""
    original = migrate_cli.db
    commands = {**original.commands, "upgrade": _upgrade_all}
    return click.Group(
        "db",
        commands=commands,
        callback=original.callback,
        params=original.params,
        help=original.help,
    )
