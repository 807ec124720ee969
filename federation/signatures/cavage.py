"""draft-cavage-http-signatures-12, the scheme most of the fediverse still speaks.

The ``Signature`` header names a key, an algorithm and a list of headers; the signing
string is those headers as ``name: value`` lines. ``hs2019`` means "derive the algorithm
from the key", which for the RSA keys of the fediverse is RSASSA-PKCS1-v1_5 with SHA-256,
exactly like ``rsa-sha256``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from datetime import datetime

from federation.signatures import algorithms
from federation.signatures.digests import check_digest_header
from federation.signatures.errors import (
    BadSignature,
    MalformedSignature,
    MissingHeader,
    MissingSignature,
    UnknownAlgorithm,
    UnknownKey,
)
from federation.signatures.freshness import (
    check_not_expired,
    check_window,
    from_timestamp,
    parse_http_date,
    utc_now,
)
from federation.signatures.keys import KeyLookup, SigningKey, VerificationKey
from federation.signatures.message import HttpMessage
from federation.signatures.policy import (
    CAVAGE,
    INBOX_POLICY,
    VerificationPolicy,
    VerifiedSignature,
    missing_requirements,
)

DEFAULT_HEADERS = ("(request-target)", "host", "date", "digest")
_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)')
_NAMED_ALGORITHMS = {
    "rsa-sha256": algorithms.RSA_V1_5_SHA256,
    "rsa-sha512": algorithms.RSA_V1_5_SHA512,
    "hmac-sha256": algorithms.HMAC_SHA256,
    "ed25519": algorithms.ED25519,
}


def parse_signature_header(value: str) -> dict[str, str]:
    """Parse ``keyId="...",algorithm="...",headers="...",signature="..."``.

    The ``Signature`` prefix of the ``Authorization`` form is accepted too.
    """
    text = value.strip()
    if text[:10].lower() == "signature ":
        text = text[10:]
    params, pos = {}, 0
    while pos < len(text):
        match = _PARAM.match(text, pos)
        if not match or match.end() == pos:
            raise MalformedSignature(f"unreadable Signature header near {text[pos : pos + 20]!r}")
        raw = match.group(2).strip()
        params[match.group(1)] = raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw
        pos = match.end()
    if "keyId" not in params or "signature" not in params:
        raise MalformedSignature("Signature header needs keyId and signature")
    return params


def signing_string(message: HttpMessage, headers: Sequence[str], params: dict) -> bytes:
    """The string to sign: one ``name: value`` line per covered header, in order."""
    lines = []
    for name in headers:
        if name == "(request-target)":
            value = f"{message.method.lower()} {message.request_target}"
        elif name in ("(created)", "(expires)"):
            value = params.get(name[1:-1])
            if value is None:
                raise MissingHeader(f"{name} is signed but the parameter is missing")
        else:
            value = message.header(name)
            if value is None:
                raise MissingHeader(f"header {name!r} is signed but missing")
        lines.append(f"{name}: {value}")
    return "\n".join(lines).encode()


def sign(
    message: HttpMessage,
    key: SigningKey,
    headers: Sequence[str] = DEFAULT_HEADERS,
    *,
    algorithm: str = "rsa-sha256",
    created: datetime | None = None,
) -> dict[str, str]:
    """Sign ``message`` over ``headers``; return the ``Signature`` header to add.

    ``rsa-sha256`` is the default because some older servers refuse ``hs2019``.
    ``(created)`` needs ``hs2019`` and a ``created`` time.
    """
    names = [name.lower() for name in headers]
    actual = _algorithm(algorithm, key.private_key, key.algorithm)
    params: dict = {}
    if "(created)" in names:
        params["created"] = str(int((created or utc_now()).timestamp()))
    signed = algorithms.sign(actual, key.private_key, signing_string(message, names, params))
    parts = [f'keyId="{key.key_id}"', f'algorithm="{algorithm}"']
    parts += [f"{k}={v}" for k, v in params.items()]
    parts += [f'headers="{" ".join(names)}"', f'signature="{base64.b64encode(signed).decode()}"']
    return {"Signature": ",".join(parts)}


def _algorithm(declared: str | None, key, key_algorithm: str | None) -> str:
    """Map the ``algorithm`` parameter to an RFC 9421 algorithm fitting the key."""
    name = (declared or "hs2019").lower()
    if name == "hs2019":
        actual = key_algorithm or algorithms.default_algorithm(key)
    elif name in _NAMED_ALGORITHMS:
        actual = _NAMED_ALGORITHMS[name]
    else:
        raise UnknownAlgorithm(f"unknown draft-cavage algorithm {declared!r}")
    algorithms.check_fits(actual, key)
    return actual


def _check_policy(
    message: HttpMessage, names: list[str], params: dict, now: datetime, policy
) -> None:
    """Required headers, clock and digest, all before the key lookup."""
    if missing := missing_requirements(set(names), policy.cavage_required):
        raise MissingHeader(f"signature does not cover {missing}")
    if "date" in names:
        date = message.header("date")
        if date is None:
            raise MissingHeader("Date is signed but missing")
        check_window(parse_http_date(date), now, policy.max_skew, "Date")
    if "(created)" in names:
        check_window(_timestamp(params, "created"), now, policy.max_skew, "created")
    if "expires" in params:
        check_not_expired(_timestamp(params, "expires"), now)
    if message.body and policy.require_digest_for_body and "digest" not in names:
        raise MissingHeader("the body is not protected by a signed Digest header")
    if "digest" in names:
        check_digest_header(message.header("digest") or "", message.body)


def _timestamp(params: dict, name: str) -> datetime:
    try:
        return from_timestamp(float(params[name]), name)
    except (KeyError, ValueError) as error:
        raise MalformedSignature(f"{name} must be a number") from error


def verify(
    message: HttpMessage,
    lookup: KeyLookup,
    *,
    now: datetime | None = None,
    policy: VerificationPolicy = INBOX_POLICY,
) -> VerifiedSignature:
    """Verify the draft-cavage signature of ``message``; raise a ``SignatureError`` if bad."""
    header = message.header("signature") or _authorization(message)
    if not header:
        raise MissingSignature("no Signature header")
    params = parse_signature_header(header)
    names = params.get("headers", "date").lower().split()
    _check_policy(message, names, params, now or utc_now(), policy)
    key: VerificationKey | None = lookup(params["keyId"])
    if key is None:
        raise UnknownKey(f"unknown key {params['keyId']}")
    algorithm = _algorithm(params.get("algorithm"), key.public_key, key.algorithm)
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except binascii.Error as error:
        raise MalformedSignature("signature is not base64") from error
    data = signing_string(message, names, params)
    if not algorithms.verify(algorithm, key.public_key, data, signature):
        raise BadSignature(f"signature does not verify with key {key.key_id}")
    created = _timestamp(params, "created") if "created" in params else None
    return VerifiedSignature(
        CAVAGE, key.key_id, algorithm, key.owner, created=created, covered=tuple(names)
    )


def _authorization(message: HttpMessage) -> str | None:
    """The ``Authorization: Signature ...`` form some clients use instead."""
    value = message.header("authorization")
    return value if value and value[:10].lower() == "signature " else None
