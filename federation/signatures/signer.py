"""Signing outgoing ActivityPub requests completely, in either scheme.

The low-level ``sign`` functions only sign what is in the message. This module first adds
what a fediverse server expects to be present and signed: ``Host``, ``Date`` and, for
requests with a body, ``Digest`` (draft-cavage) or ``Content-Digest`` (RFC 9421).
"""

from __future__ import annotations

from datetime import datetime

from federation.signatures import cavage, rfc9421
from federation.signatures.digests import content_digest_header, digest_header
from federation.signatures.freshness import http_date, utc_now
from federation.signatures.keys import SigningKey
from federation.signatures.message import HttpMessage
from federation.signatures.policy import CAVAGE, RFC9421


def _with_basics(message: HttpMessage, now: datetime) -> HttpMessage:
    """Add ``Host`` and ``Date`` unless present: both are signed and both are checked."""
    extra = {}
    if message.header("host") is None:
        extra["Host"] = message.authority
    if message.header("date") is None:
        extra["Date"] = http_date(now)
    return message.with_headers(extra)


def sign_cavage_request(
    message: HttpMessage, key: SigningKey, *, now: datetime | None = None
) -> dict[str, str]:
    """All headers to add for a draft-cavage signed request (Host, Date, Digest, Signature)."""
    now = now or utc_now()
    message = _with_basics(message, now)
    names = ["(request-target)", "host", "date"]
    if message.body or message.method in ("POST", "PUT", "PATCH"):
        message = message.with_headers({"Digest": digest_header(message.body)})
        names.append("digest")
    added = {n: message.header(n) for n in ("Host", "Date", "Digest") if message.header(n)}
    return added | cavage.sign(message, key, names)


def sign_rfc9421_request(
    message: HttpMessage, key: SigningKey, *, now: datetime | None = None
) -> dict[str, str]:
    """All headers to add for an RFC 9421 signed request, covering method, target and body."""
    now = now or utc_now()
    message = _with_basics(message, now)
    components = ["@method", "@target-uri"]
    if message.body or message.method in ("POST", "PUT", "PATCH"):
        message = message.with_headers({"Content-Digest": content_digest_header(message.body)})
        components.append("content-digest")
    added = {n: message.header(n) for n in ("Host", "Date", "Content-Digest") if message.header(n)}
    return added | rfc9421.sign(message, key, components, created=now)


def sign_request(
    message: HttpMessage, key: SigningKey, scheme: str, *, now: datetime | None = None
) -> dict[str, str]:
    """Sign with the named scheme (``rfc9421`` or ``draft-cavage``)."""
    if scheme == RFC9421:
        return sign_rfc9421_request(message, key, now=now)
    if scheme == CAVAGE:
        return sign_cavage_request(message, key, now=now)
    raise ValueError(f"unknown signature scheme {scheme!r}")
