"""Outgoing email. Sent by a background job over SMTP, or written to the log without SMTP."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from quarter_node.jobs import job

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text message. Returns at once; the worker delivers it."""
    deliver_mail(to, subject, body)


@job(retries=5, retry_delay=60)
def deliver_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    if not config.get("SMTP_HOST"):
        log.info("no SMTP configured; mail not sent:\n%s", message.as_string())
        return
    smtp_class = smtplib.SMTP_SSL if config["SMTP_SSL"] else smtplib.SMTP
    with smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)
