"""Plugs the installed plugins into a new app: blueprints, the 404 guard for disabled ones,
navigation, ActivityPub handlers, migrations, translations and commands.

Everything a plugin contributes is registered once at start-up, for every installed plugin;
what is reachable is decided per request or job by ``state.enabled_plugins()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, request, url_for
from markupsafe import Markup

from quarter_node.extensions import migrate
from quarter_node.machine import is_machine_request
from quarter_node.plugins.manager import load_plugins
from quarter_node.plugins.state import EXTENSION_KEY, PluginRuntime, enabled_plugins, runtime
from quarter_node.plugins.types import InboundHandler, NavItem


def init_app(app: Flask) -> None:
    """Load the plugins; hide a disabled plugin's pages, links and handlers."""
    app.extensions[EXTENSION_KEY] = PluginRuntime(load_plugins())
    app.before_request(_hide_disabled_plugins)
    app.jinja_env.globals["plugin_navigation"] = plugin_navigation
    app.jinja_env.globals["plugin_home_teasers"] = plugin_home_teasers
    app.jinja_env.globals["plugin_group_tabs"] = plugin_group_tabs
    app.jinja_env.globals["plugin_admin_navigation"] = plugin_admin_navigation
    _register_activity_handlers()


def register_blueprints(app: Flask) -> None:
    """The plugins' blueprints, after the core's (so no plugin shadows a core URL)."""
    plugins: PluginRuntime = app.extensions[EXTENSION_KEY]
    for owner, blueprints in plugins.manager.collect("quarter_blueprints"):
        for blueprint in blueprints:
            app.register_blueprint(blueprint)
            plugins.blueprint_owners[blueprint.name] = owner


def _hide_disabled_plugins() -> None:
    """A disabled plugin's URLs answer 404, as if it were not installed. (Machine
    endpoints are the core's own.)"""
    if is_machine_request():
        return
    owners = runtime().blueprint_owners
    top = request.blueprints[-1] if request.blueprints else None
    owner = owners.get(top) if top else None
    if owner is not None and owner not in enabled_plugins():
        abort(404)


def call_hook(hook_name: str, **kwargs: Any) -> Any:
    """Call a hook on the plugins enabled right now."""
    return runtime().manager.call(hook_name, enabled_plugins(), **kwargs)


def plugin_navigation() -> list[dict[str, str]]:
    """Links of the enabled plugins for the main navigation (a template global)."""
    from quarter_node.permissions import current_account

    return _links(call_hook("quarter_navigation", user=current_account()))


def plugin_admin_navigation() -> list[dict[str, str]]:
    """Links of the enabled plugins for the administration's navigation (a template global);
    the pages themselves check who may open them."""
    from quarter_node.permissions import current_account

    return _links(call_hook("quarter_admin_navigation", user=current_account()))


def plugin_group_tabs(group: Any) -> list[dict[str, str]]:
    """Links of the enabled plugins for a group's tabs (a template global)."""
    from quarter_node.permissions import current_account

    return _links(call_hook("quarter_group_tabs", group=group, user=current_account()))


def _links(answers: list[list[NavItem]]) -> list[dict[str, str]]:
    """The plugins' ``NavItem`` answers to a hook as links for a template."""
    return [
        {"label": str(item.label), "url": url_for(item.endpoint, **item.values)}
        for answer in answers
        for item in answer
    ]


def plugin_home_teasers() -> list[Markup]:
    """The enabled plugins' sections for the home page (a template global)."""
    from quarter_node.permissions import current_account

    return [Markup(answer) for answer in call_hook("quarter_home_teaser", user=current_account())]


# --- ActivityPub --------------------------------------------------------------------------


def enabled_inbound_handlers() -> Iterator[InboundHandler]:
    """The inbound handlers of the plugins enabled right now (a source of the registry)."""
    for answer in call_hook("quarter_inbound_handlers"):
        yield from answer


def _register_activity_handlers() -> None:
    from quarter_node.activitypub import handlers

    handlers.add_source(enabled_inbound_handlers)


# --- Migrations and translations ----------------------------------------------------------


@migrate.configure
def _add_plugin_migrations(config: Any) -> Any:
    """Alembic also reads every plugin's revisions (each plugin is its own branch)."""
    plugins: PluginRuntime | None = current_app.extensions.get(EXTENSION_KEY)
    if plugins is None:
        return config
    found = plugins.manager.collect("quarter_migrations_directory")
    if found:
        core = Path(config.get_main_option("script_location")) / "versions"
        locations = [str(core), *(str(directory) for _name, directory in found)]
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def translation_catalogs(app: Flask, core_directory: str) -> tuple[str, str]:
    """``BABEL_TRANSLATION_DIRECTORIES`` and ``BABEL_DOMAIN`` for the node: each plugin's
    domain first, the core's last, so the core's translations win on equal msgids.

    (Flask-Babel keeps the domain list of the first app in a process; every app of one
    process loads the same installed plugins, so they agree.)"""
    plugins: PluginRuntime = app.extensions[EXTENSION_KEY]
    catalogs = [
        (str(path), name)
        for name, path in plugins.manager.collect("quarter_translations_directory")
    ]
    catalogs.append((core_directory, "messages"))
    return ";".join(path for path, _ in catalogs), ";".join(domain for _, domain in catalogs)


def plugin_commands(app: Flask) -> list[Any]:
    plugins: PluginRuntime = app.extensions[EXTENSION_KEY]
    return [
        command
        for _name, answer in plugins.manager.collect("quarter_cli_commands")
        for command in answer
    ]
