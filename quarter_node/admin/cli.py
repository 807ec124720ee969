"""Admin commands of ``quarter-node``: accounts, roles and settings without a browser.

Every command checks its input with the same forms and services as the web pages, prints
what it did in one line, and exits with status 1 and a plain message when it refuses.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import wraps
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect
from werkzeug.datastructures import MultiDict

from quarter_node.accounts.models import Role
from quarter_node.admin import services
from quarter_node.admin.forms import NewUserForm, NodeSettingsForm, error_lines
from quarter_node.errors import ServiceError
from quarter_node.extensions import db
from quarter_node.node.models import NodeSetting
from quarter_node.node.services import NodeSettings, get_node_settings

ROLE_NAMES = [role.value for role in Role]


@contextmanager
def _node_context(app: Flask) -> Iterator[None]:
    """A fresh app context with a request context inside: forms, translations and the node's
    settings behave as on a page (in the node's default language)."""
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        yield


def node_command(name: str, **settings: Any) -> Callable[[Callable[..., None]], click.Command]:
    """A click command that runs inside the node and turns refusals into exit status 1."""

    def decorator(fn: Callable[..., None]) -> click.Command:
        @wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            with _node_context(current_app._get_current_object()):  # type: ignore[attr-defined]
                _require_database()
                try:
                    fn(*args, **kwargs)
                except ServiceError as error:
                    raise click.ClickException(error.message) from None

        return click.command(name, **settings)(with_appcontext(run))

    return decorator


def _require_database() -> None:
    if not inspect(db.engine).has_table(NodeSetting.__tablename__):
        raise click.ClickException("The database is not set up yet. Run `quarter-node init`.")


def _check_form(form: Any) -> None:
    if not form.validate():
        raise click.ClickException("\n".join(error_lines(form)))


# --- accounts -------------------------------------------------------------------------------


@node_command("create-user")
@click.option("--email", required=True, help="Email address to log in with.")
@click.option("--handle", required=True, help="Short name, e.g. anna_k.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(ROLE_NAMES), default=Role.MEMBER.value, show_default=True)
@click.option("--display-name", default="", help="Name shown to others.")
@click.option("--locale", default="", help="Language of the account: de or en.")
def create_user(
    email: str, handle: str, password: str, role: str, display_name: str, locale: str
) -> None:
    """Create an active account (for scripts and the first admin without a browser)."""
    values = {"email": email, "handle": handle, "password": password, "role": role}
    values |= {"password_confirm": password, "display_name": display_name, "locale": locale}
    form = NewUserForm(formdata=MultiDict(values), meta={"csrf": False})
    _check_form(form)
    new = services.NewAccount(
        email=form.email.data,
        handle=form.handle.data,
        password=form.password.data,
        display_name=form.display_name.data or "",
        locale=form.locale.data or None,
    )
    user = services.create_user_by_operator(new, Role(form.role.data))
    click.echo(f"Created @{user.actor.handle} <{user.email}> as {user.role.value}.")


@node_command("set-role")
@click.argument("handle")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def set_role(handle: str, role: str) -> None:
    """Give an account another node role (member, moderator or admin)."""
    user = services.set_role_by_operator(handle, Role(role))
    click.echo(f"@{user.actor.handle} is now {user.role.value}.")


@node_command("list-users")
@click.option("--role", type=click.Choice(ROLE_NAMES), default=None, help="Only this role.")
def list_users(role: str | None) -> None:
    """List accounts: handle, email, role and state, newest first."""
    users = list(db.session.scalars(services.users_query(role=Role(role) if role else None)))
    for user in users:
        state = "suspended" if user.actor.suspended_at else user.state.value
        click.echo(f"@{user.actor.handle}\t{user.email}\t{user.role.value}\t{state}")
    click.echo(f"{len(users)} account(s).")


@node_command("suspend")
@click.argument("handle")
@click.option("--reason", default="", help="Why (kept in the audit log).")
def suspend(handle: str, reason: str) -> None:
    """Lock an account out at once; it is logged in the audit log."""
    user = services.suspend_by_operator(handle, reason)
    click.echo(f"@{user.actor.handle} is suspended.")


@node_command("unsuspend")
@click.argument("handle")
def unsuspend(handle: str) -> None:
    """Let a suspended account log in again."""
    user = services.unsuspend_by_operator(handle)
    click.echo(f"@{user.actor.handle} may log in again.")


@node_command("reset-password")
@click.argument("handle")
def reset_password(handle: str) -> None:
    """Print a one-time link with which the person sets a new password."""
    from quarter_node.accounts.mails import absolute_url
    from quarter_node.accounts.tokens import make_password_reset_token

    user = services.user_by_handle(handle)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    click.echo(f"Password reset link for @{user.actor.handle} (valid {minutes} minutes, once):")
    click.echo(absolute_url("accounts.reset_password", token=make_password_reset_token(user)))


# --- node -----------------------------------------------------------------------------------


@node_command("setup-link")
def setup_link() -> None:
    """Print the one-time set-up link (while the node is not set up)."""
    from quarter_node.setup.services import setup_link as make_link

    link = make_link()
    click.echo(link or "The node is already set up; log in as an admin instead.")


@node_command("show-settings")
def show_settings() -> None:
    """Print every node setting (long texts shortened)."""
    for key, value in vars(get_node_settings()).items():
        text = str(value).replace("\n", " ")
        click.echo(f"{key} = {text[:70] + '…' if len(text) > 70 else text}")


@node_command("set-setting")
@click.argument("key", type=click.Choice([f.name for f in fields(NodeSettings)]))
@click.argument("value")
def set_setting(key: str, value: str) -> None:
    """Change one node setting, checked like the admin's settings form."""
    if key == "setup_complete":
        _set_setup_complete(value)
        return
    current = {k: v for k, v in vars(get_node_settings()).items() if k != "setup_complete"}
    form = NodeSettingsForm(formdata=MultiDict({**current, key: value}), meta={"csrf": False})
    _check_form(form)
    services.save_node_settings_by_operator({key: form.values()[key]})
    click.echo(f"{key} saved.")


def _set_setup_complete(value: str) -> None:
    """Scripted installs finish set-up without the browser (after ``create-user --role
    admin``); the set-up link stops working then."""
    from quarter_node.setup.services import delete_setup_token

    flag = value.strip().lower()
    if flag not in {"true", "false", "1", "0", "yes", "no"}:
        raise click.ClickException("setup_complete takes true or false.")
    complete = flag in {"true", "1", "yes"}
    services.save_node_settings_by_operator({"setup_complete": complete})
    if complete:
        delete_setup_token()
    click.echo(f"setup_complete saved: {complete}.")


@node_command("send-test-mail")
@click.argument("address")
def send_test_mail(address: str) -> None:
    """Send a test mail now (not through the queue) to check the SMTP settings."""
    from quarter_node.mail import deliver_mail

    if "@" not in address or any(c.isspace() for c in address):
        raise click.ClickException(f"Not an email address: {address}")
    config = current_app.config
    name = get_node_settings().name
    body = f"This test mail from {name} ({config['BASE_URL']}) shows that its mail works."
    try:
        deliver_mail.call_local(address, f"Test mail from {name}", body)
    except (OSError, smtplib.SMTPException) as error:
        message = f"Could not send through {config['SMTP_HOST']}:{config['SMTP_PORT']}: {error}"
        raise click.ClickException(message) from None
    if not config.get("SMTP_HOST"):
        click.echo("No SMTP server is configured (QN_SMTP_HOST): the mail was only logged.")
        return
    click.echo(f"Test mail sent to {address} through {config['SMTP_HOST']}.")


def admin_commands() -> list[click.Command]:
    return [
        create_user,
        set_role,
        list_users,
        suspend,
        unsuspend,
        reset_password,
        setup_link,
        show_settings,
        set_setting,
        send_test_mail,
    ]
