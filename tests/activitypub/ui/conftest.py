"""Remote actors and posts as federation stores them, and a tiny loopback 'server'."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility

REMOTE_HOST = "social.example"


@pytest.fixture
def remote_actor() -> Callable[..., Actor]:
    def make(handle: str = "maria", host: str = REMOTE_HOST, **fields: Any) -> Actor:
        uri = f"https://{host}/users/{handle}"
        actor = Actor(
            kind=fields.pop("kind", ActorKind.PERSON),
            handle=handle,
            domain=host,
            display_name=fields.pop("display_name", handle.title()),
            uri=uri,
            inbox_url=f"{uri}/inbox",
            shared_inbox_url=f"https://{host}/inbox",
            profile_url=f"https://{host}/@{handle}",
            icon_url=f"https://{host}/avatars/{handle}.png",
            **fields,
        )
        db.session.add(actor)
        db.session.commit()
        return actor

    return make


@pytest.fixture
def remote_post() -> Callable[..., Post]:
    def make(author: Actor, html: str = "<p>Hallo aus der Ferne</p>", **fields: Any) -> Post:
        number = db.session.scalar(db.select(db.func.count(Post.id))) + 1
        uri = f"{author.uri}/statuses/{number}"
        post = Post(
            author_id=author.id,
            visibility=fields.pop("visibility", Visibility.PUBLIC),
            content_html=html,
            uri=uri,
            url=f"https://{author.domain}/@{author.handle}/{number}",
            **fields,
        )
        db.session.add(post)
        db.session.commit()
        return post

    return make


class _Answers(BaseHTTPRequestHandler):
    status = 404

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(self.status)
        self.send_header("Content-Type", "application/jrd+json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def answering_server() -> Iterator[Callable[[int], str]]:
    """Start a loopback HTTP server answering every GET with ``status``; returns its host."""
    servers: list[ThreadingHTTPServer] = []

    def start(status: int) -> str:
        handler = type("Handler", (_Answers,), {"status": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
