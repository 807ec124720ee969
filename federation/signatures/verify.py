"""One entry point for inboxes: verify whichever scheme the peer used.

A request with ``Signature-Input`` is RFC 9421; otherwise a ``Signature`` (or
``Authorization: Signature``) header means draft-cavage. The result says which scheme
worked, so the app can remember it for replies to the same server.
"""

from __future__ import annotations

from datetime import datetime

from federation.signatures import cavage, rfc9421
from federation.signatures.errors import MissingSignature
from federation.signatures.keys import KeyLookup
from federation.signatures.message import HttpMessage
from federation.signatures.policy import INBOX_POLICY, VerificationPolicy, VerifiedSignature


def verify_request(
    message: HttpMessage,
    lookup: KeyLookup,
    *,
    now: datetime | None = None,
    policy: VerificationPolicy = INBOX_POLICY,
) -> VerifiedSignature:
    """Verify the request's signature in the scheme it uses.

    Raises a ``SignatureError`` subclass naming the reason when it cannot be accepted.
    """
    if message.header("signature-input") is not None:
        return rfc9421.verify(message, lookup, now=now, policy=policy)
    authorization = message.header("authorization") or ""
    if message.header("signature") is not None or authorization.lower().startswith("signature "):
        return cavage.verify(message, lookup, now=now, policy=policy)
    raise MissingSignature("the request is not signed")
