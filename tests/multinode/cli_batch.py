"""Run several ``quarter-node`` commands in one process: ``python -m tests.multinode.cli_batch``.

Reads a JSON list of argument lists on stdin (e.g. ``[["create-user", "--email", ...]]``) and
runs each through the node's real CLI (the same click commands an admin types), printing one
JSON result per command. The environment chooses the node (``QN_INSTANCE_PATH``,
``QN_DATABASE_URL``, ...) exactly as for ``quarter-node``. One process instead of one per
command: starting Python and the app costs about two seconds, which 30 accounts would repeat.
"""

from __future__ import annotations

import json
import sys

from quarter_node.app import create_app

RESULT_MARK = "CLI-BATCH-RESULTS:"


def main() -> int:
    commands = json.load(sys.stdin)
    app = create_app()
    runner = app.test_cli_runner()
    results = []
    for args in commands:
        outcome = runner.invoke(args=args)
        results.append({"args": args, "exit_code": outcome.exit_code, "output": outcome.output})
        if outcome.exit_code != 0:
            break
    print(RESULT_MARK + json.dumps(results))
    return 0 if all(result["exit_code"] == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
