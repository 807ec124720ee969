"""Joining the node in each registration mode, and what the form refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from quarter_node.accounts.account_settings import delete_account
from quarter_node.accounts.models import AccountState, Actor, Role, User
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from tests.accounts.conftest import NEW_PASSWORD, registration_data
from tests.helpers import DEFAULT_PASSWORD, login, post_form, text_of


def user_by_handle(handle: str) -> User | None:
    return db.session.scalar(db.select(User).join(Actor).where(Actor.handle == handle))


def test_open_node_makes_a_member_at_once_and_logs_them_in(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    response = post_form(client, "/register", registration_data("Anna_B", locale="en"))
    assert response.status_code == 302 and response.headers["Location"] == "/welcome"
    user = user_by_handle("anna_b")
    assert user is not None and user.state == AccountState.ACTIVE
    assert user.email == "anna_b@example.org" and user.locale == "en"
    welcome = client.get("/welcome")
    assert welcome.status_code == 200 and "Anna B." in text_of(welcome)
    assert "/settings/profile" in text_of(welcome) and "/rules" in text_of(welcome)


def test_the_registration_form_links_the_house_rules(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    page = text_of(client.get("/register"))
    assert 'href="/rules"' in page and 'name="accept_rules"' in page


def test_the_house_rules_must_be_accepted(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    response = post_form(client, "/register", registration_data(accept_rules=None))
    assert response.status_code == 422
    assert "accept the house rules" in text_of(response)
    assert user_by_handle("anna_b") is None


def test_approval_node_keeps_the_applicant_waiting_and_tells_the_moderators(
    client, factories
) -> None:  # noqa: ANN001
    factories.node(registration_mode="approval")
    moderator = factories.user("moni", role=Role.MODERATOR)
    member = factories.user("max")
    data = registration_data(application_text="I live in the Lindenstraße and run the repair café.")
    response = post_form(client, "/register", data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/pending"
    assert "waiting for approval" in text_of(client.get("/register/pending"))
    applicant = user_by_handle("anna_b")
    assert applicant.state == AccountState.PENDING
    assert applicant.application_text.startswith("I live in the Lindenstraße")
    notified = db.session.scalars(
        db.select(Notification.recipient_id).where(
            Notification.kind == NotificationKind.REGISTRATION,
            Notification.actor_id == applicant.actor_id,
        )
    ).all()
    assert notified == [moderator.actor_id] and member.actor_id not in notified
    # Not logged in: the welcome page sends the applicant to the login.
    assert client.get("/welcome").status_code == 302


def test_approval_node_requires_a_reason_to_join(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="approval")
    page = text_of(client.get("/register"))
    assert 'name="application_text"' in page
    response = post_form(client, "/register", registration_data(application_text="  "))
    assert response.status_code == 422
    assert "why you would like to join" in text_of(response)
    assert user_by_handle("anna_b") is None


def test_open_node_does_not_ask_for_a_reason(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    assert 'name="application_text"' not in text_of(client.get("/register"))


def test_invitation_node_refuses_registration_without_a_code(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="invitation")
    page = client.get("/register")
    assert page.status_code == 200 and 'name="invite_code"' in text_of(page)
    response = post_form(client, "/register", registration_data())
    assert response.status_code == 422
    assert "only with an invitation" in text_of(response)
    assert user_by_handle("anna_b") is None


def test_closed_node_says_registration_is_closed(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="closed")
    page = client.get("/register")
    assert page.status_code == 403 and "Registration is closed" in text_of(page)
    response = post_form(client, "/register", registration_data())
    assert response.status_code == 403
    assert user_by_handle("anna_b") is None


BAD_INPUT = [
    ("handle", "ab", "3 to 30 characters"),
    ("handle", "anna-b", "3 to 30 characters"),
    ("handle", "a" * 31, "3 to 30 characters"),
    ("handle", "änna", "3 to 30 characters"),
    ("email", "not-an-address", "valid email address"),
    ("email", "a" * 250 + "@example.org", "254"),
    ("display_name", "x" * 101, "100"),
    ("password", "short", "at least 10 characters"),
    ("password_confirm", "Something-else-1", "passwords differ"),
]


def test_bad_input_is_refused_with_a_message(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    for field, value, message in BAD_INPUT:
        response = post_form(client, "/register", registration_data(**{field: value}))
        assert (response.status_code, message in text_of(response)) == (422, True), field
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_taken_email_is_a_field_error(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    factories.user("berta", email="anna_b@example.org")
    response = post_form(client, "/register", registration_data(email="Anna_B@Example.org"))
    assert response.status_code == 422
    assert "already exists" in text_of(response)
    assert user_by_handle("anna_b") is None


@pytest.mark.parametrize("taken_by", ["person", "group", "deleted account"])
def test_a_taken_handle_is_a_field_error(client, factories, taken_by) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    if taken_by == "person":
        factories.user("anna_b")
    elif taken_by == "group":
        factories.group("anna_b")
    else:  # its tombstone keeps the handle (and so the ActivityPub id) for a while
        gone = factories.user("anna_b", email="old@example.org")
        delete_account(gone, password=DEFAULT_PASSWORD)
    response = post_form(client, "/register", registration_data(email="new@example.org"))
    assert response.status_code == 422
    assert "already taken" in text_of(response)
    assert db.session.scalar(db.select(User).where(User.email == "new@example.org")) is None


def test_registration_without_csrf_token_is_refused(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    response = client.post("/register", data=registration_data())
    assert response.status_code == 400
    assert user_by_handle("anna_b") is None


def test_a_new_member_can_log_in_later_with_their_password(client, make_client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    post_form(client, "/register", registration_data())
    login(make_client(), "anna_b@example.org", NEW_PASSWORD)


def test_logged_in_people_are_sent_away_from_the_registration(client, factories) -> None:  # noqa: ANN001
    factories.node(registration_mode="open")
    user = factories.user("berta")
    login(client, user.email)
    assert client.get("/register").status_code == 302


def test_losing_a_race_for_the_same_handle_is_a_field_error_not_a_crash(client, factories) -> None:  # noqa: ANN001
    """Another registration stores the handle between our check and our insert."""
    factories.node(registration_mode="open")

    def other_registration_commits_first(session, flush_context, instances) -> None:  # noqa: ANN001
        with db.engine.connect() as other:
            other.execute(
                insert(Actor).values(kind="person", handle="anna_b", domain="", created_at=utcnow())
            )
            other.commit()

    event.listen(Session, "before_flush", other_registration_commits_first, once=True)
    try:
        response = post_form(client, "/register", registration_data())
    finally:
        if event.contains(Session, "before_flush", other_registration_commits_first):
            event.remove(Session, "before_flush", other_registration_commits_first)
    assert response.status_code == 422 and "already taken" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
