"""A member's own settings: profile, email, password, and leaving the node for good.

Anything that could lock a person out or take their account over (new email, new password,
deletion) asks for the current password first, so an unattended browser is not enough.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from quarter_node import signals
from quarter_node.accounts.errors import FieldError
from quarter_node.accounts.mails import send_email_changed_mail
from quarter_node.accounts.models import AccountState, Actor, Role, User
from quarter_node.accounts.passwords import hash_password, verify_password
from quarter_node.accounts.services import (
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    check_email_free,
    check_password,
    normalise_email,
)
from quarter_node.errors import Conflict, InvalidInput
from quarter_node.extensions import db
from quarter_node.media.services import delete_files_of, store_image
from quarter_node.node.services import SUPPORTED_LANGUAGES

BIO_MAX_LENGTH = 500


def _check_current_password(user: User, password: str, field: str = "current_password") -> None:
    if not verify_password(user.password_hash, password):
        raise FieldError(field, _("This is not your current password."))


def update_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    locale: str | None,
    avatar: Any = None,
    avatar_alt_text: str = "",
) -> User:
    """Change what neighbours see. A new avatar replaces the old one (file included)."""
    display_name, bio = display_name.strip(), bio.strip()
    if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise FieldError("display_name", _("Please enter a name of up to 100 characters."))
    if len(bio) > BIO_MAX_LENGTH:
        raise FieldError("bio", _("The text about you may have up to 500 characters."))
    user.actor.display_name = display_name
    user.actor.bio = bio
    user.locale = locale if locale in SUPPORTED_LANGUAGES else None
    try:
        if avatar is not None:
            store_image(avatar, owner=user.actor, purpose="avatar", alt_text=avatar_alt_text)
        signals.actor_updated.send(user.actor)
        db.session.commit()
    except InvalidInput as error:
        db.session.rollback()
        raise FieldError("avatar", error.message) from None
    return user


def change_email(user: User, *, password: str, new_email: str) -> User:
    _check_current_password(user, password)
    new_email = normalise_email(new_email)
    if len(new_email) > EMAIL_MAX_LENGTH or "@" not in new_email:
        raise FieldError("email", _("Please enter a valid email address."))
    if new_email == user.email:
        return user
    check_email_free(new_email, except_user=user)
    old_email = user.email
    user.email = new_email
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError("email", _("An account with this email address already exists.")) from None
    send_email_changed_mail(user, old_email)
    return user


def change_password(user: User, *, current_password: str, new_password: str) -> User:
    """Set a new password. Every session built on the old one ends (see ``User.get_id``);
    the view logs the current browser in again."""
    _check_current_password(user, current_password)
    check_password(new_password, field="new_password")
    user.password_hash = hash_password(new_password)
    db.session.commit()
    return user


def is_last_admin(user: User) -> bool:
    if user.role != Role.ADMIN:
        return False
    other_admins = db.session.scalar(
        db.select(db.func.count(User.id))
        .join(Actor, Actor.id == User.actor_id)
        .where(
            User.role == Role.ADMIN,
            User.state == AccountState.ACTIVE,
            User.id != user.id,
            Actor.suspended_at.is_(None),
        )
    )
    return not other_admins


def delete_account(user: User, *, password: str) -> None:
    """Remove the person and everything they made (the database cascades from the actor),
    and their uploaded files once the deletion is committed. The ``actor_deleted``
    subscriber leaves a tombstone (handle reserved, key kept for the ``Delete`` that tells
    other servers, sent after the commit); nothing personal remains."""
    _check_current_password(user, password, field="password")
    if is_last_admin(user):
        raise Conflict(
            _(
                "You are the last administrator of this node. Make another member an "
                "administrator first, then you can delete your account."
            )
        )
    actor = user.actor
    try:
        delete_files_of(actor)
        signals.actor_deleted.send(actor)
        db.session.flush()
        db.session.execute(db.delete(Actor).where(Actor.id == actor.id))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
