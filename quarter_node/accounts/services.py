"""Becoming a member, logging in and resetting a forgotten password.

The node's registration mode decides who may join and whether moderators approve first; a
valid invitation always lets its holder in at once (even on a closed node: the team still
invites). Every rule is checked here, so the web form and any later API behave alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quarter_node.accounts.errors import AccountBlocked, FieldError, LoginRefused
from quarter_node.accounts.invitations import consume_invitation, find_usable_invitation
from quarter_node.accounts.mails import send_password_reset_mail
from quarter_node.accounts.models import (
    AccountState,
    Actor,
    ActorKind,
    ActorTombstone,
    Invitation,
    Role,
    User,
)
from quarter_node.accounts.passwords import hash_password, needs_rehash, verify_password
from quarter_node.accounts.tokens import (
    make_password_reset_token,
    user_for_password_reset_token,
)
from quarter_node.db_types import utcnow
from quarter_node.errors import Conflict, InvalidInput, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import GroupRole, Membership, MembershipState
from quarter_node.node.services import SUPPORTED_LANGUAGES, RegistrationMode, get_node_settings
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify_node_moderators

HANDLE_PATTERN = re.compile(r"[a-z0-9_]{3,30}")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1000  # argon2 takes any length; this only stops absurd request bodies
EMAIL_MAX_LENGTH = 254
DISPLAY_NAME_MAX_LENGTH = 100
APPLICATION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class NewMember:
    """What a person enters to join the node."""

    email: str
    handle: str
    display_name: str
    password: str
    locale: str | None = None
    application_text: str = ""
    invitation_code: str = ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_handle(handle: str) -> str:
    return handle.strip().lower()


def registration_mode() -> RegistrationMode:
    """The node's mode; an unknown stored value fails closed rather than open."""
    try:
        return RegistrationMode(get_node_settings().registration_mode)
    except ValueError:
        return RegistrationMode.CLOSED


def needs_application(invitation: Invitation | None) -> bool:
    """Applicants explain themselves only when moderators approve and nobody invited them."""
    return invitation is None and registration_mode() == RegistrationMode.APPROVAL


# --- validation ------------------------------------------------------------------------------


def check_handle(handle: str) -> None:
    if not HANDLE_PATTERN.fullmatch(handle):
        raise FieldError(
            "handle",
            _("A handle has 3 to 30 characters: lower-case letters a-z, digits and _."),
        )


def check_password(password: str, field: str = "password") -> None:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise FieldError(
            field,
            _("The password needs at least %(count)d characters.", count=PASSWORD_MIN_LENGTH),
        )


def check_email_free(email: str, *, except_user: User | None = None) -> None:
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is not None and existing is not except_user:
        raise FieldError("email", _("An account with this email address already exists."))


def check_handle_free(handle: str) -> None:
    """Handles are shared by people and groups (both are found as @handle); a deleted
    one's stays reserved for a while (see ``ActorTombstone``)."""
    taken = db.session.scalar(db.select(Actor.id).where(Actor.handle == handle, Actor.domain == ""))
    buried = db.session.scalar(db.select(ActorTombstone.id).where(ActorTombstone.handle == handle))
    if taken is not None or buried is not None:
        raise FieldError("handle", _("This handle is already taken. Please choose another."))


