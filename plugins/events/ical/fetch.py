"""Fetch a subscribed calendar with a conditional GET.

The HTTP client is injected: the plugin passes the core's guarded client
(``federation.safe_http.SafeHttpClient.get``, with its timeouts, size cap, redirect and
address checks), whose ``get(url, headers=...)`` returns an answer with ``status``,
``body``, ``url`` and ``header(name)`` and raises ``FetchError`` when the request fails.
Sending back the ETag and Last-Modified of the last answer lets the server say "304 Not
Modified" instead of sending the whole calendar on every refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from federation.errors import FetchError

ACCEPT = "text/calendar, text/plain;q=0.5, application/octet-stream;q=0.2"
#: Answers we read as calendars; servers often send .ics files as plain text or bytes.
CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar"}
TOLERATED_TYPES = {"text/plain", "application/octet-stream", "application/x-download", ""}
GONE = {404, 410}


class HttpAnswer(Protocol):
    """What the injected ``get`` returns (``federation.safe_http.Response`` fits)."""

    url: str
    status: int
    body: bytes

    def header(self, name: str) -> str | None: ...


Get = Callable[..., HttpAnswer]


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one refresh.

    ``changed``: ``data`` holds the new calendar and ``etag``/``last_modified`` the
    validators to store; ``unchanged``: 304, keep what you have; ``gone``: 404 or 410
    (``http_status`` tells which: 410 is the server saying it is gone for good);
    ``error``: ``error`` says what went wrong, try again later.
    """

    status: Literal["changed", "unchanged", "gone", "error"]
    data: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    http_status: int | None = None
    url: str | None = None  # where the answer finally came from, after redirects


def normalise_feed_url(url: str) -> str:
    """``webcal://`` links (what "subscribe" buttons offer) are plain HTTPS."""
    url = url.strip()
    for scheme in ("webcals://", "webcal://"):
        if url.lower().startswith(scheme):
            return "https://" + url[len(scheme) :]
    return url


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The request headers; validators are echoed exactly as the server sent them."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch_calendar(url: str, etag: str | None, last_modified: str | None, get: Get) -> FetchResult:
    """GET the feed at ``url``; never raises for anything the server or network does."""
    url = normalise_feed_url(url)
    try:
        answer = get(url, headers=conditional_headers(etag, last_modified))
    except (FetchError, OSError) as error:
        return FetchResult("error", error=str(error) or type(error).__name__)
    final_url = getattr(answer, "url", url)
    if answer.status == 304:
        return FetchResult(
            "unchanged",
            etag=answer.header("etag") or etag,
            last_modified=answer.header("last-modified") or last_modified,
            http_status=304,
            url=final_url,
        )
    if answer.status in GONE:
        return FetchResult(
            "gone",
            http_status=answer.status,
            url=final_url,
            error=f"{url} answered {answer.status}",
        )
    if answer.status != 200:
        return FetchResult(
            "error",
            http_status=answer.status,
            url=final_url,
            error=f"{url} answered {answer.status}",
        )
    problem = _content_problem(answer.header("content-type"), answer.body)
    if problem:
        return FetchResult("error", http_status=200, url=final_url, error=problem)
    return FetchResult(
        "changed",
        data=answer.body,
        etag=answer.header("etag"),
        last_modified=answer.header("last-modified"),
        http_status=200,
        url=final_url,
    )


def _content_problem(content_type: str | None, body: bytes) -> str | None:
    """Why the answer is not a calendar, or ``None``; loose types are sniffed."""
    base = (content_type or "").split(";")[0].strip().lower()
    if base not in CALENDAR_TYPES and base not in TOLERATED_TYPES:
        return f"The address serves {base!r}, not a calendar."
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return "The address does not serve an iCalendar file."
    return None


__all__ = [
    "FetchResult",
    "HttpAnswer",
    "conditional_headers",
    "fetch_calendar",
    "normalise_feed_url",
]
