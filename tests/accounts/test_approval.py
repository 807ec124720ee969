"""The moderators' approval queue: who sees it, what a decision does, what is logged."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import AccountState, Role, User
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import logged_in_client, login, post_form, text_of


@pytest.fixture
def make_client(mail_app):  # noqa: ANN001, ANN201
    return mail_app.test_client


@pytest.fixture
def applicant(mail_factories) -> User:  # noqa: ANN001
    user = mail_factories.user("anna", state=AccountState.PENDING, display_name="Anna")
    user.application_text = "I run the repair café in the Lindenstraße."
    db.session.commit()
    return user


@pytest.fixture
def moderator_client(make_client, mail_factories):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, mail_factories.user("moni", role=Role.MODERATOR))


def test_moderators_see_applicants_with_their_text(moderator_client, applicant) -> None:  # noqa: ANN001
    page = moderator_client.get("/moderation/registrations")
    assert page.status_code == 200
    assert "@anna" in text_of(page) and "repair café in the Lindenstraße" in text_of(page)


def test_members_may_not_open_the_queue(make_client, mail_factories, applicant) -> None:  # noqa: ANN001
    member = logged_in_client(make_client, mail_factories.user("max"))
    assert member.get("/moderation/registrations").status_code == 403
    assert post_form(member, f"/moderation/registrations/{applicant.id}/approve").status_code == 403
    assert db.session.get(User, applicant.id).state == AccountState.PENDING


def test_visitors_are_sent_to_the_login(make_client, applicant) -> None:  # noqa: ANN001
    response = make_client().get("/moderation/registrations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_approval_activates_logs_and_mails(
    make_client, moderator_client, applicant, smtp_server
) -> None:  # noqa: ANN001
    response = post_form(moderator_client, f"/moderation/registrations/{applicant.id}/approve")
    assert response.status_code == 302
    assert db.session.get(User, applicant.id).state == AccountState.ACTIVE
    entry = db.session.scalar(db.select(AuditLogEntry))
    assert entry.action == "registration.approve" and entry.target_actor_id == applicant.actor_id
    assert [m["To"] for m in smtp_server.messages] == ["anna@example.org"]
    assert "approved" in smtp_server.messages[0].get_content()
    assert "http://localhost/login" in smtp_server.messages[0].get_content()
    login(make_client(), "anna@example.org", DEFAULT_PASSWORD)
    queue = text_of(moderator_client.get("/moderation/registrations"))
    assert "@anna is now a member" in queue and "Nobody is waiting" in queue


def test_rejection_with_a_reason_logs_and_mails(
    make_client, moderator_client, applicant, smtp_server
) -> None:  # noqa: ANN001
    url = f"/moderation/registrations/{applicant.id}/reject"
    response = post_form(moderator_client, url, {"reason": "We only serve the Nordstadt."})
    assert response.status_code == 302
    assert db.session.get(User, applicant.id).state == AccountState.REJECTED
    entry = db.session.scalar(db.select(AuditLogEntry))
    assert entry.action == "registration.reject" and entry.target_actor_id == applicant.actor_id
    assert entry.note == "We only serve the Nordstadt."
    assert "We only serve the Nordstadt." in smtp_server.messages[0].get_content()
    refused = post_form(
        make_client(), "/login", {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 403 and "not approved" in text_of(refused)


def test_a_decision_cannot_be_made_twice(moderator_client, applicant, smtp_server) -> None:  # noqa: ANN001
    post_form(moderator_client, f"/moderation/registrations/{applicant.id}/approve")
    again = post_form(moderator_client, f"/moderation/registrations/{applicant.id}/reject")
    assert again.status_code == 409
    assert db.session.get(User, applicant.id).state == AccountState.ACTIVE
    assert db.session.scalar(db.select(db.func.count(AuditLogEntry.id))) == 1
    assert len(smtp_server.messages) == 1


def test_an_over_long_reason_is_refused(moderator_client, applicant) -> None:  # noqa: ANN001
    url = f"/moderation/registrations/{applicant.id}/reject"
    response = post_form(moderator_client, url, {"reason": "x" * 2001})
    assert response.status_code == 422 and "2000" in text_of(response)
    assert db.session.get(User, applicant.id).state == AccountState.PENDING


def test_unknown_applicants_are_404(moderator_client) -> None:  # noqa: ANN001
    assert post_form(moderator_client, "/moderation/registrations/9999/approve").status_code == 404
