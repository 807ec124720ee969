"""Body digests: the old ``Digest`` header (RFC 3230) and ``Content-Digest`` (RFC 9530).

A signature covers the digest header, not the body itself; only a digest that was both
signed and checked against the received body protects the body. draft-cavage peers send
``Digest: SHA-256=...``, RFC 9421 peers ``Content-Digest: sha-256=:...:``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from federation.signatures.errors import DigestMismatch, MalformedSignature, UnknownAlgorithm
from federation.signatures.structured import Item, parse_dictionary, serialize_dictionary

_DIGEST_HASHES = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


def digest_header(body: bytes) -> str:
    """The ``Digest`` value for a body, as Mastodon sends and expects it."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def check_digest_header(value: str, body: bytes) -> None:
    """Check a ``Digest`` header against the body.

    Every algorithm we know must match, and at least one must be known; unknown ones
    (``MD5``, ``UNIXsum``) are ignored, as RFC 3230 allows.
    Raises ``DigestMismatch`` or ``UnknownAlgorithm``.
    """
    checked = 0
    for part in value.split(","):
        name, sep, encoded = part.strip().partition("=")
        hasher = _DIGEST_HASHES.get(name.strip().lower())
        if not sep or hasher is None:
            continue
        _compare(hasher(body).digest(), encoded.strip())
        checked += 1
    if not checked:
        raise UnknownAlgorithm(f"no supported algorithm in Digest: {value!r}")


def content_digest_header(body: bytes, algorithms: tuple[str, ...] = ("sha-256",)) -> str:
    """The ``Content-Digest`` value for a body (RFC 9530), e.g. ``sha-256=:...:``."""
    unknown = set(algorithms) - set(_DIGEST_HASHES)
    if unknown:
        raise UnknownAlgorithm(f"unsupported digest algorithms: {sorted(unknown)}")
    members = {name: Item(_DIGEST_HASHES[name](body).digest()) for name in algorithms}
    return serialize_dictionary(members)


def check_content_digest(value: str, body: bytes) -> None:
    """Check a ``Content-Digest`` header against the body, with the same rule as above."""
    checked = 0
    for name, member in parse_dictionary(value).items():
        hasher = _DIGEST_HASHES.get(name)
        if hasher is None:
            continue
        if not isinstance(member, Item) or not isinstance(member.value, bytes):
            raise MalformedSignature(f"Content-Digest {name} is not a byte sequence")
        if not hmac.compare_digest(hasher(body).digest(), member.value):
            raise DigestMismatch(f"body does not match its Content-Digest ({name})")
        checked += 1
    if not checked:
        raise UnknownAlgorithm(f"no supported algorithm in Content-Digest: {value!r}")


def _compare(expected: bytes, encoded: str) -> None:
    try:
        received = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise MalformedSignature("Digest is not base64") from error
    if not hmac.compare_digest(expected, received):
        raise DigestMismatch("body does not match its Digest header")
