"""Forms of the federation pages: follow by address, follower approval, server policy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from quarter_node.activitypub.models import HostPolicy

HANDLE_MAX = 300
REASON_MAX = 1000
REJECT, LIMIT = HostPolicy.REJECT.value, HostPolicy.LIMIT.value


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class RemoteFollowForm(FlaskForm):
    handle = StringField(
        _l("Address of a person or group on another server"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Please enter an address like @name@example.org.")),
            Length(max=HANDLE_MAX),
        ],
    )
    next_url = HiddenField()


class ManualApprovalForm(FlaskForm):
    manual = BooleanField(_l("Approve followers manually"))


class BlockHostForm(FlaskForm):
    host = StringField(
        _l("Server"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Please enter a server name.")), Length(max=255)],
    )
    policy = SelectField(
        _l("What to do with it"),
        choices=[
            SelectChoice(
                HostPolicy.REJECT.value, _l("Block: nothing is exchanged with this server")
            ),
            SelectChoice(
                HostPolicy.LIMIT.value, _l("Limit: only people who follow its accounts see them")
            ),
        ],
    )
    reason = TextAreaField(
        _l("Reason (shown to admins and in the audit log)"),
        filters=[_strip],
        validators=[Optional(), Length(max=REASON_MAX)],
    )


class AllowHostForm(FlaskForm):
    allowed_host = StringField(
        _l("Server to allow"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Please enter a server name.")), Length(max=255)],
    )


class FederationModeForm(FlaskForm):
    mode = RadioField(
        _l("With which servers does this node connect?"),
        choices=[
            SelectChoice("open", _l("Open: with every server that is not blocked")),
            SelectChoice("allowlist", _l("Allowlist: only with the servers listed below")),
        ],
        validators=[InputRequired()],
    )


class RelaySubscribeForm(FlaskForm):
    relay_address = StringField(
        _l("Address of the relay (its actor or inbox URL)"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Please enter the address of a relay.")),
            Length(max=HANDLE_MAX),
        ],
    )


class RelayModeForm(FlaskForm):
    relay_enabled = BooleanField(_l("Act as a relay for other servers"))
