"""``make demo`` keeps working: its short mode starts the three nodes, sets them up, lets
the sample people publish, opens the exchange space, checks every node's pages (and what
travelled between them, the space post only to its members) and stops them again."""

from __future__ import annotations

import subprocess
import sys

from tests.multinode.harness import PROJECT_ROOT, skip_in_second_pass


def test_the_demo_network_starts_shows_its_content_and_stops() -> None:
    skip_in_second_pass()
    done = subprocess.run(
        [sys.executable, "-m", "quarter_node.demo", "--check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Check passed." in done.stdout
    assert "log in: katrin@netzwerk.example / nachbarschaft-demo" in done.stdout
    assert done.stdout.count("http://127.0.0.1:") >= 3
    assert "/network/space" in done.stdout  # the exchange space's address
    assert "Stopping the nodes" in done.stdout
