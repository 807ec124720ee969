"""Key generation, loading, and the small types that carry keys to the signers.

Parsing a PEM key is expensive (RSA especially), and an inbox verifies the same few
hundred keys over and over. ``load_public_key``/``load_private_key`` therefore cache the
key *objects* by their PEM text: each key is parsed once per process and then handed out
again. Key objects from ``cryptography`` are immutable, so sharing them is safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from federation.actors import ActorInfo
from federation.multikey import DecodedMultikey
from federation.signatures.errors import UnknownKey

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey


@dataclass(frozen=True)
class KeyPair:
    """A freshly generated key pair as PEM texts, ready to be stored."""

    private_pem: str
    public_pem: str


def generate_rsa_keypair(bits: int = 2048) -> KeyPair:
    """Generate an RSA key for an actor.

    RSA with 2048 bits is what every fediverse server can verify today; Mastodon still
    rejects other key types in ``publicKey``.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return KeyPair(private_pem, public_pem_of(key))


def public_pem_of(key: PrivateKey | PublicKey) -> str:
    """The SubjectPublicKeyInfo PEM (``BEGIN PUBLIC KEY``) we publish in actor documents."""
    public = key.public_key() if hasattr(key, "private_bytes") else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@lru_cache(maxsize=256)
def load_private_key(pem: str) -> PrivateKey:
    """Parse a private key PEM once and cache the key object."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, PrivateKey):
        raise ValueError("unsupported private key type")
    return key


@lru_cache(maxsize=4096)
def load_public_key(pem: str) -> PublicKey:
    """Parse a public key PEM once and cache the key object.

    Both ``BEGIN PUBLIC KEY`` (most servers) and ``BEGIN RSA PUBLIC KEY`` (PKCS#1, sent
    by Mobilizon and older Pleroma) are accepted; ``cryptography`` tells them apart.
    """
    try:
        key = serialization.load_pem_public_key(pem.strip().encode())
    except ValueError as error:
        raise UnknownKey(f"unreadable public key: {error}") from error
    if not isinstance(key, PublicKey):
        raise UnknownKey("unsupported public key type")
    return key


@lru_cache(maxsize=4096)
def public_key_from_multikey(decoded: DecodedMultikey) -> PublicKey:
    """Turn a decoded FEP-521a multikey into a key object (cached like PEM keys)."""
    if decoded.algorithm == "ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(decoded.key_bytes)
    key = serialization.load_der_public_key(_pkcs1_to_spki(decoded.key_bytes))
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnknownKey("multikey is not an RSA key")
    return key


def _pkcs1_to_spki(der: bytes) -> bytes:
    """Wrap a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo, which ``cryptography`` loads."""
    bit_string = b"\x03" + _der_length(len(der) + 1) + b"\x00" + der
    algorithm = bytes.fromhex("300d06092a864886f70d0101010500")
    body = algorithm + bit_string
    return b"\x30" + _der_length(len(body)) + body


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


@dataclass(frozen=True)
class SigningKey:
    """Our key for signing requests: its published id and the loaded private key.

    ``algorithm`` pins an RFC 9421 algorithm name; ``None`` derives it from the key.
    ``private_key`` is raw bytes only for the HMAC test vectors.
    """

    key_id: str
    private_key: PrivateKey | bytes
    algorithm: str | None = None


@dataclass(frozen=True)
class VerificationKey:
    """A peer's public key as found by a ``KeyLookup``, and whom it belongs to."""

    key_id: str
    public_key: PublicKey | bytes
    owner: str | None = None
    algorithm: str | None = None


class KeyLookup(Protocol):
    """Finds the public key for a key id: from the database, or by fetching the actor.

    Returns ``None`` when the key is unknown; the verifier then refuses the request.
    """

    def __call__(self, key_id: str) -> VerificationKey | None: ...


class StaticKeys:
    """A ``KeyLookup`` over a fixed mapping, for tests and for our own keys."""

    def __init__(self, keys: Mapping[str, VerificationKey]) -> None:
        self._keys = dict(keys)

    def __call__(self, key_id: str) -> VerificationKey | None:
        """Return the key stored under ``key_id``."""
        return self._keys.get(key_id)


def key_from_actor(actor: ActorInfo, key_id: str) -> VerificationKey | None:
    """The verification key ``key_id`` as published by ``actor``, loaded via the cache.

    Keys the actor does not list as its own are not returned: a key id alone must never
    let one actor speak for another.
    """
    if not actor.lists_key(key_id):
        return None
    for published in actor.public_keys:
        if published.id == key_id:
            return VerificationKey(key_id, load_public_key(published.pem), actor.id)
    for multikey in actor.multikeys:
        if multikey.id == key_id:
            return VerificationKey(key_id, public_key_from_multikey(multikey.key), actor.id)
    return None
