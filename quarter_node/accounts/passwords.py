"""Password hashing with argon2id (parameters from argon2-cffi's RFC 9106 profile)."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[str, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    # Tests set ARGON2_PROFILE="cheapest" so thousands of accounts do not take minutes.
    name = current_app.config.get("ARGON2_PROFILE", "rfc_9106_low_memory")
    if name not in _hashers:
        profile = profiles.CHEAPEST if name == "cheapest" else profiles.RFC_9106_LOW_MEMORY
        _hashers[name] = PasswordHasher.from_parameters(profile)
    return _hashers[name]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches. Never raises for a wrong or malformed hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
