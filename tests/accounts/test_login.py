"""Logging in and out: who may, what they are told, and the limits on guessing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from quarter_node.accounts.models import AccountState, User
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from tests.factories import DEFAULT_PASSWORD, Factories
from tests.helpers import csrf_token, login, post_form, text_of

WRONG = "The email address or the password is not correct."


def test_login_with_the_right_password_records_the_time(client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    assert user.last_login_at is None
    response = login(client, "Anna@Example.org ")
    assert response.headers["Location"] == "/"
    assert db.session.get(User, user.id).last_login_at is not None
    assert "Log out" in text_of(client.get("/about"))


def test_wrong_password_and_unknown_email_get_the_same_answer(client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    wrong = post_form(client, "/login", {"email": "anna@example.org", "password": "nope-nope-nope"})
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 422
    assert WRONG in text_of(wrong) and WRONG in text_of(unknown)
    assert "Log out" not in text_of(client.get("/about"))


def test_pending_applicants_are_told_they_wait_for_approval(client, factories) -> None:  # noqa: ANN001
    factories.user("anna", state=AccountState.PENDING)
    response = post_form(
        client, "/login", {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert "waiting for approval" in text_of(response)
    assert "Log out" not in text_of(client.get("/about"))


def test_rejected_applicants_are_told_so(client, factories) -> None:  # noqa: ANN001
    factories.user("anna", state=AccountState.REJECTED)
    response = post_form(
        client, "/login", {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403 and "not approved" in text_of(response)


def test_suspended_members_are_told_so(client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    user.actor.suspended_at = utcnow()
    db.session.commit()
    response = post_form(
        client, "/login", {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403 and "suspended" in text_of(response)
    assert "Log out" not in text_of(client.get("/about"))


def test_the_account_state_is_not_revealed_without_the_password(client, factories) -> None:  # noqa: ANN001
    factories.user("anna", state=AccountState.PENDING)
    response = post_form(client, "/login", {"email": "anna@example.org", "password": "wrong-wrong"})
    assert response.status_code == 422
    assert WRONG in text_of(response) and "approval" not in text_of(response)


def test_next_leads_back_but_never_off_the_node(client, make_client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    data = {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    inside = post_form(client, "/login?next=/settings/account", data)
    assert inside.headers["Location"] == "/settings/account"
    other = make_client()
    outside = post_form(other, "/login?next=https://evil.example/", data)
    assert outside.status_code == 302 and "evil.example" not in outside.headers["Location"]


def test_a_protected_page_sends_visitors_to_the_login_and_back(client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    response = client.get("/settings/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]


def test_remember_me_sets_a_lasting_cookie(client, make_client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    data = {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    remembered = post_form(client, "/login", {**data, "remember": "y"})
    assert "remember_token=" in " ".join(remembered.headers.getlist("Set-Cookie"))
    plain = post_form(make_client(), "/login", data)
    assert "remember_token=" not in " ".join(plain.headers.getlist("Set-Cookie"))


def test_logout_needs_a_post_with_csrf_token(client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    login(client, "anna@example.org")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert "Log out" in text_of(client.get("/about"))
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert "Log out" not in text_of(client.get("/about"))


def test_login_without_csrf_token_is_refused(client, factories) -> None:  # noqa: ANN001
    factories.user("anna")
    response = client.post(
        "/login", data={"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400


def test_a_weakly_hashed_password_is_rehashed_at_login(client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    # Cheap, but not the parameters the node uses now (tests use the "cheapest" profile).
    weaker = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1, hash_len=4, salt_len=8)
    old_hash = weaker.hash(DEFAULT_PASSWORD)
    user.password_hash = old_hash
    db.session.commit()
    login(client, "anna@example.org")
    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash != old_hash and new_hash.startswith("$argon2id$")


def test_too_many_login_attempts_are_refused(app_factory) -> None:  # noqa: ANN001
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        Factories(app).node()
        client = app.test_client()
        data = {"email": "nobody@example.org", "password": "wrong-password"}
        statuses = [post_form(client, "/login", data).status_code for _ in range(4)]
        assert statuses == [422, 422, 422, 429]
        refused = post_form(client, "/login", data)
        assert refused.status_code == 429 and "Too many attempts" in text_of(refused)
        assert client.get("/login").status_code == 200  # only POSTs count
        db.session.remove()


@pytest.mark.parametrize(
    ("setting", "url", "data"),
    [
        ("RATELIMIT_REGISTER", "/register", {"email": "x@example.org"}),
        ("RATELIMIT_PASSWORD_RESET", "/password/reset", {"email": "x@example.org"}),
    ],
)
def test_registration_and_reset_requests_are_limited_too(app_factory, setting, url, data) -> None:  # noqa: ANN001
    app = app_factory(RATELIMIT_ENABLED=True, **{setting: "2 per minute"})
    with app.app_context():
        Factories(app).node(registration_mode="open")
        client = app.test_client()
        statuses = [post_form(client, url, data).status_code for _ in range(3)]
        assert statuses[:2] != [429, 429] and statuses[2] == 429
        db.session.remove()
