"""Exceptions shared by the modules of ``federation``.

One base class lets the app catch "a peer sent us something we cannot use" in one place,
while the subclasses say precisely what went wrong for logs and tests.
"""

from __future__ import annotations


class FederationError(Exception):
    """Base of every error raised by the federation library."""


class InvalidDocument(FederationError):
    """A peer's JSON document lacks something we need, or has it in an unusable shape."""


class FetchError(FederationError):
    """An outbound request failed, was refused by our guards, or its answer was refused."""
