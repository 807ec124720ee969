"""The moderators' audit log: one entry per moderator or admin action.

Every domain that lets moderators or admins act (moderation, registrations, roles, groups)
calls ``record`` inside its own transaction, so the action and its log entry are stored
together or not at all. The application never edits or deletes entries.
"""

from __future__ import annotations

from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.moderation.models import AuditLogEntry, Report
from quarter_node.posts.models import Post

# The actions the moderation domain itself writes (others may use their own names).
POST_HIDE = "post.hide"
POST_UNHIDE = "post.unhide"
POST_DELETE = "post.delete"
ACCOUNT_WARN = "account.warn"
ACCOUNT_SUSPEND = "account.suspend"
ACCOUNT_UNSUSPEND = "account.unsuspend"
REPORT_DISMISS = "report.dismiss"
REPORT_RESOLVE = "report.resolve"

_LABEL_MAX = 200


def record(
    moderator: Actor | None,
    action: str,
    *,
    target_actor: Actor | None = None,
    target_post: Post | None = None,
    report: Report | None = None,
    group: Group | None = None,
    note: str = "",
) -> AuditLogEntry:
    """Add one log entry to the session WITHOUT committing (the caller's commit stores it
    with the action). ``moderator`` None means the node itself (e.g. a CLI command)."""
    if target_actor is None and target_post is not None:
        target_actor = target_post.author
    entry = AuditLogEntry(
        moderator_id=moderator.id if moderator else None,
        action=action,
        target_actor_id=target_actor.id if target_actor else None,
        target_post_id=target_post.id if target_post else None,
        report_id=report.id if report else None,
        group_id=_group_id(group, target_post),
        target_label=target_label(target_actor, target_post, group),
        note=note or "",
    )
    db.session.add(entry)
    return entry


def target_label(
    target_actor: Actor | None, target_post: Post | None = None, group: Group | None = None
) -> str:
    """A readable name for the target that survives its deletion: "@handle", the post id,
    and the group's handle, e.g. "@anna, post 17, group @gartenfreunde"."""
    parts: list[str] = []
    if target_actor is not None:
        parts.append(_handle_of(target_actor))
    if target_post is not None:
        parts.append(f"post {target_post.id}")
    if group is not None and group.actor is not None:
        parts.append(f"group {_handle_of(group.actor)}")
    return ", ".join(parts)[:_LABEL_MAX]


def _handle_of(actor: Actor) -> str:
    return f"@{actor.handle}" + (f"@{actor.domain}" if actor.domain else "")


def _group_id(group: Group | None, target_post: Post | None) -> int | None:
    if group is not None:
        return group.id
    return target_post.group_id if target_post is not None else None
