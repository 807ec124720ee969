"""Mails to account holders, written in the recipient's language (not the clicker's).

A moderator browsing in English approves a German neighbour: the neighbour must still get
German mail, so every message is rendered inside ``force_locale`` for the recipient.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from quarter_node.accounts.models import User
from quarter_node.mail import send_mail
from quarter_node.node.services import SUPPORTED_LANGUAGES, get_node_settings


def absolute_url(endpoint: str, **values: object) -> str:
    """A link for mails: the node's public BASE_URL, never the address of this request."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def language_of(user: User) -> str:
    if user.locale in SUPPORTED_LANGUAGES:
        return user.locale
    return get_node_settings().default_language


@contextmanager
def in_language_of(user: User) -> Iterator[None]:
    with force_locale(language_of(user)):
        yield


def _send(user: User, subject: str, template: str, **context: object) -> None:
    """Render ``template`` (already inside the recipient's locale) and queue the mail."""
    node = get_node_settings()
    body = render_template(f"accounts/mail/{template}", user=user, node=node, **context)
    send_mail(user.email, f"{subject} – {node.name}", body)


def send_password_reset_mail(user: User, token: str) -> None:
    link = absolute_url("accounts.reset_password", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with in_language_of(user):
        _send(user, _("Reset your password"), "password_reset.txt", link=link, minutes=minutes)


def send_registration_approved_mail(user: User) -> None:
    with in_language_of(user):
        _send(
            user,
            _("Welcome, your registration was approved"),
            "registration_approved.txt",
            login_link=absolute_url("accounts.login"),
        )


def send_registration_rejected_mail(user: User, reason: str) -> None:
    with in_language_of(user):
        _send(
            user,
            _("Your registration was not approved"),
            "registration_rejected.txt",
            reason=reason,
        )


def send_email_changed_mail(user: User, old_email: str) -> None:
    """Warn the OLD address, so a stolen session cannot silently take over the account."""
    with in_language_of(user):
        node = get_node_settings()
        body = render_template(
            "accounts/mail/email_changed.txt", user=user, node=node, new_email=user.email
        )
        send_mail(old_email, f"{_('Your email address was changed')} – {node.name}", body)
