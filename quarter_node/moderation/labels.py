"""Readable names for report states and logged actions (for pages and filters)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from quarter_node.accounts.models import Role
from quarter_node.moderation import audit
from quarter_node.moderation.models import ReportState
from quarter_node.posts.models import Visibility

STATE_LABELS = {
    ReportState.OPEN: _l("Open"),
    ReportState.RESOLVED: _l("Resolved"),
    ReportState.DISMISSED: _l("Dismissed"),
}

QUEUE_HEADINGS = {
    ReportState.OPEN: _l("Open reports"),
    ReportState.RESOLVED: _l("Resolved reports"),
    ReportState.DISMISSED: _l("Dismissed reports"),
}

# Actions other domains log too (registrations, roles) are named here so the log reads well;
# unknown names are shown as they are.
ACTION_LABELS = {
    audit.POST_HIDE: _l("Post hidden"),
    audit.POST_UNHIDE: _l("Post shown again"),
    audit.POST_DELETE: _l("Post deleted"),
    audit.ACCOUNT_WARN: _l("Account warned"),
    audit.ACCOUNT_SUSPEND: _l("Account suspended"),
    audit.ACCOUNT_UNSUSPEND: _l("Suspension lifted"),
    audit.REPORT_DISMISS: _l("Report dismissed"),
    audit.REPORT_RESOLVE: _l("Report resolved"),
    "user.set_role": _l("Role changed"),
    "registration.approve": _l("Registration approved"),
    "registration.reject": _l("Registration rejected"),
    "plugin.enable": _l("Plugin enabled"),
    "plugin.disable": _l("Plugin disabled"),
    "plugin.settings": _l("Plugin settings changed"),
}

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("everybody"),
    Visibility.MEMBERS: _l("members of this node"),
    Visibility.GROUP: _l("members of the group"),
    Visibility.FOLLOWERS: _l("the author's followers"),
}

ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Admin"),
}
