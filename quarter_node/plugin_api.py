"""Everything a plugin may use of Quarter Node, and nothing else.

Plugins (the shipped ones in ``plugins/`` as much as installed packages) import only from
this module, so the rest of ``quarter_node`` can change shape without breaking them. What is
here stays compatible; see ``docs/plugins.md`` for how to use it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from quarter_node import signals
from quarter_node.accounts.models import Actor, Role, User
from quarter_node.activitypub.handlers import Context as HandlerContext
from quarter_node.db_types import UTCDateTime, utcnow
from quarter_node.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.jobs import job, periodic_job
from quarter_node.moderation.audit import record as record_audit
from quarter_node.permissions import current_account, require_role
from quarter_node.plugins.hookspecs import hookimpl
from quarter_node.plugins.services import plugin_setting
from quarter_node.plugins.state import is_enabled
from quarter_node.plugins.types import InboundHandler, NavItem, SearchDocument, SettingField
from quarter_node.plugins.wiring import call_hook
from quarter_node.posts.models import Post


def object_to_ap(obj: Any) -> dict[str, Any] | None:
    """The ActivityStreams JSON of a plugin object, from the enabled plugin that knows it."""
    return call_hook("quarter_object_to_ap", obj=obj)  # type: ignore[no-any-return]


__all__ = [
    "Actor",
    "Conflict",
    "Group",
    "HandlerContext",
    "InboundHandler",
    "InvalidInput",
    "NavItem",
    "NotFound",
    "PermissionDenied",
    "Post",
    "Role",
    "SearchDocument",
    "SettingField",
    "User",
    "UTCDateTime",
    "_",
    "_l",
    "current_account",
    "db",
    "hookimpl",
    "is_enabled",
    "job",
    "ngettext",
    "object_to_ap",
    "periodic_job",
    "plugin_setting",
    "record_audit",
    "require_role",
    "signals",
    "utcnow",
]
