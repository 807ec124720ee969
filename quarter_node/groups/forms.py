"""Forms of the groups domain. They give early, friendly messages; the rules themselves
(handle namespace, permissions, lengths) are enforced again in ``groups.services``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from quarter_node.groups.models import GroupRole, GroupVisibility, JoinMode
from quarter_node.groups.services import MAX_DESCRIPTION, MAX_DISPLAY_NAME
from quarter_node.media.services import ALT_TEXT_MAX_LENGTH


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _handle_filter(value: str | None) -> str | None:
    return value.strip().lstrip("@").lower() if isinstance(value, str) else value


def visibility_choices() -> list[tuple[str, str]]:
    return [
        (GroupVisibility.PUBLIC.value, str(_l("Public: everybody sees its posts and members"))),
        (
            GroupVisibility.MEMBERS_ONLY.value,
            str(_l("Members only: others see only its name and description")),
        ),
    ]


def join_mode_choices() -> list[tuple[str, str]]:
    return [
        (JoinMode.OPEN.value, str(_l("Open: every member of the node can join at once"))),
        (JoinMode.REQUEST.value, str(_l("On request: moderators of the group decide"))),
    ]


def role_choices() -> list[tuple[str, str]]:
    return [
        (GroupRole.MEMBER.value, str(_l("Member"))),
        (GroupRole.MODERATOR.value, str(_l("Moderator"))),
        (GroupRole.OWNER.value, str(_l("Owner"))),
    ]


class EditGroupForm(FlaskForm):
    display_name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME)], filters=[_strip]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=MAX_DESCRIPTION)], filters=[_strip]
    )
    visibility = SelectField(_l("Who can see the group's posts and members?"))
    join_mode = SelectField(_l("How do people join?"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.visibility.choices = visibility_choices()
        self.join_mode.choices = join_mode_choices()


class NewGroupForm(EditGroupForm):
    handle = StringField(
        _l("Handle"),
        validators=[
            DataRequired(),
            Length(min=3, max=30),
            Regexp(
                r"^[a-z0-9_]+$",
                message=_l("Use only lower-case letters, digits and “_”."),
            ),
        ],
        filters=[_handle_filter],
    )


class AvatarForm(FlaskForm):
    image = FileField(_l("Picture"), validators=[FileRequired()])
    alt_text = StringField(
        _l("Picture description (alt text)"),
        validators=[Optional(), Length(max=ALT_TEXT_MAX_LENGTH)],
        filters=[_strip],
    )


class InviteForm(FlaskForm):
    handle = StringField(
        _l("Handle of the person to invite"),
        validators=[DataRequired(), Length(max=64)],
        filters=[_handle_filter],
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
