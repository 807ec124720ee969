"""Invitation links: how members bring their neighbours in, even when the node is closed.

Members (or only the team, as the node decides) create links with an expiry and a use count.
Uses are counted with one conditional UPDATE, so two people racing for the last use of a
link can never both get in.
"""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, update

from quarter_node.accounts.errors import FieldError, InvitationGone
from quarter_node.accounts.models import Invitation, Role, User
from quarter_node.db_types import utcnow
from quarter_node.errors import NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupRole, Membership, MembershipState
from quarter_node.groups.permissions import is_group_moderator
from quarter_node.node.services import get_node_settings

DEFAULT_VALID_DAYS = 14
MAX_VALID_DAYS = 365
MAX_USES_LIMIT = 1000
NOTE_MAX_LENGTH = 200


class InvitationState(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used_up"


def state_of(invitation: Invitation) -> InvitationState:
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at is not None and invitation.expires_at <= utcnow():
        return InvitationState.EXPIRED
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return InvitationState.USED_UP
    return InvitationState.ACTIVE


def gone_message(state: InvitationState) -> str:
    """Why a link no longer works, in words the invited person understands."""
    if state == InvitationState.REVOKED:
        return _("This invitation was withdrawn by the person who made it.")
    if state == InvitationState.EXPIRED:
        return _("This invitation has expired.")
    return _("This invitation has already been used as often as it allows.")


def invitation_link(invitation: Invitation) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for("accounts.register", invite=invitation.code)


# --- who may do what -------------------------------------------------------------------------


def invitation_role() -> Role:
    """The lowest role that may invite; an unknown stored value keeps it to admins."""
    try:
        return Role(get_node_settings().invitation_role)
    except ValueError:
        return Role.ADMIN


def can_invite(user: User | None) -> bool:
    return user is not None and user.is_active and user.has_role(invitation_role())


def sees_all_invitations(user: User | None) -> bool:
    return user is not None and user.is_active and user.has_role(Role.MODERATOR)


def groups_for_invitations(user: User) -> list[Group]:
    """Groups the user moderates, so their invitations may also make people members there."""
    return list(
        db.session.scalars(
            db.select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.actor_id == user.actor_id,
                Membership.state == MembershipState.ACTIVE,
                Membership.role.in_([GroupRole.MODERATOR, GroupRole.OWNER]),
            )
            .order_by(Group.id)
        )
    )


# --- use cases -------------------------------------------------------------------------------


def create_invitation(
    user: User,
    *,
    note: str = "",
    valid_days: int = DEFAULT_VALID_DAYS,
    max_uses: int | None = 1,
    group: Group | None = None,
) -> Invitation:
    if not can_invite(user):
        raise PermissionDenied(_("You are not allowed to invite people to this node."))
    if group is not None and not is_group_moderator(user, group):
        raise PermissionDenied(_("Only the moderators of a group may invite people into it."))
    _check_invitation_input(note, valid_days, max_uses)
    invitation = Invitation(
        code=secrets.token_urlsafe(16),
        created_by_id=user.actor_id,
        group_id=group.id if group else None,
        note=note.strip(),
        max_uses=max_uses,
        expires_at=utcnow() + timedelta(days=valid_days),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def _check_invitation_input(note: str, valid_days: int, max_uses: int | None) -> None:
    if len(note) > NOTE_MAX_LENGTH:
        raise FieldError("note", _("The note may have up to 200 characters."))
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise FieldError("valid_days", _("An invitation is valid for 1 to 365 days."))
    if max_uses is not None and not 1 <= max_uses <= MAX_USES_LIMIT:
        raise FieldError("max_uses", _("An invitation can be used 1 to 1000 times."))


def visible_invitations(user: User) -> list[Invitation]:
    """The team sees every invitation (to spot abuse); others see their own."""
    query = db.select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if not sees_all_invitations(user):
        query = query.where(Invitation.created_by_id == user.actor_id)
    return list(db.session.scalars(query.limit(500)))


def revoke_invitation(user: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(_("This invitation does not exist."))
    is_own = invitation.created_by_id == user.actor_id
    if not (is_own and user.is_active) and not sees_all_invitations(user):
        raise PermissionDenied(_("You may only withdraw your own invitations."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()
    return invitation


def find_usable_invitation(code: str) -> Invitation:
    """The invitation behind ``code``; 404 if there is none, 410 saying why if it is dead."""
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.code == code.strip()))
    if invitation is None:
        raise NotFound(_("This invitation link does not exist. Please check that it is complete."))
    state = state_of(invitation)
    if state != InvitationState.ACTIVE:
        raise InvitationGone(gone_message(state))
    return invitation


def consume_invitation(invitation: Invitation) -> None:
    """Count one use, atomically: the WHERE clause re-checks the limits at write time, so
    simultaneous registrations cannot use a link more often than it allows."""
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.revoked_at.is_(None),
            or_(Invitation.max_uses.is_(None), Invitation.uses < Invitation.max_uses),
            or_(Invitation.expires_at.is_(None), Invitation.expires_at > utcnow()),
        )
        .values(uses=Invitation.uses + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(invitation)
    if result.rowcount != 1:
        raise InvitationGone(gone_message(state_of(invitation)))
