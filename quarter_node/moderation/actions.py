"""What moderators do about a report.

Every action is one use case: it checks who may do it, changes the post or account, closes the
report and writes exactly one audit-log entry, all in one commit. Group teams act only on
posts of their own group; warnings and suspensions are for the node team. Nobody acts on a
report about themselves, and only admins suspend admins.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from quarter_node.accounts.models import Actor, Role, User
from quarter_node.db_types import utcnow
from quarter_node.errors import Conflict, InvalidInput, PermissionDenied
from quarter_node.extensions import db
from quarter_node.moderation import audit
from quarter_node.moderation.models import Report, ReportState
from quarter_node.moderation.services import ModerationScope, get_report, moderation_scope
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.posts import services as posts_services
from quarter_node.posts.models import Post

NOTE_MAX_LENGTH = 2000

HIDE, UNHIDE, DELETE = "hide", "unhide", "delete"
WARN, SUSPEND, UNSUSPEND = "warn", "suspend", "unsuspend"
DISMISS, RESOLVE = "dismiss", "resolve"

POST_ACTIONS = (HIDE, UNHIDE, DELETE)
ACCOUNT_ACTIONS = (WARN, SUSPEND, UNSUSPEND)
REPORT_ACTIONS = (RESOLVE, DISMISS)


# --- Post actions --------------------------------------------------------------------------


def hide_post(user: User | None, report_id: int, note: str = "") -> Report:
    """Take the post out of every listing; its author still sees it, marked as hidden."""
    note = _checked_text(note)
    report, post, moderator = _post_action(user, report_id)
    if post.hidden_at is not None:
        raise Conflict(_("This post is already hidden."))
    post.hidden_at = utcnow()
    post.hidden_by_id = moderator.actor_id
    return _finish(moderator, report, audit.POST_HIDE, note, post=post)


def unhide_post(user: User | None, report_id: int, note: str = "") -> Report:
    note = _checked_text(note)
    report, post, moderator = _post_action(user, report_id)
    if post.hidden_at is None:
        raise Conflict(_("This post is not hidden."))
    post.hidden_at = None
    post.hidden_by_id = None
    return _finish(moderator, report, audit.POST_UNHIDE, note, post=post)


def delete_post(user: User | None, report_id: int, note: str = "") -> Report:
    """Delete the post the way its author would; the log keeps its id and author's handle."""
    note = _checked_text(note)
    report, post, moderator = _post_action(user, report_id)
    _close(report, moderator, ReportState.RESOLVED)
    audit.record(moderator.actor, audit.POST_DELETE, target_post=post, report=report, note=note)
    db.session.flush()  # the entry exists before the post row may go (its id is then nulled)
    # The posts domain deletes as for authors (a post with replies stays as a placeholder)
    # and leaves the commit to us, so the post, the report and the log change together.
    posts_services.delete_post(moderator, post, commit=False)
    db.session.commit()
    return report


def _post_action(user: User | None, report_id: int) -> tuple[Report, Post, User]:
    report, moderator, scope = _open_for_action(user, report_id)
    post = report.target_post
    if post is None or post.deleted_at is not None:
        raise Conflict(_("This post has been deleted already."))
    if not scope.covers_group(post.group_id):
        raise PermissionDenied(_("Only the node's moderators may act on this post."))
    return report, post, moderator


# --- Account actions -----------------------------------------------------------------------


def warn_account(user: User | None, report_id: int, message: str) -> Report:
    """Send the person a warning in the moderators' words. It names the moderation team,
    not the moderator, so warnings do not turn into quarrels between neighbours."""
    message = _checked_text(message, required=True)
    report, target, moderator = _account_action(user, report_id)
    # No post_id: the warning must outlive the post if that is deleted later.
    notify(target, NotificationKind.WARNING, text=message)
    return _finish(moderator, report, audit.ACCOUNT_WARN, message, actor=target)


def suspend_account(user: User | None, report_id: int, note: str = "") -> Report:
    """The person can no longer log in and their posts vanish from every listing."""
    note = _checked_text(note)
    report, target, moderator = _account_action(user, report_id, changes_access=True)
    if target.suspended_at is not None:
        raise Conflict(_("This account is already suspended."))
    target.suspended_at = utcnow()
    return _finish(moderator, report, audit.ACCOUNT_SUSPEND, note, actor=target)


def unsuspend_account(user: User | None, report_id: int, note: str = "") -> Report:
    note = _checked_text(note)
    report, target, moderator = _account_action(user, report_id, changes_access=True)
    if target.suspended_at is None:
        raise Conflict(_("This account is not suspended."))
    target.suspended_at = None
    return _finish(moderator, report, audit.ACCOUNT_UNSUSPEND, note, actor=target)


