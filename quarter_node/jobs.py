"""Background jobs on Huey: SQLite by default, Redis when ``QN_REDIS_URL`` is set.

Tasks are declared on the module-level ``huey`` at import time; ``init_app`` points its storage
at the configured backend and remembers the app so each task runs inside an app context.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

huey = Huey("quarter_node", storage_class=MemoryStorage)
_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Bind the queue to the app's configured backend."""
    global _app
    _app = app
    if app.config.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["JOBS_DATABASE"]}
    huey.storage = huey.create_storage()
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    app.extensions["quarter_node.jobs"] = huey


def _in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def in_app_context(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("job queue used before quarter_node.jobs.init_app()")
        with _app.app_context():
            return fn(*args, **kwargs)

    return in_app_context


def job(*task_args: Any, **task_kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task that runs inside the node's app context."""

    def decorator(fn: Callable[..., Any]) -> Any:
        return huey.task(*task_args, **task_kwargs)(_in_app_context(fn))

    return decorator


def periodic_job(validate_datetime: Callable[..., bool]) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task the worker runs on a schedule (``huey.crontab``), in app context."""

    def decorator(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(validate_datetime)(_in_app_context(fn))

    return decorator


# How often an idle worker looks for jobs (seconds, growing from the first to the second).
# Huey's default grows to 10 s, so a post made after a quiet hour could wait seconds before
# its first delivery left; one poll a second per idle thread costs next to nothing.
POLLING = {"initial_delay": 0.1, "max_delay": 1.0}


def start_consumer(workers: int) -> Any:
    """Start a Huey consumer in worker threads of this process (``quarter-node run``)."""
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", check_worker_health=True, **POLLING
    )
    consumer.start()
    log.info("job worker started with %d threads", workers)
    return consumer
