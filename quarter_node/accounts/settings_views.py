"""Views of a member's own settings: profile, email and password, export, deletion."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response as BaseResponse

from quarter_node.accounts import account_settings
from quarter_node.accounts.blueprint import bp
from quarter_node.accounts.export import build_export
from quarter_node.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
)
from quarter_node.accounts.models import HANDLE_RESERVED_FOR, User
from quarter_node.accounts.view_helpers import render_form, show_error, start_session
from quarter_node.db_types import utcnow
from quarter_node.errors import ServiceError
from quarter_node.permissions import current_account

Page = BaseResponse | tuple[str, int]


def _me() -> User:
    user = current_account()
    assert user is not None  # guarded by @login_required
    return user


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def profile_settings() -> Page:
    user = _me()
    form = ProfileForm()
    if not form.is_submitted():
        form.display_name.data = user.actor.display_name
        form.bio.data = user.actor.bio
        form.locale.data = user.locale or _current_language()
    if form.validate_on_submit():
        try:
            account_settings.update_profile(
                user,
                display_name=form.display_name.data,
                bio=form.bio.data or "",
                locale=form.locale.data,
                avatar=form.avatar.data or None,
                avatar_alt_text=form.avatar_alt_text.data or "",
            )
        except ServiceError as error:
            show_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile_settings"))
    return render_form("accounts/settings_profile.html", form=form, user=user)


def _current_language() -> str:
    return str(get_locale())


def _account_page(email_form: EmailChangeForm, password_form: PasswordChangeForm) -> Page:
    return render_form(
        "accounts/settings_account.html",
        email_form=email_form,
        password_form=password_form,
        user=_me(),
    )


@bp.get("/settings/account")
@login_required
def account_settings_page() -> Page:
    return _account_page(EmailChangeForm(), PasswordChangeForm())


@bp.post("/settings/account/email")
@login_required
def change_email() -> Page:
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            account_settings.change_email(
                _me(), password=form.current_password.data, new_email=form.email.data
            )
        except ServiceError as error:
            show_error(form, error)
        else:
            flash(_("Your email address is changed."), "success")
            return redirect(url_for("accounts.account_settings_page"))
    return _account_page(form, PasswordChangeForm(formdata=None))


@bp.post("/settings/account/password")
@login_required
def change_password() -> Page:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = _me()
        try:
            account_settings.change_password(
                user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        except ServiceError as error:
            show_error(form, error)
        else:
            start_session(user)  # this browser stays logged in; all others are logged out
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.account_settings_page"))
    return _account_page(EmailChangeForm(formdata=None), form)


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> Page:
    form = DeleteAccountForm()
    status = None
    if form.validate_on_submit():
        try:
            account_settings.delete_account(_me(), password=form.password.data)
        except ServiceError as error:
            show_error(form, error)
            status = error.status_code
        else:
            logout_user()
            return redirect(url_for("accounts.account_deleted"))
    return render_form(
        "accounts/settings_delete.html",
        status,
        form=form,
        user=_me(),
        reserved_days=HANDLE_RESERVED_FOR.days,
    )


@bp.get("/account-deleted")
def account_deleted() -> str:
    return render_template("accounts/account_deleted.html")


@bp.get("/settings/export")
@login_required
def export_data() -> BaseResponse:
    """Everything the member made or set, as a JSON file to keep or take elsewhere."""
    user = _me()
    document = json.dumps(build_export(user), ensure_ascii=False, indent=2)
    filename = f"quarter-node-{user.actor.handle}-{utcnow():%Y-%m-%d}.json"
    return Response(
        document,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