def _account_action(
    user: User | None, report_id: int, *, changes_access: bool = False
) -> tuple[Report, Actor, User]:
    report, moderator, scope = _open_for_action(user, report_id)
    if not scope.node_wide:
        raise PermissionDenied(_("Only the node's moderators may warn or suspend accounts."))
    target = report.target_actor
    target_user = target.user
    if target_user is None:
        raise InvalidInput(_("This account does not belong to this node."))
    if changes_access and target_user.has_role(Role.ADMIN) and not moderator.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only admins may suspend an admin."))
    return report, target, moderator


# --- Closing without action ----------------------------------------------------------------


def dismiss_report(user: User | None, report_id: int, note: str = "") -> Report:
    """Nothing to do: the report is closed as dismissed."""
    return _close_only(user, report_id, note, ReportState.DISMISSED, audit.REPORT_DISMISS)


def resolve_report(user: User | None, report_id: int, note: str = "") -> Report:
    """Handled some other way (a talk, a fixed post): the report is closed as resolved."""
    return _close_only(user, report_id, note, ReportState.RESOLVED, audit.REPORT_RESOLVE)


def _close_only(
    user: User | None, report_id: int, note: str, state: ReportState, action: str
) -> Report:
    note = _checked_text(note)
    report, moderator, _scope = _open_for_action(user, report_id)
    if report.state != ReportState.OPEN:
        raise Conflict(_("This report has been closed already."))
    target_post = report.target_post
    return _finish(
        moderator, report, action, note, actor=report.target_actor, post=target_post, state=state
    )


# --- Shared steps --------------------------------------------------------------------------


def available_actions(user: User | None, report: Report) -> frozenset[str]:
    """What ``user`` may do with ``report`` now; templates show only these buttons (the
    actions themselves check again)."""
    try:
        moderator, scope = _acting_moderator(user, report)
    except PermissionDenied:
        return frozenset()
    allowed: set[str] = set()
    if report.state == ReportState.OPEN:
        allowed.update(REPORT_ACTIONS)
    allowed.update(_post_actions_for(report.target_post, scope))
    allowed.update(_account_actions_for(moderator, report.target_actor, scope))
    return frozenset(allowed)


def _post_actions_for(post: Post | None, scope: ModerationScope) -> set[str]:
    if post is None or post.deleted_at is not None or not scope.covers_group(post.group_id):
        return set()
    return {UNHIDE if post.hidden_at else HIDE, DELETE}


def _account_actions_for(moderator: User, target: Actor, scope: ModerationScope) -> set[str]:
    if not scope.node_wide or target.user is None:
        return set()
    allowed = {WARN}
    if moderator.has_role(Role.ADMIN) or not target.user.has_role(Role.ADMIN):
        allowed.add(UNSUSPEND if target.suspended_at else SUSPEND)
    return allowed


def _open_for_action(user: User | None, report_id: int) -> tuple[Report, User, ModerationScope]:
    report = get_report(user, report_id)
    moderator, scope = _acting_moderator(user, report)
    return report, moderator, scope


def _acting_moderator(user: User | None, report: Report) -> tuple[User, ModerationScope]:
    scope = moderation_scope(user)
    assert user is not None  # moderation_scope refused visitors
    if report.target_actor_id == user.actor_id:
        raise PermissionDenied(_("Another moderator must handle reports about you."))
    if not scope.covers_group(report.group_id):
        raise PermissionDenied(_("This report is handled by other moderators."))
    return user, scope


def _finish(
    moderator: User,
    report: Report,
    action: str,
    note: str,
    *,
    actor: Actor | None = None,
    post: Post | None = None,
    state: ReportState = ReportState.RESOLVED,
) -> Report:
    """Close the report and log the action in the same commit as the change itself."""
    _close(report, moderator, state)
    audit.record(
        moderator.actor, action, target_actor=actor, target_post=post, report=report, note=note
    )
    db.session.commit()
    return report


def _close(report: Report, moderator: User, state: ReportState) -> None:
    if report.state == ReportState.OPEN or state == ReportState.RESOLVED:
        report.state = state
        report.resolved_by_id = moderator.actor_id
        report.resolved_at = utcnow()


def _checked_text(text: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(_("Please write the message the person will read."))
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("Please keep it under %(max)d characters.", max=NOTE_MAX_LENGTH))
    return text


ACTIONS: dict[str, Callable[..., Report]] = {
    HIDE: hide_post,
    UNHIDE: unhide_post,
    DELETE: delete_post,
    SUSPEND: suspend_account,
    UNSUSPEND: unsuspend_account,
    DISMISS: dismiss_report,
    RESOLVE: resolve_report,
}
