"""Invitation links: who may make them, when they stop working, and what they grant."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from quarter_node.accounts.errors import InvitationGone
from quarter_node.accounts.models import AccountState, Actor, Invitation, Role, User
from quarter_node.accounts.services import NewMember, register
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupRole, Membership, MembershipState
from tests.accounts.conftest import NEW_PASSWORD, registration_data
from tests.helpers import logged_in_client, post_form, text_of

LINK_RE = re.compile(r"http://localhost/register\?invite=([\w-]+)")


def make_invitation(creator: User, **values) -> Invitation:  # noqa: ANN003
    values.setdefault("expires_at", utcnow() + timedelta(days=14))
    values.setdefault("max_uses", 1)
    invitation = Invitation(
        code=f"code-{creator.id}-{len(values)}", created_by_id=creator.actor_id, **values
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def registered(handle: str) -> User | None:
    return db.session.scalar(db.select(User).join(Actor).where(Actor.handle == handle))


def test_a_member_creates_a_link_and_sees_it_listed(make_client, factories) -> None:  # noqa: ANN001
    factories.node(invitation_role="member")
    member = factories.user("max")
    client = logged_in_client(make_client, member)
    response = post_form(
        client, "/invitations", {"note": "For Frau Yilmaz", "valid_days": "7", "max_uses": "2"}
    )
    assert response.status_code == 302
    invitation = db.session.scalar(db.select(Invitation))
    assert invitation.created_by_id == member.actor_id and invitation.max_uses == 2
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
    assert len(invitation.code) >= 20
    page = text_of(client.get("/invitations"))
    assert f"http://localhost/register?invite={invitation.code}" in page
    assert "For Frau Yilmaz" in page and "0 / 2" in page


def test_unlimited_invitations_have_no_use_limit(make_client, factories) -> None:  # noqa: ANN001
    member = factories.user("max")
    client = logged_in_client(make_client, member)
    post_form(client, "/invitations", {"valid_days": "14", "max_uses": "1", "unlimited": "y"})
    assert db.session.scalar(db.select(Invitation)).max_uses is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("valid_days", "0"), ("valid_days", "366"), ("max_uses", "0"), ("note", "n" * 201)],
)
def test_bad_invitation_settings_are_refused(make_client, factories, field, value) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, factories.user("max"))
    data = {"valid_days": "14", "max_uses": "1", field: value}
    response = post_form(client, "/invitations", data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_only_the_configured_role_may_invite(make_client, factories) -> None:  # noqa: ANN001
    factories.node(invitation_role="moderator")
    member_client = logged_in_client(make_client, factories.user("max"))
    response = post_form(member_client, "/invitations", {"valid_days": "14", "max_uses": "1"})
    assert response.status_code == 403
    assert "only the team" in text_of(member_client.get("/invitations"))
    moderator_client = logged_in_client(make_client, factories.user("moni", role=Role.MODERATOR))
    assert (
        post_form(
            moderator_client, "/invitations", {"valid_days": "14", "max_uses": "1"}
        ).status_code
        == 302
    )
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1


def test_moderators_see_all_invitations_members_only_their_own(make_client, factories) -> None:  # noqa: ANN001
    max_, eva = factories.user("max"), factories.user("eva")
    make_invitation(max_, note="from max")
    make_invitation(eva, note="from eva")
    page = text_of(logged_in_client(make_client, max_).get("/invitations"))
    assert "from max" in page and "from eva" not in page
    team_page = text_of(
        logged_in_client(make_client, factories.user("moni", role=Role.MODERATOR)).get(
            "/invitations"
        )
    )
    assert "from max" in team_page and "from eva" in team_page


def test_only_the_creator_or_the_team_may_revoke(make_client, factories) -> None:  # noqa: ANN001
    max_ = factories.user("max")
    invitation = make_invitation(max_)
    other = logged_in_client(make_client, factories.user("eva"))
    assert post_form(other, f"/invitations/{invitation.id}/revoke").status_code == 403
    assert db.session.get(Invitation, invitation.id).revoked_at is None
    owner = logged_in_client(make_client, max_)
    assert post_form(owner, f"/invitations/{invitation.id}/revoke").status_code == 302
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    assert post_form(owner, "/invitations/99999/revoke").status_code == 404


@pytest.mark.parametrize("mode", ["open", "approval", "invitation", "closed"])
def test_a_valid_invitation_lets_people_in_at_once_in_every_mode(client, factories, mode) -> None:  # noqa: ANN001
    factories.node(registration_mode=mode)
    invitation = make_invitation(factories.user("max"))
    url = f"/register?invite={invitation.code}"
    page = client.get(url)
    assert page.status_code == 200 and "Max invited you" in text_of(page)
    assert 'name="application_text"' not in text_of(page)
    response = post_form(client, url, registration_data())
    assert response.status_code == 302 and response.headers["Location"] == "/welcome"
    user = registered("anna_b")
    assert user.state == AccountState.ACTIVE and user.invitation_id == invitation.id
    assert db.session.get(Invitation, invitation.id).uses == 1


def test_a_typed_invitation_code_works_on_an_invitation_node(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="invitation")
    invitation = make_invitation(factories.user("max"))
    response = post_form(client, "/register", registration_data(invite_code=invitation.code))
    assert response.status_code == 302
    assert registered("anna_b").invitation_id == invitation.id


def test_a_wrong_typed_code_is_a_field_error(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="invitation")
    response = post_form(client, "/register", registration_data(invite_code="no-such-code"))
    assert response.status_code == 422 and "does not exist" in text_of(response)
    assert registered("anna_b") is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"expires_at": utcnow() - timedelta(minutes=1)}, "has expired"),
        ({"revoked_at": utcnow()}, "withdrawn"),
        ({"uses": 3, "max_uses": 3}, "already been used"),
    ],
)
def test_dead_invitations_say_why_with_410(client, factories, values, message) -> None:  # noqa: ANN001
    factories.node(registration_mode="invitation")
    invitation = make_invitation(factories.user("max"), **values)
    url = f"/register?invite={invitation.code}"
    page = client.get(url)
    assert page.status_code == 410 and message in text_of(page)
    response = post_form(client, url, registration_data())
    assert response.status_code == 410
    assert registered("anna_b") is None


def test_an_unknown_invitation_link_is_404(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="closed")
    assert client.get("/register?invite=made-up").status_code == 404


def test_a_single_use_link_works_only_once(make_client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="closed")
    invitation = make_invitation(factories.user("max"), max_uses=1)
    url = f"/register?invite={invitation.code}"
    assert post_form(make_client(), url, registration_data("first")).status_code == 302
    second = post_form(make_client(), url, registration_data("second"))
    assert second.status_code == 410 and registered("second") is None
    assert db.session.get(Invitation, invitation.id).uses == 1


def test_a_group_invitation_makes_the_newcomer_a_group_member(client, factories) -> None:  # noqa: ANN001
    owner = factories.user("max")
    group = factories.group("gartenfreunde", owner=owner)
    invitation = make_invitation(owner, group_id=group.id)
    page = client.get(f"/register?invite={invitation.code}")
    assert "Gartenfreunde" in text_of(page)
    post_form(client, f"/register?invite={invitation.code}", registration_data())
    user = registered("anna_b")
    membership = db.session.scalar(
        db.select(Membership).where(Membership.actor_id == user.actor_id)
    )
    assert membership.group_id == group.id
    assert membership.state == MembershipState.ACTIVE and membership.role == GroupRole.MEMBER


def test_only_group_moderators_make_group_invitations(make_client, factories) -> None:  # noqa: ANN001
    owner, member = factories.user("max"), factories.user("eva")
    group = factories.group("gartenfreunde", owner=owner, members=(member,))
    assert (
        "gartenfreunde"
        not in text_of(logged_in_client(make_client, member).get("/invitations")).lower()
    )
    refused = post_form(
        logged_in_client(make_client, member),
        "/invitations",
        {"valid_days": "14", "max_uses": "1", "group": str(group.id)},
    )
    assert refused.status_code == 422  # not one of the offered choices
    owner_client = logged_in_client(make_client, owner)
    assert "Gartenfreunde" in text_of(owner_client.get("/invitations"))
    post_form(
        owner_client, "/invitations", {"valid_days": "14", "max_uses": "1", "group": str(group.id)}
    )
    assert db.session.scalar(db.select(Invitation)).group_id == group.id


def test_the_last_use_cannot_be_taken_twice(app, factories) -> None:  # noqa: ANN001
    """Two registrations that both saw one use left: the conditional UPDATE lets only one in."""
    factories.node(registration_mode="closed")
    invitation = make_invitation(factories.user("max"), max_uses=1)
    assert invitation.uses == 0  # this session now holds the stale "one use left"
    with db.engine.connect() as other_connection:  # a simultaneous registration took it
        other_connection.execute(
            update(Invitation).where(Invitation.id == invitation.id).values(uses=1)
        )
        other_connection.commit()
    assert invitation.uses == 0 and invitation.is_usable()
    data = NewMember(
        email="late@example.org",
        handle="late",
        display_name="Late",
        password=NEW_PASSWORD,
        invitation_code=invitation.code,
    )
    with app.test_request_context(), pytest.raises(InvitationGone):
        register(data)
    assert registered("late") is None
    assert db.session.get(Invitation, invitation.id).uses == 1
