"""Run several ``quarter-node`` commands in one process: ``python -m quarter_node.cli_batch``.

Reads a JSON list of argument lists on stdin (``[["create-user", "--email", ...]]``) and runs
each through the node's real CLI (the same click commands an admin types), stopping at the
first failure; prints one JSON line of results after ``RESULT_MARK``. The environment
chooses the node (``QN_INSTANCE_PATH``, ``QN_DATABASE_URL``, ...) exactly as for
``quarter-node``. One process instead of one per command saves the two seconds each start
of Python and the app costs: ``make demo`` and the multi-node tests script nodes with it.
"""

from __future__ import annotations

import json
import sys

RESULT_MARK = "CLI-BATCH-RESULTS:"


def main() -> int:
    from quarter_node.app import create_app

    commands = json.load(sys.stdin)
    runner = create_app().test_cli_runner()
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
