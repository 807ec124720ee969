"""What admins do with plugins: see them, switch them on and off, change their settings.

Every change is one transaction with its audit log entry; the ``*_by_operator`` variants are
for the command line (the log shows no moderator).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from quarter_node import signals
from quarter_node.accounts.models import Actor, Role, User
from quarter_node.errors import NotFound
from quarter_node.extensions import db
from quarter_node.moderation import audit
from quarter_node.node.models import NodeSetting
from quarter_node.permissions import require_role
from quarter_node.plugins import state
from quarter_node.plugins.manager import PluginInfo
from quarter_node.plugins.types import SettingField

PLUGIN_ENABLE = "plugin.enable"
PLUGIN_DISABLE = "plugin.disable"
PLUGIN_SETTINGS = "plugin.settings"
_REQUEST_CACHE = "_qn_plugin_settings"


@dataclass(frozen=True)
class InstalledPlugin:
    info: PluginInfo
    enabled: bool
    has_settings: bool


def installed_plugins() -> list[InstalledPlugin]:
    """Every installed plugin, by name, with whether it is enabled here."""
    manager = state.runtime().manager
    enabled = state.enabled_plugins()
    configurable = {name for name, fields in manager.collect("quarter_settings") if fields}
    return [
        InstalledPlugin(info, name in enabled, name in configurable)
        for name, info in sorted(manager.plugins.items())
    ]


def plugin_info(name: str) -> PluginInfo:
    info = state.runtime().manager.plugins.get(name)
    if info is None:
        raise NotFound(_("There is no plugin %(name)s.", name=name))
    return info


def set_plugin_enabled(admin: User | None, name: str, enabled: bool) -> PluginInfo:
    """An admin switches a plugin on or off (takes effect in every process at once)."""
    acting = require_role(admin, Role.ADMIN)
    return _switch(name, enabled, moderator=acting.actor)


def set_plugin_enabled_by_operator(name: str, enabled: bool) -> PluginInfo:
    return _switch(name, enabled, moderator=None)


def _switch(name: str, enabled: bool, *, moderator: Actor | None) -> PluginInfo:
    info = plugin_info(name)
    if state.is_enabled(name) != enabled:
        state.store_enabled(name, enabled)
        action = PLUGIN_ENABLE if enabled else PLUGIN_DISABLE
        audit.record(moderator, action, note=name)
        db.session.commit()
    return info


# --- Settings -----------------------------------------------------------------------------


def setting_fields(name: str) -> list[SettingField]:
    plugin_info(name)
    manager = state.runtime().manager
    return [
        field
        for owner, fields in manager.collect("quarter_settings")
        if owner == name
        for field in fields
    ]


def plugin_setting(name: str, key: str) -> Any:
    """The stored value of a plugin's setting, else its default.

    Within a request a plugin's stored settings are read in one query and kept (templates
    ask for the same setting once per listed item, and a setting never saved would
    otherwise cost a query each time); saving settings forgets them."""
    field = _field(name, key)
    stored = _stored_in_request(name)
    if stored is not None:
        return stored.get(key, field.default)
    row = db.session.get(NodeSetting, f"{name}.{key}")
    return field.default if row is None else row.value


def _stored_in_request(name: str) -> dict[str, Any] | None:
    if not has_request_context():
        return None
    cached: dict[str, dict[str, Any]] = g.setdefault(_REQUEST_CACHE, {})
    if name not in cached:
        prefix = f"{name}."
        rows = db.session.execute(
            select(NodeSetting.key, NodeSetting.value).where(NodeSetting.key.startswith(prefix))
        )
        cached[name] = {key.removeprefix(prefix): value for key, value in rows}
    return cached[name]


def plugin_settings(name: str) -> dict[str, Any]:
    return {field.key: plugin_setting(name, field.key) for field in setting_fields(name)}


def save_plugin_settings(admin: User | None, name: str, values: dict[str, Any]) -> None:
    """An admin changes a plugin's settings; unknown keys are refused."""
    acting = require_role(admin, Role.ADMIN)
    _store_settings(name, values, moderator=acting.actor)


def save_plugin_settings_by_operator(name: str, values: dict[str, Any]) -> None:
    """The command line changes a plugin's settings (values already of the field's type)."""
    _store_settings(name, values, moderator=None)


def _store_settings(name: str, values: dict[str, Any], *, moderator: Actor | None) -> None:
    if has_request_context():
        g.pop(_REQUEST_CACHE, None)
    for key, value in values.items():
        _field(name, key)
        row = db.session.get(NodeSetting, f"{name}.{key}")
        if row is None:
            db.session.add(NodeSetting(key=f"{name}.{key}", value=value))
        else:
            row.value = value
    signals.plugin_settings_saved.send(name, values=dict(values))
    audit.record(moderator, PLUGIN_SETTINGS, note=name)
    db.session.commit()


def typed_value(field: SettingField, text: str) -> str | int | bool:
    """``text`` (as typed on the command line) converted to the type of the field's default;
    ``ValueError`` when it does not fit."""
    if isinstance(field.default, bool):
        lowered = text.strip().lower()
        if lowered not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
            raise ValueError(text)
        return lowered in {"true", "1", "yes", "on"}
    if isinstance(field.default, int):
        return int(text)
    return text


def setting_field(name: str, key: str) -> SettingField:
    """The declared setting ``key`` of plugin ``name`` (``NotFound`` when there is none)."""
    return _field(name, key)


def _field(name: str, key: str) -> SettingField:
    for field in setting_fields(name):
        if field.key == key:
            return field
    raise NotFound(_("The plugin %(name)s has no setting %(key)s.", name=name, key=key))
