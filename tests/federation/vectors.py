"""Loading the published test vectors (RFC 9421 Appendix B, draft-cavage-12 Appendix C)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from federation.signatures.keys import (
    SigningKey,
    StaticKeys,
    VerificationKey,
    load_private_key,
    load_public_key,
)
from federation.signatures.message import HttpMessage
from federation.signatures.policy import VerificationPolicy
from tests.federation.conftest import FIXTURES, load_fixture

RFC9421_VECTORS = load_fixture("rfc9421/vectors.json")
CAVAGE_VECTORS = load_fixture("cavage/vectors.json")
ALGORITHMS = {e["key"]: e["algorithm"] for e in RFC9421_VECTORS["examples"]}

#: The vectors cover fewer components than our inbox demands and are years old; this
#: policy checks only what the RFC examples themselves promise.
VECTOR_POLICY = VerificationPolicy(
    max_skew=timedelta(days=365 * 100),
    require_digest_for_body=False,
    rfc9421_required=(),
    rfc9421_require_created=False,
    cavage_required=(),
)


def _text(name: str) -> str:
    return (FIXTURES / name).read_text()


def rfc9421_signing_key(key_id: str) -> SigningKey:
    """The private half of an Appendix B.1 key, tagged with its algorithm."""
    if key_id == "test-shared-secret":
        secret = base64.b64decode(_text("rfc9421/test-shared-secret.b64"))
        return SigningKey(key_id, secret, "hmac-sha256")
    return SigningKey(key_id, load_private_key(_text(f"rfc9421/{key_id}.pem")), ALGORITHMS[key_id])


def rfc9421_keys() -> StaticKeys:
    """A key lookup knowing every Appendix B.1 key with the algorithm the RFC binds it to."""
    keys = {}
    for key_id, algorithm in ALGORITHMS.items():
        if key_id == "test-shared-secret":
            public = rfc9421_signing_key(key_id).private_key
        else:
            public = load_public_key(_text(f"rfc9421/{key_id}.pub.pem"))
        keys[key_id] = VerificationKey(key_id, public, owner=None, algorithm=algorithm)
    return StaticKeys(keys)


def rfc9421_message(name: str, *extra: tuple[str, str]) -> HttpMessage:
    """``test-request``, ``test-response`` or the proxied request of section 4.3."""
    raw = RFC9421_VECTORS["messages"][name]
    headers = tuple(tuple(pair) for pair in raw["headers"]) + extra
    return HttpMessage(
        raw.get("method", ""), raw.get("url", ""), headers, raw["body"].encode(), raw.get("status")
    )


def example_time(example: dict) -> datetime:
    """The moment an example was signed (its ``created`` parameter)."""
    created = example["signature_input"].split("created=")[1].split(";")[0]
    return datetime.fromtimestamp(int(created), UTC)


def cavage_keys() -> tuple[SigningKey, StaticKeys]:
    """The draft's ``Test`` key, private half for signing and public half for verifying."""
    private = load_private_key(_text("cavage/test-key.pem"))
    public = load_public_key(_text("cavage/test-key.pub.pem"))
    return SigningKey("Test", private), StaticKeys({"Test": VerificationKey("Test", public)})


def cavage_request(*extra: tuple[str, str]) -> HttpMessage:
    """The request all draft-cavage examples sign."""
    raw = CAVAGE_VECTORS["request"]
    headers = tuple(tuple(pair) for pair in raw["headers"]) + extra
    return HttpMessage(raw["method"], raw["url"], headers, raw["body"].encode())
