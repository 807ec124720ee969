"""Refreshing a subscription against a real HTTP server on loopback, through the core's
guarded HTTP client, with ETag/Last-Modified, 304, 410 and the import on top."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from federation.netguard import AddressPolicy
from federation.safe_http import Limits, SafeHttpClient
from plugins.events.ical import (
    content_hash,
    fetch_calendar,
    normalise_feed_url,
    parse_calendar,
    plan_sync,
)

FEEDS = Path(__file__).parent / "feeds"
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@dataclass
class Feed:
    """What the loopback server publishes, and the requests it saw."""

    body: bytes
    etag: str
    modified: datetime
    requests: list[dict[str, str]] = field(default_factory=list)

    def publish(self, body: bytes, etag: str, modified: datetime) -> None:
        self.body, self.etag, self.modified = body, etag, modified


class Handler(BaseHTTPRequestHandler):
    feed: Feed

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.feed.requests.append({"path": self.path, **dict(self.headers.items())})
        routes = {
            "/verein.ics": self._calendar,
            "/plain.ics": lambda: self._send(200, "text/plain; charset=utf-8", self.feed.body),
            "/page": lambda: self._send(200, "text/html", b"<!doctype html><p>Kalender</p>"),
            "/fake.ics": lambda: self._send(200, "text/plain", b"<!doctype html>"),
            "/gone.ics": lambda: self._send(410, "text/plain", b"gone"),
            "/missing.ics": lambda: self._send(404, "text/plain", b"not found"),
            "/broken.ics": lambda: self._send(503, "text/plain", b"try later"),
            "/moved.ics": self._redirect,
        }
        routes.get(self.path, lambda: self._send(404, "text/plain", b""))()

    def _calendar(self) -> None:
        """Conditional GET as servers do it: If-None-Match first, else If-Modified-Since."""
        feed = self.feed
        validators = {"ETag": feed.etag, "Last-Modified": format_datetime(feed.modified, True)}
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match is not None:
            fresh = if_none_match == feed.etag
        else:
            fresh = bool(if_modified_since) and parsedate_to_datetime(
                if_modified_since
            ) >= feed.modified.replace(microsecond=0)
        if fresh:
            self._send(304, None, b"", validators)
        else:
            self._send(200, "text/calendar; charset=utf-8", feed.body, validators)

    def _redirect(self) -> None:
        self._send(301, "text/plain", b"", {"Location": "/verein.ics"})

    def _send(
        self, status: int, content_type: str | None, body: bytes, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the test output is not the place for access logs."""


@pytest.fixture
def server() -> Iterator[tuple[str, Feed, SafeHttpClient]]:
    feed = Feed(
        (FEEDS / "club_v1.ics").read_bytes(), '"v1"', datetime(2026, 11, 30, 10, tzinfo=UTC)
    )
    handler = type("FeedHandler", (Handler,), {"feed": feed})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    client = SafeHttpClient(
        limits=Limits(total_timeout=10, max_bytes=256 * 1024),
        address_policy=AddressPolicy.allowing([f"127.0.0.1:{port}"]),
    )
    try:
        yield f"http://127.0.0.1:{port}", feed, client
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_a_first_fetch_gets_the_calendar_and_its_validators(server) -> None:
    base, feed, client = server

    result = fetch_calendar(f"{base}/verein.ics", None, None, client.get)

    assert result.status == "changed"
    assert result.data == feed.body
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 30 Nov 2026 10:00:00 GMT"
    assert "text/calendar" in feed.requests[0]["Accept"]
    assert "If-None-Match" not in feed.requests[0]


def test_an_unchanged_feed_answers_304_to_the_etag(server) -> None:
    base, feed, client = server
    first = fetch_calendar(f"{base}/verein.ics", None, None, client.get)

    again = fetch_calendar(f"{base}/verein.ics", first.etag, first.last_modified, client.get)

    assert again.status == "unchanged"
    assert again.data is None
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    assert feed.requests[-1]["If-None-Match"] == '"v1"'
    assert feed.requests[-1]["If-Modified-Since"] == "Mon, 30 Nov 2026 10:00:00 GMT"


