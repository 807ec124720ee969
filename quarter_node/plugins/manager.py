"""Finds the installed plugins and calls their hooks.

Built-in plugins (shipped in the top-level ``plugins/`` folder) are listed explicitly in
``BUILTIN_PLUGINS``; installed packages announce theirs through the entry-point group
``quarter_node.plugins`` (``name = module``). A built-in plugin wins over an installed one of
the same name. ``QN_TRACE_PLUGINS=1`` logs every hook call with its arguments and results.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, entry_points, version
from types import ModuleType
from typing import Any

import pluggy

from quarter_node.plugins import hookspecs

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "quarter_node.plugins"
# (plugin name, module) of the plugins shipped in ``plugins/``, loaded in this order.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("events", "plugins.events"),
    ("network", "plugins.network"),
)
# Plugin names become blueprint names, setting prefixes and gettext domains.
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
RESERVED_NAMES = frozenset({"core", "node", "admin", "plugins"})


class PluginError(RuntimeError):
    """A plugin cannot be loaded as it is (bad name, import error)."""


@dataclass(frozen=True)
class PluginInfo:
    """What the admin page shows of an installed plugin."""

    name: str
    version: str
    description: str
    builtin: bool
    module: ModuleType


class PluginManager:
    """The node's plugins: a pluggy manager plus what we know about each plugin."""

    def __init__(self) -> None:
        self.pluggy = pluggy.PluginManager(hookspecs.PROJECT)
        self.pluggy.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        if os.environ.get("QN_TRACE_PLUGINS"):
            self.pluggy.trace.root.setwriter(log.warning)
            self.pluggy.enable_tracing()

    def add(self, info: PluginInfo) -> None:
        if not PLUGIN_NAME.match(info.name) or info.name in RESERVED_NAMES:
            raise PluginError(f"invalid plugin name {info.name!r} (lower-case letters, _)")
        self.pluggy.register(info.module, name=info.name)
        self.plugins[info.name] = info

    def collect(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin name, answer)`` from every installed plugin that implements the hook
        and answers something: for start-up hooks, where the owner of each answer matters."""
        answers = []
        for impl in getattr(self.pluggy.hook, hook_name).get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue  # wrappers take part in calls, they do not answer
            answer = impl.function(*(kwargs[name] for name in impl.argnames))
            if answer is not None:
                answers.append((impl.plugin_name, answer))
        return answers

    def call(self, hook_name: str, enabled: Iterable[str], **kwargs: Any) -> Any:
        """Call the hook on the ``enabled`` plugins only (pluggy's usual result rules)."""
        enabled = set(enabled)
        disabled = [info.module for name, info in self.plugins.items() if name not in enabled]
        return self.pluggy.subset_hook_caller(hook_name, remove_plugins=disabled)(**kwargs)


def load_plugins(builtins: Iterable[tuple[str, str]] = BUILTIN_PLUGINS) -> PluginManager:
    """The built-in plugins, then those installed through entry points."""
    manager = PluginManager()
    for name, module_name in builtins:
        module = _import(name, module_name)
        info = PluginInfo(name, _core_version(), _first_line(module.__doc__), True, module)
        manager.add(info)
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in manager.plugins:
            log.warning("plugin %s is built in; the installed one is ignored", entry_point.name)
            continue
        module = _import(entry_point.name, entry_point.value)
        manager.add(_entry_point_info(entry_point, module))
    return manager


def _core_version() -> str:
    """Built-in plugins are released with the node and carry its version."""
    try:
        return version("quarter-node")
    except PackageNotFoundError:
        return ""


def _import(name: str, module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as error:
        raise PluginError(f"plugin {name} ({module_name}) cannot be loaded: {error}") from error


def _entry_point_info(entry_point: Any, module: ModuleType) -> PluginInfo:
    distribution = entry_point.dist
    summary = distribution.metadata.get("Summary", "") if distribution else ""
    return PluginInfo(
        name=entry_point.name,
        version=distribution.version if distribution else "",
        description=summary or _first_line(module.__doc__),
        builtin=False,
        module=module,
    )


def _first_line(text: str | None) -> str:
    return inspect.cleandoc(text or "").partition("\n")[0]
