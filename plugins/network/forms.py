"""Forms of /admin/network."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from quarter_node.plugin_api import _l


class ApplyForm(FlaskForm):
    address = StringField(
        _l("Address of the coordination node"), validators=[DataRequired(), Length(max=2048)]
    )
    message = TextAreaField(_l("Message to the coordinators"), validators=[Length(max=2000)])


class InviteForm(FlaskForm):
    host = StringField(_l("Server name"), validators=[DataRequired(), Length(max=255)])