def test_last_modified_alone_is_enough_for_a_304(server) -> None:
    base, _feed, client = server

    result = fetch_calendar(f"{base}/verein.ics", None, "Mon, 30 Nov 2026 10:00:00 GMT", client.get)

    assert result.status == "unchanged"


def test_a_new_version_is_fetched_parsed_and_planned(server) -> None:
    """The whole refresh: fetch, parse, compare with what the first import stored."""
    base, feed, client = server
    first = fetch_calendar(f"{base}/verein.ics", None, None, client.get)
    imported = parse_calendar(first.data)
    stored = {e.uid: (e.sequence, e.last_modified, content_hash(e)) for e in imported.events}
    feed.publish((FEEDS / "club_v2.ics").read_bytes(), '"v2"', datetime(2026, 12, 7, tzinfo=UTC))

    second = fetch_calendar(f"{base}/verein.ics", first.etag, first.last_modified, client.get)
    plan = plan_sync(stored, parse_calendar(second.data), now=NOW)

    assert (second.status, second.etag) == ("changed", '"v2"')
    assert [e.uid for e in plan.update] == ["probe@abendklang.example"]
    assert [e.uid for e in plan.cancel] == ["konzert@abendklang.example"]
    assert [e.uid for e in plan.create] == ["sommerfest@abendklang.example"]
    assert plan.delete == ["ausflug@abendklang.example"]


@pytest.mark.parametrize(("path", "code"), [("/gone.ics", 410), ("/missing.ics", 404)])
def test_a_feed_that_is_gone(server, path: str, code: int) -> None:
    base, _feed, client = server

    result = fetch_calendar(f"{base}{path}", '"v1"', None, client.get)

    assert (result.status, result.http_status, result.data) == ("gone", code, None)


def test_server_errors_are_reported_not_raised(server) -> None:
    base, _feed, client = server

    result = fetch_calendar(f"{base}/broken.ics", None, None, client.get)

    assert (result.status, result.http_status) == ("error", 503)
    assert "503" in result.error


def test_plain_text_calendars_are_accepted_web_pages_are_not(server) -> None:
    base, _feed, client = server

    assert fetch_calendar(f"{base}/plain.ics", None, None, client.get).status == "changed"
    page = fetch_calendar(f"{base}/page", None, None, client.get)
    fake = fetch_calendar(f"{base}/fake.ics", None, None, client.get)
    assert (page.status, fake.status) == ("error", "error")
    assert "text/html" in page.error
    assert "not serve an iCalendar file" in fake.error


def test_redirects_are_followed_and_the_final_address_reported(server) -> None:
    base, _feed, client = server

    result = fetch_calendar(f"{base}/moved.ics", None, None, client.get)

    assert (result.status, result.url) == ("changed", f"{base}/verein.ics")


def test_too_large_feeds_are_refused_by_the_client(server) -> None:
    base, feed, client = server
    feed.publish(b"BEGIN:VCALENDAR\r\n" + b"X" * 300_000, '"big"', NOW)

    result = fetch_calendar(f"{base}/verein.ics", None, None, client.get)

    assert result.status == "error"
    assert "bytes" in result.error


def test_an_unreachable_server_is_an_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SafeHttpClient(
        limits=Limits(connect_timeout=2, total_timeout=5),
        address_policy=AddressPolicy.allowing([f"127.0.0.1:{port}"]),
    )

    result = fetch_calendar(f"http://127.0.0.1:{port}/x.ics", None, None, client.get)

    assert result.status == "error" and result.error


def test_the_guard_refuses_loopback_when_not_allowed(server) -> None:
    base, feed, _client = server

    result = fetch_calendar(f"{base}/verein.ics", None, None, SafeHttpClient().get)

    assert result.status == "error"
    assert feed.requests == []


def test_webcal_links_are_https() -> None:
    assert normalise_feed_url(" webcal://stadt.example/k.ics ") == "https://stadt.example/k.ics"
    assert normalise_feed_url("webcals://stadt.example/k.ics") == "https://stadt.example/k.ics"
    assert normalise_feed_url("https://stadt.example/k.ics") == "https://stadt.example/k.ics"
