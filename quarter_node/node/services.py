"""Reading and changing node-wide settings.

Values are read once per request (cached on ``g``) so templates may ask freely.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from flask import g, has_request_context

from quarter_node.extensions import db
from quarter_node.node.models import NodeSetting

SUPPORTED_LANGUAGES = ("de", "en")


class RegistrationMode(enum.StrEnum):
    OPEN = "open"  # anybody may register and is a member at once
    APPROVAL = "approval"  # moderators approve each registration
    INVITATION = "invitation"  # only with a valid invitation link
    CLOSED = "closed"  # nobody may register


@dataclass
class NodeSettings:
    """The settings an admin edits in the browser. Field names are the stored keys."""

    name: str = "Quarter Node"
    description: str = ""
    quarter: str = ""  # the area the node serves, e.g. "Dortmund-Nordstadt"
    default_language: str = "de"
    registration_mode: str = RegistrationMode.APPROVAL.value
    rules: str = ""  # house rules / code of conduct (Markdown)
    imprint: str = ""  # Impressum (Markdown), required in Germany
    privacy: str = ""  # privacy statement (Markdown)
    contact_email: str = ""
    # Lowest node role that may create invitation links ("member" makes every member a
    # multiplier; "moderator" keeps it to the team).
    invitation_role: str = "member"
    # "open": federate with every server not blocked; "allowlist": only with listed hosts
    # (a closed network of initiatives).
    federation_mode: str = "open"
    # Whether the instance actor acts as an ActivityPub relay for other servers.
    relay_enabled: bool = False
    setup_complete: bool = False


_PREFIX = "node."
_CACHE_KEY = "_qn_node_settings"


def stored_key(name: str) -> str:
    """The ``node_settings`` key under which the setting ``name`` is stored."""
    return _PREFIX + name


def get_node_settings() -> NodeSettings:
    """Current settings with defaults for whatever was never set."""
    if has_request_context() and _CACHE_KEY in g:
        return g.get(_CACHE_KEY)  # type: ignore[no-any-return]
    stored = {key.removeprefix(_PREFIX): value for key, value in db.session.execute(_query())}
    known = {f.name for f in fields(NodeSettings)}
    settings = NodeSettings(**{k: v for k, v in stored.items() if k in known})
    if has_request_context():
        setattr(g, _CACHE_KEY, settings)
    return settings


@cache
def _query() -> Any:
    """Built once: every page reads the settings, and building the statement cost more
    Python time than running it. Plain rows, no ORM objects (nothing here is changed)."""
    return db.select(NodeSetting.key, NodeSetting.value).where(NodeSetting.key.startswith(_PREFIX))


def update_node_settings(**values: Any) -> NodeSettings:
    """Store the given settings (without committing: the caller's transaction decides)."""
    known = {f.name for f in fields(NodeSettings)}
    unknown = set(values) - known
    if unknown:
        raise KeyError(f"unknown node settings: {sorted(unknown)}")
    for key, value in values.items():
        if isinstance(value, enum.Enum):
            value = value.value
        row = db.session.get(NodeSetting, _PREFIX + key)
        if row is None:
            db.session.add(NodeSetting(key=_PREFIX + key, value=value))
        else:
            row.value = value
    if has_request_context() and _CACHE_KEY in g:
        g.pop(_CACHE_KEY)
    return get_node_settings()
