"""The application shell: configuration, schema, security headers, language choice."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quarter_node.config import SETTINGS, read_environment
from quarter_node.extensions import db
from quarter_node.search.schema import include_object
from tests.helpers import post_form

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text()
    missing = [s.env_name for s in SETTINGS if f"`{s.env_name}`" not in readme]
    assert missing == []


def test_environment_values_are_coerced_to_the_setting_types() -> None:
    values = read_environment({"QN_PORT": "8080", "QN_DEV_MODE": "yes", "QN_HOST": "0.0.0.0"})
    assert values == {"PORT": 8080, "DEV_MODE": True, "HOST": "0.0.0.0"}


def test_migrations_match_the_models(app) -> None:  # noqa: ANN001
    """A model changed without a migration would break every existing node on upgrade."""
    with db.engine.connect() as connection:
        # The full-text objects of one dialect (FTS5 table, tsvector column) are outside
        # the models by design (quarter_node/search/schema.py).
        opts = {"compare_type": False, "include_object": include_object}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_pages_carry_a_content_security_policy(client) -> None:  # noqa: ANN001
    response = client.get("/about")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_inbox_answers_carry_nosniff_but_not_the_page_headers(client) -> None:  # noqa: ANN001
    """Inbox answers are short texts for servers (``quarter_node.machine``): never rendered,
    never framed, so the page headers are left out; ``nosniff`` stays."""
    response = client.post("/inbox", data=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response.headers
    assert "X-Frame-Options" not in response.headers


def test_german_is_the_default_and_the_browser_language_is_followed(client) -> None:  # noqa: ANN001
    from quarter_node.node.services import NodeSettings, update_node_settings

    assert NodeSettings().default_language == "de"
    update_node_settings(default_language="de")
    db.session.commit()
    assert '<html lang="de">' in client.get("/about").get_data(as_text=True)
    english = client.get("/about", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_a_visitor_can_choose_the_language(client) -> None:  # noqa: ANN001
    response = post_form(client, "/language", {"language": "en", "next": "/about"})
    assert response.status_code == 302 and response.headers["Location"] == "/about"
    assert '<html lang="en">' in client.get("/about").get_data(as_text=True)


def test_language_choice_never_redirects_off_the_node(client) -> None:  # noqa: ANN001
    response = post_form(client, "/language", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_unknown_language_is_refused(client) -> None:  # noqa: ANN001
    assert post_form(client, "/language", {"language": "xx"}).status_code == 400


def test_a_form_without_csrf_token_is_refused(client) -> None:  # noqa: ANN001
    response = client.post("/language", data={"language": "en"})
    assert response.status_code == 400
    assert "Formular" in response.get_data(as_text=True) or "form" in response.get_data(
        as_text=True
    )


def test_messages_outside_a_request_use_the_node_language(app) -> None:  # noqa: ANN001
    """CLI commands and background jobs translate too, in the node's default language."""
    from flask_babel import gettext, refresh

    from quarter_node.node.services import update_node_settings

    update_node_settings(default_language="de")
    refresh()
    assert gettext("You are not allowed to do this.") == "Das dürfen Sie leider nicht."


def test_existing_nodes_upgrade_with_their_data(app_factory, tmp_path) -> None:  # noqa: ANN001
    """Every migration applies to a database that already holds rows, and reverts."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    node = app_factory(DATABASE_URL=f"sqlite:///{tmp_path / 'old.db'}")
    with node.app_context():
        upgrade(revision="bb564485504a")  # the first released schema
        db.session.execute(
            text(
                "INSERT INTO actors (kind, handle, domain, display_name, bio, created_at) "
                "VALUES ('person', 'anna', '', 'Anna', '', '2026-01-01 00:00:00')"
            )
        )
        db.session.commit()
        upgrade(revision="heads")  # the core's and each built-in plugin's branch
        assert db.session.execute(text("SELECT handle, inbox_url FROM actors")).one() == (
            "anna",
            "",
        )
        downgrade(revision="bb564485504a")
        upgrade(revision="heads")
        db.session.remove()
        db.engine.dispose()
