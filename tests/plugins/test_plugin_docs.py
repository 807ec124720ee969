"""Every hook is specified properly and documented; shipped plugins use only the public API."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from quarter_node.plugins import hookspecs
from quarter_node.plugins.manager import BUILTIN_PLUGINS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "plugins" / "example_plugin"
DOCS = (ROOT / "docs" / "plugins.md").read_text()
HOOKS = [
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "quarter_node_spec")
]


def test_there_are_hooks() -> None:
    assert "quarter_blueprints" in HOOKS and len(HOOKS) >= 10


@pytest.mark.parametrize("hook", HOOKS)
def test_each_hook_is_prefixed_explained_and_documented(hook: str) -> None:
    assert hook.startswith("quarter_")
    assert (getattr(hookspecs, hook).__doc__ or "").strip()
    assert f"`{hook}" in DOCS, f"{hook} is missing from docs/plugins.md"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_shipped_plugins_and_the_example_import_only_the_public_api() -> None:
    sources = [*(ROOT / "plugins").rglob("*.py"), *EXAMPLE.rglob("*.py")]
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module.split(".")[0] == "quarter_node" and module != "quarter_node.plugin_api"
    }
    assert offending == set()


def test_built_in_plugins_live_in_the_plugins_folder() -> None:
    assert all(module.startswith("plugins.") for _name, module in BUILTIN_PLUGINS)
