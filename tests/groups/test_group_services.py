"""Group rules at the service level: who may create, join, invite, promote and remove."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quarter_node.accounts.models import HANDLE_RESERVED_FOR, Role
from quarter_node.activitypub import tombstones
from quarter_node.db_types import utcnow
from quarter_node.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups import services
from quarter_node.groups.models import Group, GroupRole, JoinMode, Membership, MembershipState
from quarter_node.groups.permissions import membership_of
from quarter_node.notifications.models import Notification, NotificationKind


@pytest.fixture(autouse=True)
def _request(app):  # noqa: ANN001, ANN202
    """Services speak the user's language, which comes from a request."""
    with app.test_request_context():
        yield


def _notifications(recipient, kind):  # noqa: ANN001, ANN202
    return db.session.scalars(
        db.select(Notification).where(
            Notification.recipient_id == recipient.actor_id, Notification.kind == kind
        )
    ).all()


def test_the_creator_becomes_the_owner(factories) -> None:  # noqa: ANN001
    founder = factories.user("founder")
    group = services.create_group(
        founder, "Garten_Nord", "Gartengruppe", "Wir gärtnern.", "public", "open"
    )
    assert group.actor.handle == "garten_nord"
    assert membership_of(founder.actor, group).role == GroupRole.OWNER


@pytest.mark.parametrize("handle", ["ab", "a" * 31, "mit-strich", "ümlaut", "new"])
def test_bad_or_reserved_handles_are_refused(factories, handle: str) -> None:  # noqa: ANN001
    founder = factories.user()
    with pytest.raises((InvalidInput, Conflict)):
        services.create_group(founder, handle, "Name", "", "public", "open")
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 0


def test_a_tampered_choice_is_refused(factories) -> None:  # noqa: ANN001
    founder = factories.user()
    with pytest.raises(InvalidInput):
        services.create_group(founder, "gruppe", "Name", "", "secret", "open")


def test_a_request_notifies_the_group_moderators_and_is_answered(factories) -> None:  # noqa: ANN001
    owner, moderator, applicant = factories.user(), factories.user(), factories.user()
    group = factories.group(owner=owner, join_mode=JoinMode.REQUEST, members=(moderator,))
    services.set_member_role(owner, group, moderator.actor, "moderator")
    services.join_group(applicant, group)
    assert membership_of(applicant.actor, group).state == MembershipState.REQUESTED
    assert len(_notifications(owner, NotificationKind.JOIN_REQUEST)) == 1
    assert len(_notifications(moderator, NotificationKind.JOIN_REQUEST)) == 1
    with pytest.raises(Conflict):
        services.join_group(applicant, group)
    services.accept_request(moderator, group, applicant.actor)
    assert membership_of(applicant.actor, group).state == MembershipState.ACTIVE
    with pytest.raises(NotFound):
        services.decline_request(moderator, group, applicant.actor)


def test_node_moderators_count_as_group_moderators(factories) -> None:  # noqa: ANN001
    owner, applicant = factories.user(), factories.user()
    node_moderator = factories.user(role=Role.MODERATOR)
    group = factories.group(owner=owner, join_mode=JoinMode.REQUEST)
    services.join_group(applicant, group)
    services.decline_request(node_moderator, group, applicant.actor)
    assert membership_of(applicant.actor, group) is None
    with pytest.raises(PermissionDenied):
        services.set_member_role(node_moderator, group, owner.actor, "member")


def test_group_moderators_remove_members_but_not_owners(factories) -> None:  # noqa: ANN001
    owner, moderator, member = factories.user(), factories.user(), factories.user()
    group = factories.group(owner=owner, members=(moderator, member))
    services.set_member_role(owner, group, moderator.actor, "moderator")
    with pytest.raises(PermissionDenied):
        services.remove_member(moderator, group, owner.actor)
    with pytest.raises(PermissionDenied):
        services.remove_member(member, group, moderator.actor)
    services.remove_member(moderator, group, member.actor)
    assert membership_of(member.actor, group) is None


def test_the_last_owner_can_neither_be_demoted_nor_leave(factories) -> None:  # noqa: ANN001
    owner, member = factories.user(), factories.user()
    group = factories.group(owner=owner, members=(member,))
    with pytest.raises(Conflict):
        services.set_member_role(owner, group, owner.actor, "member")
    with pytest.raises(Conflict):
        services.leave_group(owner, group)
    services.set_member_role(owner, group, member.actor, "owner")
    services.leave_group(owner, group)
    assert membership_of(owner.actor, group) is None


def test_an_invitation_is_notified_and_accepted(factories) -> None:  # noqa: ANN001
    owner, invitee = factories.user(), factories.user()
    group = factories.group(owner=owner, join_mode=JoinMode.REQUEST)
    services.invite_to_group(owner, group, invitee.actor)
    assert len(_notifications(invitee, NotificationKind.GROUP_INVITE)) == 1
    with pytest.raises(Conflict):
        services.invite_to_group(owner, group, invitee.actor)
    services.accept_invitation(invitee, group)
    assert membership_of(invitee.actor, group).state == MembershipState.ACTIVE


def test_an_invitation_can_be_declined(factories) -> None:  # noqa: ANN001
    owner, invitee = factories.user(), factories.user()
    group = factories.group(owner=owner)
    services.invite_to_group(owner, group, invitee.actor)
    services.decline_invitation(invitee, group)
    assert membership_of(invitee.actor, group) is None


def test_a_deleted_groups_handle_is_reserved_for_a_while_then_free(factories) -> None:  # noqa: ANN001
    owner, member = factories.user(), factories.user()
    group = factories.group("hofgruppe", owner=owner, members=(member,))
    factories.post(member, "Im Hof", group=group)
    with pytest.raises(PermissionDenied):
        services.delete_group(member, group)
    services.delete_group(owner, group)
    assert db.session.scalar(db.select(db.func.count(Membership.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Group.id))) == 0
    with pytest.raises(Conflict):
        services.create_group(owner, "hofgruppe", "Hof", "", "public", "open")

    tombstones.purge(utcnow() + HANDLE_RESERVED_FOR + timedelta(days=1))
    again = services.create_group(owner, "hofgruppe", "Hof", "", "public", "open")
    assert again.actor.handle == "hofgruppe"
