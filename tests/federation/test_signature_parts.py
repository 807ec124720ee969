"""Digests, structured fields, components and scheme negotiation in detail."""

from __future__ import annotations

import pytest

from federation.signatures.components import component_value
from federation.signatures.digests import (
    check_content_digest,
    check_digest_header,
    content_digest_header,
    digest_header,
)
from federation.signatures.errors import (
    DigestMismatch,
    MalformedSignature,
    MissingHeader,
    UnknownAlgorithm,
    UnsupportedComponent,
)
from federation.signatures.message import HttpMessage
from federation.signatures.negotiation import (
    InMemorySchemeMemory,
    schemes_to_try,
    send_negotiated,
)
from federation.signatures.policy import CAVAGE, RFC9421
from federation.signatures.structured import (
    InnerList,
    Item,
    Token,
    parse_dictionary,
    parse_item,
    serialize_dictionary,
)

BODY = b'{"hello": "world"}'


def test_digest_header_matches_the_draft_example():
    assert digest_header(BODY) == "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
    check_digest_header(digest_header(BODY), BODY)


def test_digest_header_refuses_a_different_body_and_unknown_algorithms():
    with pytest.raises(DigestMismatch):
        check_digest_header(digest_header(BODY), b"{}")
    with pytest.raises(UnknownAlgorithm):
        check_digest_header("MD5=abc", BODY)
    check_digest_header("md5=ignored, " + digest_header(BODY), BODY)


def test_content_digest_sha256_and_sha512_as_in_rfc_9530():
    both = content_digest_header(BODY, ("sha-256", "sha-512"))
    assert both.startswith("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:")
    check_content_digest(both, BODY)
    with pytest.raises(DigestMismatch):
        check_content_digest(both, BODY + b" ")
    with pytest.raises(UnknownAlgorithm):
        check_content_digest("md5=:AAAA:", BODY)
    with pytest.raises(UnknownAlgorithm):
        content_digest_header(BODY, ("md5",))


def test_structured_dictionary_round_trip():
    text = 'sig1=("@method" "@query-param";name="Pet");created=1;keyid="k";flag, n=?0, t=tok'
    parsed = parse_dictionary(text)
    assert isinstance(parsed["sig1"], InnerList)
    assert parsed["sig1"].items[1] == Item("@query-param", {"name": "Pet"})
    assert parsed["sig1"].params == {"created": 1, "keyid": "k", "flag": True}
    assert parsed["n"].value is False and isinstance(parsed["t"].value, Token)
    assert serialize_dictionary(parsed) == text


@pytest.mark.parametrize(
    "text", ["sig1=(", "a=1,", "A=1", 'a="unterminated', "a=:!!:", "a=?2", "a=(1 2"]
)
def test_structured_parser_refuses_invalid_fields(text):
    with pytest.raises(MalformedSignature):
        parse_dictionary(text)


def test_parse_item_refuses_trailing_text():
    with pytest.raises(MalformedSignature):
        parse_item('"@method" x')


def request(url, *headers):
    return HttpMessage.build("GET", url, headers)


def test_derived_components_follow_rfc_9421_section_2_2():
    message = request("https://Example.COM:443/p/a%20th?b=1&var=this%20is&bar=with+plus")
    assert component_value(message, Item("@authority")) == "example.com"
    assert component_value(message, Item("@path")) == "/p/a%20th"
    assert component_value(message, Item("@query")) == "?b=1&var=this%20is&bar=with+plus"
    assert component_value(message, Item("@request-target")) == message.request_target
    assert component_value(message, Item("@query-param", {"name": "bar"})) == "with%20plus"
    assert component_value(request("http://a.example:8080"), Item("@authority")) == "a.example:8080"
    assert component_value(request("http://a.example"), Item("@query")) == "?"


def test_header_components_combine_lines_and_support_key_and_bs():
    message = request(
        "https://a.example/", ("X-Dict", "a=1, b=2;x"), ("X-List", "one"), ("X-List", " two ")
    )
    assert component_value(message, Item("x-list")) == "one, two"
    assert component_value(message, Item("x-dict", {"key": "b"})) == "2;x"
    assert component_value(message, Item("x-list", {"bs": True})) == ":b25l:, :dHdv:"


def test_missing_and_unsupported_components_are_named():
    message = request("https://a.example/?a=1&a=2")
    with pytest.raises(MissingHeader):
        component_value(message, Item("content-type"))
    with pytest.raises(MissingHeader):
        component_value(message, Item("@query-param", {"name": "a"}))
    with pytest.raises(UnsupportedComponent):
        component_value(message, Item("@status"))
    with pytest.raises(UnsupportedComponent):
        component_value(message, Item("@unknown"))
    with pytest.raises(UnsupportedComponent):
        component_value(message, Item("x-a", {"sf": True}))


def test_negotiation_starts_with_rfc9421_and_remembers_the_fallback():
    memory, tried = InMemorySchemeMemory(), []

    def old_server(scheme):
        tried.append(scheme)
        return 202 if scheme == CAVAGE else 401

    outcome = send_negotiated(memory, "social.example", old_server)
    assert (outcome.status, outcome.scheme, tried) == (202, CAVAGE, [RFC9421, CAVAGE])
    assert memory.remembered_scheme("SOCIAL.example") == CAVAGE
    tried.clear()
    send_negotiated(memory, "social.example", old_server)
    assert tried == [CAVAGE]


def test_negotiation_switches_when_a_peer_upgrades():
    memory = InMemorySchemeMemory()
    memory.remember_scheme("a.example", CAVAGE)
    outcome = send_negotiated(memory, "a.example", lambda s: 200 if s == RFC9421 else 401)
    assert outcome.scheme == RFC9421
    assert memory.remembered_scheme("a.example") == RFC9421


def test_negotiation_does_not_retry_or_remember_other_failures():
    memory, tried = InMemorySchemeMemory(), []
    outcome = send_negotiated(memory, "a.example", lambda s: tried.append(s) or 500)
    assert (outcome.status, tried) == (500, [RFC9421])
    assert memory.remembered_scheme("a.example") is None


def test_negotiation_gives_up_after_both_schemes_fail():
    memory = InMemorySchemeMemory()
    outcome = send_negotiated(memory, "a.example", lambda s: 401)
    assert (outcome.status, outcome.scheme) == (401, CAVAGE)
    assert memory.remembered_scheme("a.example") is None
    assert schemes_to_try(memory, "a.example") == [RFC9421, CAVAGE]
