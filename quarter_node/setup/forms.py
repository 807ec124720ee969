"""The set-up form: the node's basics and its first admin on one short page."""

from __future__ import annotations

from quarter_node.admin.forms import AccountFields, NodeSettingsForm


class SetupForm(AccountFields):
    """Same rules as the admin's settings form and every other account form."""

    name = NodeSettingsForm.name
    quarter = NodeSettingsForm.quarter
    description = NodeSettingsForm.description
    default_language = NodeSettingsForm.default_language
    registration_mode = NodeSettingsForm.registration_mode
