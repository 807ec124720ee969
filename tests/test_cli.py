"""The ``quarter-node`` admin commands: what scripts and operators do without a browser."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner

from quarter_node.accounts.models import Actor, Role, User
from quarter_node.accounts.passwords import verify_password
from quarter_node.accounts.tokens import user_for_password_reset_token
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.node.services import get_node_settings, update_node_settings
from tests.helpers import login

PASSWORD = "Nachbarschaft-2026"


@pytest.fixture(autouse=True)
def own_instance_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Made before ``app`` (autouse), so set-up tokens land in a throw-away folder."""
    instance = tmp_path / "instance"
    monkeypatch.setenv("QN_INSTANCE_PATH", str(instance))
    return instance


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    """Run a command; then forget the test's cached rows so it reads what the command stored."""
    result = runner.invoke(args=list(args))
    db.session.rollback()
    return result


def user_named(handle: str) -> User | None:
    return db.session.scalar(db.select(User).join(User.actor).where(Actor.handle == handle))


def audit_entries() -> list[AuditLogEntry]:
    return list(db.session.scalars(db.select(AuditLogEntry).order_by(AuditLogEntry.id)))


def create(runner: FlaskCliRunner, handle: str = "anna", *extra: str) -> Result:
    args = ["create-user", "--email", f"{handle}@example.org", "--handle", handle]
    return invoke(runner, *args, "--password", PASSWORD, *extra)


# --- accounts ---------------------------------------------------------------------------------


