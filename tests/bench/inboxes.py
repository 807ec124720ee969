"""Many simulated inboxes on loopback, served by one asyncio process.

Each port is one "host". Behaviours: ``fast`` answers 202 at once, ``slow`` after a delay,
``hung`` accepts the connection and never answers. Dead hosts are simply ports nobody
listens on. The process reports the first acknowledgement per port (with the system-wide
monotonic clock, comparable across processes) through a queue.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import socket
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    fast: list[int]
    slow: list[int]
    hung: list[int]
    slow_delay: float = 2.0


def free_ports(count: int) -> list[int]:
    """Ports that are free now (kept bound until all are chosen, so they differ)."""
    sockets = []
    for _ in range(count):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        sockets.append(probe)
    ports = [s.getsockname()[1] for s in sockets]
    for probe in sockets:
        probe.close()
    return ports


async def read_message(reader: asyncio.StreamReader) -> list[bytes]:
    """The head lines of one HTTP/1.1 message; its body (by Content-Length) is read and dropped."""
    lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _sep, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return lines


async def _serve_connection(reader, writer, port, delay, events, hung) -> None:  # noqa: ANN001
    try:
        while True:
            await read_message(reader)
            if hung:
                await asyncio.sleep(3600)
            if delay:
                await asyncio.sleep(delay)
            writer.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            events.put((port, time.monotonic()))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(plan: Plan, events, ready) -> None:  # noqa: ANN001
    servers = []
    for ports, delay, hung in (
        (plan.fast, 0.0, False),
        (plan.slow, plan.slow_delay, False),
        (plan.hung, 0.0, True),
    ):
        for port in ports:

            async def handle(reader, writer, port=port, delay=delay, hung=hung) -> None:  # noqa: ANN001
                await _serve_connection(reader, writer, port, delay, events, hung)

            servers.append(await asyncio.start_server(handle, "127.0.0.1", port, backlog=256))
    ready.set()
    await asyncio.Event().wait()


def _run(plan: Plan, events, ready) -> None:  # noqa: ANN001
    asyncio.run(_main(plan, events, ready))


class InboxFarm:
    """Start the serving process; ``acks()`` drains what arrived; ``stop()`` ends it."""

    def __init__(self, plan: Plan) -> None:
        context = multiprocessing.get_context("spawn")
        self.events = context.Queue()
        ready = context.Event()
        self.process = context.Process(target=_run, args=(plan, self.events, ready), daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("inbox farm did not start")

    def acks(self) -> list[tuple[int, float]]:
        found = []
        while True:
            try:
                found.append(self.events.get(timeout=0.01))
            except queue.Empty:
                return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)
