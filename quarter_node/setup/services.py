"""First-run set-up: a one-time link claims a fresh node and creates its first admin.

A freshly started public node would otherwise belong to whoever finds it first. The set-up
token lives only in the instance folder (readable by the operator alone) and is printed in
the terminal by ``quarter-node init`` / ``run``; whoever holds it may finish set-up once.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from quarter_node.accounts.models import Role, User
from quarter_node.admin.services import NewAccount, add_account
from quarter_node.errors import NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.node.services import get_node_settings, update_node_settings

SETUP_TOKEN_FILE = "setup_token"


@dataclass(frozen=True)
class NodeBasics:
    """What the set-up form asks about the node itself."""

    name: str
    quarter: str
    description: str
    default_language: str
    registration_mode: str


def setup_token_path() -> Path:
    return Path(current_app.instance_path) / SETUP_TOKEN_FILE


def read_setup_token() -> str | None:
    """The current token, or None if none was made (or set-up consumed it)."""
    try:
        token = setup_token_path().read_text().strip()
    except FileNotFoundError:
        return None
    return token or None


def _create_setup_token() -> str:
    """Write a new token readable only by the node's own user (mode 600 from the start)."""
    path = setup_token_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token)
    path.chmod(0o600)
    return token


def delete_setup_token() -> None:
    setup_token_path().unlink(missing_ok=True)


def is_setup_complete() -> bool:
    return bool(get_node_settings().setup_complete)


def setup_link(base_url: str | None = None) -> str | None:
    """The one-time set-up link (made on first call), or None once set-up is done."""
    if is_setup_complete():
        return None
    token = read_setup_token() or _create_setup_token()
    base = (base_url or current_app.config["BASE_URL"]).rstrip("/")
    return f"{base}/setup?token={token}"


def is_valid_setup_token(candidate: str | None) -> bool:
    """True if ``candidate`` is the stored token (compared in constant time)."""
    stored = read_setup_token()
    if not candidate or not stored or is_setup_complete():
        return False
    return secrets.compare_digest(candidate.encode(), stored.encode())


def complete_setup(token: str | None, basics: NodeBasics, admin: NewAccount) -> User:
    """Create the first admin and store the node's basics in one transaction.

    The token file is removed only after the commit, so a failed attempt can be repeated
    with the same link.
    """
    if is_setup_complete():
        raise NotFound(_("This node is already set up."))
    if not is_valid_setup_token(token):
        raise PermissionDenied(_("This set-up link is not valid."))
    try:
        user = add_account(admin, role=Role.ADMIN)
        update_node_settings(
            name=basics.name,
            quarter=basics.quarter,
            description=basics.description,
            default_language=basics.default_language,
            registration_mode=basics.registration_mode,
            setup_complete=True,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    delete_setup_token()
    return user
