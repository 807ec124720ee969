"""Round trips, tampering and every refusal reason of both signature schemes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from federation.actors import parse_actor
from federation.signatures import (
    CAVAGE,
    RFC9421,
    BadSignature,
    DigestMismatch,
    ExpiredSignature,
    HttpMessage,
    MalformedSignature,
    MissingHeader,
    MissingSignature,
    SigningKey,
    StaticKeys,
    UnknownAlgorithm,
    UnknownKey,
    VerificationKey,
    cavage,
    generate_rsa_keypair,
    key_from_actor,
    load_private_key,
    load_public_key,
    rfc9421,
    sign_request,
    verify_request,
)
from tests.federation.conftest import load_fixture

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
KEY_ID = "https://quarter.example/users/bernd#main-key"
OWNER = "https://quarter.example/users/bernd"
INBOX = "https://social.example/users/anna/inbox"
BODY = b'{"type": "Follow"}'


@pytest.fixture(scope="module")
def keypair():
    return generate_rsa_keypair()


@pytest.fixture(scope="module")
def signing_key(keypair):
    return SigningKey(KEY_ID, load_private_key(keypair.private_pem))


@pytest.fixture(scope="module")
def keys(keypair):
    public = load_public_key(keypair.public_pem)
    return StaticKeys({KEY_ID: VerificationKey(KEY_ID, public, owner=OWNER)})


def post(body=BODY):
    return HttpMessage.build("POST", INBOX, {"Content-Type": "application/activity+json"}, body)


def signed(scheme, signing_key, message=None, when=NOW):
    message = message or post()
    return message.with_headers(sign_request(message, signing_key, scheme, now=when))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_signed_post_verifies_with_the_inbox_policy(scheme, signing_key, keys):
    verified = verify_request(signed(scheme, signing_key), keys, now=NOW)
    assert (verified.scheme, verified.key_id, verified.owner) == (scheme, KEY_ID, OWNER)
    assert verified.algorithm == "rsa-v1_5-sha256"


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_signed_get_verifies(scheme, signing_key, keys):
    get = HttpMessage.build("GET", "https://social.example/users/anna", {"Accept": "x"})
    assert verify_request(signed(scheme, signing_key, get), keys, now=NOW).scheme == scheme


def test_hs2019_round_trip(signing_key, keys):
    message = post().with_headers(
        {"Host": "social.example", "Date": "Sat, 01 Jun 2024 12:00:00 GMT"}
    )
    message = message.with_headers({"Digest": "SHA-256=" + _sha256(BODY)})
    header = cavage.sign(
        message,
        signing_key,
        [*cavage.DEFAULT_HEADERS, "(created)"],
        algorithm="hs2019",
        created=NOW,
    )
    verified = verify_request(message.with_headers(header), keys, now=NOW)
    assert verified.created == NOW


def _sha256(body):
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(body).digest()).decode()


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_changed_body_is_caught_by_the_digest(scheme, signing_key, keys):
    message = replace(signed(scheme, signing_key), body=b'{"type": "Delete"}')
    with pytest.raises(DigestMismatch):
        verify_request(message, keys, now=NOW)


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_changed_target_breaks_the_signature(scheme, signing_key, keys):
    message = replace(signed(scheme, signing_key), url="https://social.example/inbox")
    with pytest.raises(BadSignature):
        verify_request(message, keys, now=NOW)


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_another_key_does_not_verify(scheme, signing_key):
    other = load_public_key(generate_rsa_keypair().public_pem)
    with pytest.raises(BadSignature):
        verify_request(
            signed(scheme, signing_key),
            StaticKeys({KEY_ID: VerificationKey(KEY_ID, other)}),
            now=NOW,
        )


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
@pytest.mark.parametrize("offset", [timedelta(hours=-2), timedelta(hours=2)])
def test_signatures_outside_the_time_window_are_refused(scheme, offset, signing_key, keys):
    with pytest.raises(ExpiredSignature):
        verify_request(signed(scheme, signing_key, when=NOW + offset), keys, now=NOW)


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_small_clock_skew_is_tolerated(scheme, signing_key, keys):
    late = signed(scheme, signing_key, when=NOW - timedelta(minutes=50))
    assert verify_request(late, keys, now=NOW).key_id == KEY_ID


def test_an_expired_rfc9421_signature_is_refused(signing_key, keys):
    message = post().with_headers({"Content-Digest": "sha-256=:" + _sha256(BODY) + ":"})
    headers = rfc9421.sign(
        message,
        signing_key,
        ["@method", "@target-uri", "content-digest"],
        created=NOW - timedelta(minutes=10),
        expires=NOW - timedelta(minutes=5),
    )
    with pytest.raises(ExpiredSignature):
        verify_request(message.with_headers(headers), keys, now=NOW)


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_unknown_keys_are_refused(scheme, signing_key):
    with pytest.raises(UnknownKey):
        verify_request(signed(scheme, signing_key), StaticKeys({}), now=NOW)


def test_unsigned_requests_are_refused(keys):
    with pytest.raises(MissingSignature):
        verify_request(post(), keys, now=NOW)


def test_garbage_signature_headers_are_malformed(keys):
    with pytest.raises(MalformedSignature):
        verify_request(post().with_headers({"Signature": "nonsense"}), keys, now=NOW)
    broken = {"Signature-Input": "sig1=(", "Signature": "sig1=:AAAA:"}
    with pytest.raises(MalformedSignature):
        verify_request(post().with_headers(broken), keys, now=NOW)


def test_a_body_without_signed_digest_is_refused(signing_key, keys):
    message = post().with_headers(
        {"Host": "social.example", "Date": "Sat, 01 Jun 2024 12:00:00 GMT"}
    )
    header = cavage.sign(message, signing_key, ["(request-target)", "host", "date"])
    with pytest.raises(MissingHeader, match="Digest"):
        verify_request(message.with_headers(header), keys, now=NOW)
    headers = rfc9421.sign(message, signing_key, ["@method", "@target-uri"], created=NOW)
    with pytest.raises(MissingHeader, match="Content-Digest"):
        verify_request(message.with_headers(headers), keys, now=NOW)


def test_signatures_missing_required_components_are_refused(signing_key, keys):
    message = post(b"").with_headers({"Date": "Sat, 01 Jun 2024 12:00:00 GMT"})
    with pytest.raises(MissingHeader, match="request-target"):
        verify_request(
            message.with_headers(cavage.sign(message, signing_key, ["date"])), keys, now=NOW
        )
    headers = rfc9421.sign(message, signing_key, ["@method"], created=NOW)
    with pytest.raises(MissingHeader, match="target-uri"):
        verify_request(message.with_headers(headers), keys, now=NOW)


def test_unknown_cavage_algorithms_are_refused(signing_key, keys):
    good = signed(CAVAGE, signing_key)
    header = good.header("signature").replace('algorithm="rsa-sha256"', 'algorithm="rsa-md5"')
    with pytest.raises(UnknownAlgorithm):
        verify_request(good.with_headers({"Signature": header}), keys, now=NOW)


def test_declaring_hmac_with_a_public_rsa_key_is_refused(signing_key, keys):
    """Algorithm confusion: the public key must never be usable as an HMAC secret."""
    message = post(b"")
    headers = rfc9421.sign(message, signing_key, ["@method", "@target-uri"], created=NOW)
    confused = headers["Signature-Input"].replace(";keyid=", ';alg="hmac-sha256";keyid=')
    with pytest.raises(UnknownAlgorithm):
        verify_request(message.with_headers(headers | {"Signature-Input": confused}), keys, now=NOW)


def test_keys_are_parsed_once_and_shared(keypair):
    assert load_public_key(keypair.public_pem) is load_public_key(keypair.public_pem)
    assert load_private_key(keypair.private_pem) is load_private_key(keypair.private_pem)


def test_actor_keys_resolve_pem_and_multikeys_and_verify():
    actor = parse_actor(load_fixture("fedify/person_multikey.json"))
    key_id = "https://fedify.example/users/frieda#ed25519-key"
    key = key_from_actor(actor, key_id)
    assert key.owner == actor.id
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    message = post(b"")
    headers = sign_request(message, SigningKey(key_id, private), RFC9421, now=NOW)
    verified = verify_request(
        message.with_headers(headers), lambda k: key_from_actor(actor, k), now=NOW
    )
    assert (verified.algorithm, verified.owner) == ("ed25519", actor.id)
    assert key_from_actor(actor, "https://fedify.example/users/frieda#main-key") is not None
    assert key_from_actor(actor, "https://fedify.example/users/frieda#other") is None


def test_pkcs1_keys_as_sent_by_mobilizon_load():
    group = parse_actor(load_fixture("mobilizon/group.json"))
    key = key_from_actor(group, "https://mobilizon.example/@repaircafe#main-key")
    assert key.public_key.key_size == 1024
