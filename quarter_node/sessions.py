"""The session cookie interface, with its serializer built once per set of secret keys.

Flask's ``SecureCookieSessionInterface`` builds the cookie serializer anew on every request
(and test-serialises a probe value while doing so): a sizeable part of a small request's
CPU time, for an object that depends only on the secret keys. Everything else (cookie name,
flags, signing, expiry) is Flask's own.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, reusing the serializer while the keys stay the same."""

    def __init__(self) -> None:
        self._serializer: tuple[tuple[Any, ...], Any] | None = None

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._serializer
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            self._serializer = cached
        return cached[1]
