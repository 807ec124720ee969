"""Network: quarter nodes joining a network of initiatives run by a coordination node.

A node in the ``coordination`` role keeps the network's register and directory, relays
what members publish to each other, aggregates it (timeline, calendar, search, map), hosts
the closed exchange space and shows the coordinators an overview. A node in the ``quarter``
role (the default) applies to a network from its admin pages and, once approved, federates
with it. This module only implements hooks; it uses nothing of the node but
``quarter_node.plugin_api``, like any installed plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quarter_node.plugin_api import hookimpl

from . import (  # noqa: F401  (tables, routes and jobs register on import)
    admin_views,
    directory_sync,
    directory_views,
    models,
)
from .blueprint import bp
from .cli import network_command
from .protocol import HANDLERS
from .settings import SETTINGS

HERE = Path(__file__).resolve().parent


@hookimpl
def quarter_blueprints() -> list[Any]:
    return [bp]


@hookimpl
def quarter_settings() -> list[Any]:
    return SETTINGS


@hookimpl
def quarter_migrations_directory() -> Path:
    return HERE / "migrations"


@hookimpl
def quarter_translations_directory() -> Path:
    return HERE / "translations"


@hookimpl
def quarter_inbound_handlers() -> list[Any]:
    return HANDLERS


@hookimpl
def quarter_cli_commands() -> list[Any]:
    return [network_command]
