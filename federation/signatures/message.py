"""An HTTP message independent of any HTTP library.

Flask's request, a ``requests.PreparedRequest`` and test code all turn into this one
frozen value, so signing and verifying never depend on a framework. Header names are
case-insensitive; repeated header lines are kept in order, because RFC 9421 combines
them in a defined way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(headers: Headers) -> tuple[tuple[str, str], ...]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return tuple((str(name), str(value)) for name, value in items)


@dataclass(frozen=True)
class HttpMessage:
    """A request (or, for ``@status``, a response) as seen by the signature code."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = field(default=())
    body: bytes = b""
    status: int | None = None

    @classmethod
    def build(
        cls, method: str, url: str, headers: Headers = (), body: bytes | str = b""
    ) -> HttpMessage:
        """Create a request from any header mapping or list of pairs."""
        raw = body.encode() if isinstance(body, str) else bytes(body)
        return cls(method.upper(), url, _pairs(headers), raw)

    def header_lines(self, name: str) -> list[str]:
        """Every value sent under ``name``, in order, trimmed of surrounding whitespace."""
        wanted = name.lower()
        return [" ".join(v.split("\r\n")).strip() for n, v in self.headers if n.lower() == wanted]

    def header(self, name: str) -> str | None:
        """The combined value of a header (lines joined by ``, ``), or ``None`` if absent."""
        lines = self.header_lines(name)
        return ", ".join(lines) if lines else None

    def with_headers(self, extra: Headers) -> HttpMessage:
        """A copy with ``extra`` headers set, replacing same-named ones."""
        added = _pairs(extra)
        names = {name.lower() for name, _ in added}
        kept = tuple(pair for pair in self.headers if pair[0].lower() not in names)
        return replace(self, headers=kept + added)

    @property
    def scheme(self) -> str:
        """The URL scheme in lower case."""
        return urlsplit(self.url).scheme.lower()

    @property
    def authority(self) -> str:
        """Host (lower case) and port, the port only when it is not the default one."""
        parts = urlsplit(self.url)
        host = (parts.hostname or "").lower()
        host = f"[{host}]" if ":" in host else host
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        return host if parts.port in (None, default) else f"{host}:{parts.port}"

    @property
    def path(self) -> str:
        """The URL path as sent, ``/`` when empty."""
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        """The raw query string without ``?`` (empty when there is none)."""
        return urlsplit(self.url).query

    @property
    def request_target(self) -> str:
        """Path and query as on the request line (origin form)."""
        return self.path + (f"?{self.query}" if self.query else "")
