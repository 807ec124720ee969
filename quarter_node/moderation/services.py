"""Reports: filing them, and who may see which report.

Node moderators and admins handle every report. Owners and moderators of a group handle the
reports about their group's posts, and only those: they see a narrower queue and a
narrower history, so reports about a neighbour elsewhere on the node stay with the node team.
The actions moderators take on a report live in ``moderation.actions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from quarter_node.accounts.models import Actor, ActorKind, Role, User
from quarter_node.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupRole, Membership, MembershipState
from quarter_node.moderation.models import AuditLogEntry, Report, ReportCategory, ReportState
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify, notify_node_moderators
from quarter_node.posts.models import Post
from quarter_node.posts.visibility import can_view_post

REASON_MAX_LENGTH = 2000
HISTORY_LIMIT = 20


# --- Filing reports ------------------------------------------------------------------------


def reportable_post(user: User | None, post_id: int) -> Post:
    """The post ``user`` may report: one they can open (else 404, so reports reveal nothing
    about posts one cannot see) and not their own."""
    user = _require_reporter(user)
    post = db.session.get(Post, post_id)
    if post is None or post.deleted_at is not None or not can_view_post(user, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if post.author_id == user.actor_id:
        raise InvalidInput(_("You cannot report your own post."))
    return post


def reportable_account(user: User | None, handle: str) -> Actor:
    """The person ``user`` may report (not themselves): of this node (``name``) or a known
    remote person (``name@host``), whose report moderators may forward to their server."""
    user = _require_reporter(user)
    name, _sep, host = handle.lower().partition("@")
    actor = db.session.scalar(
        select(Actor).where(
            Actor.handle == name, Actor.domain == host, Actor.kind == ActorKind.PERSON
        )
    )
    if actor is None:
        raise NotFound(_("There is nobody with this name here."))
    if actor.id == user.actor_id:
        raise InvalidInput(_("You cannot report your own account."))
    return actor


def report_post(user: User | None, post_id: int, reason: str, category: str) -> Report:
    """File a report about a post. A group post's report also goes to that group's team."""
    post = reportable_post(user, post_id)
    return _file_report(_require_reporter(user), post.author, reason, category, post=post)


def report_account(user: User | None, handle: str, reason: str, category: str) -> Report:
    """File a report about a person's account as a whole."""
    actor = reportable_account(user, handle)
    return _file_report(_require_reporter(user), actor, reason, category)


def _file_report(
    user: User, target: Actor, reason: str, category: str, *, post: Post | None = None
) -> Report:
    reason = _checked_reason(reason)
    _refuse_duplicate(user, target, post)
    report = Report(
        reporter_id=user.actor_id,
        target_actor_id=target.id,
        target_post_id=post.id if post else None,
        group_id=post.group_id if post else None,
        reason=reason,
        category=_checked_category(category),
    )
    db.session.add(report)
    db.session.flush()
    _notify_moderators(report, user.actor)
    db.session.commit()
    return report


def _require_reporter(user: User | None) -> User:
    if user is None or not user.is_active:
        raise PermissionDenied(_("Please log in to report something."))
    return user


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please tell the moderators what is wrong."))
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("Please keep the reason under %(max)d characters.", max=REASON_MAX_LENGTH)
        )
    return reason


def _checked_category(category: str) -> ReportCategory:
    try:
        return ReportCategory(category)
    except ValueError:
        raise InvalidInput(_("Please choose what kind of problem this is.")) from None


def _refuse_duplicate(user: User, target: Actor, post: Post | None) -> None:
    """One open report per person and target is enough; more would only fill the queue."""
    same_post = Report.target_post_id == post.id if post else Report.target_post_id.is_(None)
    existing = db.session.scalar(
        select(Report.id).where(
            Report.reporter_id == user.actor_id,
            Report.target_actor_id == target.id,
            same_post,
            Report.state == ReportState.OPEN,
        )
    )
    if existing is not None:
        raise Conflict(_("You have already reported this. The moderators will look at it."))


def _notify_moderators(report: Report, reporter: Actor) -> None:
    """The notification links to the report, not the post: deleting the post must not take
    the moderators' notice with it."""
    notify_node_moderators(NotificationKind.REPORT, actor=reporter, report_id=report.id)
    if report.group_id is None:
        return
    for actor in _group_team_without_node_staff(report.group_id):
        notify(
            actor,
            NotificationKind.REPORT,
            actor=reporter,
            group_id=report.group_id,
            report_id=report.id,
        )


def _group_team_without_node_staff(group_id: int) -> list[Actor]:
    """Owners and moderators of the group; node moderators were notified already."""
    rows = db.session.scalars(
        select(Actor)
        .join(Membership, Membership.actor_id == Actor.id)
        .join(User, User.actor_id == Actor.id)
        .where(
            Membership.group_id == group_id,
            Membership.state == MembershipState.ACTIVE,
            Membership.role.in_([GroupRole.MODERATOR, GroupRole.OWNER]),
            User.role == Role.MEMBER,
        )
    )
    return [actor for actor in rows if actor.user is not None and actor.user.is_active]


