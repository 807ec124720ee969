"""The admin area: an overview, the node's settings, and people with their roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from quarter_node.accounts.models import Role
from quarter_node.admin.forms import NodeSettingsForm, RoleForm, UserSearchForm, role_choices
from quarter_node.admin.services import (
    node_counts,
    save_node_settings,
    set_role,
    user_by_handle,
    users_query,
)
from quarter_node.errors import Conflict, InvalidInput
from quarter_node.extensions import login_manager
from quarter_node.moderation.pagination import Page, paginate
from quarter_node.node.services import get_node_settings
from quarter_node.permissions import current_account, require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 30


@bp.before_request
def admins_only() -> Response | None:
    """Visitors are sent to log in; everybody else needs the admin role (403)."""
    user = current_account()
    if user is None:
        return login_manager.unauthorized()
    require_role(user, Role.ADMIN)
    return None


@bp.get("")
def index() -> str:
    return render_template("admin/index.html", counts=node_counts())


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Response | tuple[str, int] | str:
    form = NodeSettingsForm(data=vars(get_node_settings()))
    if request.method == "GET":
        return render_template("admin/settings.html", form=form)
    if not form.validate():
        return render_template("admin/settings.html", form=form), 422
    save_node_settings(current_account(), form.values())
    flash(_("The settings are saved."), "success")
    return redirect(url_for("admin.settings"))


@bp.get("/users")
def users() -> tuple[str, int]:
    search = UserSearchForm(request.args)
    if not search.validate():
        return _render_users(search, None, 422)
    return _render_users(search, paginate(users_query(search.q.data or ""), USERS_PER_PAGE))


def _render_users(search: UserSearchForm, page: Page | None, status: int = 200) -> tuple[str, int]:
    html = render_template("admin/users.html", search=search, page=page, roles=role_choices())
    return html, status


@bp.post("/users/<handle>/role")
def change_role(handle: str) -> Response | tuple[str, int]:
    form = RoleForm()
    try:
        if not form.validate():
            raise InvalidInput(_("Please choose one of the listed roles."))
        user = set_role(current_account(), handle, Role(form.role.data))
    except (Conflict, InvalidInput) as error:
        flash(error.message, "error")
        return _only_user(handle, 422 if isinstance(error, InvalidInput) else error.status_code)
    flash(_("@%(handle)s is now: %(role)s.", handle=user.actor.handle, role=role_label(user.role)))
    return redirect(url_for("admin.users", q=user.actor.handle))


def _only_user(handle: str, status: int) -> tuple[str, int]:
    """The list narrowed to one person, to show a refused change next to them."""
    user = user_by_handle(handle)
    search = UserSearchForm(formdata=MultiDict({"q": user.actor.handle}))
    return _render_users(search, Page([user], 1, has_prev=False, has_next=False), status)


def role_label(role: Role) -> str:
    return {Role.MEMBER: _("Member"), Role.MODERATOR: _("Moderator"), Role.ADMIN: _("Admin")}[role]


@bp.app_template_global("role_label")
def _role_label_global(role: Role) -> str:
    return role_label(role)
