"""/admin/federation: known servers, blocks, the allowlist.

Admins only (visitors are sent to log in, everybody else gets 403), like the admin area.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from quarter_node.activitypub import instance_relays as relays
from quarter_node.activitypub import ui_admin as services
from quarter_node.activitypub.models import HostPolicy
from quarter_node.activitypub.ui_forms import (
    AllowHostForm,
    BlockHostForm,
    FederationModeForm,
    RelayModeForm,
    RelaySubscribeForm,
)
from quarter_node.errors import InvalidInput, ServiceError
from quarter_node.extensions import db, login_manager
from quarter_node.moderation.pagination import paginate
from quarter_node.node.services import get_node_settings
from quarter_node.permissions import current_account

bp = Blueprint("federation_admin", __name__)

HOSTS_PER_PAGE = 50


@bp.before_request
def admins_only() -> Response | None:
    user = current_account()
    if user is None:
        return login_manager.unauthorized()
    services.require_admin(user)
    return None


@bp.get("/admin/federation")
def index() -> str:
    return _render()


@bp.post("/admin/federation/blocks")
def block() -> Response | tuple[str, int]:
    form = BlockHostForm()
    if not form.validate():
        return _render(block_form=form), 422
    try:
        peer = services.block_host(
            current_account(), form.host.data, HostPolicy(form.policy.data), form.reason.data or ""
        )
    except ServiceError as error:
        db.session.rollback()
        form.host.errors = [error.message]
        return _render(block_form=form), _form_status(error)
    flash(_("The rule for %(host)s is saved.", host=peer.host), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/blocks/<int:peer_id>/remove")
def unblock(peer_id: int) -> Response:
    peer = services.unblock_host(current_account(), peer_id)
    flash(_("%(host)s is no longer blocked or limited.", host=peer.host), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/allowlist")
def allow() -> Response | tuple[str, int]:
    form = AllowHostForm()
    if not form.validate():
        return _render(allow_form=form), 422
    try:
        peer = services.allow_host(current_account(), form.allowed_host.data)
    except ServiceError as error:
        db.session.rollback()
        form.allowed_host.errors = [error.message]
        return _render(allow_form=form), _form_status(error)
    flash(_("%(host)s is on the allowlist.", host=peer.host), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/allowlist/<int:peer_id>/remove")
def disallow(peer_id: int) -> Response:
    peer = services.disallow_host(current_account(), peer_id)
    flash(_("%(host)s is no longer on the allowlist.", host=peer.host), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/mode")
def mode() -> Response | tuple[str, int]:
    form = FederationModeForm()
    if not form.validate():
        return _render(mode_form=form), 422
    services.set_federation_mode(current_account(), form.mode.data)
    flash(_("The federation mode is saved."), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/relays")
def subscribe_relay() -> Response | tuple[str, int]:
    form = RelaySubscribeForm()
    if not form.validate():
        return _render(relay_form=form), 422
    try:
        relays.subscribe(current_account(), form.relay_address.data)
    except ServiceError as error:
        db.session.rollback()
        form.relay_address.errors = [error.message]
        return _render(relay_form=form), _form_status(error)
    flash(_("The subscription is requested; the relay has to accept it."), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/relays/<int:follow_id>/remove")
def unsubscribe_relay(follow_id: int) -> Response:
    relays.unsubscribe(current_account(), follow_id)
    flash(_("This node no longer subscribes to the relay."), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/relay")
def relay_mode() -> Response:
    form = RelayModeForm()
    relays.set_relay_enabled(current_account(), bool(form.relay_enabled.data))
    flash(_("The relay setting is saved."), "success")
    return redirect(url_for("federation_admin.index"))


@bp.post("/admin/federation/relay/subscribers/<int:follow_id>/remove")
def remove_relay_subscriber(follow_id: int) -> Response:
    relays.remove_subscriber(current_account(), follow_id)
    flash(_("The server no longer receives what this relay passes on."), "success")
    return redirect(url_for("federation_admin.index"))


def _render(**forms: object) -> str:
    mode_form = FederationModeForm(data={"mode": get_node_settings().federation_mode})
    return render_template(
        "activitypub/admin_federation.html",
        block_form=forms.get("block_form") or BlockHostForm(formdata=None),
        allow_form=forms.get("allow_form") or AllowHostForm(formdata=None),
        mode_form=forms.get("mode_form") or mode_form,
        relay_form=forms.get("relay_form") or RelaySubscribeForm(formdata=None),
        relay_mode_form=RelayModeForm(data={"relay_enabled": relays.relay_enabled()}),
        relay_subscriptions=relays.subscriptions(),
        relay_subscribers=relays.subscribers(),
        blocked=services.blocked_hosts(),
        allowlisted=services.allowlisted_hosts(),
        hosts=paginate(services.peer_hosts_query(), per_page=HOSTS_PER_PAGE),
    )


def _form_status(error: ServiceError) -> int:
    """Typing mistakes re-render the form with 422; other refusals keep their status."""
    return 422 if isinstance(error, InvalidInput) else error.status_code
