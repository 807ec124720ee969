"""Signed, expiring password reset tokens that die once the password changes.

The salt includes a piece of the current password hash: as soon as the password is changed
(by this very link or otherwise) every earlier link stops working, without storing tokens.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from quarter_node.accounts.models import User
from quarter_node.extensions import db

_SALT = "quarter-node.password-reset"


def _password_fragment(user: User) -> str:
    return user.password_hash[-16:]


def _serializer(fragment: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"{_SALT}:{fragment}")


def make_password_reset_token(user: User) -> str:
    return _serializer(_password_fragment(user)).dumps(user.id)


def _claimed_user_id(token: str) -> int | None:
    """The user id written in the token, NOT yet verified (only to find the right salt)."""
    _valid, payload = _serializer("").loads_unsafe(token)
    if isinstance(payload, int) and not isinstance(payload, bool):
        return payload
    return None


def user_for_password_reset_token(token: str) -> User | None:
    """The user the token was made for, if it is genuine, fresh and still unused."""
    user_id = _claimed_user_id(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return None
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        _serializer(_password_fragment(user)).loads(token, max_age=max_age)
    except BadData:
        return None
    return user
