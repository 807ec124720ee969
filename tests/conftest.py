"""Fixtures for the whole suite.

The suite runs once per database: ``QN_TEST_DATABASE=sqlite`` (default) or a PostgreSQL URL
(``make test`` does both). The schema is built once per run by the real Alembic migrations;
each test then gets a fresh ``app`` and empty tables.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quarter_node import create_app
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.factories import Factories

TEST_DATABASE = os.environ.get("QN_TEST_DATABASE", "sqlite")


def _postgres_url_for_worker(base_url: str, worker_id: str) -> str:
    """One database per xdist worker, created on demand next to the configured one."""
    url = make_url(base_url)
    if worker_id == "master":
        return base_url
    name = f"{url.database}_{worker_id}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class NodeClient(FlaskClient):
    """A test browser whose every request runs in its own app context, as in production.

    Without this, requests would share the test's app context (``g``, the locale, the database
    session). After each request the test's session is rolled back so the test reads what the
    request stored instead of its own stale copies.
    """

    def open(self, *args: Any, **kwargs: Any):  # noqa: ANN201
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.rollback()
        return response


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    if TEST_DATABASE == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = _postgres_url_for_worker(TEST_DATABASE, worker_id)
    _reset_postgres_schema(url)
    return url


@pytest.fixture(scope="session")
def base_config(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    instance = tmp_path_factory.mktemp("instance")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "JOBS_IMMEDIATE": True,
        "JOBS_DATABASE": str(instance / "jobs.db"),
        "RATELIMIT_ENABLED": False,
        "ARGON2_PROFILE": "cheapest",
        "BASE_URL": "http://localhost",
        "MAIL_FROM": "quartier@localhost",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def migrated_database(base_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    """Apply the real migrations once per run (the core's and every installed plugin's)."""
    from flask_migrate import upgrade

    app = create_app({**base_config, "UPLOAD_DIR": str(tmp_path_factory.mktemp("media"))})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return base_config["DATABASE_URL"]


def _empty_all_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_factory(
    base_config: dict[str, Any], migrated_database: str, tmp_path: Path
) -> Iterator[Callable[..., Flask]]:
    """Make an app with extra config; tables are emptied when the test ends."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        config = {**base_config, "UPLOAD_DIR": str(tmp_path / "media"), **overrides}
        app = create_app(config)
        app.test_client_class = NodeClient
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            _empty_all_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask], request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A node whose set-up is finished (default language English, so assertions read like
    the source strings), unless the test is marked ``fresh_node``."""
    app = app_factory()
    with app.app_context():
        if request.node.get_closest_marker("fresh_node") is None:
            # Domain tests read English; tests/test_translations.py proves German is the
            # real default language.
            update_node_settings(setup_complete=True, name="Testquartier", default_language="en")
            db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_client(app: Flask) -> Callable[[], FlaskClient]:
    """Extra browsers for tests with several people."""
    return app.test_client


@pytest.fixture
def factories(app: Flask) -> Factories:
    return Factories(app)


@pytest.fixture
def runner(app: Flask):  # noqa: ANN201
    return app.test_cli_runner()


@dataclass
class SmtpServer:
    """A real SMTP server on loopback; ``messages`` holds what it received, in order."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    # (MAIL FROM, RCPT TO) of each message: what the SMTP conversation said, not the headers.
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)


class _CollectingHandler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        raw = (envelope.original_content or envelope.content).replace(b"\r\n", b"\n")
        message = message_from_bytes(raw, policy=email_policy.default)  # as a mail client reads it
        self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.server.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Start aiosmtpd on a free loopback port; use with
    ``app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)``."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SmtpServer(port=port)
    controller = Controller(_CollectingHandler(server), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
