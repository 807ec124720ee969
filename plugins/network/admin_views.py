"""/admin/network: a quarter applies and leaves; a coordination node decides on
applications and removes members. Admins only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quarter_node.plugin_api import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Role,
    _,
    current_account,
    db,
)

from . import membership, registry
from .blueprint import bp
from .forms import ApplyForm, InviteForm
from .models import NetworkMembership, NodeStatus
from .queries import current_membership, member_nodes
from .settings import is_coordination, setting

REFUSALS = (InvalidInput, Conflict, NotFound, PermissionDenied)


@bp.before_request
def _admins_only() -> None:
    """Only /admin/network here; the blueprint's other pages are public."""
    if not (request.endpoint or "").startswith("network.admin_"):
        return
    user = current_account()
    if user is None or not user.has_role(Role.ADMIN):
        abort(403)


@bp.get("/admin/network")
def admin_index() -> str:
    return _render()


def _render(status: int = 200, **forms: Any) -> Any:
    if is_coordination():
        page = render_template(
            "network/admin_coordination.html",
            network_name=setting("network_name"),
            closed=registry.is_closed(),
            applications=member_nodes(NodeStatus.APPLIED),
            members=member_nodes(NodeStatus.APPROVED),
            invite_form=forms.get("invite_form") or InviteForm(),
        )
    else:
        page = render_template(
            "network/admin_quarter.html",
            membership=current_membership(),
            history=_history(),
            members=member_nodes(),
            apply_form=forms.get("apply_form") or ApplyForm(),
            error=forms.get("error"),
        )
    return page if status == 200 else (page, status)


def _history() -> list[NetworkMembership]:
    return list(
        db.session.scalars(db.select(NetworkMembership).order_by(NetworkMembership.id.desc()))
    )


@bp.post("/admin/network/apply")
def admin_apply() -> Any:
    form = ApplyForm()
    if not form.validate():
        return _render(422, apply_form=form)
    try:
        found = membership.apply(current_account(), form.address.data, form.message.data or "")
    except REFUSALS as error:
        db.session.rollback()
        form.address.errors = [error.message]
        return _render(error.status_code, apply_form=form, error=error.message)
    flash(
        _("The application to %(name)s is sent.", name=found.network_name or found.domain),
        "success",
    )
    return _back()


@bp.post("/admin/network/leave")
def admin_leave() -> Response:
    membership.leave(current_account())
    flash(_("This node left the network."), "success")
    return _back()


@bp.post("/admin/network/nodes/<domain>/approve")
def admin_approve(domain: str) -> Response:
    node = registry.approve(current_account(), domain)
    flash(_("%(domain)s is a member now.", domain=node.domain), "success")
    return _back()


@bp.post("/admin/network/nodes/<domain>/decline")
def admin_decline(domain: str) -> Response:
    node = registry.decline(current_account(), domain)
    flash(_("The application of %(domain)s was declined.", domain=node.domain), "success")
    return _back()


@bp.post("/admin/network/nodes/<domain>/remove")
def admin_remove(domain: str) -> Response:
    node = registry.remove(current_account(), domain)
    flash(_("%(domain)s is no member any more.", domain=node.domain), "success")
    return _back()


@bp.post("/admin/network/invite")
def admin_invite() -> Any:
    form = InviteForm()
    if not form.validate():
        return _render(422, invite_form=form)
    try:
        host = registry.invite(current_account(), form.host.data)
    except REFUSALS as error:
        db.session.rollback()
        form.host.errors = [error.message]
        return _render(error.status_code, invite_form=form)
    flash(_("%(host)s may apply now.", host=host), "success")
    return _back()


def _back() -> Response:
    return redirect(url_for("network.admin_index"))
