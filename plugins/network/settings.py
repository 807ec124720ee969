"""The network plugin's settings: this node's role, the network it coordinates, and the
directory entry of its own initiative (what it tells a network when it applies).

Admins edit them on ``/admin/plugins/network/settings``; code reads them only through the
functions here, which turn the stored strings into checked values.
"""

from __future__ import annotations

import enum

from quarter_node.plugin_api import SettingField, _l, plugin_setting

PLUGIN = "network"


class Role(enum.StrEnum):
    QUARTER = "quarter"  # an initiative's node; may apply to one network
    COORDINATION = "coordination"  # the network's node: register, relay, exchange space


SETTINGS = [
    SettingField(
        "role",
        _l("Role of this node"),
        Role.QUARTER.value,
        _l(
            '"quarter" for an initiative\'s node, "coordination" for the node that '
            "coordinates a network of initiatives."
        ),
    ),
    SettingField("network_name", _l("Name of the network (coordination node)"), ""),
    SettingField(
        "closed",
        _l("Closed network (coordination node)"),
        False,
        _l("Only member nodes federate with this node (allowlist mode)."),
    ),
    SettingField("quarter", _l("Quarter of this initiative"), ""),
    SettingField("topics", _l("Topics (separated by commas)"), ""),
    SettingField("contact", _l("Contact (e-mail address or web page)"), ""),
    SettingField("summary", _l("About the initiative"), ""),
    SettingField("latitude", _l("Latitude of the quarter (for example 51.2277)"), ""),
    SettingField("longitude", _l("Longitude of the quarter (for example 6.7735)"), ""),
    SettingField(
        "space_handle",
        _l("Handle of the exchange space (coordination node)"),
        "austausch",
        _l("The members-only group that is the network's exchange space."),
    ),
    SettingField(
        "map_tiles",
        _l("Map tiles"),
        "",
        _l(
            "Address of a tile server, like https://tile.openstreetmap.org/{z}/{x}/{y}.png; "
            "empty: maps without a background."
        ),
    ),
    SettingField(
        "map_attribution",
        _l("Attribution of the map tiles"),
        "",
        _l(
            "Shown below the map, as the tile server's terms ask. Empty: "
            '"© OpenStreetMap contributors" for OpenStreetMap\'s tile servers.'
        ),
    ),
]


def role() -> Role:
    """This node's role; anything unexpected in the stored value counts as a quarter."""
    stored = str(plugin_setting(PLUGIN, "role") or "").strip().lower()
    return Role.COORDINATION if stored == Role.COORDINATION else Role.QUARTER


def is_coordination() -> bool:
    return role() == Role.COORDINATION


def setting(key: str) -> str:
    return str(plugin_setting(PLUGIN, key) or "").strip()


def flag(key: str) -> bool:
    """A yes/no setting (the core stores these as booleans)."""
    return plugin_setting(PLUGIN, key) is True


def coordinate(key: str) -> float | None:
    """``latitude`` or ``longitude`` as a number, ``None`` when unset or not a number."""
    try:
        value = float(setting(key).replace(",", "."))
    except ValueError:
        return None
    limit = 90 if key == "latitude" else 180
    return value if -limit <= value <= limit else None
