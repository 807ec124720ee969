"""Greetings from the neighbourhood: a small example plugin (used by the tests and the docs).

It shows every kind of contribution: a page with its template and navigation entry, a
setting, a model with its own migration branch, an ActivityPub object type in both
directions, a command and its own German translations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quarter_node.plugin_api import (
    InboundHandler,
    NavItem,
    SettingField,
    _l,
    db,
    hookimpl,
)

from .federation import greeting_to_ap, is_greeting, receive_greeting
from .models import Greeting
from .views import bp

HERE = Path(__file__).resolve().parent


@hookimpl
def quarter_blueprints() -> list[Any]:
    return [bp]


@hookimpl
def quarter_navigation(user: Any) -> list[NavItem]:
    return [NavItem(_l("Greetings"), "example_plugin.index")]


@hookimpl
def quarter_settings() -> list[SettingField]:
    return [SettingField("motto", _l("Motto"), default="Hello, neighbours!")]


@hookimpl
def quarter_inbound_handlers() -> list[InboundHandler]:
    return [InboundHandler("Create", receive_greeting, when=is_greeting)]


@hookimpl
def quarter_object_to_ap(obj: Any) -> dict[str, Any] | None:
    return greeting_to_ap(obj) if isinstance(obj, Greeting) else None


@hookimpl
def quarter_cli_commands() -> list[click.Command]:
    return [greetings_command]


@hookimpl
def quarter_translations_directory() -> Path:
    return HERE / "translations"


@hookimpl
def quarter_migrations_directory() -> Path:
    return HERE / "migrations"


@click.group("greetings")
def greetings_command() -> None:
    """The example plugin's greetings."""


@greetings_command.command("count")
def count_command() -> None:
    """Print how many greetings the node has."""
    click.echo(db.session.scalar(db.select(db.func.count(Greeting.id))))
