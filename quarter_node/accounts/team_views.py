"""Views for bringing people in: invitation links and the moderators' approval queue."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from quarter_node.accounts import approval, invitations
from quarter_node.accounts.blueprint import bp
from quarter_node.accounts.forms import InvitationForm, RejectionForm
from quarter_node.accounts.models import User
from quarter_node.accounts.view_helpers import render_form, show_error
from quarter_node.errors import ServiceError
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.permissions import current_account

Page = Response | tuple[str, int]


def _me() -> User:
    user = current_account()
    assert user is not None  # guarded by @login_required
    return user


# --- invitations -----------------------------------------------------------------------------


def _invitation_form(user: User) -> InvitationForm:
    form = InvitationForm()
    groups = invitations.groups_for_invitations(user)
    form.group.choices = [SelectChoice(0, _("No group"))] + [
        SelectChoice(g.id, g.actor.name) for g in groups
    ]
    return form


def _invitations_page(form: InvitationForm, status: int | None = None) -> Page:
    user = _me()
    return render_form(
        "accounts/invitations.html",
        status,
        form=form,
        invitations=invitations.visible_invitations(user),
        can_invite=invitations.can_invite(user),
        sees_all=invitations.sees_all_invitations(user),
        state_of=invitations.state_of,
        link_of=invitations.invitation_link,
        States=invitations.InvitationState,
    )


@bp.get("/invitations")
@login_required
def invitations_page() -> Page:
    return _invitations_page(_invitation_form(_me()))


@bp.post("/invitations")
@login_required
def create_invitation() -> Page:
    user = _me()
    form = _invitation_form(user)
    if not form.validate_on_submit():
        return _invitations_page(form)
    try:
        invitation = invitations.create_invitation(
            user,
            note=form.note.data or "",
            valid_days=form.valid_days.data,
            max_uses=None if form.unlimited.data else (form.max_uses.data or 1),
            group=db.session.get(Group, form.group.data) if form.group.data else None,
        )
    except ServiceError as error:
        if error.status_code != 422:
            raise
        show_error(form, error)
        return _invitations_page(form)
    flash(
        _("Your invitation link is ready: %(link)s", link=invitations.invitation_link(invitation)),
        "success",
    )
    return redirect(url_for("accounts.invitations_page"))


@bp.post("/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int) -> Response:
    invitations.revoke_invitation(_me(), invitation_id)
    flash(_("The invitation was withdrawn. Its link no longer works."), "success")
    return redirect(url_for("accounts.invitations_page"))


# --- approval queue --------------------------------------------------------------------------


def _rejection_form(user_id: int, *, submitted: bool = False) -> RejectionForm:
    """One form per applicant, with its own field ids (labels and errors stay unambiguous)."""
    form = RejectionForm() if submitted else RejectionForm(formdata=None)
    form.reason.id = form.reason.label.field_id = f"reason-{user_id}"
    return form


def _queue_page(failed: RejectionForm | None = None, failed_id: int | None = None) -> Page:
    applicants = approval.pending_registrations(current_account())
    forms = {a.id: _rejection_form(a.id) for a in applicants}
    if failed is not None and failed_id in forms:
        forms[failed_id] = failed
    return render_form(
        "accounts/registration_queue.html",
        422 if failed is not None else 200,
        applicants=applicants,
        rejection_forms=forms,
    )


@bp.get("/moderation/registrations")
@login_required
def registration_queue() -> Page:
    return _queue_page()


@bp.post("/moderation/registrations/<int:user_id>/approve")
@login_required
def approve_registration(user_id: int) -> Response:
    applicant = approval.approve_registration(current_account(), user_id)
    flash(_("@%(handle)s is now a member.", handle=applicant.actor.handle), "success")
    return redirect(url_for("accounts.registration_queue"))


@bp.post("/moderation/registrations/<int:user_id>/reject")
@login_required
def reject_registration(user_id: int) -> Page:
    form = _rejection_form(user_id, submitted=True)
    if not form.validate_on_submit():
        return _queue_page(form, user_id)
    applicant = approval.reject_registration(current_account(), user_id, form.reason.data or "")
    flash(
        _("The registration of @%(handle)s was declined.", handle=applicant.actor.handle),
        "success",
    )
    return redirect(url_for("accounts.registration_queue"))
