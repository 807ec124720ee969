"""The network plugin's settings: the role, and the command line that sets them."""

from __future__ import annotations

from plugins.network import settings
from quarter_node.plugins.services import plugin_setting


def test_a_node_is_a_quarter_until_an_operator_makes_it_a_coordination_node(runner) -> None:
    assert settings.role() == settings.Role.QUARTER
    result = runner.invoke(args=["plugins", "set", "network", "role", "coordination"])
    assert result.exit_code == 0, result.output
    assert settings.is_coordination()


def test_the_command_line_keeps_the_type_of_each_setting(runner) -> None:
    assert runner.invoke(args=["plugins", "set", "network", "closed", "yes"]).exit_code == 0
    assert plugin_setting("network", "closed") is True
    refused = runner.invoke(args=["plugins", "set", "network", "closed", "perhaps"])
    assert refused.exit_code != 0 and "does not fit" in refused.output
    assert plugin_setting("network", "closed") is True


def test_an_unknown_setting_is_refused_with_its_name(runner) -> None:
    result = runner.invoke(args=["plugins", "set", "network", "colour", "blue"])
    assert result.exit_code == 1 and "colour" in result.output


def test_coordinates_outside_the_globe_count_as_unset(runner) -> None:
    runner.invoke(args=["plugins", "set", "network", "latitude", "51,2277"])
    runner.invoke(args=["plugins", "set", "network", "longitude", "200"])
    assert settings.coordinate("latitude") == 51.2277
    assert settings.coordinate("longitude") is None
