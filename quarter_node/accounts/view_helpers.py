"""Small helpers the accounts views share: form errors from services, rendering, sessions."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, session
from flask_login import login_user
from flask_wtf import FlaskForm

from quarter_node.accounts.errors import FieldError
from quarter_node.accounts.models import User
from quarter_node.errors import ServiceError


def show_error(form: FlaskForm, error: ServiceError) -> None:
    """Put a service's refusal next to the field it is about (or above the form)."""
    field = getattr(form, error.field, None) if isinstance(error, FieldError) else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


def render_form(template: str, status: int | None = None, **context: Any) -> tuple[str, int]:
    """Render a page with forms: 422 when any form carries errors (failed validation)."""
    if status is None:
        forms = [v for v in context.values() if isinstance(v, FlaskForm)]
        status = 422 if any(f.errors or f.form_errors for f in forms) else 200
    return render_template(template, **context), status


def rate_limit(config_key: str) -> Any:
    """The configured limit for ``config_key``, read at request time (tests change it)."""
    return lambda: current_app.config[config_key]


def start_session(user: User, *, remember: bool = False) -> None:
    """Log in with a fresh session (nothing from before the login carries over except the
    language the visitor chose)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user, remember=remember)
