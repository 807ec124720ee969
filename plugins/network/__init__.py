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

from quarter_node.plugin_api import NavItem, _l, hookimpl

from . import (  # noqa: F401  (tables and pages register on import)
    models,
    space,
    space_document_views,
    space_federation,
    space_jobs,
    space_views,
)
from .blueprint import bp
from .settings import SETTINGS
from .space_cli import network_group

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
def quarter_cli_commands() -> list[Any]:
    return [network_group]


@hookimpl
def quarter_inbound_handlers() -> list[Any]:
    return space_federation.inbound_handlers()


@hookimpl
def quarter_remote_group_visibilities(group_actor: Any) -> list[str] | None:
    return space_federation.remote_group_visibilities(group_actor)


@hookimpl
def quarter_may_fetch_post(signer: Any, post: Any) -> bool:
    return space_federation.may_fetch_post(signer, post)


@hookimpl
def quarter_navigation(user: Any) -> list[Any]:
    if not space.shown_in_navigation(user):
        return []
    return [NavItem(_l("Exchange space"), "network.space_index")]