def test_create_user_makes_an_active_account_that_can_log_in(runner, client) -> None:  # noqa: ANN001
    result = create(runner, "Anna_K", "--role", "moderator", "--display-name", "Anna K.")
    assert result.exit_code == 0, result.output
    assert "@anna_k" in result.output
    user = user_named("anna_k")
    assert user is not None and user.role == Role.MODERATOR and user.is_active
    assert user.actor.display_name == "Anna K." and user.email == "anna_k@example.org"
    assert verify_password(user.password_hash, PASSWORD)
    assert login(client, "anna_k@example.org").status_code == 302  # works on the web too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-address", "--handle", "anna", "--password", PASSWORD], "Email"),
        (["--email", "a@example.org", "--handle", "a!", "--password", PASSWORD], "Handle"),
        (["--email", "a@example.org", "--handle", "anna", "--password", "kurz"], "Password"),
        (["--email", "a@example.org", "--handle", "x" * 31, "--password", PASSWORD], "Handle"),
    ],
)
def test_create_user_refuses_bad_input(runner, args: list[str], message: str) -> None:  # noqa: ANN001
    result = invoke(runner, "create-user", *args)
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and message in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_create_user_refuses_duplicates(runner) -> None:  # noqa: ANN001
    assert create(runner, "anna").exit_code == 0
    same_handle = invoke(
        runner, "create-user", "--email", "other@example.org", "--handle", "anna",
        "--password", PASSWORD,
    )  # fmt: skip
    assert same_handle.exit_code == 1 and "taken" in same_handle.output
    same_mail = invoke(
        runner, "create-user", "--email", "ANNA@example.org", "--handle", "anna2",
        "--password", PASSWORD,
    )  # fmt: skip
    assert same_mail.exit_code == 1 and "email" in same_mail.output.lower()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_set_role_changes_the_role_and_logs_it(runner, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    result = invoke(runner, "set-role", "@anna", "admin")
    assert result.exit_code == 0, result.output
    assert db.session.get(User, anna.id).role == Role.ADMIN
    [entry] = audit_entries()
    assert (entry.action, entry.note, entry.moderator_id) == (
        "user.set_role",
        "member -> admin",
        None,
    )


def test_set_role_keeps_the_last_admin(runner, factories) -> None:  # noqa: ANN001
    admin = factories.user("chefin", role=Role.ADMIN)
    result = invoke(runner, "set-role", "chefin", "member")
    assert result.exit_code == 1 and "admin" in result.output
    assert db.session.get(User, admin.id).role == Role.ADMIN
    assert invoke(runner, "set-role", "nobody", "member").exit_code == 1
    assert invoke(runner, "set-role", "chefin", "king").exit_code == 2


def test_list_users_shows_accounts_and_filters_by_role(runner, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    factories.user("bert", role=Role.MODERATOR)
    everybody = invoke(runner, "list-users").output
    assert "@anna" in everybody and "@bert" in everybody and "2 account(s)" in everybody
    moderators = invoke(runner, "list-users", "--role", "moderator").output
    assert "@bert\tbert@example.org\tmoderator\tactive" in moderators and "@anna" not in moderators


def test_suspend_and_unsuspend_are_logged(runner, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    assert invoke(runner, "suspend", "anna", "--reason", "Spam-Welle").exit_code == 0
    assert db.session.get(User, anna.id).actor.suspended_at is not None
    assert not db.session.get(User, anna.id).is_active
    again = invoke(runner, "suspend", "anna")
    assert again.exit_code == 1 and "already" in again.output
    assert invoke(runner, "unsuspend", "anna").exit_code == 0
    assert db.session.get(User, anna.id).actor.suspended_at is None
    entries = [(e.action, e.note, e.moderator_id, e.target_actor_id) for e in audit_entries()]
    assert entries == [
        ("account.suspend", "Spam-Welle", None, anna.actor_id),
        ("account.unsuspend", "", None, anna.actor_id),
    ]


def test_reset_password_prints_a_working_one_time_link(runner, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    result = invoke(runner, "reset-password", "anna")
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http://localhost/password/reset/")
    token = link.rsplit("/", 1)[1]
    assert user_for_password_reset_token(token).id == anna.id
    assert client.get(urlsplit(link).path).status_code == 200
    assert invoke(runner, "reset-password", "nobody").exit_code == 1


# --- node settings and set-up -----------------------------------------------------------------


def test_set_setting_and_show_settings(runner) -> None:  # noqa: ANN001
    assert invoke(runner, "set-setting", "name", "Nordstadt online").exit_code == 0
    assert invoke(runner, "set-setting", "registration_mode", "invitation").exit_code == 0
    assert get_node_settings().name == "Nordstadt online"
    shown = invoke(runner, "show-settings").output
    assert "name = Nordstadt online" in shown and "registration_mode = invitation" in shown


@pytest.mark.parametrize(
    ("key", "value"),
    [("contact_email", "kein-mail"), ("name", "N" * 101), ("registration_mode", "everybody")],
)
def test_set_setting_checks_values_like_the_form(runner, key: str, value: str) -> None:  # noqa: ANN001
    result = invoke(runner, "set-setting", key, value)
    assert result.exit_code == 1 and result.output.startswith("Error:")
    assert get_node_settings().name == "Testquartier"
    assert invoke(runner, "set-setting", "colour", "green").exit_code == 2


def test_setup_link_says_when_the_node_is_set_up(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "setup-link")
    assert result.exit_code == 0 and "already set up" in result.output


@pytest.mark.fresh_node
def test_setup_link_prints_the_link_and_a_script_can_finish_setup(runner, app) -> None:  # noqa: ANN001
    link = invoke(runner, "setup-link").output.strip()
    token_file = Path(app.instance_path) / "setup_token"
    assert link == f"http://localhost/setup?token={token_file.read_text()}"
    assert create(runner, "chefin", "--role", "admin").exit_code == 0
    assert invoke(runner, "set-setting", "setup_complete", "true").exit_code == 0
    assert get_node_settings().setup_complete is True and not token_file.exists()


# --- mail -------------------------------------------------------------------------------------


def _set_up_node() -> None:
    update_node_settings(setup_complete=True, name="Testquartier")
    db.session.commit()


def test_send_test_mail_goes_through_smtp(app_factory, smtp_server) -> None:  # noqa: ANN001
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    with app.app_context():
        _set_up_node()
        result = app.test_cli_runner().invoke(args=["send-test-mail", "anna@example.org"])
    assert result.exit_code == 0, result.output
    [message] = smtp_server.messages
    assert message["To"] == "anna@example.org" and "Testquartier" in message["Subject"]
    assert smtp_server.envelopes == [("quartier@localhost", ["anna@example.org"])]


def test_send_test_mail_reports_an_unreachable_server(app_factory) -> None:  # noqa: ANN001
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=closed_port, SMTP_STARTTLS=False)
    with app.app_context():
        _set_up_node()
        result = app.test_cli_runner().invoke(args=["send-test-mail", "anna@example.org"])
    assert result.exit_code == 1 and f"127.0.0.1:{closed_port}" in result.output


def test_send_test_mail_without_smtp_only_logs(runner) -> None:  # noqa: ANN001
    result = invoke(runner, "send-test-mail", "anna@example.org")
    assert result.exit_code == 0 and "only logged" in result.output
    assert invoke(runner, "send-test-mail", "no address").exit_code == 1


# --- a fresh instance folder --------------------------------------------------------------------


def test_init_on_a_fresh_instance_prints_the_setup_link(tmp_path: Path) -> None:
    """Like ``make run`` on a new machine: the database and the token are made from nothing."""
    instance = tmp_path / "fresh"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QN_")}
    env["QN_INSTANCE_PATH"] = str(instance)
    command = [sys.executable, "-m", "quarter_node.cli"]

    init = subprocess.run([*command, "init"], env=env, capture_output=True, text=True, timeout=60)

    assert init.returncode == 0, init.stderr
    token = (instance / "setup_token").read_text()
    assert f"http://127.0.0.1:5000/setup?token={token}" in init.stdout
    assert stat.S_IMODE((instance / "setup_token").stat().st_mode) == 0o600
    again = subprocess.run(
        [*command, "setup-link"], env=env, capture_output=True, text=True, timeout=60
    )
    assert again.stdout.strip() == f"http://127.0.0.1:5000/setup?token={token}"
