"""Web views of the accounts domain: joining, logging in and out, forgotten passwords.

Settings, invitations and the approval queue live in their own view modules, imported here
so the app's BLUEPRINTS entry (``quarter_node.accounts.views``) registers all of them.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response

from quarter_node.accounts import services
from quarter_node.accounts import settings_views as _settings_views  # noqa: F401
from quarter_node.accounts import team_views as _team_views  # noqa: F401
from quarter_node.accounts.blueprint import bp
from quarter_node.accounts.errors import FieldError, InvitationGone, LoginRefused
from quarter_node.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
)
from quarter_node.accounts.invitations import can_invite, find_usable_invitation
from quarter_node.accounts.models import AccountState, Invitation, User
from quarter_node.accounts.tokens import user_for_password_reset_token
from quarter_node.accounts.view_helpers import rate_limit, render_form, show_error, start_session
from quarter_node.errors import NotFound, ServiceError
from quarter_node.extensions import limiter
from quarter_node.node.services import RegistrationMode
from quarter_node.permissions import current_account
from quarter_node.web.redirects import safe_next_url

__all__ = ["bp"]

ResponseOrPage = Response | tuple[str, int] | str


def _next_url() -> str:
    return safe_next_url(request.values.get("next"), url_for("posts.home"))


# --- logging in and out ----------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(rate_limit("RATELIMIT_LOGIN"), methods=["POST"])
def login() -> ResponseOrPage:
    if current_account() is not None:
        return redirect(_next_url())
    form = LoginForm()
    status = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except LoginRefused as error:
            form.form_errors.append(error.message)
            status = error.status_code
        else:
            start_session(user, remember=form.remember.data)
            return redirect(_next_url())
    return render_form("accounts/login.html", status, form=form, next=request.args.get("next"))


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("You are logged out. See you soon!"), "success")
    return redirect(url_for("posts.home"))


# --- registration ----------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(rate_limit("RATELIMIT_REGISTER"), methods=["POST"])
def register() -> ResponseOrPage:
    if current_account() is not None:
        return redirect(url_for("posts.home"))
    link_code = (request.args.get("invite") or "").strip()
    invitation, refusal = _invitation_from_link(link_code)
    if refusal is not None:
        return refusal
    mode = services.registration_mode()
    if invitation is None and mode == RegistrationMode.CLOSED:
        return render_template("accounts/registration_closed.html"), 403
    form = RegistrationForm()
    if request.method == "GET":
        form.locale.data = _browser_language()
    if form.validate_on_submit():
        try:
            return _registered(services.register(_new_member(form, link_code)))
        except InvitationGone as error:
            if link_code:
                return _invitation_refused(error)
            show_error(form, FieldError("invite_code", error.message))
        except NotFound as error:
            show_error(form, FieldError("invite_code", error.message))
        except ServiceError as error:
            show_error(form, error)
    return render_form(
        "accounts/register.html",
        form=form,
        mode=mode,
        invitation=invitation,
        needs_application=services.needs_application(invitation),
        link_code=link_code,
    )


def _invitation_from_link(code: str) -> tuple[Invitation | None, ResponseOrPage | None]:
    if not code:
        return None, None
    try:
        return find_usable_invitation(code), None
    except (InvitationGone, NotFound) as error:
        return None, _invitation_refused(error)


def _invitation_refused(error: ServiceError) -> tuple[str, int]:
    mode = services.registration_mode()
    page = render_template("accounts/invitation_invalid.html", message=error.message, mode=mode)
    return page, error.status_code


def _browser_language() -> str:
    return str(get_locale())


def _new_member(form: RegistrationForm, link_code: str) -> services.NewMember:
    return services.NewMember(
        email=form.email.data,
        handle=form.handle.data,
        display_name=form.display_name.data,
        password=form.password.data,
        locale=form.locale.data,
        application_text=form.application_text.data or "",
        invitation_code=link_code or form.invite_code.data or "",
    )


def _registered(user: User) -> Response:
    if user.state == AccountState.PENDING:
        return redirect(url_for("accounts.registration_pending"))
    start_session(user)
    flash(_("Welcome! Your account is ready."), "success")
    return redirect(url_for("accounts.welcome"))


@bp.get("/register/pending")
def registration_pending() -> str:
    return render_template("accounts/registration_pending.html")


@bp.get("/welcome")
@login_required
def welcome() -> str:
    return render_template("accounts/welcome.html", can_invite=can_invite(current_account()))


# --- forgotten password ----------------------------------------------------------------------


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(rate_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def request_password_reset() -> ResponseOrPage:
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _(
                "If an account exists for this address, we have sent it a link to choose a "
                "new password. Please also look into your spam folder."
            ),
            "success",
        )
        return redirect(url_for("accounts.request_password_reset"))
    return render_form("accounts/password_reset_request.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(rate_limit("RATELIMIT_PASSWORD_RESET"), methods=["POST"])
def reset_password(token: str) -> ResponseOrPage:
    if len(token) > 500 or user_for_password_reset_token(token) is None:
        message = services.invalid_reset_link_message()
        return render_template("accounts/password_reset_invalid.html", message=message), 400
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ServiceError as error:
            show_error(form, error)
        else:
            logout_user()
            flash(_("Your new password is set. Please log in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_form("accounts/password_reset.html", form=form, token=token)


@bp.route("/settings")
@login_required
def settings_index() -> Response:
    return redirect(url_for("accounts.profile_settings"))
