"""Forms of the moderation domain: reporting, and the moderators' notes and warnings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from quarter_node.moderation.actions import NOTE_MAX_LENGTH
from quarter_node.moderation.models import ReportCategory
from quarter_node.moderation.services import REASON_MAX_LENGTH

CATEGORY_LABELS = {
    ReportCategory.SPAM: _l("Spam or advertising"),
    ReportCategory.HARASSMENT: _l("Harassment or insult"),
    ReportCategory.ILLEGAL: _l("Illegal content"),
    ReportCategory.MISINFORMATION: _l("Misinformation"),
    ReportCategory.OTHER: _l("Something else"),
}


class ReportForm(FlaskForm):
    category = SelectField(
        _l("What kind of problem is it?"),
        choices=[
            SelectChoice("", _l("Please choose")),
            *(SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items()),
        ],
        validators=[DataRequired(message=_l("Please choose what kind of problem this is."))],
    )
    reason = TextAreaField(
        _l("What is wrong? The moderators read this."),
        validators=[
            DataRequired(message=_l("Please tell the moderators what is wrong.")),
            Length(
                max=REASON_MAX_LENGTH,
                message=_l("Please keep it under %(max)d characters.", max=REASON_MAX_LENGTH),
            ),
        ],
    )


class ModerationNoteForm(FlaskForm):
    """The note a moderator may add to any action; it goes into the audit log only."""

    note = TextAreaField(
        _l("Note for the moderation log (optional)"),
        validators=[
            Optional(),
            Length(
                max=NOTE_MAX_LENGTH,
                message=_l("Please keep it under %(max)d characters.", max=NOTE_MAX_LENGTH),
            ),
        ],
    )


class WarningForm(FlaskForm):
    """A warning is sent to the person; the same text is kept in the log."""

    message = TextAreaField(
        _l("Message to the person"),
        validators=[
            DataRequired(message=_l("Please write the message the person will read.")),
            Length(
                max=NOTE_MAX_LENGTH,
                message=_l("Please keep it under %(max)d characters.", max=NOTE_MAX_LENGTH),
            ),
        ],
    )
