"""The set-up page, and the rule that a node shows nothing else until it is set up."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from quarter_node.accounts.view_helpers import start_session
from quarter_node.admin.forms import PASSWORD_MIN, show_error_on_form
from quarter_node.admin.services import NewAccount
from quarter_node.errors import Conflict, InvalidInput
from quarter_node.machine import is_machine_request
from quarter_node.setup.forms import SetupForm
from quarter_node.setup.services import (
    NodeBasics,
    complete_setup,
    is_setup_complete,
    is_valid_setup_token,
)

bp = Blueprint("setup", __name__)

# Reachable before set-up: the set-up page itself, its CSS and the language switch.
OPEN_BEFORE_SETUP = frozenset({"static", "web.choose_language"})
SESSION_KEY = "setup_token"


@bp.before_app_request
def redirect_until_set_up() -> Response | None:
    """A fresh node must not be claimable through any other page (or show empty ones)."""
    endpoint = request.endpoint or ""
    if is_machine_request():
        return None  # they check set-up themselves (``quarter_node.machine``)
    if endpoint in OPEN_BEFORE_SETUP or endpoint.startswith("setup."):
        return None
    if is_setup_complete():
        return None
    return redirect(url_for("setup.index"))


@bp.route("/setup", methods=["GET", "POST"])
def index() -> Response | tuple[str, int] | str:
    if is_setup_complete():
        abort(404)
    link_token = request.args.get("token")
    if link_token is not None:
        return _accept_link(link_token)
    if not is_valid_setup_token(session.get(SESSION_KEY)):
        return render_template("setup/need_link.html"), 403
    form = SetupForm()
    if request.method == "POST":
        return _submit(form)
    return _form_page(form)


def _form_page(form: SetupForm, status: int = 200) -> tuple[str, int]:
    return render_template("setup/index.html", form=form, password_min=PASSWORD_MIN), status


def _accept_link(token: str) -> Response | tuple[str, int]:
    """Keep the token in the session and drop it from the address bar (and history)."""
    if not is_valid_setup_token(token):
        return render_template("setup/need_link.html", wrong_link=True), 403
    session[SESSION_KEY] = token
    return redirect(url_for("setup.index"))


def _submit(form: SetupForm) -> Response | tuple[str, int]:
    if not form.validate():
        return _form_page(form, 422)
    try:
        admin = complete_setup(session.get(SESSION_KEY), _basics(form), _admin_account(form))
    except (Conflict, InvalidInput) as error:
        show_error_on_form(form, error)
        return _form_page(form, 422)
    start_session(admin)  # a fresh session: the set-up token leaves it too
    flash(_("Your node is ready. Welcome, %(name)s!", name=admin.actor.name), "success")
    return redirect(url_for("admin.index"))


def _basics(form: SetupForm) -> NodeBasics:
    return NodeBasics(
        name=form.name.data,
        quarter=form.quarter.data or "",
        description=form.description.data or "",
        default_language=form.default_language.data,
        registration_mode=form.registration_mode.data,
    )


def _admin_account(form: SetupForm) -> NewAccount:
    return NewAccount(
        email=form.email.data,
        handle=form.handle.data,
        password=form.password.data,
        display_name=form.display_name.data or "",
    )
