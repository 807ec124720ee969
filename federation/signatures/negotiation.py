"""Choosing the signature scheme per peer ("double knocking", as Fedify calls it).

Newer servers accept RFC 9421, most still want draft-cavage, and nothing announces which.
So: use the scheme that worked for this host before; without a memory, try RFC 9421
first; when the peer answers 401, knock again with the other scheme; remember what
worked. This module is pure logic: the HTTP client passes a function that sends one
attempt and returns the status code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from federation.signatures.policy import CAVAGE, RFC9421

SCHEMES = (RFC9421, CAVAGE)


class SchemeMemory(Protocol):
    """Stores the signature scheme that last worked per host (e.g. in the database)."""

    def remembered_scheme(self, host: str) -> str | None:
        """The scheme that worked for ``host``, or ``None``."""
        ...

    def remember_scheme(self, host: str, scheme: str) -> None:
        """Note that ``scheme`` worked for ``host``."""
        ...


class InMemorySchemeMemory:
    """A ``SchemeMemory`` in a dict, for tests and single-process development."""

    def __init__(self) -> None:
        self._schemes: dict[str, str] = {}

    def remembered_scheme(self, host: str) -> str | None:
        """The scheme that worked for ``host``, or ``None``."""
        return self._schemes.get(host.lower())

    def remember_scheme(self, host: str, scheme: str) -> None:
        """Note that ``scheme`` worked for ``host``."""
        self._schemes[host.lower()] = scheme


def schemes_to_try(memory: SchemeMemory, host: str) -> list[str]:
    """The order of attempts: the remembered scheme (else RFC 9421), then the other one."""
    first = memory.remembered_scheme(host)
    first = first if first in SCHEMES else RFC9421
    return [first] + [scheme for scheme in SCHEMES if scheme != first]


@dataclass(frozen=True)
class Outcome:
    """The final status of a delivery and the scheme of the attempt that produced it."""

    status: int
    scheme: str


def send_negotiated(
    memory: SchemeMemory,
    host: str,
    attempt: Callable[[str], int],
    *,
    retry_on: frozenset[int] = frozenset({401}),
) -> Outcome:
    """Send with ``attempt(scheme)``, knocking a second time on a signature refusal.

    Only a success (2xx) is remembered: a 500 says nothing about which scheme the peer
    understands.
    """
    outcome = None
    for scheme in schemes_to_try(memory, host):
        outcome = Outcome(attempt(scheme), scheme)
        if outcome.status not in retry_on:
            break
    if 200 <= outcome.status < 300:
        memory.remember_scheme(host, outcome.scheme)
    return outcome
