"""Errors of the accounts domain that carry more than a message.

Forms need to know WHICH field a refusal is about (to show it next to the input), and an
unusable invitation deserves its own status (410 Gone) so people understand the link died.
"""

from __future__ import annotations

from quarter_node.errors import InvalidInput, ServiceError


class FieldError(InvalidInput):
    """Input refused because of one form field (a taken handle, a wrong password ...)."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvitationGone(ServiceError):
    """The invitation exists but can no longer be used (expired, revoked, used up)."""

    status_code = 410


class LoginRefused(ServiceError):
    """Login refused; the message says why in plain words (generic for bad credentials)."""

    status_code = 422


class AccountBlocked(LoginRefused):
    """Right password, but the account may not log in (pending, rejected, suspended)."""

    status_code = 403
