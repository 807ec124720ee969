"""A plugin installed as a package (``tests/plugins/example_plugin``) works like a shipped one.

The example plugin is built and installed with pip into a temporary folder, and the tests in
``tests/plugins/installed/`` then run in a separate pytest process with that folder on
``PYTHONPATH``: the plugin is found only through its entry point, and its model never reaches
this process's schema. On PostgreSQL that process gets a database of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import TEST_DATABASE, _postgres_url_for_worker

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "example_plugin"


def compile_catalogs(package: Path) -> None:
    """Plugins ship compiled catalogs; build them as the plugin's own build step would."""
    for po_path in package.glob("example_plugin/translations/*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


def install(source: Path, target: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--target",
        str(target),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def own_database() -> str:
    """SQLite, or a PostgreSQL database next to this run's that no other test uses."""
    if TEST_DATABASE == "sqlite":
        return "sqlite"
    return _postgres_url_for_worker(TEST_DATABASE, "installed_plugin")


def test_an_installed_example_plugin_works_like_a_shipped_one(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    compile_catalogs(source)
    target = tmp_path / "site"
    install(source, target)
    assert (target / "example_plugin" / "templates" / "example_plugin" / "index.html").exists()

    env = {**os.environ, "PYTHONPATH": str(target), "QN_TEST_DATABASE": own_database()}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "-x",
        "tests/plugins/installed",
        "tests/test_app_core.py::test_migrations_match_the_models",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "skipped" not in output, output[-3000:]
