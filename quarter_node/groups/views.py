"""Group pages: the list of groups, founding one, a group's timeline, members and settings.

Views stay thin: the rules live in ``groups.services``. Members-only groups show outsiders
their name and description only; their members page answers 404 so it reveals nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from quarter_node.accounts.models import HANDLE_RESERVED_FOR, User
from quarter_node.errors import Conflict, ServiceError
from quarter_node.extensions import db
from quarter_node.groups import remote_members, services
from quarter_node.groups.forms import (
    AvatarForm,
    EditGroupForm,
    InviteForm,
    NewGroupForm,
    RoleForm,
    role_choices,
)
from quarter_node.groups.models import Group, MembershipState
from quarter_node.groups.permissions import (
    active_member_group_ids,
    can_see_group_content,
    is_group_moderator,
    is_group_owner,
)
from quarter_node.groups.queries import (
    active_memberships,
    all_groups_query,
    get_group,
    get_local_person,
    pending_invitations,
    pending_requests,
)
from quarter_node.groups.viewer import group_state
from quarter_node.moderation.pagination import paginate
from quarter_node.permissions import current_account
from quarter_node.plugins.types import TimelineKind
from quarter_node.posts.models import Post
from quarter_node.posts.plugin_entries import add_plugin_entries
from quarter_node.posts.views import timeline_page
from quarter_node.posts.visibility import visible_posts_filter

bp = Blueprint("groups", __name__)


# --- pages ----------------------------------------------------------------------------------


@bp.get("/groups")
def index() -> str:
    viewer = current_account()
    return render_template(
        "groups/index.html",
        page=paginate(all_groups_query()),
        my_group_ids=set(active_member_group_ids(viewer)),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    form = NewGroupForm()
    if not form.validate_on_submit():
        return _render_new(form, status=422 if form.is_submitted() else 200)
    try:
        group = services.create_group(
            current_account(),
            form.handle.data,
            form.display_name.data,
            form.description.data,
            form.visibility.data,
            form.join_mode.data,
        )
    except ServiceError as error:
        db.session.rollback()
        if isinstance(error, Conflict):
            form.handle.errors = [error.message]
            return _render_new(form, status=422)
        return _render_new(form, status=422, form_error=error.message)
    flash(_("The group %(name)s was created.", name=group.actor.name), "success")
    return redirect(url_for("groups.view", handle=group.actor.handle))


def _render_new(form: NewGroupForm, status: int, form_error: str | None = None) -> Any:
    return render_template("groups/new.html", form=form, form_error=form_error), status


@bp.get("/groups/<handle>")
def view(handle: str) -> str:
    group = get_group(handle)
    viewer = current_account()
    state = group_state(viewer, group)
    page = None
    if state.can_see_content:
        query = db.select(Post).where(
            visible_posts_filter(viewer), Post.group_id == group.id, Post.in_reply_to_id.is_(None)
        )
        page = add_plugin_entries(
            timeline_page(query, request.args), TimelineKind.GROUP, viewer, group
        )
    return render_template("groups/view.html", group=group, state=state, page=page, viewer=viewer)


@bp.get("/groups/<handle>/members")
def members(handle: str) -> str:
    group = get_group(handle)
    viewer = current_account()
    if not can_see_group_content(viewer, group):
        abort(404)  # a members-only group does not even say that the list exists
    return render_template(
        "groups/members.html",
        group=group,
        state=group_state(viewer, group),
        memberships=active_memberships(group),
    )


@bp.route("/groups/<handle>/settings", methods=["GET", "POST"])
@login_required
def settings(handle: str) -> Any:
    group, user = _moderated_group(handle)
    form = EditGroupForm(obj=_GroupValues(group) if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _render_settings(group, edit_form=form, status=422 if form.is_submitted() else 200)
    try:
        services.update_group(
            user,
            group,
            display_name=form.display_name.data,
            description=form.description.data,
            visibility=form.visibility.data,
            join_mode=form.join_mode.data,
        )
    except ServiceError as error:
        db.session.rollback()
        group = get_group(handle)
        form.form_errors.append(error.message)
        return _render_settings(group, edit_form=form, status=error.status_code)
    flash(_("The group's settings were saved."), "success")
    return redirect(url_for("groups.settings", handle=group.actor.handle))


@bp.route("/groups/<handle>/delete", methods=["GET", "POST"])
@login_required
def delete(handle: str) -> Any:
    group = get_group(handle)
    user = current_account()
    if not is_group_owner(user, group):
        abort(403)
    if request.method == "GET":
        return render_template(
            "groups/delete.html", group=group, reserved_days=HANDLE_RESERVED_FOR.days
        )
    name = group.actor.name
    services.delete_group(user, group)
    flash(_("The group %(name)s was deleted.", name=name), "success")
    return redirect(url_for("groups.index"))


# --- one-button actions ---------------------------------------------------------------------


@bp.post("/groups/<handle>/join")
@login_required
def join(handle: str) -> Response:
    group = get_group(handle)
    membership = services.join_group(current_account(), group)
    if membership.state == MembershipState.ACTIVE:
        flash(_("Welcome! You are now a member of %(name)s.", name=group.actor.name), "success")
    else:
        flash(_("Your request was sent. The group's moderators will decide."), "success")
    return _back_to(group)


@bp.post("/groups/<handle>/leave")
@login_required
def leave(handle: str) -> Response:
    group = get_group(handle)
    services.leave_group(current_account(), group)
    flash(_("You are no longer in %(name)s.", name=group.actor.name), "success")
    return _back_to(group)


@bp.post("/groups/<handle>/invitation/accept")
@login_required
def accept_invitation(handle: str) -> Response:
    group = get_group(handle)
    services.accept_invitation(current_account(), group)
    flash(_("Welcome! You are now a member of %(name)s.", name=group.actor.name), "success")
    return _back_to(group)


@bp.post("/groups/<handle>/invitation/decline")
@login_required
def decline_invitation(handle: str) -> Response:
    group = get_group(handle)
    services.decline_invitation(current_account(), group)
    flash(_("You declined the invitation."), "success")
    return _back_to(group)


@bp.post("/groups/<handle>/requests/<member>/accept")
@login_required
def accept_request(handle: str, member: str) -> Response:
    group, user = _moderated_group(handle)
    person = get_local_person(member)
    services.accept_request(user, group, person)
    flash(_("%(name)s is now a member.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/requests/<member>/decline")
@login_required
def decline_request(handle: str, member: str) -> Response:
    group, user = _moderated_group(handle)
    person = get_local_person(member)
    services.decline_request(user, group, person)
    flash(_("The request of %(name)s was declined.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/remote-requests/<int:follow_id>/accept")
@login_required
def accept_remote_request(handle: str, follow_id: int) -> Response:
    group, user = _moderated_group(handle)
    person = remote_members.answer_remote_request(user, group, follow_id, accept=True)
    flash(_("%(name)s is now a member.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/remote-requests/<int:follow_id>/decline")
@login_required
def decline_remote_request(handle: str, follow_id: int) -> Response:
    group, user = _moderated_group(handle)
    person = remote_members.answer_remote_request(user, group, follow_id, accept=False)
    flash(_("The request of %(name)s was declined.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/invite")
@login_required
def invite(handle: str) -> Any:
    group, user = _moderated_group(handle)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_settings(group, invite_form=form, status=422)
    try:
        person = get_local_person(form.handle.data)
        services.invite_to_group(user, group, person)
    except ServiceError as error:
        db.session.rollback()
        form.handle.errors = [error.message]
        return _render_settings(get_group(handle), invite_form=form, status=error.status_code)
    flash(_("%(name)s was invited.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/members/<member>/role")
@login_required
def set_role(handle: str, member: str) -> Response:
    group = get_group(handle)
    person = get_local_person(member)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)  # only a tampered form sends a role that is not offered
    services.set_member_role(current_account(), group, person, form.role.data)
    flash(_("The role of %(name)s was changed.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/members/<member>/remove")
@login_required
def remove_member(handle: str, member: str) -> Response:
    group = get_group(handle)
    person = get_local_person(member)
    services.remove_member(current_account(), group, person)
    flash(_("%(name)s is no longer in the group.", name=person.name), "success")
    return _back_to_settings(group)


@bp.post("/groups/<handle>/avatar")
@login_required
def avatar(handle: str) -> Any:
    group, user = _moderated_group(handle)
    form = AvatarForm()
    if not form.validate_on_submit():
        return _render_settings(group, avatar_form=form, status=422)
    try:
        services.set_group_avatar(user, group, form.image.data, form.alt_text.data or "")
    except ServiceError as error:
        form.image.errors = [error.message]
        return _render_settings(get_group(handle), avatar_form=form, status=422)
    flash(_("The picture was saved."), "success")
    return _back_to_settings(group)


# --- helpers --------------------------------------------------------------------------------


class _GroupValues:
    """The group's current values in the shape of the edit form."""

    def __init__(self, group: Group) -> None:
        self.display_name = group.actor.display_name
        self.description = group.actor.bio
        self.visibility = group.visibility.value
        self.join_mode = group.join_mode.value


def _moderated_group(handle: str) -> tuple[Group, User]:
    """The group and the logged-in user, who must moderate it (403 otherwise)."""
    group = get_group(handle)
    user = current_account()
    if user is None or not is_group_moderator(user, group):
        abort(403)
    return group, user


def _render_settings(group: Group, status: int = 200, **forms: Any) -> Any:
    forms.setdefault("edit_form", EditGroupForm(formdata=None, obj=_GroupValues(group)))
    forms.setdefault("avatar_form", AvatarForm(formdata=None))
    forms.setdefault("invite_form", InviteForm(formdata=None))
    page = render_template(
        "groups/settings.html",
        group=group,
        state=group_state(current_account(), group),
        requests=pending_requests(group),
        remote_requests=remote_members.pending_remote_requests(group),
        invitations=pending_invitations(group),
        members=active_memberships(group),
        role_choices=role_choices(),
        **forms,
    )
    return page, status


def _back_to(group: Group) -> Response:
    return redirect(url_for("groups.view", handle=group.actor.handle))


def _back_to_settings(group: Group) -> Response:
    return redirect(url_for("groups.settings", handle=group.actor.handle))
