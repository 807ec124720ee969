"""Forgotten passwords, end to end through a real SMTP server on loopback."""

from __future__ import annotations

import re
import time

import pytest

from quarter_node.accounts.models import User
from quarter_node.extensions import db
from tests.accounts.conftest import NEW_PASSWORD
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import login, post_form, text_of

LINK_RE = re.compile(r"http://localhost(/password/reset/[\w.-]+)")
SAME_ANSWER = "If an account exists for this address"


@pytest.fixture
def client(mail_app):  # noqa: ANN001, ANN201
    return mail_app.test_client()


def reset_link_from(smtp_server) -> str:  # noqa: ANN001
    assert len(smtp_server.messages) == 1
    match = LINK_RE.search(smtp_server.messages[0].get_content())
    assert match, smtp_server.messages[0].get_content()
    return match.group(1)


def test_the_whole_reset_from_mail_to_new_password(
    mail_app, client, smtp_server, mail_factories
) -> None:  # noqa: ANN001
    user = mail_factories.user("anna", display_name="Anna")
    response = post_form(
        client, "/password/reset", {"email": "anna@example.org"}, follow_redirects=True
    )
    assert SAME_ANSWER in text_of(response)
    message = smtp_server.messages[0]
    assert message["To"] == "anna@example.org" and "Testquartier" in message["Subject"]
    assert "Hello Anna," in message.get_content()
    link = reset_link_from(smtp_server)
    assert client.get(link).status_code == 200
    done = post_form(client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    old = post_form(
        mail_app.test_client(), "/login", {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 422
    login(mail_app.test_client(), user.email, NEW_PASSWORD)
    # The link died with the old password.
    again = client.get(link)
    assert again.status_code == 400 and "not valid any more" in text_of(again)
    reuse = post_form(
        client, link, {"password": "Another-password-9", "password_confirm": "Another-password-9"}
    )
    assert reuse.status_code == 400
    login(mail_app.test_client(), user.email, NEW_PASSWORD)


def test_unknown_addresses_get_the_same_answer_and_no_mail(
    client, smtp_server, mail_factories
) -> None:  # noqa: ANN001
    mail_factories.user("anna")
    response = post_form(client, "/password/reset", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert SAME_ANSWER in text_of(client.get(response.headers["Location"]))
    assert smtp_server.messages == []


def test_the_link_expires(mail_app, client, smtp_server, mail_factories) -> None:  # noqa: ANN001
    user = mail_factories.user("anna")
    post_form(client, "/password/reset", {"email": "anna@example.org"})
    link = reset_link_from(smtp_server)
    mail_app.config["PASSWORD_RESET_MAX_AGE"] = 0
    time.sleep(1.05)  # token timestamps have whole seconds
    assert client.get(link).status_code == 400
    refused = post_form(client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert refused.status_code == 400
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_a_tampered_link_is_refused(client, smtp_server, mail_factories) -> None:  # noqa: ANN001
    mail_factories.user("anna")
    post_form(client, "/password/reset", {"email": "anna@example.org"})
    link = reset_link_from(smtp_server)
    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.get("/password/reset/garbage").status_code == 400


def test_the_new_password_must_be_long_enough(client, smtp_server, mail_factories) -> None:  # noqa: ANN001
    user = mail_factories.user("anna")
    post_form(client, "/password/reset", {"email": "anna@example.org"})
    link = reset_link_from(smtp_server)
    response = post_form(client, link, {"password": "short", "password_confirm": "short"})
    assert response.status_code == 422 and "at least 10 characters" in text_of(response)
    assert db.session.get(User, user.id).password_hash == user.password_hash


def test_resetting_the_password_logs_out_other_sessions(
    mail_app, client, smtp_server, mail_factories
) -> None:  # noqa: ANN001
    user = mail_factories.user("anna")
    elsewhere = mail_app.test_client()
    login(elsewhere, user.email)
    assert elsewhere.get("/settings/account").status_code == 200
    post_form(client, "/password/reset", {"email": "anna@example.org"})
    link = reset_link_from(smtp_server)
    post_form(client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert elsewhere.get("/settings/account").status_code == 302
