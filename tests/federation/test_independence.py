"""The library stays independent of the app: no Flask, SQLAlchemy or quarter_node."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import federation


def test_importing_every_module_pulls_in_no_app_code():
    modules = [m.name for m in pkgutil.walk_packages(federation.__path__, "federation.")]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'flask_sqlalchemy', 'quarter_node'})\n"
        "print(','.join(bad))\n"
    )
    root = Path(federation.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True
    )
    assert len(modules) > 20
    assert result.stdout.strip() == ""


def test_modules_stay_small():
    for path in Path(federation.__file__).parent.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 350, path