def _check_new_member(data: NewMember, invitation: Invitation | None) -> None:
    if len(data.email) > EMAIL_MAX_LENGTH or "@" not in data.email:
        raise FieldError("email", _("Please enter a valid email address."))
    check_handle(data.handle)
    if not data.display_name.strip() or len(data.display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise FieldError("display_name", _("Please enter a name of up to 100 characters."))
    check_password(data.password)
    if needs_application(invitation) and not data.application_text.strip():
        raise FieldError(
            "application_text", _("Please tell the moderators why you would like to join.")
        )
    if len(data.application_text) > APPLICATION_MAX_LENGTH:
        raise FieldError("application_text", _("Please keep this text shorter."))
    check_email_free(data.email)
    check_handle_free(data.handle)


def _check_mode_allows(invitation: Invitation | None) -> None:
    mode = registration_mode()
    if invitation is not None or mode in (RegistrationMode.OPEN, RegistrationMode.APPROVAL):
        return
    if mode == RegistrationMode.INVITATION:
        raise FieldError("invite_code", _("This node accepts new members only with an invitation."))
    raise PermissionDenied(_("Registration on this node is closed."))


# --- registration ----------------------------------------------------------------------------


def create_person(
    *,
    email: str,
    handle: str,
    display_name: str,
    password: str,
    locale: str | None = None,
    role: Role = Role.MEMBER,
    state: AccountState = AccountState.ACTIVE,
) -> User:
    """Add a local person (actor + login) to the session without committing."""
    actor = Actor(kind=ActorKind.PERSON, handle=handle, domain="", display_name=display_name)
    user = User(
        actor=actor,
        email=email,
        password_hash=hash_password(password),
        role=role,
        state=state,
        locale=locale if locale in SUPPORTED_LANGUAGES else None,
    )
    db.session.add(user)
    return user


def register(data: NewMember) -> User:
    """Create the account. Active at once (open node or invitation) or pending approval."""
    data = _normalised(data)
    invitation = find_usable_invitation(data.invitation_code) if data.invitation_code else None
    _check_mode_allows(invitation)
    _check_new_member(data, invitation)
    pending = needs_application(invitation)
    try:
        user = _store_new_member(data, invitation, pending)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate_error(data) from None
    except Exception:
        db.session.rollback()
        raise
    return user


def _normalised(data: NewMember) -> NewMember:
    return NewMember(
        email=normalise_email(data.email),
        handle=normalise_handle(data.handle),
        display_name=data.display_name.strip(),
        password=data.password,
        locale=data.locale,
        application_text=data.application_text.strip(),
        invitation_code=data.invitation_code.strip(),
    )


def _store_new_member(data: NewMember, invitation: Invitation | None, pending: bool) -> User:
    if invitation is not None:
        consume_invitation(invitation)
    user = create_person(
        email=data.email,
        handle=data.handle,
        display_name=data.display_name,
        password=data.password,
        locale=data.locale,
        state=AccountState.PENDING if pending else AccountState.ACTIVE,
    )
    user.application_text = data.application_text if pending else ""
    db.session.flush()
    if invitation is not None:
        user.invitation_id = invitation.id
        _join_invited_group(user, invitation)
    if pending:
        notify_node_moderators(NotificationKind.REGISTRATION, actor=user.actor)
    return user


def _join_invited_group(user: User, invitation: Invitation) -> None:
    if invitation.group_id is None:
        return
    db.session.add(
        Membership(
            group_id=invitation.group_id,
            actor_id=user.actor_id,
            role=GroupRole.MEMBER,
            state=MembershipState.ACTIVE,
        )
    )


def _duplicate_error(data: NewMember) -> Exception:
    """After losing a race to a simultaneous registration: say which field collided."""
    try:
        check_email_free(data.email)
        check_handle_free(data.handle)
    except FieldError as error:
        return error
    return Conflict(_("The account could not be created. Please try again."))


# --- logging in ------------------------------------------------------------------------------

_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash to verify against for unknown addresses, so both failures take equally long."""
    profile = current_app.config.get("ARGON2_PROFILE", "default")
    if profile not in _dummy_hashes:
        _dummy_hashes[profile] = hash_password("no account has this password")
    return _dummy_hashes[profile]


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User:
    """The user with these credentials who may log in now; else ``LoginRefused`` saying why.

    Unknown address and wrong password get the same message (no account probing); the
    account's state is only revealed to someone who knows its password.
    """
    user = find_user_by_email(email)
    if user is None:
        verify_password(_dummy_hash(), password)
    if user is None or not verify_password(user.password_hash, password):
        raise LoginRefused(_("The email address or the password is not correct."))
    check_may_log_in(user)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def check_may_log_in(user: User) -> None:
    refusal = _state_refusal(user)
    if refusal is not None:
        raise AccountBlocked(refusal)


def _state_refusal(user: User) -> str | None:
    if user.actor.suspended_at is not None:
        return _(
            "Your account has been suspended by the moderators, so you cannot log in. "
            "Please contact the team of this node if you have questions."
        )
    if user.state == AccountState.PENDING:
        return _(
            "Your registration is still waiting for approval by the moderators. "
            "You will get an email as soon as they have decided."
        )
    if user.state == AccountState.REJECTED:
        return _(
            "Your registration was not approved, so you cannot log in. "
            "Please contact the team of this node if you think this is a mistake."
        )
    return None


# --- forgotten password ----------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists. Says nothing either way (no probing)."""
    user = find_user_by_email(email)
    if user is not None:
        send_password_reset_mail(user, make_password_reset_token(user))


def reset_password(token: str, new_password: str) -> User:
    """Set the new password; this also invalidates the link and every other session."""
    user = user_for_password_reset_token(token)
    if user is None:
        raise InvalidInput(invalid_reset_link_message())
    check_password(new_password)
    user.password_hash = hash_password(new_password)
    db.session.commit()
    return user


def invalid_reset_link_message() -> str:
    return _(
        "This link is not valid any more: it was already used, it expired, or the password "
        "was changed since. Please ask for a new link."
    )
