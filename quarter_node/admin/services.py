"""What admins (in the browser) and operators (on the command line) do to the node.

Functions taking an ``admin`` check the role themselves; the ``*_by_operator`` variants are
for the command line, whose user already controls the server, and log with no moderator.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_

from quarter_node.accounts.models import AccountState, Actor, Role, User
from quarter_node.accounts.services import (
    check_email_free,
    check_handle,
    check_handle_free,
    check_password,
    create_person,
    normalise_email,
    normalise_handle,
)
from quarter_node.db_types import utcnow
from quarter_node.errors import Conflict, NotFound
from quarter_node.extensions import db
from quarter_node.moderation import audit
from quarter_node.moderation.models import Report, ReportState
from quarter_node.node.services import NodeSettings, update_node_settings
from quarter_node.permissions import require_role
from quarter_node.posts.models import Post

SET_ROLE = "user.set_role"
EDITABLE_SETTINGS = tuple(f.name for f in fields(NodeSettings) if f.name != "setup_complete")


@dataclass(frozen=True)
class NewAccount:
    """A person's account as an admin, the set-up form or a script describes it."""

    email: str
    handle: str
    password: str
    display_name: str = ""
    locale: str | None = None


# --- Accounts -----------------------------------------------------------------------------


def add_account(new: NewAccount, *, role: Role = Role.MEMBER) -> User:
    """Add an active local account to the session (no commit: the caller's use case decides).

    The accounts domain's checks and ``create_person`` are used, so an admin made at set-up
    or by a script obeys exactly the rules of the registration form.
    """
    email, handle = normalise_email(new.email), normalise_handle(new.handle).lstrip("@")
    check_handle(handle)
    check_password(new.password)
    check_email_free(email)
    check_handle_free(handle)
    user = create_person(
        email=email,
        handle=handle,
        display_name=new.display_name.strip(),
        password=new.password,
        locale=new.locale,
        role=role,
    )
    db.session.flush()
    return user


def create_user_by_operator(new: NewAccount, role: Role) -> User:
    """``quarter-node create-user``: one account, stored at once."""
    try:
        user = add_account(new, role=role)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return user


def user_by_handle(handle: str) -> User:
    user = db.session.scalar(
        db.select(User).join(User.actor).where(Actor.handle == handle.strip().lower().lstrip("@"))
    )
    if user is None:
        raise NotFound(_("There is no account @%(handle)s.", handle=handle.lstrip("@")))
    return user


def users_query(search: str = "", role: Role | None = None) -> Select[Any]:
    """Local accounts, newest first, optionally narrowed by handle/email text and role."""
    statement = db.select(User).join(User.actor).order_by(User.created_at.desc(), User.id.desc())
    needle = search.strip().lower().lstrip("@")
    if needle:
        statement = statement.where(
            or_(
                Actor.handle.contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
            )
        )
    if role is not None:
        statement = statement.where(User.role == role)
    return statement


# --- Roles ----------------------------------------------------------------------------------


def set_role(admin: User | None, handle: str, role: Role) -> User:
    """An admin gives somebody another node role."""
    acting = require_role(admin, Role.ADMIN)
    return _change_role(user_by_handle(handle), role, moderator=acting.actor)


def set_role_by_operator(handle: str, role: Role) -> User:
    return _change_role(user_by_handle(handle), role, moderator=None)


def _change_role(user: User, role: Role, *, moderator: Actor | None) -> User:
    """Change the role and log it; the node never loses its last admin this way."""
    previous = user.role
    if previous == role:
        return user
    if previous == Role.ADMIN and _is_last_active_admin(user):
        raise Conflict(_("The node needs at least one admin. Make somebody else admin first."))
    user.role = role
    audit.record(
        moderator, SET_ROLE, target_actor=user.actor, note=f"{previous.value} -> {role.value}"
    )
    db.session.commit()
    return user


def _is_last_active_admin(user: User) -> bool:
    others = db.session.scalars(db.select(User).where(User.role == Role.ADMIN, User.id != user.id))
    return not any(other.is_active for other in others)


# --- Suspension (command line) --------------------------------------------------------------


def suspend_by_operator(handle: str, reason: str = "") -> User:
    """Lock an account out (its sessions end with ``is_active``) and log why."""
    user = user_by_handle(handle)
    if user.actor.suspended_at is not None:
        raise Conflict(_("@%(handle)s is already suspended.", handle=user.actor.handle))
    user.actor.suspended_at = utcnow()
    audit.record(None, audit.ACCOUNT_SUSPEND, target_actor=user.actor, note=reason)
    db.session.commit()
    return user


def unsuspend_by_operator(handle: str) -> User:
    user = user_by_handle(handle)
    if user.actor.suspended_at is None:
        raise Conflict(_("@%(handle)s is not suspended.", handle=user.actor.handle))
    user.actor.suspended_at = None
    audit.record(None, audit.ACCOUNT_UNSUSPEND, target_actor=user.actor)
    db.session.commit()
    return user


# --- Node settings --------------------------------------------------------------------------


def save_node_settings(admin: User | None, values: dict[str, Any]) -> NodeSettings:
    """An admin changes the node's settings (only the editable ones)."""
    require_role(admin, Role.ADMIN)
    return save_node_settings_by_operator(values)


def save_node_settings_by_operator(values: dict[str, Any]) -> NodeSettings:
    unknown = set(values) - set(EDITABLE_SETTINGS) - {"setup_complete"}
    if unknown:
        raise NotFound(_("Unknown setting: %(key)s", key=", ".join(sorted(unknown))))
    settings = update_node_settings(**values)
    db.session.commit()
    return settings


# --- Overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeCounts:
    members: int
    pending_registrations: int
    open_reports: int
    posts: int


def node_counts() -> NodeCounts:
    """The numbers on the admin start page."""
    return NodeCounts(
        members=_count(User.id, User.state == AccountState.ACTIVE),
        pending_registrations=_count(User.id, User.state == AccountState.PENDING),
        open_reports=_count(Report.id, Report.state == ReportState.OPEN),
        posts=_count(Post.id, Post.deleted_at.is_(None)),
    )


def _count(column: Any, condition: Any) -> int:
    return db.session.scalar(db.select(func.count(column)).where(condition)) or 0
