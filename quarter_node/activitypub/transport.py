"""One signed POST of an activity to an inbox, over a kept-alive connection per thread.

Each worker thread keeps its own ``SafeHttpClient`` (a ``requests`` session with its
connection pool), so consecutive deliveries to the same server reuse the TCP (and TLS)
connection instead of paying the handshake every time. The signature scheme is negotiated
per host: what worked last time, else RFC 9421, and the other one after a 401.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app

from federation.errors import FetchError
from federation.netguard import AddressPolicy, parse_ip
from federation.safe_http import Limits, SafeHttpClient
from federation.signatures import SigningKey, sign_request
from federation.signatures.message import HttpMessage
from federation.signatures.negotiation import InMemorySchemeMemory, send_negotiated
from federation.vocabulary import ACCEPT_ACTIVITY, ACTIVITY_JSON

DELIVERY_LIMITS = Limits(connect_timeout=5.0, read_timeout=10.0, total_timeout=20.0)
_threads = threading.local()


@dataclass(frozen=True)
class LoopbackPolicy(AddressPolicy):
    """Development mode: several nodes on one machine may reach each other on loopback
    (127.0.0.0/8 and ::1, any port) — and nothing else that is special-use."""

    def allows(self, host: str, port: int) -> bool:
        address = parse_ip(host)
        if isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
            return address.is_loopback
        return super().allows(host, port)


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt came to: a status, or an error without one."""

    status: int | None
    scheme: str = ""
    retry_after: str | None = None
    error: str = ""


def new_client() -> SafeHttpClient:
    """A delivery client as the node's configuration wants it (loopback only in dev mode)."""
    policy = LoopbackPolicy() if current_app.config.get("DEV_MODE") else AddressPolicy()
    return SafeHttpClient(limits=DELIVERY_LIMITS, address_policy=policy)


def thread_client() -> SafeHttpClient:
    """This thread's client, made once per thread and configuration."""
    wanted = bool(current_app.config.get("DEV_MODE"))
    cached: tuple[bool, SafeHttpClient] | None = getattr(_threads, "client", None)
    if cached is None or cached[0] != wanted:
        cached = (wanted, new_client())
        _threads.client = cached
    return cached[1]


def post_signed(
    client: SafeHttpClient, inbox: str, body: bytes, key: SigningKey, host: str, scheme: str | None
) -> Attempt:
    """POST ``body`` to ``inbox``, negotiating the signature scheme from ``scheme`` on."""
    memory = InMemorySchemeMemory()
    if scheme:
        memory.remember_scheme(host, scheme)
    headers = {"Content-Type": ACTIVITY_JSON, "Accept": ACCEPT_ACTIVITY}
    last: dict[str, Any] = {}

    def attempt(chosen: str) -> int:
        response = client.post(inbox, body, headers=headers, signer=_signer(key, chosen))
        last["retry_after"] = response.header("retry-after")
        return response.status

    try:
        outcome = send_negotiated(memory, host, attempt)
    except FetchError as error:
        return Attempt(None, error=str(error) or type(error).__name__)
    return Attempt(outcome.status, outcome.scheme, last.get("retry_after"))


def _signer(key: SigningKey, scheme: str) -> Any:
    def sign(message: HttpMessage) -> dict[str, str]:
        return sign_request(message, key, scheme)

    return sign
