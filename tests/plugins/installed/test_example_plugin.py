"""An installed plugin works like a shipped one: found through its entry point, switched on
and off by an admin without a restart, and each of its contributions reaches the node."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from quarter_node.accounts.models import Role, User
from quarter_node.activitypub.models import InboxItem, InboxState
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.plugin_api import object_to_ap
from quarter_node.plugins import services
from tests.activitypub.inbox.fakes import deliver
from tests.helpers import logged_in_client, post_form

from example_plugin.federation import GREETING  # isort: skip
from example_plugin.models import Greeting  # isort: skip

NAME = "example_plugin"


@pytest.fixture
def admin(factories) -> User:  # noqa: ANN001
    return factories.user("chefin", role=Role.ADMIN, locale="en")


@pytest.fixture
def admin_client(make_client, admin: User) -> FlaskClient:  # noqa: ANN001
    return logged_in_client(make_client, admin)


def enable(admin_client: FlaskClient) -> None:
    response = post_form(admin_client, f"/admin/plugins/{NAME}/enable")
    assert response.status_code == 302


def test_the_admin_page_lists_the_installed_plugin_from_its_entry_point(admin_client) -> None:  # noqa: ANN001
    page = admin_client.get("/admin/plugins").get_data(as_text=True)
    assert "example_plugin" in page and "1.2.3" in page
    assert "Greetings from the neighbourhood: a small example plugin" in page
    assert "Enable example_plugin" in page  # installed plugins start disabled


def test_a_disabled_plugin_has_no_page_and_no_navigation(client) -> None:  # noqa: ANN001
    response = client.get("/greetings")
    assert response.status_code == 404
    assert "/greetings" not in client.get("/about").get_data(as_text=True)


def test_enabling_serves_its_page_and_link_and_is_logged(admin_client, client) -> None:  # noqa: ANN001
    enable(admin_client)
    page = client.get("/greetings")
    assert page.status_code == 200
    assert "Greetings from the neighbourhood" in page.get_data(as_text=True)
    assert 'href="/greetings"' in client.get("/about").get_data(as_text=True)
    [entry] = db.session.scalars(db.select(AuditLogEntry)).all()
    assert (entry.action, entry.note) == ("plugin.enable", NAME)


def test_disabling_takes_effect_at_once_without_a_restart(admin_client, client) -> None:  # noqa: ANN001
    enable(admin_client)
    assert client.get("/greetings").status_code == 200
    assert post_form(admin_client, f"/admin/plugins/{NAME}/disable").status_code == 302
    assert client.get("/greetings").status_code == 404
    assert 'href="/greetings"' not in client.get("/about").get_data(as_text=True)


def test_another_process_sees_the_switch_through_the_revision(app_factory, admin_client) -> None:  # noqa: ANN001
    """A second app (as in a second worker process) with its own cache follows the change."""
    other = app_factory(DEV_MODE=True).test_client()
    assert other.get("/greetings").status_code == 404
    enable(admin_client)
    assert other.get("/greetings").status_code == 200


def test_only_admins_switch_plugins(factories, make_client) -> None:  # noqa: ANN001
    member = logged_in_client(make_client, factories.user("anna", locale="en"))
    assert post_form(member, f"/admin/plugins/{NAME}/enable").status_code == 403
    [example] = [p for p in services.installed_plugins() if p.info.name == NAME]
    assert example.enabled is False


def test_switching_needs_a_csrf_token(admin_client) -> None:  # noqa: ANN001
    assert admin_client.post(f"/admin/plugins/{NAME}/enable").status_code == 400


def test_its_setting_is_edited_on_the_admin_page(admin_client, client) -> None:  # noqa: ANN001
    enable(admin_client)
    assert "Hello, neighbours!" in client.get("/greetings").get_data(as_text=True)
    form = admin_client.get(f"/admin/plugins/{NAME}/settings").get_data(as_text=True)
    assert "Motto" in form
    response = post_form(admin_client, f"/admin/plugins/{NAME}/settings", {"motto": "Moin!"})
    assert response.status_code == 302
    assert "Moin!" in client.get("/greetings").get_data(as_text=True)


def test_its_strings_are_german_from_its_own_catalog(admin_client, client) -> None:  # noqa: ANN001
    enable(admin_client)
    page = client.get("/greetings", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Grüße aus der Nachbarschaft" in page and ">Grüße</a>" in page
    # The plugin's catalog also translates "Home"; the core's translation wins.
    assert ">Startseite</a>" in page and "Daheim" not in page


def test_its_activities_are_received_only_while_enabled(admin_client, client, bob) -> None:  # noqa: ANN001
    def greeting(text: str) -> dict:
        return bob.activity(
            "Create",
            {"id": bob.new_id("greetings"), "content": text, "type": "Note", GREETING: True},
        )

    deliver(client, bob, greeting("ignored while disabled"))
    enable(admin_client)
    deliver(client, bob, greeting("Moin from Bob"))
    assert [g.text for g in db.session.scalars(db.select(Greeting))] == ["Moin from Bob"]
    states = db.session.scalars(db.select(InboxItem.state).order_by(InboxItem.id)).all()
    assert states[-1] == InboxState.DONE


def test_its_objects_are_serialized_only_while_enabled(app, admin_client, factories) -> None:  # noqa: ANN001
    author = factories.user("anna")
    db.session.add(Greeting(author_id=author.actor_id, uri="http://localhost/g/1", text="Hi"))
    db.session.commit()

    def serialized() -> dict | None:
        with app.app_context():  # a new job or request: it reads the enabled set again
            return object_to_ap(db.session.scalars(db.select(Greeting)).one())

    assert serialized() is None
    enable(admin_client)
    assert serialized() == {
        "type": "Note",
        "id": "http://localhost/g/1",
        "content": "Hi",
        GREETING: True,
    }


def test_its_command_runs_under_quarter_node(app, factories) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["greetings", "count"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0"


def test_plugins_are_listed_and_switched_on_the_command_line(app) -> None:  # noqa: ANN001
    runner = app.test_cli_runner()
    assert "example_plugin 1.2.3 disabled" in runner.invoke(args=["plugins", "list"]).output
    assert runner.invoke(args=["plugins", "enable", NAME]).exit_code == 0
    assert "example_plugin 1.2.3 enabled" in runner.invoke(args=["plugins", "list"]).output


def test_the_nodes_own_template_wins_over_the_plugins(
    app_factory, monkeypatch, tmp_path, admin_client
) -> None:  # noqa: ANN001
    own = tmp_path / "templates" / "example_plugin"
    own.mkdir(parents=True)
    (own / "index.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Our greetings</h1>{% endblock %}'
    )
    monkeypatch.setenv("QN_INSTANCE_PATH", str(tmp_path))
    node = app_factory(DEV_MODE=True)
    enable(admin_client)
    assert "<h1>Our greetings</h1>" in node.test_client().get("/greetings").get_data(as_text=True)
