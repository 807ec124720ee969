"""Errors raised by services and turned into pages with the right status by the app.

Services raise these with a message already marked for translation, so the HTML views and
(later) the ActivityPub side report the same rule the same way.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A rule of the node refused the request. ``message`` is shown to the user."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status_code = 400


class PermissionDenied(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Gone(ServiceError):
    """It existed and was deleted for good (a deleted account's page)."""

    status_code = 410
