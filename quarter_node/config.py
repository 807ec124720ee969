"""Configuration: every setting in one table, read from ``QN_*`` variables and the instance file.

One declaration per setting keeps the defaults, the environment names and the README's table in
agreement (a test compares them), so an admin never has to read code to configure a node.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "QN_"
INSTANCE_CONFIG_FILE = "quarter_node.cfg"
SECRET_KEY_FILE = "secret_key"


@dataclass(frozen=True)
class Setting:
    """One configuration value: its key in ``app.config``, its default and what it does."""

    key: str
    default: Any
    doc: str

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.key


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL of the database. Default: SQLite file `instance/quarter_node.db`. "
        "Use `postgresql+psycopg://user@host/dbname` for PostgreSQL.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs sessions and tokens. Default: generated once and kept in "
        "`instance/secret_key`.",
    ),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        "Public address of the node, used in links in emails and (later) federation ids.",
    ),
    Setting(
        "DEV_MODE",
        False,
        "Development mode: allows `http://` and loopback origins, relaxes secure cookies.",
    ),
    Setting("HOST", "127.0.0.1", "Address `quarter-node run` listens on."),
    Setting("PORT", 5000, "Port `quarter-node run` listens on."),
    Setting(
        "WORKER_THREADS",
        2,
        "Background worker threads that `quarter-node run` starts beside the web server.",
    ),
    Setting(
        "REDIS_URL",
        None,
        "If set, the job queue and rate limits use this Redis server instead of SQLite/memory, "
        "so several `quarter-node worker` processes can share the work.",
    ),
    Setting(
        "JOBS_IMMEDIATE",
        False,
        "Run background jobs synchronously in the request (tests and debugging only).",
    ),
    Setting("UPLOAD_MAX_BYTES", 8 * 1024 * 1024, "Largest accepted image upload in bytes."),
    Setting("UPLOAD_MAX_PIXELS", 40_000_000, "Largest accepted image size in pixels."),
    Setting("UPLOAD_DIR", None, "Where uploaded media is stored. Default: `instance/media`."),
    Setting("POST_MAX_LENGTH", 10_000, "Longest accepted post text in characters."),
    Setting("SMTP_HOST", None, "SMTP server for outgoing mail. Without it, mail is only logged."),
    Setting("SMTP_PORT", 587, "SMTP port."),
    Setting("SMTP_USER", None, "SMTP user name (optional)."),
    Setting("SMTP_PASSWORD", None, "SMTP password (optional)."),
    Setting("SMTP_STARTTLS", True, "Use STARTTLS after connecting to the SMTP server."),
    Setting("SMTP_SSL", False, "Connect to the SMTP server over TLS from the start (port 465)."),
    Setting("MAIL_FROM", "noreply@localhost", "Sender address of the node's mail."),
    Setting("RATELIMIT_LOGIN", "10 per minute", "Rate limit of login attempts per address."),
    Setting("RATELIMIT_REGISTER", "5 per hour", "Rate limit of registrations per address."),
    Setting(
        "RATELIMIT_PASSWORD_RESET",
        "5 per hour",
        "Rate limit of password reset requests per address.",
    ),
    Setting("RATELIMIT_ENABLED", True, "Switch rate limits off (tests only)."),
    Setting(
        "PASSWORD_RESET_MAX_AGE",
        3600,
        "Seconds a password reset link stays valid.",
    ),
    Setting("PAGE_SIZE", 20, "Items per page in timelines and lists."),
    Setting("LOG_LEVEL", "INFO", "Logging level."),
)


def _coerce(raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, str) or default is None:
        return raw
    return json.loads(raw)


def read_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Return the settings given as ``QN_*`` environment variables, coerced to their types."""
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.env_name in environ:
            values[setting.key] = _coerce(environ[setting.env_name], setting.default)
    return values


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read the node's secret key from the instance folder, generating it on first start.

    The key must survive restarts (sessions and reset links depend on it) and must never be a
    shipped default, so it is made once per node and kept beside the database.
    """
    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'quarter_node.db'}"
