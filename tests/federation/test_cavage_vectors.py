"""draft-cavage-http-signatures-12 Appendix C: the signing strings, the published
rsa-sha256 signatures over them, and our signer reproducing them exactly."""

from __future__ import annotations

from datetime import datetime

import pytest

from federation.signatures import cavage
from federation.signatures.errors import BadSignature
from tests.federation.vectors import CAVAGE_VECTORS, VECTOR_POLICY, cavage_keys, cavage_request

EXAMPLES = CAVAGE_VECTORS["examples"]
NOW = datetime.fromisoformat(CAVAGE_VECTORS["now"])


def ids(example):
    return example["name"].split(" ")[0]


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_signing_string_matches_the_draft(example):
    names = example["headers"] or ["date"]
    text = cavage.signing_string(cavage_request(), names, {})
    assert text.decode() == "\n".join(example["signing_string"])


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_published_signature_verifies(example):
    _, keys = cavage_keys()
    request = cavage_request(("Signature", example["signature_header"]))
    verified = cavage.verify(request, keys, now=NOW, policy=VECTOR_POLICY)
    assert (verified.scheme, verified.key_id) == ("draft-cavage", "Test")
    assert verified.algorithm == "rsa-v1_5-sha256"


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_the_authorization_header_form_verifies_too(example):
    _, keys = cavage_keys()
    request = cavage_request(("Authorization", "Signature " + example["signature_header"]))
    assert cavage.verify(request, keys, now=NOW, policy=VECTOR_POLICY).key_id == "Test"


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_our_signer_reproduces_the_published_signature(example):
    key, _ = cavage_keys()
    names = example["headers"] or ["date"]
    produced = cavage.parse_signature_header(cavage.sign(cavage_request(), key, names)["Signature"])
    published = cavage.parse_signature_header(example["signature_header"])
    assert produced["signature"] == published["signature"]
    assert produced["algorithm"] == "rsa-sha256"


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_a_changed_date_breaks_the_published_signature(example):
    _, keys = cavage_keys()
    request = cavage_request(("Signature", example["signature_header"]))
    request = request.with_headers({"Date": "Sun, 05 Jan 2014 21:31:41 GMT"})
    with pytest.raises(BadSignature):
        cavage.verify(request, keys, now=NOW, policy=VECTOR_POLICY)
