"""HTTP behaviour of the safe client (mocked with ``responses``, so nothing is sent)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import responses

from federation.errors import FetchError, InvalidDocument
from federation.netguard import AddressPolicy, ForbiddenAddress
from federation.safe_http import (
    FetchTimeout,
    ForbiddenScheme,
    IdMismatch,
    Limits,
    ResponseTooLarge,
    SafeHttpClient,
    TooManyRedirects,
    UnexpectedStatus,
    WrongContentType,
    fetch_activity,
)

ACTOR = "https://social.example/users/anna"
AS_JSON = "application/activity+json"


def actor_doc(id_=ACTOR):
    return json.dumps({"id": id_, "type": "Person", "inbox": f"{id_}/inbox"})


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def client():
    return SafeHttpClient(limits=Limits(max_bytes=1000, max_redirects=2))


def test_fetch_activity_returns_the_document(mocked, client):
    mocked.get(ACTOR, body=actor_doc(), content_type=AS_JSON)
    assert fetch_activity(client, ACTOR)["type"] == "Person"
    assert "application/activity+json" in mocked.calls[0].request.headers["Accept"]


def test_json_ld_with_the_activitystreams_profile_is_accepted(mocked, client):
    profile = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    mocked.get(ACTOR, body=actor_doc(), content_type=profile)
    assert fetch_activity(client, ACTOR)["id"] == ACTOR


@pytest.mark.parametrize("content_type", ["text/html", "application/json", "application/ld+json"])
def test_other_content_types_are_refused(content_type, mocked, client):
    mocked.get(ACTOR, body=actor_doc(), content_type=content_type)
    with pytest.raises(WrongContentType):
        fetch_activity(client, ACTOR)


def test_a_document_claiming_another_hosts_id_is_refused(mocked, client):
    mocked.get(ACTOR, body=actor_doc("https://evil.example/users/anna"), content_type=AS_JSON)
    with pytest.raises(IdMismatch):
        fetch_activity(client, ACTOR)


def test_a_profile_url_is_followed_to_its_id_on_the_same_host(mocked, client):
    mocked.get("https://social.example/@anna", body=actor_doc(), content_type=AS_JSON)
    mocked.get(ACTOR, body=actor_doc(), content_type=AS_JSON)
    assert fetch_activity(client, "https://social.example/@anna")["id"] == ACTOR
    assert len(mocked.calls) == 2


def test_the_id_must_then_match_exactly(mocked, client):
    mocked.get("https://social.example/@anna", body=actor_doc(), content_type=AS_JSON)
    mocked.get(ACTOR, body=actor_doc(ACTOR + "/other"), content_type=AS_JSON)
    with pytest.raises(IdMismatch):
        fetch_activity(client, "https://social.example/@anna")


def test_redirects_are_followed_and_the_id_must_match_the_final_url(mocked, client):
    mocked.get("https://old.example/users/anna", status=301, headers={"Location": ACTOR})
    mocked.get(ACTOR, body=actor_doc(), content_type=AS_JSON)
    assert fetch_activity(client, "https://old.example/users/anna")["id"] == ACTOR


def test_too_many_redirects_are_refused(mocked, client):
    for n in range(4):
        mocked.get(
            f"https://social.example/{n}",
            status=302,
            headers={"Location": f"https://social.example/{n + 1}"},
        )
    with pytest.raises(TooManyRedirects):
        client.get("https://social.example/0")


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/actor", "http://127.0.0.1:8080/", "http://[::1]/", "http://localhost/"],
)
def test_a_redirect_to_a_private_address_is_refused(target, mocked, client):
    mocked.get(ACTOR, status=302, headers={"Location": target})
    with pytest.raises(ForbiddenAddress):
        client.get(ACTOR)
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://social.example/x", "gopher://a/"])
def test_non_http_schemes_are_refused(url, client):
    with pytest.raises(ForbiddenScheme):
        client.get(url)


def test_a_redirect_to_another_scheme_is_refused(mocked, client):
    mocked.get(ACTOR, status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(ForbiddenScheme):
        client.get(ACTOR)


@pytest.mark.parametrize("error", [requests.ConnectTimeout, requests.ReadTimeout])
def test_timeouts_become_a_clear_error(error, mocked, client):
    mocked.get(ACTOR, body=error("slow"))
    with pytest.raises(FetchTimeout):
        client.get(ACTOR)


def test_connection_errors_become_fetch_errors(mocked, client):
    mocked.get(ACTOR, body=requests.ConnectionError("refused"))
    with pytest.raises(FetchError):
        client.get(ACTOR)


def test_announced_oversize_bodies_are_refused_unread(mocked, client):
    mocked.get(ACTOR, body=b"x" * 2000, headers={"Content-Length": "2000"})
    with pytest.raises(ResponseTooLarge):
        client.get(ACTOR)


def test_oversize_bodies_are_cut_off_while_streaming(mocked, client):
    mocked.get(ACTOR, body=b"x" * 5000, auto_calculate_content_length=False)
    with pytest.raises(ResponseTooLarge):
        client.get(ACTOR)


def test_bodies_up_to_the_limit_are_read(mocked, client):
    mocked.get(ACTOR, body=b"x" * 1000)
    assert len(client.get(ACTOR).body) == 1000


def test_error_statuses_are_reported(mocked, client):
    mocked.get(ACTOR, status=410, body="gone")
    with pytest.raises(UnexpectedStatus) as raised:
        fetch_activity(client, ACTOR)
    assert raised.value.status == 410


def test_invalid_json_is_an_invalid_document(mocked, client):
    mocked.get(ACTOR, body="{not json", content_type=AS_JSON)
    with pytest.raises(InvalidDocument):
        fetch_activity(client, ACTOR)


def test_every_hop_is_signed_for_its_own_url(mocked, client):
    mocked.get("https://social.example/@anna", status=302, headers={"Location": ACTOR})
    mocked.get(ACTOR, body=actor_doc(), content_type=AS_JSON)
    signed_urls = []

    def signer(message):
        signed_urls.append(message.url)
        return {"Signature": f'keyId="k",signature="{len(signed_urls)}"'}

    fetch_activity(client, "https://social.example/@anna", signer=signer)
    assert signed_urls == ["https://social.example/@anna", ACTOR]
    assert mocked.calls[1].request.headers["Signature"] == 'keyId="k",signature="2"'


def test_posts_are_not_redirected(mocked, client):
    mocked.post(f"{ACTOR}/inbox", status=308, headers={"Location": "https://elsewhere.example/"})
    response = client.post(f"{ACTOR}/inbox", b"{}", headers={"Content-Type": AS_JSON})
    assert response.status == 308
    assert len(mocked.calls) == 1


class _SlowHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/stall":
            time.sleep(1.0)
        self.send_response(200)
        self.end_headers()
        for _ in range(20 if self.path == "/drip" else 1):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.05 if self.path == "/drip" else 0)

    def log_message(self, *args):
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """The client hanging up on a slow answer is the point of these tests."""


@pytest.fixture
def slow_server():
    server = _QuietServer(("127.0.0.1", 0), _SlowHandler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_stalling_peer_hits_the_read_timeout(slow_server):
    policy = AddressPolicy.allowing([f"127.0.0.1:{slow_server}"])
    client = SafeHttpClient(limits=Limits(read_timeout=0.2), address_policy=policy)
    with pytest.raises(FetchTimeout):
        client.get(f"http://127.0.0.1:{slow_server}/stall")


def test_a_dripping_peer_hits_the_total_deadline(slow_server):
    policy = AddressPolicy.allowing([f"127.0.0.1:{slow_server}"])
    client = SafeHttpClient(limits=Limits(total_timeout=0.3), address_policy=policy)
    with pytest.raises(FetchTimeout):
        client.get(f"http://127.0.0.1:{slow_server}/drip")
