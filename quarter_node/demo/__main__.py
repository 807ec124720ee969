"""``python -m quarter_node.demo`` (``make demo``): see the package's docstring."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from .network import DemoNetwork

DEFAULT_PORT = 5101


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m quarter_node.demo",
        description="Start a coordination node and two quarter nodes with sample content.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="first port (default 5101)")
    parser.add_argument("--dir", type=Path, help="folder for the nodes (kept afterwards)")
    parser.add_argument(
        "--check", action="store_true", help="start, verify the pages, stop (for tests)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    _stop_on_signals()
    root = args.dir or Path(tempfile.mkdtemp(prefix="qn-demo-"))
    root.mkdir(parents=True, exist_ok=True)
    network = DemoNetwork.create(root.resolve(), None if args.check else args.port)
    print(f"Demo network in {root} (databases, logs)", flush=True)
    try:
        network.start(lambda line: print(line, flush=True))
        print("\nThe demo network is running:\n" + network.summary(), flush=True)
        if args.check:
            return _report(network.check())
        print("\nPress Ctrl-C to stop all three nodes.", flush=True)
        _wait(network)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping the nodes ...", flush=True)
        network.stop()
        if args.dir is None:
            shutil.rmtree(root, ignore_errors=True)


def _stop_on_signals() -> None:
    """Ctrl-C and ``kill`` both end the demo through its ``finally``: every node is
    stopped, none is left running without its parent."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _wait(network: DemoNetwork) -> None:
    while network.running():
        time.sleep(1)
    print("A node stopped; see its node.log.", file=sys.stderr)


def _report(problems: list[str]) -> int:
    for problem in problems:
        print(f"MISSING: {problem}", file=sys.stderr)
    print("Check passed." if not problems else "Check failed.", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
