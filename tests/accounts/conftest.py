"""Shared pieces of the accounts tests: a node with a real SMTP server, registration data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.factories import Factories

NEW_PASSWORD = "Lindenstrasse-42"


def registration_data(handle: str = "anna_b", **overrides: Any) -> dict[str, Any]:
    """A complete, valid registration form; an override of None leaves the field out (as a
    browser does with an unticked checkbox)."""
    data = {
        "email": f"{handle}@example.org",
        "handle": handle,
        "display_name": "Anna B.",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "locale": "de",
        "accept_rules": "y",
        "application_text": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def mail_app(app_factory: Callable[..., Flask], smtp_server: Any) -> Iterator[Flask]:
    """A set-up node that delivers its mail to ``smtp_server`` (jobs run at once in tests)."""
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    with app.app_context():
        update_node_settings(setup_complete=True, name="Testquartier", default_language="en")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def mail_factories(mail_app: Flask) -> Factories:
    return Factories(mail_app)
