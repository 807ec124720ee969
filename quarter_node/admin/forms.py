"""Forms of the admin area, also used by the set-up page and to check command-line input."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
)

from quarter_node.accounts.models import Role
from quarter_node.accounts.services import (
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
)
from quarter_node.errors import ServiceError
from quarter_node.node.services import RegistrationMode

NAME_MAX = 100
QUARTER_MAX = 100
DESCRIPTION_MAX = 1_000
LONG_TEXT_MAX = 50_000
EMAIL_MAX = EMAIL_MAX_LENGTH
# The registration form's rules (the services check them again).
HANDLE_MIN, HANDLE_MAX = 3, 30
HANDLE_CHARACTERS = r"^[a-z0-9_]+\Z"
DISPLAY_NAME_MAX = DISPLAY_NAME_MAX_LENGTH
PASSWORD_MIN, PASSWORD_MAX = PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _strip_lower(value: Any) -> Any:
    return value.strip().lower().lstrip("@") if isinstance(value, str) else value


def language_choices() -> list[SelectChoice]:
    return [SelectChoice("de", "Deutsch"), SelectChoice("en", "English")]


def registration_mode_choices() -> list[SelectChoice]:
    return [
        SelectChoice(RegistrationMode.APPROVAL.value, _l("Moderators approve each person")),
        SelectChoice(RegistrationMode.OPEN.value, _l("Open to everybody")),
        SelectChoice(RegistrationMode.INVITATION.value, _l("Only with an invitation")),
        SelectChoice(RegistrationMode.CLOSED.value, _l("Closed")),
    ]


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Role.MEMBER.value, _l("Member")),
        SelectChoice(Role.MODERATOR.value, _l("Moderator")),
        SelectChoice(Role.ADMIN.value, _l("Admin")),
    ]


class AccountFields(FlaskForm):
    """A new person's login: the same rules in set-up, admin tools and scripts."""

    email = EmailField(
        _l("Email address"),
        filters=[_strip_lower],
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            Email(message=_l("Please enter a valid email address.")),
        ],
    )
    handle = StringField(
        _l("Handle"),
        filters=[_strip_lower],
        validators=[
            DataRequired(),
            Length(min=HANDLE_MIN, max=HANDLE_MAX),
            Regexp(
                HANDLE_CHARACTERS,
                message=_l("Use only lower-case letters a–z, digits and the underscore."),
            ),
        ],
    )
    display_name = StringField(
        _l("Display name"), filters=[_strip], validators=[Optional(), Length(max=DISPLAY_NAME_MAX)]
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("The password needs at least %(min)d characters."),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class NewUserForm(AccountFields):
    """``quarter-node create-user`` checks its options with this form."""

    role = SelectField(_l("Role"), choices=role_choices, default=Role.MEMBER.value)
    locale = SelectField(
        _l("Language"),
        choices=lambda: [SelectChoice("", "-"), *language_choices()],
        validators=[Optional()],
    )


class NodeSettingsForm(FlaskForm):
    """Every setting an admin may change in the browser."""

    name = StringField(
        _l("Name of the node"), filters=[_strip], validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    quarter = StringField(
        _l("Quarter or area"), filters=[_strip], validators=[Optional(), Length(max=QUARTER_MAX)]
    )
    description = TextAreaField(
        _l("Short description"),
        filters=[_strip],
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
    )
    default_language = SelectField(_l("Default language"), choices=language_choices)
    registration_mode = SelectField(_l("Registration"), choices=registration_mode_choices)
    invitation_role = SelectField(_l("Who may create invitation links"), choices=role_choices)
    rules = TextAreaField(
        _l("House rules"), filters=[_strip], validators=[Optional(), Length(max=LONG_TEXT_MAX)]
    )
    imprint = TextAreaField(
        _l("Imprint"), filters=[_strip], validators=[Optional(), Length(max=LONG_TEXT_MAX)]
    )
    privacy = TextAreaField(
        _l("Privacy statement"),
        filters=[_strip],
        validators=[Optional(), Length(max=LONG_TEXT_MAX)],
    )
    contact_email = EmailField(
        _l("Contact email address"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX),
            Email(message=_l("Please enter a valid email address.")),
        ],
    )

    def values(self) -> dict[str, Any]:
        """The submitted settings, keyed like ``NodeSettings``."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class UserSearchForm(FlaskForm):
    """The search box above the user list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search by handle or email"), filters=[_strip], validators=[Length(max=EMAIL_MAX)]
    )


def error_lines(form: FlaskForm) -> list[str]:
    """One line per invalid field, e.g. "Handle: Field must be at least 2 characters long."."""
    return [
        f"{form[name].label.text}: {' '.join(map(str, errors))}"
        for name, errors in form.errors.items()
        if name in form._fields
    ]


def show_error_on_form(form: FlaskForm, error: ServiceError) -> None:
    """Put a service's refusal next to the field it is about (else above the form)."""
    field_name = getattr(error, "field", None)
    if field_name in form._fields:
        form[field_name].errors = [*form[field_name].errors, error.message]
    else:
        flash(error.message, "error")
