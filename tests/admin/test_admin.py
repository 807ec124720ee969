"""The admin area: only admins enter; settings, people and roles; the last admin stays."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from quarter_node.accounts.models import AccountState, Role, User
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry, Report, ReportState
from quarter_node.node.services import get_node_settings
from tests.helpers import logged_in_client, post_form, text_of

ADMIN_PAGES = ("/admin", "/admin/settings", "/admin/users")

SETTINGS = {
    "name": "Nordstadt online",
    "quarter": "Dortmund-Nordstadt",
    "description": "Der Treffpunkt für die Nachbarschaft.",
    "default_language": "de",
    "registration_mode": "open",
    "invitation_role": "moderator",
    "rules": "1. Freundlich bleiben",
    "imprint": "**Nachbarschaftsverein Nordstadt e. V.**\n\nMusterstraße 1, 44135 Dortmund",
    "privacy": "Wir speichern nur, was nötig ist.",
    "contact_email": "team@nordstadt.example",
}


@pytest.fixture
def admin(factories) -> User:  # noqa: ANN001
    return factories.user("chefin", role=Role.ADMIN, locale="en")


@pytest.fixture
def admin_client(make_client, admin: User) -> FlaskClient:  # noqa: ANN001
    return logged_in_client(make_client, admin)


def audit_entries() -> list[AuditLogEntry]:
    return list(db.session.scalars(db.select(AuditLogEntry).order_by(AuditLogEntry.id)))


def count_shown(page: str, label: str) -> int:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(\d+)</dd>", page)
    assert match, f"no count for {label}"
    return int(match.group(1))


# --- who may enter ----------------------------------------------------------------------------


def test_visitors_are_asked_to_log_in(client: FlaskClient) -> None:
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_members_and_moderators_are_refused(make_client, factories, role: Role) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, factories.user(role=role))
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    assert post_form(client, "/admin/settings", SETTINGS).status_code == 403
    target = factories.user("anna")
    assert post_form(client, "/admin/users/anna/role", {"role": "admin"}).status_code == 403
    assert get_node_settings().name == "Testquartier"
    assert db.session.get(User, target.id).role == Role.MEMBER


def test_the_overview_counts_people_reports_and_posts(admin_client, admin, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    factories.user("carla", state=AccountState.PENDING)
    factories.post(anna)
    factories.post(bert)
    factories.post(bert).deleted_at = utcnow()
    db.session.add(Report(reporter_id=anna.actor_id, target_actor_id=bert.actor_id, reason="x"))
    db.session.add(
        Report(
            reporter_id=anna.actor_id,
            target_actor_id=bert.actor_id,
            reason="y",
            state=ReportState.DISMISSED,
        )
    )
    db.session.commit()

    page = text_of(admin_client.get("/admin"))

    assert count_shown(page, "Members") == 3
    assert count_shown(page, "Registrations waiting for approval") == 1
    assert count_shown(page, "Open reports") == 1
    assert count_shown(page, "Posts") == 2
    assert 'href="/moderation"' in page and 'href="/moderation/registrations"' in page


# --- node settings ----------------------------------------------------------------------------


def test_saved_settings_show_up_on_the_node(admin_client: FlaskClient, client) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/admin/settings", SETTINGS)
    assert response.status_code == 302

    settings = get_node_settings()
    assert {key: getattr(settings, key) for key in SETTINGS} == SETTINGS
    about = text_of(client.get("/about"))
    assert "– Nordstadt online</title>" in about
    assert "team@nordstadt.example" in about
    imprint = text_of(client.get("/imprint"))
    assert "<strong>Nachbarschaftsverein Nordstadt e. V.</strong>" in imprint
    form = text_of(admin_client.get("/admin/settings"))
    assert 'value="Dortmund-Nordstadt"' in form and "Musterstraße 1" in form


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "N" * 101), ("imprint", "x" * 50_001), ("contact_email", "kein-mail")],
)
def test_bad_settings_are_refused_and_nothing_changes(admin_client, field: str, value: str) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/admin/settings", {**SETTINGS, field: value})
    assert response.status_code == 422
    page = text_of(response)
    assert f'id="{field}-error"' in page and "Nothing was saved" in page
    assert get_node_settings().name == "Testquartier"
    assert get_node_settings().imprint == ""


def test_a_node_needs_a_name(admin_client) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/admin/settings", {**SETTINGS, "name": "   "})
    assert response.status_code == 422 and 'id="name-error"' in text_of(response)


# --- people and roles -------------------------------------------------------------------------


def test_the_user_list_pages_and_searches(admin_client, factories) -> None:  # noqa: ANN001
    for n in range(31):
        factories.user(f"nachbar{n:02d}")
    factories.user("zora", email="zora@garten.example")

    first = text_of(admin_client.get("/admin/users"))
    assert first.count('class="card"') == 30 and 'rel="next"' in first
    second = text_of(admin_client.get("/admin/users?page=2"))
    assert second.count('class="card"') == 3 and 'rel="prev"' in second

    by_mail = text_of(admin_client.get("/admin/users?q=GARTEN"))
    assert by_mail.count('class="card"') == 1 and "@zora" in by_mail
    by_handle = text_of(admin_client.get("/admin/users?q=@nachbar3"))
    assert by_handle.count('class="card"') == 1 and "@nachbar30" in by_handle
    assert "Nobody matches" in text_of(admin_client.get("/admin/users?q=100%25"))


def test_an_admin_changes_a_role_and_it_is_logged(admin_client, admin, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")

    response = post_form(admin_client, "/admin/users/anna/role", {"role": "moderator"})

    assert response.status_code == 302
    assert db.session.get(User, anna.id).role == Role.MODERATOR
    [entry] = audit_entries()
    assert (entry.action, entry.note) == ("user.set_role", "member -> moderator")
    assert (entry.moderator_id, entry.target_actor_id) == (admin.actor_id, anna.actor_id)
    assert "@anna is now: Moderator." in text_of(admin_client.get(response.headers["Location"]))


def test_the_last_admin_cannot_step_down(admin_client, admin) -> None:  # noqa: ANN001
    response = post_form(admin_client, "/admin/users/chefin/role", {"role": "member"})
    assert response.status_code == 409
    assert "at least one admin" in text_of(response)
    assert db.session.get(User, admin.id).role == Role.ADMIN
    assert audit_entries() == []


def test_a_suspended_admin_does_not_count_as_the_other_admin(
    admin_client, admin, factories
) -> None:  # noqa: ANN001
    other = factories.user("vertretung", role=Role.ADMIN)
    other.actor.suspended_at = utcnow()
    db.session.commit()
    response = post_form(admin_client, "/admin/users/chefin/role", {"role": "member"})
    assert response.status_code == 409


def test_with_a_second_admin_an_admin_may_step_down(admin_client, admin, factories) -> None:  # noqa: ANN001
    factories.user("vertretung", role=Role.ADMIN)
    response = post_form(admin_client, "/admin/users/chefin/role", {"role": "moderator"})
    assert response.status_code == 302
    assert db.session.get(User, admin.id).role == Role.MODERATOR
    assert admin_client.get("/admin").status_code == 403


def test_unknown_roles_and_people_are_refused(admin_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    response = post_form(admin_client, "/admin/users/anna/role", {"role": "king"})
    assert response.status_code == 422 and "listed roles" in text_of(response)
    assert db.session.get(User, anna.id).role == Role.MEMBER
    assert post_form(admin_client, "/admin/users/nobody/role", {"role": "admin"}).status_code == 404
