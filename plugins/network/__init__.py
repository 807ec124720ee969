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

# tables, routes and jobs register on import
from . import (  # noqa: F401
    admin_views,
    aggregation_views,
    dashboard_views,
    directory_sync,
    directory_views,
    map_views,
    models,
    overview,
    search_views,
    snapshots,
    space,
    space_document_views,
    space_federation,
    space_jobs,
    space_views,
)
from .aggregation import keeps_public_content
from .blueprint import bp
from .cli import network_command
from .protocol import HANDLERS
from .settings import SETTINGS, is_coordination

HERE = Path(__file__).resolve().parent


@hookimpl
def quarter_blueprints() -> list[Any]:
    return [bp]


@hookimpl
def quarter_navigation(user: Any) -> list[Any]:
    """The network's public pages on the coordination node, and its overview for those
    who may see it."""
    public = [NavItem(_l("Network"), "network.timeline")] if is_coordination() else []
    if space.shown_in_navigation(user):
        public.append(NavItem(_l("Exchange space"), "network.space_index"))
    return public + overview.navigation(user)


@hookimpl
def quarter_admin_navigation(user: Any) -> list[Any]:
    """``/admin/network``: applying to a network, or deciding on applications."""
    return [NavItem(_l("Network"), "network.admin_index")]


@hookimpl
def quarter_cli_commands() -> list[Any]:
    return [network_command]


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
def quarter_keeps_public_content(actor: Any) -> bool:
    """Keep the public posts and events of people on approved member nodes (coordination)."""
    return keeps_public_content(actor)


@hookimpl
def quarter_inbound_handlers() -> list[Any]:
    """Joining and leaving (``protocol``), and who may join the exchange space."""
    return [*HANDLERS, *space_federation.inbound_handlers()]


@hookimpl
def quarter_remote_group_visibilities(group_actor: Any) -> list[str] | None:
    return space_federation.remote_group_visibilities(group_actor)


@hookimpl
def quarter_may_fetch_post(signer: Any, post: Any) -> bool:
    return space_federation.may_fetch_post(signer, post)