# --- Who sees which report -----------------------------------------------------------------


@dataclass(frozen=True)
class ModerationScope:
    """What a moderator may handle: everything (node team) or the reports of some groups."""

    node_wide: bool
    group_ids: frozenset[int]

    def covers_group(self, group_id: int | None) -> bool:
        return self.node_wide or (group_id is not None and group_id in self.group_ids)


def moderation_scope(user: User | None) -> ModerationScope:
    """Refuse everybody who moderates nothing (403)."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    if user.has_role(Role.MODERATOR):
        return ModerationScope(node_wide=True, group_ids=frozenset())
    group_ids = frozenset(moderated_group_ids(user))
    if not group_ids:
        raise PermissionDenied(_("You are not allowed to do this."))
    return ModerationScope(node_wide=False, group_ids=group_ids)


def moderated_group_ids(user: User) -> list[int]:
    """Groups in which ``user`` is an active owner or moderator."""
    return list(
        db.session.scalars(
            select(Membership.group_id).where(
                Membership.actor_id == user.actor_id,
                Membership.state == MembershipState.ACTIVE,
                Membership.role.in_([GroupRole.MODERATOR, GroupRole.OWNER]),
            )
        )
    )


def reports_query(user: User | None, state: ReportState) -> Select[tuple[Report]]:
    """The queue: reports in ``state`` that ``user`` may handle, oldest open ones first (they
    waited longest), closed ones newest first."""
    scope = moderation_scope(user)
    order = Report.created_at.asc() if state == ReportState.OPEN else Report.resolved_at.desc()
    return (
        select(Report)
        .where(Report.state == state, _report_scope_filter(scope))
        .options(
            selectinload(Report.target_actor),
            selectinload(Report.target_post),
            selectinload(Report.resolved_by),
            selectinload(Report.group).selectinload(Group.actor),
        )
        .order_by(order, Report.id)
    )


def _report_scope_filter(scope: ModerationScope):  # noqa: ANN202  (a SQL condition)
    if scope.node_wide:
        return Report.id.is_not(None)
    return Report.group_id.in_(scope.group_ids) if scope.group_ids else false()


def get_report(user: User | None, report_id: int) -> Report:
    """A report ``user`` may handle: 404 if unknown, 403 if it belongs to someone else's
    queue."""
    scope = moderation_scope(user)
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotFound(_("This report does not exist."))
    if not scope.covers_group(report.group_id):
        raise PermissionDenied(_("This report is handled by other moderators."))
    return report


def earlier_reports(user: User, report: Report) -> list[Report]:
    """Other reports about the same account that ``user`` may see, newest first."""
    scope = moderation_scope(user)
    return list(
        db.session.scalars(
            select(Report)
            .where(
                Report.target_actor_id == report.target_actor_id,
                Report.id != report.id,
                _report_scope_filter(scope),
            )
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )


def moderation_history(user: User, actor_id: int) -> list[AuditLogEntry]:
    """Earlier moderation of an account from the audit log (group teams: their groups')."""
    scope = moderation_scope(user)
    in_scope = (
        AuditLogEntry.id.is_not(None)
        if scope.node_wide
        else AuditLogEntry.group_id.in_(scope.group_ids)
    )
    return list(
        db.session.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.target_actor_id == actor_id, in_scope)
            .order_by(AuditLogEntry.created_at.desc(), AuditLogEntry.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )


# --- The audit log -------------------------------------------------------------------------


def audit_log_query(
    user: User | None, *, action: str = "", moderator_handle: str = ""
) -> Select[tuple[AuditLogEntry]]:
    """The whole log for the node team, newest first, optionally filtered."""
    _require_node_moderator(user)
    query = select(AuditLogEntry).order_by(AuditLogEntry.created_at.desc(), AuditLogEntry.id.desc())
    if action:
        query = query.where(AuditLogEntry.action == action)
    if moderator_handle:
        handle = moderator_handle.strip().lstrip("@").lower()
        moderator_ids = select(Actor.id).where(Actor.handle == handle, Actor.domain == "")
        query = query.where(AuditLogEntry.moderator_id.in_(moderator_ids))
    return query


def logged_actions(user: User | None) -> list[str]:
    """The action names that occur in the log, for the filter."""
    _require_node_moderator(user)
    return list(
        db.session.scalars(select(AuditLogEntry.action).distinct().order_by(AuditLogEntry.action))
    )


def logged_moderators(user: User | None) -> list[Actor]:
    """Everybody who appears as moderator in the log, for the filter."""
    _require_node_moderator(user)
    ids = select(AuditLogEntry.moderator_id).where(AuditLogEntry.moderator_id.is_not(None))
    return list(db.session.scalars(select(Actor).where(Actor.id.in_(ids)).order_by(Actor.handle)))


def _require_node_moderator(user: User | None) -> None:
    if user is None or not user.is_active or not user.has_role(Role.MODERATOR):
        raise PermissionDenied(_("You are not allowed to do this."))
