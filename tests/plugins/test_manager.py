"""The plugin manager: built-in plugins first, names checked, hooks reach enabled plugins."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from quarter_node.plugins.manager import PluginError, load_plugins

SAMPLE = ("sample", "tests.plugins.sample_plugin")


def test_built_in_plugins_are_loaded_from_the_explicit_list() -> None:
    manager = load_plugins(builtins=[SAMPLE])
    info = manager.plugins["sample"]
    assert info.builtin and info.version == version("quarter-node")
    assert (
        info.description
        == "A plugin module for the manager's tests: hooks only, no models, no blueprints."
    )


def test_hooks_reach_only_the_enabled_plugins() -> None:
    manager = load_plugins(builtins=[SAMPLE])
    assert manager.call("quarter_object_to_ap", ["sample"], obj="sample object") == {
        "type": "Note",
        "content": "sample",
    }
    assert manager.call("quarter_object_to_ap", [], obj="sample object") is None
    assert manager.call("quarter_navigation", [], user=None) == []


def test_start_up_hooks_say_which_plugin_answered() -> None:
    manager = load_plugins(builtins=[SAMPLE])
    [(owner, [item])] = manager.collect("quarter_navigation", user=None)
    assert owner == "sample" and item.label == "Sample"


@pytest.mark.parametrize("name", ["Sample", "two words", "core", "plugins", ""])
def test_plugin_names_must_be_plain_and_unreserved(name: str) -> None:
    with pytest.raises(PluginError, match="invalid plugin name"):
        load_plugins(builtins=[(name, SAMPLE[1])])


def test_a_plugin_that_cannot_be_imported_is_named_in_the_error() -> None:
    with pytest.raises(PluginError, match="plugin broken"):
        load_plugins(builtins=[("broken", "tests.plugins.does_not_exist")])
