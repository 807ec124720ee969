"""The one HTTP client for every outbound federation request.

It enforces what a server talking to untrusted peers needs: connect/read timeouts and a
total deadline, a cap on the response size (streamed, never read whole), few redirects
with each hop checked again, only http(s), and no connections to special-use addresses
(``netguard``, checked at connect time on every hop). ``fetch_activity`` adds the
ActivityPub rules: the right content type, and a document whose ``id`` is the URL it was
fetched from.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from federation.errors import FetchError, InvalidDocument
from federation.guarded_transport import GuardedAdapter
from federation.netguard import AddressPolicy, ForbiddenAddress
from federation.signatures.message import HttpMessage
from federation.vocabulary import ACCEPT_ACTIVITY, ACTIVITY_JSON, AS_NAMESPACE

#: Signs one request: receives the message, returns the headers to add.
Signer = Callable[[HttpMessage], Mapping[str, str]]
_REDIRECTS = {301, 302, 303, 307, 308}


class ForbiddenScheme(FetchError):
    """Only http and https URLs may be requested."""


class FetchTimeout(FetchError):
    """The peer did not answer (or finish answering) in time."""


class ResponseTooLarge(FetchError):
    """The answer is bigger than we are willing to read."""


class TooManyRedirects(FetchError):
    """The peer redirected more often than allowed."""


class UnexpectedStatus(FetchError):
    """The peer answered with an error status."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"{url} answered {status}")
        self.status = status


class WrongContentType(FetchError):
    """The answer is not an ActivityStreams document."""


class IdMismatch(FetchError):
    """The fetched document claims an ``id`` other than the URL it came from."""


@dataclass(frozen=True)
class Limits:
    """Time and size limits of one call (including all its redirects)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3


@dataclass(frozen=True)
class Response:
    """A complete answer: the final URL after redirects, status, headers and body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class SafeHttpClient:
    """Makes guarded requests; one instance can be shared by a whole process."""

    def __init__(
        self,
        *,
        limits: Limits = Limits(),
        address_policy: AddressPolicy | None = None,
        user_agent: str = "QuarterNode (+https://quarter-node.org)",
    ) -> None:
        self.limits, self.user_agent = limits, user_agent
        self.address_policy = address_policy or AddressPolicy()
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc from the environment
        self.adapter = GuardedAdapter(self.address_policy, max_retries=0)
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)

    def get(
        self, url: str, *, headers: Mapping[str, str] | None = None, signer: Signer | None = None
    ) -> Response:
        """GET ``url``, following up to ``max_redirects`` redirects, each hop re-checked.

        With a ``signer`` every hop is signed anew, since the signature covers the URL.
        """
        deadline = time.monotonic() + self.limits.total_timeout
        for _ in range(self.limits.max_redirects + 1):
            response = self._send("GET", url, headers or {}, b"", signer, deadline)
            location = response.header("location")
            if response.status not in _REDIRECTS or not location:
                return response
            url = urljoin(url, location)
        raise TooManyRedirects(f"more than {self.limits.max_redirects} redirects")

    def post(
        self,
        url: str,
        body: bytes,
        *,
        headers: Mapping[str, str] | None = None,
        signer: Signer | None = None,
    ) -> Response:
        """POST ``body`` (e.g. to an inbox). Redirects are not followed: a redirected
        delivery would resend a signed activity to a place the sender never chose."""
        deadline = time.monotonic() + self.limits.total_timeout
        return self._send("POST", url, headers or {}, body, signer, deadline)

    def _check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs and special-use IP literals before building a request."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ForbiddenScheme(f"refusing to request {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        self.address_policy.check_literal(parts.hostname, port)

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        signer: Signer | None,
        deadline: float,
    ) -> Response:
        """One request without redirects, within the remaining time."""
        self._check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout(f"no time left for {url}")
        defaults = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        message = HttpMessage.build(method, url, {**defaults, **headers}, body)
        if signer is not None:
            message = message.with_headers(signer(message))
        timeout = (
            min(self.limits.connect_timeout, remaining),
            min(self.limits.read_timeout, remaining),
        )
        try:
            raw = self.adapter.send(
                _prepared(method, url, dict(message.headers), body),
                stream=True,
                timeout=timeout,
                verify=True,
                cert=None,
                proxies={},
            )
        except requests.Timeout as error:
            raise FetchTimeout(f"{url} did not answer in time") from error
        except requests.RequestException as error:
            raise FetchError(f"request to {url} failed: {error}") from error
        with raw:
            data = self._read_body(raw, deadline)
        return Response(url, raw.status_code, dict(raw.headers), data)

    def _read_body(self, raw: requests.Response, deadline: float) -> bytes:
        """Read at most ``max_bytes``, stopping at the deadline; never trust Content-Length.

        We ask for uncompressed answers (``Accept-Encoding: identity``): ActivityPub
        documents are small, and no compression means no decompression bombs.
        """
        declared = raw.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise ResponseTooLarge(f"{raw.url} announces {declared} bytes")
        chunks, size = [], 0
        try:
            while chunk := raw.raw.read1(65536, decode_content=True):
                size += len(chunk)
                if size > self.limits.max_bytes:
                    raise ResponseTooLarge(
                        f"{raw.url} sent more than {self.limits.max_bytes} bytes"
                    )
                if time.monotonic() > deadline:
                    raise FetchTimeout(f"{raw.url} is too slow")
                chunks.append(chunk)
        except requests.Timeout as error:
            raise FetchTimeout(f"{raw.url} stalled") from error
        except (OSError, ValueError) as error:
            if "timed out" in str(error).lower():
                raise FetchTimeout(f"{raw.url} stalled") from error
            raise FetchError(f"reading {raw.url} failed: {error}") from error
        return b"".join(chunks)


