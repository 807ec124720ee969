"""Which plugins are enabled right now, in every process, without a restart.

Each change writes a new random revision token (a node setting). Every request and every job
reads that one row; only when it differs from the token this process last saw are the
``plugin_states`` rows read again. The set is then kept on ``g`` for the rest of the request
or job. The token is read BEFORE the states, so a change committed in between is noticed
next time instead of being cached under the new token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask import current_app, g

from quarter_node.extensions import db
from quarter_node.node.models import NodeSetting
from quarter_node.plugins.manager import PluginManager
from quarter_node.plugins.models import PluginState

REVISION_KEY = "core.plugins_revision"
_G_KEY = "_qn_enabled_plugins"
EXTENSION_KEY = "quarter_node.plugins"


@dataclass
class PluginRuntime:
    """The app's plugin manager, which blueprint belongs to which plugin, and the last
    enabled set this process read (with the revision it was read at)."""

    manager: PluginManager
    blueprint_owners: dict[str, str] = field(default_factory=dict)
    cached: tuple[object, frozenset[str]] = (object(), frozenset())


def runtime() -> PluginRuntime:
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def enabled_plugins() -> frozenset[str]:
    """Names of the installed plugins enabled on this node (cached per request or job)."""
    if _G_KEY not in g:
        setattr(g, _G_KEY, _read_enabled(runtime()))
    return g.get(_G_KEY)  # type: ignore[no-any-return]


def _read_enabled(plugins: PluginRuntime) -> frozenset[str]:
    if not plugins.manager.plugins:
        return frozenset()
    revision = db.session.scalar(
        db.select(NodeSetting.value).where(NodeSetting.key == REVISION_KEY)
    )
    cached_revision, cached_names = plugins.cached
    if revision == cached_revision:
        return cached_names
    rows = db.session.execute(db.select(PluginState.name, PluginState.enabled))
    switched = {name: enabled for name, enabled in rows}
    names = frozenset(
        name for name, info in plugins.manager.plugins.items() if switched.get(name, info.builtin)
    )
    plugins.cached = (revision, names)
    return names


def is_enabled(name: str) -> bool:
    return name in enabled_plugins()


def store_enabled(name: str, enabled: bool) -> None:
    """Switch a plugin (no commit: the caller's use case commits it with its audit entry)."""
    row = db.session.get(PluginState, name)
    if row is None:
        db.session.add(PluginState(name=name, enabled=enabled))
    else:
        row.enabled = enabled
    bump_revision()


def bump_revision() -> None:
    """Tell every process to read the enabled set again."""
    row = db.session.get(NodeSetting, REVISION_KEY)
    token = uuid.uuid4().hex
    if row is None:
        db.session.add(NodeSetting(key=REVISION_KEY, value=token))
    else:
        row.value = token
    g.pop(_G_KEY, None)
