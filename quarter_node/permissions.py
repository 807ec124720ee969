"""Who may do what on the node. Services call these; templates only mirror them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from quarter_node.accounts.models import Role, User
from quarter_node.errors import PermissionDenied

F = TypeVar("F", bound=Callable[..., Any])


def current_account() -> User | None:
    """The logged-in user, or None for visitors."""
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    return None


def require_role(user: User | None, role: Role) -> User:
    """Return ``user`` if it holds at least ``role``, else refuse."""
    if user is None or not user.is_active or not user.has_role(role):
        raise PermissionDenied(str(_l("You are not allowed to do this.")))
    return user