def _prepared(
    method: str, url: str, headers: Mapping[str, str], body: bytes
) -> requests.PreparedRequest:
    """The request for the guarded adapter, without ``requests.Session``'s per-call merging
    of settings, cookies, hooks and environment (which cost more CPU than the HTTP exchange
    itself): we use none of them. The URL is still normalised (IDNA, quoting) and the body
    length set as ``requests`` does; redirects are ours to follow (``get``), proxies stay
    off, certificates are verified, and no cookies are kept between requests."""
    prepared = requests.PreparedRequest()
    prepared.prepare_method(method)
    prepared.prepare_url(url, None)
    prepared.prepare_headers(headers)
    prepared.prepare_body(body or None, None)
    return prepared


def is_activity_content_type(value: str | None) -> bool:
    """``application/activity+json``, or ``application/ld+json`` with the AS profile."""
    if not value:
        return False
    base = value.split(";")[0].strip().lower()
    return base == ACTIVITY_JSON or (base == "application/ld+json" and AS_NAMESPACE in value)


def _document(response: Response) -> dict[str, Any]:
    """Check status and content type, then parse the JSON object."""
    if response.status != 200:
        raise UnexpectedStatus(response.status, response.url)
    if not is_activity_content_type(response.header("content-type")):
        raise WrongContentType(f"{response.url} sent {response.header('content-type')!r}")
    try:
        document = json.loads(response.body)
    except ValueError as error:
        raise InvalidDocument(f"{response.url} sent invalid JSON") from error
    if not isinstance(document, dict):
        raise InvalidDocument(f"{response.url} did not send a JSON object")
    return document


def fetch_activity(
    client: SafeHttpClient, url: str, *, signer: Signer | None = None, follow_id: bool = True
) -> dict[str, Any]:
    """Fetch an ActivityStreams document whose ``id`` is the URL it was served from.

    Servers often serve a document under a second URL (Mastodon's ``/@name``); when the
    claimed id is on the same host and ``follow_id`` is set, the id is fetched once more
    and must then match exactly. Anything else raises ``IdMismatch``: a document may not
    speak for a URL it was not fetched from.
    """
    response = client.get(url, headers={"Accept": ACCEPT_ACTIVITY}, signer=signer)
    document = _document(response)
    claimed = document.get("id")
    if claimed == response.url:
        return document
    same_host = (
        isinstance(claimed, str) and urlsplit(claimed).netloc == urlsplit(response.url).netloc
    )
    if follow_id and same_host:
        return fetch_activity(client, claimed, signer=signer, follow_id=False)
    raise IdMismatch(f"{response.url} serves a document claiming to be {claimed!r}")


__all__ = [
    "FetchError",
    "FetchTimeout",
    "ForbiddenAddress",
    "ForbiddenScheme",
    "IdMismatch",
    "Limits",
    "Response",
    "ResponseTooLarge",
    "SafeHttpClient",
    "Signer",
    "TooManyRedirects",
    "UnexpectedStatus",
    "WrongContentType",
    "fetch_activity",
    "is_activity_content_type",
]
