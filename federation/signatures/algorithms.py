"""The signature algorithms of RFC 9421 section 3.3, on ``cryptography`` key objects.

Each algorithm is tied to one key type. Checking that pairing before verifying prevents
algorithm confusion, e.g. an attacker declaring ``hmac-sha256`` and using a public RSA key
(which anyone can download) as the HMAC secret.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from federation.signatures.errors import UnknownAlgorithm
from federation.signatures.keys import PrivateKey, PublicKey

RSA_PSS_SHA512 = "rsa-pss-sha512"
RSA_V1_5_SHA256 = "rsa-v1_5-sha256"
HMAC_SHA256 = "hmac-sha256"
ECDSA_P256_SHA256 = "ecdsa-p256-sha256"
ECDSA_P384_SHA384 = "ecdsa-p384-sha384"
ED25519 = "ed25519"
#: Not in RFC 9421, but draft-cavage's ``rsa-sha512`` needs it.
RSA_V1_5_SHA512 = "rsa-v1_5-sha512"

_ECDSA = {ECDSA_P256_SHA256: (ec.SECP256R1, hashes.SHA256, 32)}
_ECDSA[ECDSA_P384_SHA384] = (ec.SECP384R1, hashes.SHA384, 48)
_RSA_PKCS1 = {RSA_V1_5_SHA256: hashes.SHA256, RSA_V1_5_SHA512: hashes.SHA512}
ALGORITHMS = frozenset({RSA_PSS_SHA512, HMAC_SHA256, ED25519, *_ECDSA, *_RSA_PKCS1})

_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)


def default_algorithm(key: PrivateKey | PublicKey | bytes) -> str:
    """The algorithm a key implies when the signature does not name one.

    RSA means PKCS#1 v1.5 with SHA-256: that is what Mastodon and every other fediverse
    server use with their RSA keys, with either signature scheme.
    """
    if isinstance(key, bytes):
        return HMAC_SHA256
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return RSA_V1_5_SHA256
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return ED25519
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        for name, (curve, _, _) in _ECDSA.items():
            if isinstance(key.curve, curve):
                return name
    raise UnknownAlgorithm("no algorithm fits this key")


def check_fits(algorithm: str, key: PrivateKey | PublicKey | bytes) -> None:
    """Raise ``UnknownAlgorithm`` unless ``algorithm`` is known and fits the key type."""
    if algorithm not in ALGORITHMS:
        raise UnknownAlgorithm(f"unknown algorithm {algorithm!r}")
    is_rsa = isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey)
    fits = {
        HMAC_SHA256: isinstance(key, bytes),
        RSA_PSS_SHA512: is_rsa,
        ED25519: isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey),
    }
    if algorithm in _RSA_PKCS1:
        fits[algorithm] = is_rsa
    if algorithm in _ECDSA:
        fits[algorithm] = isinstance(
            key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey
        ) and isinstance(key.curve, _ECDSA[algorithm][0])
    if not fits[algorithm]:
        raise UnknownAlgorithm(f"{algorithm} does not fit a {type(key).__name__}")


def sign(algorithm: str, key: PrivateKey | bytes, data: bytes) -> bytes:
    """Sign ``data`` (a signature base or signing string) with ``algorithm``."""
    check_fits(algorithm, key)
    if algorithm == HMAC_SHA256:
        return hmac.new(key, data, hashlib.sha256).digest()
    if algorithm == RSA_PSS_SHA512:
        return key.sign(data, _PSS, hashes.SHA512())
    if algorithm in _RSA_PKCS1:
        return key.sign(data, padding.PKCS1v15(), _RSA_PKCS1[algorithm]())
    if algorithm == ED25519:
        return key.sign(data)
    _, digest, size = _ECDSA[algorithm]
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest())))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def verify(algorithm: str, key: PublicKey | bytes, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` over ``data`` verifies with ``key`` under ``algorithm``."""
    check_fits(algorithm, key)
    if algorithm == HMAC_SHA256:
        return hmac.compare_digest(hmac.new(key, data, hashlib.sha256).digest(), signature)
    try:
        _verify_asymmetric(algorithm, key, data, signature)
    except (InvalidSignature, ValueError):
        return False
    return True


def _verify_asymmetric(algorithm: str, key: PublicKey, data: bytes, signature: bytes) -> None:
    """Raise ``InvalidSignature`` unless the signature is valid."""
    if algorithm == RSA_PSS_SHA512:
        key.verify(signature, data, _PSS, hashes.SHA512())
    elif algorithm in _RSA_PKCS1:
        key.verify(signature, data, padding.PKCS1v15(), _RSA_PKCS1[algorithm]())
    elif algorithm == ED25519:
        key.verify(signature, data)
    else:
        _, digest, size = _ECDSA[algorithm]
        if len(signature) != 2 * size:
            raise InvalidSignature("wrong ECDSA signature length")
        r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest()))
