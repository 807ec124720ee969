"""HTTP Message Signatures (RFC 9421): signature bases, signing and verifying.

``sign`` returns the ``Signature-Input`` and ``Signature`` headers to add to a request;
``verify`` checks one signature of a received request against a ``KeyLookup`` and a
``VerificationPolicy``. Cheap checks (required components, time, body digest) run before
the key lookup, which may have to fetch an actor from the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from federation.signatures import algorithms
from federation.signatures.components import component_value
from federation.signatures.digests import check_content_digest
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
    utc_now,
)
from federation.signatures.keys import KeyLookup, SigningKey, VerificationKey
from federation.signatures.message import HttpMessage
from federation.signatures.policy import (
    INBOX_POLICY,
    RFC9421,
    VerificationPolicy,
    VerifiedSignature,
    missing_requirements,
)
from federation.signatures.structured import (
    InnerList,
    Item,
    parse_dictionary,
    parse_item,
    serialize_dictionary,
    serialize_inner_list,
    serialize_item,
)


def component(spec: str | Item) -> Item:
    """A component id from ``"@method"``, ``content-digest`` or ``'"@query-param";name="a"'``."""
    if isinstance(spec, Item):
        return spec
    return parse_item(spec) if spec.startswith('"') else Item(spec)


def signature_base(message: HttpMessage, signature_params: InnerList) -> bytes:
    """Build the signature base (section 2.5) for the covered components and parameters.

    Each covered component may appear only once; the last line carries the serialised
    parameters, which is what binds ``created``, ``keyid`` and ``alg`` to the signature.
    """
    lines, seen = [], set()
    for item in signature_params.items:
        identifier = serialize_item(item)
        if identifier in seen:
            raise MalformedSignature(f"component {identifier} is covered twice")
        seen.add(identifier)
        lines.append(f"{identifier}: {component_value(message, item)}")
    lines.append(f'"@signature-params": {serialize_inner_list(signature_params)}')
    return "\n".join(lines).encode()


def sign(
    message: HttpMessage,
    key: SigningKey,
    components: Sequence[str | Item],
    *,
    label: str = "sig1",
    created: datetime | None = None,
    expires: datetime | None = None,
    nonce: str | None = None,
    tag: str | None = None,
    include_alg: bool = False,
) -> dict[str, str]:
    """Sign ``message`` and return the ``Signature-Input`` and ``Signature`` headers.

    ``alg`` is left out by default, as in most deployments: the verifier derives the
    algorithm from the key, which avoids trusting the sender's choice.
    """
    algorithm = key.algorithm or algorithms.default_algorithm(key.private_key)
    params: dict = {"created": int((created or utc_now()).timestamp()), "keyid": key.key_id}
    optional = [
        ("alg", algorithm if include_alg else None),
        ("expires", int(expires.timestamp()) if expires else None),
        ("nonce", nonce),
        ("tag", tag),
    ]
    params |= {name: value for name, value in optional if value is not None}
    signature_params = InnerList([component(c) for c in components], params)
    signed = algorithms.sign(algorithm, key.private_key, signature_base(message, signature_params))
    return {
        "Signature-Input": serialize_dictionary({label: signature_params}),
        "Signature": serialize_dictionary({label: Item(signed)}),
    }


def _chosen(message: HttpMessage, label: str | None) -> tuple[str, InnerList, bytes]:
    """Parse both headers and pick the signature to verify (the first, unless named)."""
    inputs_header, signatures_header = (
        message.header("signature-input"),
        message.header("signature"),
    )
    if not inputs_header or not signatures_header:
        raise MissingSignature("Signature-Input and Signature headers are required")
    inputs, signatures = parse_dictionary(inputs_header), parse_dictionary(signatures_header)
    chosen = label or next(iter(inputs), None)
    params, value = inputs.get(chosen or ""), signatures.get(chosen or "")
    if params is None or value is None:
        raise MissingSignature(f"no signature labelled {chosen!r}")
    if not isinstance(params, InnerList) or not isinstance(value, Item):
        raise MalformedSignature("Signature-Input must hold an inner list")
    if not isinstance(value.value, bytes):
        raise MalformedSignature("Signature must hold a byte sequence")
    return str(chosen), params, value.value


def _check_policy(message: HttpMessage, params: InnerList, now: datetime, policy) -> None:
    """Required components, time window and body digest, before any key is fetched."""
    covered = {str(item.value) for item in params.items}
    if missing := missing_requirements(covered, policy.rfc9421_required):
        raise MissingHeader(f"signature does not cover {missing}")
    created = params.params.get("created")
    if created is None and policy.rfc9421_require_created:
        raise MissingHeader("signature has no created parameter")
    if created is not None:
        check_window(from_timestamp(created, "created"), now, policy.max_skew, "created")
    if "expires" in params.params:
        check_not_expired(from_timestamp(params.params["expires"], "expires"), now)
    _check_body(message, covered, policy)


def _check_body(message: HttpMessage, covered: set[str], policy: VerificationPolicy) -> None:
    """A body is protected only by a signed ``Content-Digest`` that matches it."""
    digest = message.header("content-digest")
    if message.body and policy.require_digest_for_body and "content-digest" not in covered:
        raise MissingHeader("the body is not protected by a signed Content-Digest")
    if digest is not None and "content-digest" in covered:
        check_content_digest(digest, message.body)


def _algorithm_for(key: VerificationKey, declared: object) -> str:
    """The algorithm to verify with; a declared ``alg`` must agree with the key's own."""
    if declared is not None and not isinstance(declared, str):
        raise MalformedSignature("alg must be a string")
    algorithm = declared or key.algorithm or algorithms.default_algorithm(key.public_key)
    if key.algorithm and algorithm != key.algorithm:
        raise UnknownAlgorithm(f"{algorithm} is not the algorithm of key {key.key_id}")
    algorithms.check_fits(algorithm, key.public_key)
    return algorithm


def verify(
    message: HttpMessage,
    lookup: KeyLookup,
    *,
    now: datetime | None = None,
    policy: VerificationPolicy = INBOX_POLICY,
) -> VerifiedSignature:
    """Verify one RFC 9421 signature of ``message``; raise a ``SignatureError`` if it fails."""
    label, params, signature = _chosen(message, policy.label)
    _check_policy(message, params, now or utc_now(), policy)
    key_id = params.params.get("keyid")
    if not isinstance(key_id, str):
        raise MissingHeader("signature has no keyid")
    key = lookup(key_id)
    if key is None:
        raise UnknownKey(f"unknown key {key_id}")
    algorithm = _algorithm_for(key, params.params.get("alg"))
    if not algorithms.verify(algorithm, key.public_key, signature_base(message, params), signature):
        raise BadSignature(f"signature {label} does not verify with key {key_id}")
    created = params.params.get("created")
    return VerifiedSignature(
        scheme=RFC9421,
        key_id=key_id,
        algorithm=algorithm,
        owner=key.owner,
        label=label,
        created=from_timestamp(created, "created") if created is not None else None,
        covered=tuple(str(item.value) for item in params.items),
    )
