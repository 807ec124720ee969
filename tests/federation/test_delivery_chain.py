"""The whole outgoing chain against a real (loopback) inbox: what ``requests`` actually
puts on the wire must verify, and scheme negotiation settles on what the peer accepts."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from federation.netguard import AddressPolicy
from federation.safe_http import SafeHttpClient
from federation.signatures import (
    CAVAGE,
    RFC9421,
    SignatureError,
    SigningKey,
    StaticKeys,
    VerificationKey,
    generate_rsa_keypair,
    load_private_key,
    load_public_key,
    sign_request,
    verify_request,
)
from federation.signatures.message import HttpMessage
from federation.signatures.negotiation import InMemorySchemeMemory, send_negotiated

KEY_ID = "https://quarter.example/users/bernd#main-key"
PAIR = generate_rsa_keypair()
KEYS = StaticKeys({KEY_ID: VerificationKey(KEY_ID, load_public_key(PAIR.public_pem))})
SIGNING_KEY = SigningKey(KEY_ID, load_private_key(PAIR.private_pem))


class _Inbox(BaseHTTPRequestHandler):
    accepted_schemes: tuple[str, ...] = (RFC9421, CAVAGE)
    seen: list[str] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        host, port = self.server.server_address[:2]
        message = HttpMessage.build(
            "POST", f"http://{host}:{port}{self.path}", list(self.headers.items()), body
        )
        try:
            verified = verify_request(message, KEYS)
            status = 202 if verified.scheme in self.accepted_schemes else 401
            self.seen.append(verified.scheme)
        except SignatureError as error:
            self.seen.append(type(error).__name__)
            status = 401
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def inbox():
    _Inbox.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Inbox)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    port = server.server_address[1]
    client = SafeHttpClient(address_policy=AddressPolicy.allowing([f"127.0.0.1:{port}"]))
    yield client, f"http://127.0.0.1:{port}/inbox"
    server.shutdown()
    server.server_close()
    _Inbox.accepted_schemes = (RFC9421, CAVAGE)


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_signed_delivery_verifies_at_the_receiving_inbox(scheme, inbox):
    client, url = inbox
    response = client.post(
        url,
        b'{"type": "Follow"}',
        headers={"Content-Type": "application/activity+json"},
        signer=lambda message: sign_request(message, SIGNING_KEY, scheme),
    )
    assert response.status == 202
    assert _Inbox.seen == [scheme]


def test_an_unsigned_delivery_is_refused(inbox):
    client, url = inbox
    assert client.post(url, b"{}").status == 401
    assert _Inbox.seen == ["MissingSignature"]


def test_negotiation_falls_back_to_cavage_for_an_older_peer(inbox):
    client, url = inbox
    _Inbox.accepted_schemes = (CAVAGE,)
    memory = InMemorySchemeMemory()

    def attempt(scheme):
        signer = lambda message: sign_request(message, SIGNING_KEY, scheme)  # noqa: E731
        return client.post(url, b"{}", signer=signer).status

    outcome = send_negotiated(memory, "127.0.0.1", attempt)
    assert (outcome.status, outcome.scheme) == (202, CAVAGE)
    assert _Inbox.seen == [RFC9421, CAVAGE]
    assert memory.remembered_scheme("127.0.0.1") == CAVAGE
