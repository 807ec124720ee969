"""The settings form of a plugin, built from the ``SettingField``s it declares."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, StringField
from wtforms.validators import InputRequired, Length

from quarter_node.plugins.types import SettingField

TEXT_MAX = 2000


class PluginSettingsForm(FlaskForm):
    """Fields are added per plugin by ``settings_form``."""

    def values(self) -> dict[str, Any]:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


def settings_form(fields: list[SettingField], values: dict[str, Any]) -> PluginSettingsForm:
    form_class = type("PluginSettings", (PluginSettingsForm,), {})
    for setting in fields:
        setattr(form_class, setting.key, _field_for(setting))
    return form_class(data=values)


def _field_for(setting: SettingField) -> Field:
    label, description = setting.label, setting.description
    if isinstance(setting.default, bool):
        return BooleanField(label, description=description)
    if isinstance(setting.default, int):
        return IntegerField(label, [InputRequired()], description=description)
    return StringField(label, [Length(max=TEXT_MAX)], description=description)
