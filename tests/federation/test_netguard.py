"""The address guard refuses special-use destinations without sending any traffic,
checks the address actually connected to, and lets allowlisted local nodes through."""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from urllib3.util import connection as urllib3_connection

from federation.netguard import AddressPolicy, ForbiddenAddress, is_forbidden
from federation.safe_http import SafeHttpClient

FORBIDDEN = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.178.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::",
    "224.0.0.251",
    "255.255.255.255",
    "240.0.0.1",
    "198.18.0.1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::1",
    "192.0.2.1",
    "2001:db8::1",
]
PUBLIC = ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"]


@pytest.mark.parametrize("address", FORBIDDEN)
def test_special_use_addresses_are_forbidden(address):
    assert is_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert not is_forbidden(ipaddress.ip_address(address))


def fake_resolver(table):
    def resolve(host, port):
        return table[host]

    return resolve


def test_names_resolving_to_private_addresses_are_refused():
    policy = AddressPolicy(resolver=fake_resolver({"intranet.example": ["10.1.2.3"]}))
    with pytest.raises(ForbiddenAddress):
        policy.addresses_for("intranet.example", 443)


def test_a_name_mixing_public_and_private_records_is_refused():
    policy = AddressPolicy(resolver=fake_resolver({"mixed.example": ["1.1.1.1", "127.0.0.1"]}))
    with pytest.raises(ForbiddenAddress):
        policy.addresses_for("mixed.example", 443)


def test_public_names_resolve_to_their_checked_addresses():
    policy = AddressPolicy(resolver=fake_resolver({"social.example": ["1.1.1.1"]}))
    assert policy.addresses_for("social.example", 443) == ["1.1.1.1"]


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if any socket connection is attempted."""
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"connection attempted to {address}")

    monkeypatch.setattr(urllib3_connection, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5001/actor",
        "http://[::1]:5001/actor",
        "http://10.0.0.1/actor",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fc00::1]/actor",
        "http://[::ffff:127.0.0.1]/actor",
        "http://localhost:5001/actor",
    ],
)
def test_client_refuses_special_addresses_without_connecting(url, no_connections):
    with pytest.raises(ForbiddenAddress):
        SafeHttpClient().get(url)
    assert no_connections == []


def test_dns_rebinding_is_caught_at_connect_time(no_connections):
    """The name passes the URL check; its resolution to loopback is caught when connecting."""
    policy = AddressPolicy(resolver=fake_resolver({"rebind.example": ["127.0.0.1"]}))
    with pytest.raises(ForbiddenAddress):
        SafeHttpClient(address_policy=policy).get("http://rebind.example:5001/actor")
    assert no_connections == []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/redirect-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/")
            self.end_headers()
            return
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/activity+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_allowlisted_local_node_is_reachable(local_server):
    policy = AddressPolicy.allowing([f"127.0.0.1:{local_server}"])
    response = SafeHttpClient(address_policy=policy).get(f"http://127.0.0.1:{local_server}/x")
    assert (response.status, response.body) == (200, b'{"ok": true}')


def test_the_checked_address_is_the_one_connected_to(local_server):
    """``node-b.test`` does not exist in DNS: only our resolver knows it, so a successful
    answer proves the connection went to the address the guard checked."""
    policy = AddressPolicy.allowing(
        [f"127.0.0.1:{local_server}"], resolver=fake_resolver({"node-b.test": ["127.0.0.1"]})
    )
    response = SafeHttpClient(address_policy=policy).get(f"http://node-b.test:{local_server}/x")
    assert response.status == 200


def test_allowlisting_is_per_port(local_server):
    policy = AddressPolicy.allowing([f"127.0.0.1:{local_server + 1}"])
    with pytest.raises(ForbiddenAddress):
        SafeHttpClient(address_policy=policy).get(f"http://127.0.0.1:{local_server}/x")


def test_redirect_from_an_allowed_node_to_a_private_address_is_refused(local_server):
    policy = AddressPolicy.allowing([f"127.0.0.1:{local_server}"])
    with pytest.raises(ForbiddenAddress):
        SafeHttpClient(address_policy=policy).get(
            f"http://127.0.0.1:{local_server}/redirect-private"
        )
