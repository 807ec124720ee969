"""Web views of the moderation domain: report forms, the queue, report pages, the log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required, logout_user

from quarter_node.machine import is_machine_request
from quarter_node.moderation import actions, services
from quarter_node.moderation.forms import (
    CATEGORY_LABELS,
    ModerationNoteForm,
    ReportForm,
    WarningForm,
)
from quarter_node.moderation.labels import (
    ACTION_LABELS,
    QUEUE_HEADINGS,
    ROLE_LABELS,
    STATE_LABELS,
    VISIBILITY_LABELS,
)
from quarter_node.moderation.models import ReportState
from quarter_node.moderation.pagination import paginate
from quarter_node.notifications import links
from quarter_node.permissions import current_account

bp = Blueprint("moderation", __name__)

DONE_MESSAGES = {
    actions.HIDE: _l("The post is hidden now."),
    actions.UNHIDE: _l("The post is visible again."),
    actions.DELETE: _l("The post has been deleted."),
    actions.SUSPEND: _l("The account is suspended."),
    actions.UNSUSPEND: _l("The suspension has been lifted."),
    actions.DISMISS: _l("The report has been dismissed."),
    actions.RESOLVE: _l("The report is marked as resolved."),
}


@bp.before_app_request
def end_sessions_of_suspended_accounts() -> None:
    """Flask-Login refuses suspended people at login; this also ends sessions that were
    open when the suspension came. (Machine requests have no session to end.)"""
    if is_machine_request():
        return
    user = current_account()
    if user is not None and user.actor.suspended_at is not None:
        logout_user()
        flash(_("Your account has been suspended by the moderators."), "error")


# --- Reporting -----------------------------------------------------------------------------


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int) -> Any:
    post = services.reportable_post(current_account(), post_id)
    form = ReportForm()
    if form.validate_on_submit():
        services.report_post(current_account(), post_id, form.reason.data, form.category.data)
        return redirect(url_for(".report_sent"))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/report_form.html", form=form, post=post), status


@bp.route("/@<handle>/report", methods=["GET", "POST"])
@login_required
def report_account(handle: str) -> Any:
    actor = services.reportable_account(current_account(), handle)
    form = ReportForm()
    if form.validate_on_submit():
        services.report_account(current_account(), handle, form.reason.data, form.category.data)
        return redirect(url_for(".report_sent"))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/report_form.html", form=form, account=actor), status


@bp.get("/reports/thanks")
@login_required
def report_sent() -> str:
    return render_template("moderation/report_sent.html")


# --- The queue and a report ----------------------------------------------------------------


@bp.get("/moderation")
@login_required
def queue() -> str:
    state = _state_from_args()
    page = paginate(services.reports_query(current_account(), state))
    return render_template(
        "moderation/queue.html",
        page=page,
        state=state,
        states=list(ReportState),
        queue_headings=QUEUE_HEADINGS,
        category_labels=CATEGORY_LABELS,
    )


@bp.get("/moderation/reports/<int:report_id>")
@login_required
def report(report_id: int) -> str:
    return _render_report(report_id)


@bp.post("/moderation/reports/<int:report_id>/act")
@login_required
def act(report_id: int) -> Any:
    action = request.form.get("action", "")
    if action not in actions.ACTIONS:
        abort(400)
    form = ModerationNoteForm()
    if not form.validate():
        return _render_report(report_id, note_form=form), 422
    actions.ACTIONS[action](current_account(), report_id, note=form.note.data or "")
    flash(str(DONE_MESSAGES[action]), "success")
    return redirect(url_for(".report", report_id=report_id))


@bp.post("/moderation/reports/<int:report_id>/warn")
@login_required
def warn(report_id: int) -> Any:
    form = WarningForm()
    if not form.validate():
        return _render_report(report_id, warn_form=form), 422
    report = actions.warn_account(current_account(), report_id, form.message.data)
    flash(_("@%(handle)s has been warned.", handle=report.target_actor.handle), "success")
    return redirect(url_for(".report", report_id=report_id))


def _render_report(
    report_id: int,
    note_form: ModerationNoteForm | None = None,
    warn_form: WarningForm | None = None,
) -> str:
    user = current_account()
    report = services.get_report(user, report_id)
    return render_template(
        "moderation/report.html",
        report=report,
        earlier=services.earlier_reports(user, report),
        history=services.moderation_history(user, report.target_actor_id),
        allowed=actions.available_actions(user, report),
        note_form=note_form or ModerationNoteForm(formdata=None),
        warn_form=warn_form or WarningForm(formdata=None),
        state_labels=STATE_LABELS,
        category_labels=CATEGORY_LABELS,
        action_labels=ACTION_LABELS,
        visibility_labels=VISIBILITY_LABELS,
        role_labels=ROLE_LABELS,
        links=links,
    )


def _state_from_args() -> ReportState:
    try:
        return ReportState(request.args.get("state", ReportState.OPEN.value))
    except ValueError:
        abort(400)


# --- The audit log -------------------------------------------------------------------------


@bp.get("/moderation/log")
@login_required
def log() -> str:
    user = current_account()
    action = request.args.get("action", "")
    moderator = request.args.get("moderator", "")
    page = paginate(services.audit_log_query(user, action=action, moderator_handle=moderator))
    return render_template(
        "moderation/log.html",
        page=page,
        action=action,
        moderator=moderator,
        actions=services.logged_actions(user),
        moderators=services.logged_moderators(user),
        action_labels=ACTION_LABELS,
    )
