"""Why a signature was refused, one exception type per reason.

The inbox maps all of them to ``401``, but logs and tests need to know whether a peer
forgot a header, uses an algorithm we do not speak, sent a body that does not match its
digest, has a wrong clock, or sent a signature that simply does not verify.
"""

from __future__ import annotations

from federation.errors import FederationError


class SignatureError(FederationError):
    """Base class: the request's signature cannot be accepted."""


class MissingSignature(SignatureError):
    """The request carries no signature at all."""


class MalformedSignature(SignatureError):
    """A signature header is present but cannot be parsed."""


class MissingHeader(SignatureError):
    """A header or component that must be signed is absent from the request or the signature."""


class UnsupportedComponent(SignatureError):
    """An RFC 9421 component (or component parameter) we do not implement."""


class UnknownAlgorithm(SignatureError):
    """The algorithm is unknown, or does not fit the key it is used with."""


class UnknownKey(SignatureError):
    """No key could be found for the signature's key id."""


class DigestMismatch(SignatureError):
    """The body does not match its ``Digest`` or ``Content-Digest`` header."""


class ExpiredSignature(SignatureError):
    """The signature (or its ``Date``) is too old, expired, or dated in the future."""


class BadSignature(SignatureError):
    """The signature does not verify with the key: forged, tampered with, or wrong key."""
