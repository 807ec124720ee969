"""Who may do what on the node. Services call these; templates only mirror them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
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


def role_required(role: Role) -> Callable[[F], F]:
    """View decorator: 403 unless the logged-in user holds at least ``role``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_account()
            if user is None:
                from quarter_node.extensions import login_manager

                return login_manager.unauthorized()
            if not user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
