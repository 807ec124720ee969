"""Outgoing mail really leaves the node over SMTP; without SMTP it lands in the log."""

from __future__ import annotations

import logging

import pytest

from quarter_node.mail import send_mail

SUBJECT = "Willkommen im Quartier – schön, dass du da bist"
BODY = "Hallo Anna,\n\ndein Konto bei Nordstadt online ist bereit.\n\nGrüße aus dem Quartiersbüro"


def test_send_mail_delivers_through_a_real_smtp_server(app_factory, smtp_server) -> None:  # noqa: ANN001
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    with app.app_context():
        send_mail("anna@example.org", SUBJECT, BODY)

    [message] = smtp_server.messages
    assert message["Subject"] == SUBJECT
    assert message["From"] == "quartier@localhost" and message["To"] == "anna@example.org"
    assert message.get_content().rstrip("\n") == BODY
    assert message["Message-ID"] and message["Date"]
    assert smtp_server.envelopes == [("quartier@localhost", ["anna@example.org"])]


def test_mail_uses_the_configured_sender(app_factory, smtp_server) -> None:  # noqa: ANN001
    app = app_factory(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_server.port,
        SMTP_STARTTLS=False,
        MAIL_FROM="team@nordstadt.example",
    )
    with app.app_context():
        send_mail("bert@example.org", "Hallo", "Text")
    assert smtp_server.messages[0]["From"] == "team@nordstadt.example"
    assert smtp_server.envelopes[0][0] == "team@nordstadt.example"


def test_without_smtp_the_mail_is_logged_and_nothing_fails(
    app_factory, caplog: pytest.LogCaptureFixture
) -> None:  # noqa: ANN001
    app = app_factory(SMTP_HOST=None)
    caplog.set_level(logging.INFO, logger="quarter_node.mail")
    with app.app_context():
        send_mail("anna@example.org", "Hallo", "Nur ins Protokoll")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "no SMTP configured" in logged
    assert "To: anna@example.org" in logged and "Nur ins Protokoll" in logged
