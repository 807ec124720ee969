"""The ``quarter-node`` command: a Flask CLI group with the node's own commands.

Everything an admin needs without a browser lives here or in ``quarter_node/admin/cli.py``.
"""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

log = logging.getLogger(__name__)


def _create_app() -> Flask:
    from quarter_node.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Run and administer a Quarter Node."""


def register_commands(app: Flask) -> None:
    """Attach the node's commands to ``app.cli`` (so ``flask --app quarter_node`` has them too)."""
    from quarter_node.activitypub.cli import keys_group
    from quarter_node.admin.cli import admin_commands
    from quarter_node.plugins.cli import db_command, plugins_command
    from quarter_node.plugins.wiring import plugin_commands
    from quarter_node.search.cli import search_group

    commands = (init_command, run_command, worker_command, *admin_commands(), plugins_command)
    for command in (*commands, keys_group, search_group, db_command(), *plugin_commands(app)):
        app.cli.add_command(command)


def initialise_node() -> None:
    """Apply migrations and print how to finish set-up. Safe to run again at any time."""
    from flask_migrate import upgrade

    from quarter_node.search.cli import fill_empty_search_index
    from quarter_node.setup.services import setup_link

    upgrade(revision="heads")  # the core and every plugin's branch
    fill_empty_search_index()
    link = setup_link()
    if link:
        click.secho("Open this link once to set up the node:", bold=True)
        click.secho(f"  {link}", fg="green")


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the database (or bring it up to date) and print the set-up link."""
    initialise_node()
    click.echo(f"Database ready: {current_app.config['SQLALCHEMY_DATABASE_URI']}")


@click.command("run")
@click.option("--host", default=None, help="Address to listen on (default: QN_HOST).")
@click.option("--port", default=None, type=int, help="Port to listen on (default: QN_PORT).")
@click.option(
    "--workers",
    default=None,
    type=int,
    help="Job worker threads started beside the web server (default: QN_WORKER_THREADS; 0: none).",
)
@with_appcontext
def run_command(host: str | None, port: int | None, workers: int | None) -> None:
    """Start the node: web server and job workers in one process."""
    from waitress import create_server

    from quarter_node import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    host = host or app.config["HOST"]
    port = port or app.config["PORT"]
    _default_base_url_to_listening_address(app, host, port)
    initialise_node()
    workers = app.config["WORKER_THREADS"] if workers is None else workers
    if workers > 0 and not app.config.get("REDIS_URL"):
        _recover_unfinished_deliveries()
    consumer = jobs.start_consumer(workers) if workers > 0 else None
    server = create_server(app, host=host, port=port, threads=8, ident="Quarter Node")
    stop = threading.Event()

    def shutdown(signum, frame) -> None:  # noqa: ANN001
        stop.set()
        server.close()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    click.secho(f"Quarter Node running at http://{host}:{port}/ (Ctrl+C to stop)", bold=True)
    try:
        server.run()
    except OSError:
        if not stop.is_set():
            raise
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def _recover_unfinished_deliveries() -> None:
    """This process is the SQLite queue's only consumer: what the last one left unfinished
    (it stopped or was killed mid-delivery) is queued again before the workers start."""
    from quarter_node.activitypub.delivery import recover_after_restart

    recovered = recover_after_restart()
    if recovered:
        click.echo(f"Queued {recovered} unfinished deliveries again.")


def _default_base_url_to_listening_address(app: Flask, host: str, port: int) -> None:
    """Without a configured public address, links (set-up, mails) point where we listen.

    Otherwise ``quarter-node run --port 5099`` would print a set-up link to port 5000.
    """
    if app.config["BASE_URL"] != _setting_default("BASE_URL"):
        return
    shown_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    app.config["BASE_URL"] = f"http://{shown_host}:{port}"


def _setting_default(key: str) -> object:
    from quarter_node.config import SETTINGS

    return next(setting.default for setting in SETTINGS if setting.key == key)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker threads.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run only the job worker (for nodes that run web and workers separately)."""
    from quarter_node.jobs import POLLING, huey

    consumer = huey.create_consumer(workers=workers, worker_type="thread", **POLLING)
    consumer.run()


if __name__ == "__main__":
    main()
