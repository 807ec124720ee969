"""The moderators' queue of people waiting to join (registration mode "approval").

Each decision is written to the audit log together with the state change, and the applicant
learns of it by mail in their own language.
"""

from __future__ import annotations

from flask_babel import gettext as _

from quarter_node.accounts.mails import (
    send_registration_approved_mail,
    send_registration_rejected_mail,
)
from quarter_node.accounts.models import AccountState, Role, User
from quarter_node.errors import Conflict, InvalidInput, NotFound
from quarter_node.extensions import db
from quarter_node.moderation.audit import record
from quarter_node.permissions import require_role

APPROVE = "registration.approve"
REJECT = "registration.reject"
REASON_MAX_LENGTH = 2000


def pending_registrations(viewer: User | None) -> list[User]:
    """Applicants, oldest first (they have waited longest)."""
    require_role(viewer, Role.MODERATOR)
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.state == AccountState.PENDING)
            .order_by(User.created_at, User.id)
        )
    )


def _pending_applicant(user_id: int) -> User:
    applicant = db.session.get(User, user_id)
    if applicant is None:
        raise NotFound(_("This registration does not exist."))
    if applicant.state != AccountState.PENDING:
        raise Conflict(_("Somebody has already decided about this registration."))
    return applicant


def approve_registration(moderator: User | None, user_id: int) -> User:
    moderator = require_role(moderator, Role.MODERATOR)
    applicant = _pending_applicant(user_id)
    applicant.state = AccountState.ACTIVE
    record(moderator.actor, APPROVE, target_actor=applicant.actor)
    db.session.commit()
    send_registration_approved_mail(applicant)
    return applicant


def reject_registration(moderator: User | None, user_id: int, reason: str = "") -> User:
    moderator = require_role(moderator, Role.MODERATOR)
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(_("Please keep the reason shorter."))
    applicant = _pending_applicant(user_id)
    applicant.state = AccountState.REJECTED
    record(moderator.actor, REJECT, target_actor=applicant.actor, note=reason)
    db.session.commit()
    send_registration_rejected_mail(applicant, reason)
    return applicant
