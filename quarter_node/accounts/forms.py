"""Forms of the accounts domain. They check shape and length; services check the rules."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from quarter_node.accounts.services import HANDLE_PATTERN

LANGUAGE_CHOICES = [SelectChoice("de", "Deutsch"), SelectChoice("en", "English")]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        filters=[_lower],
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Please enter a valid email address.")),
        ],
    )


def _new_password_field(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(),
            Length(min=10, max=1000, message=_l("The password needs at least 10 characters.")),
        ],
    )


class RegistrationForm(FlaskForm):
    email = _email_field()
    handle = StringField(
        _l("Handle"),
        filters=[_lower],
        validators=[
            InputRequired(),
            Regexp(
                HANDLE_PATTERN.pattern + r"\Z",
                message=_l(
                    "A handle has 3 to 30 characters: lower-case letters a-z, digits and _."
                ),
            ),
        ],
    )
    display_name = StringField(
        _l("Your name as others see it"),
        filters=[_strip],
        validators=[InputRequired(), Length(max=100)],
    )
    password = _new_password_field(_l("Password"))
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    locale = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    application_text = TextAreaField(
        _l("Why would you like to join?"), filters=[_strip], validators=[Length(max=2000)]
    )
    invite_code = StringField(_l("Invitation code"), filters=[_strip], validators=[Length(max=64)])
    accept_rules = BooleanField(
        _l("I have read the house rules and accept them."),
        validators=[DataRequired(message=_l("Please accept the house rules."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"), filters=[_lower], validators=[InputRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1000)])
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordResetRequestForm(FlaskForm):
    email = _email_field()


class PasswordResetForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Your name as others see it"),
        filters=[_strip],
        validators=[InputRequired(), Length(max=100)],
    )
    bio = TextAreaField(
        _l("About you"),
        filters=[_strip],
        validators=[
            Length(max=500, message=_l("The text about you may have up to 500 characters."))
        ],
    )
    avatar = FileField(_l("New profile picture"))
    avatar_alt_text = StringField(
        _l("Describe the picture for people who cannot see it"),
        filters=[_strip],
        validators=[Length(max=1500)],
    )
    locale = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)


class EmailChangeForm(FlaskForm):
    # Own ids: the password form on the same page has a field of the same name.
    email = _email_field()
    current_password = PasswordField(
        _l("Current password"),
        id="email-current-password",
        validators=[InputRequired(), Length(max=1000)],
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=1000)]
    )
    new_password = _new_password_field(_l("New password"))
    new_password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=1000)])


class InvitationForm(FlaskForm):
    note = StringField(
        _l("Note for yourself (e.g. who gets the link)"),
        filters=[_strip],
        validators=[Length(max=200)],
    )
    valid_days = IntegerField(
        _l("Valid for how many days"),
        default=14,
        validators=[
            InputRequired(),
            NumberRange(min=1, max=365, message=_l("An invitation is valid for 1 to 365 days.")),
        ],
    )
    max_uses = IntegerField(
        _l("How many people may use it"),
        default=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("An invitation can be used 1 to 1000 times.")),
        ],
    )
    unlimited = BooleanField(_l("Any number of people may use it"))
    group = SelectField(_l("Also make them members of this group"), coerce=int, default=0)


class RejectionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the applicant, optional)"),
        filters=[_strip],
        validators=[Length(max=2000)],
    )
