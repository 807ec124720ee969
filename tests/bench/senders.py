"""Many simulated quarter nodes on loopback, served and driven by one asyncio process.

Each port is one quarter node (its own origin ``127.0.0.1:PORT``, which dev mode lets a
node reach) with one person, ``/users/nachbar``, whose actor document (with public key) the
coordination node fetches the first time it sees a signature. A round: every sender signs
its public ``Create(Note)`` activities beforehand (draft-cavage, RSA-2048, as Mastodon
signs; not measured), then on ``go`` all senders POST them at once to the coordination
node's shared inbox, each over its own kept-alive connection, one after the other, as a
delivering worker of each quarter node would.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from federation import vocabulary as v
from federation.signatures import CAVAGE, HttpMessage, SigningKey, sign_request
from federation.signatures.keys import load_private_key
from tests.bench.german import post_html
from tests.bench.inboxes import read_message

PERSON = "nachbar"
CONTENT_TYPE = "application/activity+json"
ROUND_TIMEOUT = 600.0


def actor_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}/users/{PERSON}"


def actor_document(port: int, public_pem: str) -> dict[str, Any]:
    uri = actor_uri(port)
    return {
        "@context": [v.AS_NAMESPACE, "https://w3id.org/security/v1"],
        "id": uri,
        "type": "Person",
        "preferredUsername": PERSON,
        "name": f"Nachbarschaft {port}",
        "inbox": f"{uri}/inbox",
        "outbox": f"{uri}/outbox",
        "followers": f"{uri}/followers",
        "endpoints": {"sharedInbox": f"http://127.0.0.1:{port}/inbox"},
        "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": public_pem},
    }


def create_note(port: int, tag: str, n: int, rng: Random) -> bytes:
    uri = actor_uri(port)
    note_id = f"http://127.0.0.1:{port}/notes/{tag}-{n}"
    published = (datetime.now(UTC) - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    note = {
        "id": note_id,
        "type": v.NOTE,
        "attributedTo": uri,
        "content": post_html(rng),
        "published": published,
        "to": [v.PUBLIC],
        "cc": [f"{uri}/followers"],
    }
    create = {
        "@context": v.AS_NAMESPACE,
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": uri,
        "object": note,
        "to": note["to"],
        "cc": note["cc"],
    }
    return json.dumps(create).encode()


# --- serving the actor documents -------------------------------------------------------------


async def _serve(reader, writer, documents: dict[str, bytes]) -> None:  # noqa: ANN001
    try:
        while True:
            lines = await read_message(reader)
            method, path = lines[0].split(b" ")[:2]
            body = documents.get(path.decode()) if method == b"GET" else b""
            if body is None:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            elif method == b"GET":
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: " + CONTENT_TYPE.encode()
                    + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )  # fmt: skip
            else:  # anything POSTed (deliveries to the quarter's inboxes) is accepted
                writer.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (
        asyncio.IncompleteReadError,
        ConnectionError,
        asyncio.LimitOverrunError,
        asyncio.CancelledError,  # the farm stops while the node keeps a connection open
    ):
        pass
    finally:
        writer.close()


# --- sending ----------------------------------------------------------------------------------


def _signed_requests(
    node: str, port: int, key: SigningKey, tag: str, count: int, rng: Random
) -> list[bytes]:
    url = f"http://{node}/inbox"
    requests = []
    for n in range(count):
        body = create_note(port, tag, n, rng)
        message = HttpMessage.build("POST", url, {"Content-Type": CONTENT_TYPE}, body)
        headers = {"Content-Type": CONTENT_TYPE} | sign_request(message, key, CAVAGE)
        head = "POST /inbox HTTP/1.1\r\n" + "".join(f"{k}: {h}\r\n" for k, h in headers.items())
        head += f"Content-Length: {len(body)}\r\n\r\n"
        requests.append(head.encode() + body)
    return requests


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, whether the server closes the connection) of one answer, body read."""
    lines = await read_message(reader)
    close = any(
        name.lower() == b"connection" and value.strip().lower() == b"close"
        for name, _sep, value in (line.partition(b":") for line in lines[1:])
    )
    return int(lines[0].split(b" ")[1]), close


async def _sender(node: str, requests: list[bytes], stats: dict[str, Any]) -> None:
    host, port = node.split(":")
    reader = writer = None
    for raw in requests:
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(raw)
            await writer.drain()
            status, close = await _response(reader)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            stats["statuses"][type(error).__name__] += 1
            writer = None
            continue
        stats["statuses"][status] += 1
        stats["latencies"].append(time.monotonic() - started)
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _round(node: str, prepared: list[list[bytes]]) -> dict[str, Any]:
    stats: dict[str, Any] = {"statuses": Counter(), "latencies": []}
    started = time.monotonic()
    await asyncio.wait_for(
        asyncio.gather(*(_sender(node, r, stats) for r in prepared)), ROUND_TIMEOUT
    )
    latencies = sorted(stats["latencies"]) or [float("nan")]
    return {
        "started": started,
        "finished": time.monotonic(),
        "statuses": dict(stats["statuses"]),
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0],
    }


async def _main(node: str, ports: list[int], pems: list[tuple[str, str]], pipe: Any) -> None:
    keys = {}
    for n, port in enumerate(ports):
        private_pem, public_pem = pems[n % len(pems)]
        document = json.dumps(actor_document(port, public_pem)).encode()
        documents = {f"/users/{PERSON}": document}

        async def handle(reader, writer, documents=documents) -> None:  # noqa: ANN001
            await _serve(reader, writer, documents)

        await asyncio.start_server(handle, "127.0.0.1", port, backlog=256)
        keys[port] = SigningKey(f"{actor_uri(port)}#main-key", load_private_key(private_pem))
    pipe.send("ready")
    loop = asyncio.get_running_loop()
    prepared: list[list[bytes]] = []
    while True:
        command, *args = await loop.run_in_executor(None, pipe.recv)
        if command == "prepare":
            tag, count = args
            rng = Random(tag)
            prepared = [_signed_requests(node, p, keys[p], tag, count, rng) for p in ports]
            pipe.send("prepared")
        elif command == "go":
            pipe.send(await _round(node, prepared))
        else:
            return


def _run(node: str, ports: list[int], pems: list[tuple[str, str]], pipe: Any) -> None:
    asyncio.run(_main(node, ports, pems, pipe))


class SenderFarm:
    """The quarter nodes' process: ``round(tag, count)`` sends ``count`` activities from
    every sender at once and returns the senders' view (statuses, answer latencies, the
    monotonic start and end, comparable across processes)."""

    def __init__(self, node: str, ports: list[int], pems: list[tuple[str, str]]) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=_run, args=(node, ports, pems, child), daemon=True)
        self.process.start()
        if not self.pipe.poll(60) or self.pipe.recv() != "ready":
            raise RuntimeError("sender farm did not start")

    def prepare(self, tag: str, count: int) -> None:
        self.pipe.send(("prepare", tag, count))
        if not self.pipe.poll(300) or self.pipe.recv() != "prepared":
            raise RuntimeError("sender farm could not sign its activities")

    def go(self) -> None:
        self.pipe.send(("go",))

    def result(self) -> dict[str, Any]:
        if not self.pipe.poll(ROUND_TIMEOUT + 10):
            raise RuntimeError("sender farm did not finish its round")
        return self.pipe.recv()

    def stop(self) -> None:
        try:
            self.pipe.send(("stop",))
            self.process.join(5)
        finally:
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(5)
