"""Decoding FEP-521a ``Multikey`` public keys (``publicKeyMultibase``).

Newer servers (Mitra, Fedify-based ones, Mastodon 4.4+ alongside RSA) publish keys in
``assertionMethod`` as multibase strings: ``z`` + base58btc of a multicodec prefix and the
key bytes. Only Ed25519 and RSA matter in the fediverse today.
"""

from __future__ import annotations

from dataclasses import dataclass

from federation.errors import InvalidDocument

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PREFIX = bytes([0xED, 0x01])
_RSA_PREFIX = bytes([0x85, 0x24])


@dataclass(frozen=True)
class DecodedMultikey:
    """The raw material of a multikey: ``ed25519`` raw 32 bytes or ``rsa`` PKCS#1 DER."""

    algorithm: str
    key_bytes: bytes


def base58btc_decode(text: str) -> bytes:
    """Decode Bitcoin-alphabet base58, keeping leading zero bytes (written as ``1``)."""
    number = 0
    for char in text:
        digit = _BASE58.find(char)
        if digit < 0:
            raise InvalidDocument(f"not base58: {char!r}")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def decode_multikey(multibase: str) -> DecodedMultikey:
    """Split a ``publicKeyMultibase`` into its algorithm and key bytes.

    Raises ``InvalidDocument`` for other encodings or key types, which we cannot verify.
    """
    if not multibase.startswith("z"):
        raise InvalidDocument("only base58btc multibase keys are supported")
    raw = base58btc_decode(multibase[1:])
    if raw.startswith(_ED25519_PREFIX) and len(raw) == 34:
        return DecodedMultikey("ed25519", raw[2:])
    if raw.startswith(_RSA_PREFIX):
        return DecodedMultikey("rsa", raw[2:])
    raise InvalidDocument("unsupported multikey type")


def base58btc_encode(data: bytes) -> str:
    """Encode bytes in Bitcoin-alphabet base58, the inverse of ``base58btc_decode``."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, digit = divmod(number, 58)
        digits = _BASE58[digit] + digits
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + digits


def encode_ed25519_multikey(raw_public_key: bytes) -> str:
    """The ``publicKeyMultibase`` of an Ed25519 public key, for publishing our own keys."""
    if len(raw_public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return "z" + base58btc_encode(_ED25519_PREFIX + raw_public_key)
