"""The plugin system: hook specifications, the plugin manager, which plugins are enabled,
and the admin pages to switch them.

Plugins themselves import only ``quarter_node.plugin_api`` (see ``docs/plugins.md``).
"""
