"""HTTP signatures for ActivityPub: draft-cavage-12 and RFC 9421, with body digests.

Modules, each with one job:

* ``message`` – ``HttpMessage``, a request independent of any HTTP library;
* ``keys`` – key generation, cached PEM/multikey loading, ``SigningKey``,
  ``VerificationKey`` and the ``KeyLookup`` protocol storage implements;
* ``algorithms`` – the RFC 9421 algorithms and which key type each needs;
* ``digests`` – ``Digest`` (RFC 3230) and ``Content-Digest`` (RFC 9530);
* ``structured`` – the RFC 8941 parsing and serialising RFC 9421 needs;
* ``components`` / ``rfc9421`` – signature bases, signing and verifying;
* ``cavage`` – draft-cavage-http-signatures-12 signing and verifying;
* ``freshness`` – Date/created windows; ``policy`` – what a verifier requires;
* ``verify`` – ``verify_request`` for inboxes, whatever the scheme;
* ``signer`` – complete outgoing signing (Host, Date, digest, signature);
* ``negotiation`` – which scheme to use per peer, retrying on 401.
"""

from federation.signatures.errors import (
    BadSignature,
    DigestMismatch,
    ExpiredSignature,
    MalformedSignature,
    MissingHeader,
    MissingSignature,
    SignatureError,
    UnknownAlgorithm,
    UnknownKey,
    UnsupportedComponent,
)
from federation.signatures.keys import (
    KeyLookup,
    SigningKey,
    StaticKeys,
    VerificationKey,
    generate_rsa_keypair,
    key_from_actor,
    load_private_key,
    load_public_key,
)
from federation.signatures.message import HttpMessage
from federation.signatures.policy import (
    CAVAGE,
    INBOX_POLICY,
    RFC9421,
    VerificationPolicy,
    VerifiedSignature,
)
from federation.signatures.signer import sign_request
from federation.signatures.verify import verify_request

__all__ = [
    "CAVAGE",
    "INBOX_POLICY",
    "RFC9421",
    "BadSignature",
    "DigestMismatch",
    "ExpiredSignature",
    "HttpMessage",
    "KeyLookup",
    "MalformedSignature",
    "MissingHeader",
    "MissingSignature",
    "SignatureError",
    "SigningKey",
    "StaticKeys",
    "UnknownAlgorithm",
    "UnknownKey",
    "UnsupportedComponent",
    "VerificationKey",
    "VerificationPolicy",
    "VerifiedSignature",
    "generate_rsa_keypair",
    "key_from_actor",
    "load_private_key",
    "load_public_key",
    "sign_request",
    "verify_request",
]
