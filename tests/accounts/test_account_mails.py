"""Mails about changes to an account reach the right address."""

from __future__ import annotations

from quarter_node.accounts.models import User
from quarter_node.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import logged_in_client, post_form


def test_a_changed_email_address_is_reported_to_the_old_one(
    mail_app, mail_factories, smtp_server
) -> None:  # noqa: ANN001
    user = mail_factories.user("anna")
    client = logged_in_client(mail_app.test_client, user)
    data = {"email": "anna.neu@example.org", "current_password": DEFAULT_PASSWORD}
    assert post_form(client, "/settings/account/email", data).status_code == 302
    assert db.session.get(User, user.id).email == "anna.neu@example.org"
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"]
    assert "anna.neu@example.org" in smtp_server.messages[0].get_content()


def test_a_refused_email_change_sends_nothing(mail_app, mail_factories, smtp_server) -> None:  # noqa: ANN001
    user = mail_factories.user("anna")
    client = logged_in_client(mail_app.test_client, user)
    data = {"email": "anna.neu@example.org", "current_password": "not-my-password"}
    assert post_form(client, "/settings/account/email", data).status_code == 422
    assert smtp_server.messages == []
