"""Events: neighbourhood events with dates, places, recurrence and a calendar.

This module only implements hooks; the plugin's parts live in its modules (models,
recurrence, services, queries, views, ...). It uses nothing of the node but
``quarter_node.plugin_api``, like any installed plugin.
"""

from __future__ import annotations

from pathlib import Path

from quarter_node.plugin_api import hookimpl

from . import models  # noqa: F401  (the tables must be known to the node's metadata)

HERE = Path(__file__).resolve().parent


@hookimpl
def quarter_migrations_directory() -> Path:
    return HERE / "migrations"


@hookimpl
def quarter_translations_directory() -> Path:
    return HERE / "translations"
