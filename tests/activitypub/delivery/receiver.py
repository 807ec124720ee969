"""A tiny real inbox on loopback: records every POST and verifies its HTTP signature.

Used by the delivery tests and ``tests.bench``. Keep-alive works (HTTP/1.1 with
Content-Length), so tests can see connection reuse. Statuses are scripted per path; a
path without a script answers 202.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from federation.signatures import HttpMessage, VerificationKey, verify_request
from federation.signatures.errors import SignatureError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    scheme: str | None  # the verified scheme, None if verification failed
    error: str = ""
    connection: tuple[str, int] = ("", 0)  # the client's address and port


@dataclass
class Script:
    statuses: dict[str, list[int]] = field(default_factory=dict)
    headers: dict[int, dict[str, str]] = field(default_factory=dict)
    refuse_schemes: set[str] = field(default_factory=set)  # answer 401 to these
    delay: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver:
    """``Receiver(lookup)`` starts at once; ``close()`` stops it."""

    def __init__(
        self,
        lookup: Callable[[str], VerificationKey | None] | None = None,
        *,
        port: int = 0,
        verify: bool = True,
    ) -> None:
        self.lookup = lookup or (lambda key_id: None)
        self.verify = verify
        self.script = Script()
        self.received: list[Received] = []
        self.attempts: list[tuple[str, int]] = []  # (path, status) of every POST
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str = "/inbox") -> str:
        return f"http://{self.host}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.01)
        return list(self.received)

    def _answer(self, path: str, scheme: str | None) -> int:
        if scheme in self.script.refuse_schemes:
            return 401
        queue = self.script.statuses.get(path)
        if queue:
            return queue.pop(0) if len(queue) > 1 else queue[0]
        return 202

    def _check(self, url: str, headers: dict[str, str], body: bytes) -> tuple[str | None, str]:
        if not self.verify:
            return None, ""
        try:
            message = HttpMessage.build("POST", url, list(headers.items()), body)
            return verify_request(message, self.lookup).scheme, ""
        except SignatureError as error:
            return None, f"{type(error).__name__}: {error}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                scheme, error = receiver._check(f"http://{receiver.host}{self.path}", headers, body)
                used = "rfc9421" if "Signature-Input" in headers else "draft-cavage"
                if receiver.script.delay:
                    time.sleep(receiver.script.delay)
                status = receiver._answer(self.path, used)
                with receiver.lock:
                    receiver.attempts.append((self.path, status))
                if status < 300:
                    with receiver.lock:
                        receiver.received.append(
                            Received(self.path, headers, body, scheme, error, self.client_address)
                        )
                extra = receiver.script.headers.get(status, {})
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler
