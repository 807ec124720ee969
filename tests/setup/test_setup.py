"""First-run set-up: a fresh node shows only /setup, and only the holder of the link may
finish it (creating the first admin and the node's basics in one go)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quarter_node.accounts.models import Role, User
from quarter_node.extensions import db
from quarter_node.node.services import get_node_settings
from quarter_node.setup.services import setup_link
from tests.helpers import csrf_token, text_of

pytestmark = pytest.mark.fresh_node

SETUP_DATA = {
    "name": "Nordstadt online",
    "quarter": "Dortmund-Nordstadt",
    "description": "Der Treffpunkt für die Nachbarschaft.",
    "default_language": "en",
    "registration_mode": "invitation",
    "email": "Admin@Nordstadt.example",
    "handle": "quartiersbuero",
    "display_name": "Quartiersbüro",
    "password": "Nachbarschaft-2026",
    "password_confirm": "Nachbarschaft-2026",
}


def open_link(client: FlaskClient) -> str:
    """Visit the printed link like the operator would; returns the token."""
    link = setup_link()
    assert link is not None
    parts = urlsplit(link)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 302 and response.headers["Location"] == "/setup"
    return parts.query.removeprefix("token=")


def submit(client: FlaskClient, **changes: Any) -> TestResponse:
    data = {**SETUP_DATA, **changes, "csrf_token": csrf_token(client, "/setup")}
    return client.post("/setup", data=data)


def users() -> list[User]:
    return list(db.session.scalars(db.select(User)))


def test_every_page_leads_to_setup_until_the_node_is_set_up(client: FlaskClient) -> None:
    for path in ("/", "/about", "/login", "/admin", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/setup"
    form_post = client.post("/register", data={"csrf_token": csrf_token(client, "/setup")})
    assert form_post.headers["Location"] == "/setup"


def test_the_inboxes_lead_to_setup_too_whatever_they_are_sent(client: FlaskClient) -> None:
    """The inboxes skip the page hooks (``quarter_node.machine``) and check set-up
    themselves: a refused body, an unknown inbox and a well-formed activity all redirect."""
    activity = (
        b'{"id": "https://remote.example/a/1", "type": "Follow",'
        b' "actor": "https://remote.example/users/x", "object": "http://localhost/@anna"}'
    )
    for path, body, content_type in (
        ("/inbox", b"x", "text/plain"),
        ("/inbox", activity, "application/activity+json"),
        ("/@nobody/inbox", activity, "application/activity+json"),
        ("/actor/inbox", b"{", "application/activity+json"),
    ):
        response = client.post(path, data=body, headers={"Content-Type": content_type})
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/setup"


def test_styles_and_the_language_switch_work_before_setup(client: FlaskClient) -> None:
    assert client.get("/static/css/main.css").status_code == 200
    token = csrf_token(client, "/setup")
    response = client.post("/language", data={"csrf_token": token, "language": "en"})
    assert response.status_code == 302
    assert '<html lang="en">' in text_of(client.get("/setup"))


def test_setup_without_the_link_says_where_the_link_is_printed(client: FlaskClient) -> None:
    response = client.get("/setup", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "make run" in text_of(response) and "quarter-node init" in text_of(response)
    assert "<form" not in text_of(response).split("</header>")[1].split("<footer")[0]


def test_a_wrong_token_is_refused(client: FlaskClient) -> None:
    setup_link()  # a real token exists, the visitor just does not know it
    assert client.get("/setup?token=guessed").status_code == 403
    assert client.get("/setup").status_code == 403
    token = csrf_token(client, "/setup")
    response = client.post("/setup", data={**SETUP_DATA, "csrf_token": token})
    assert response.status_code == 403
    assert users() == [] and get_node_settings().setup_complete is False


def test_the_token_file_is_private_and_the_link_stays_the_same(app) -> None:  # noqa: ANN001
    first, second = setup_link(), setup_link()
    assert first == second
    assert first.startswith("http://localhost/setup?token=")
    token_file = Path(app.instance_path) / "setup_token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token_file.read_text() == first.partition("token=")[2]


def test_completing_setup_creates_the_admin_and_the_node(app, client: FlaskClient) -> None:  # noqa: ANN001
    open_link(client)
    form_page = client.get("/setup")
    assert form_page.status_code == 200 and 'name="password_confirm"' in text_of(form_page)

    response = submit(client)

    assert response.status_code == 302 and response.headers["Location"] == "/admin"
    [admin] = users()
    assert (admin.email, admin.actor.handle, admin.role) == (
        "admin@nordstadt.example",
        "quartiersbuero",
        Role.ADMIN,
    )
    assert admin.actor.display_name == "Quartiersbüro"
    settings = get_node_settings()
    assert settings.setup_complete is True
    assert (settings.name, settings.quarter, settings.default_language) == (
        "Nordstadt online",
        "Dortmund-Nordstadt",
        "en",
    )
    assert settings.registration_mode == "invitation"
    assert not (Path(app.instance_path) / "setup_token").exists()
    admin_page = client.get("/admin")
    assert admin_page.status_code == 200 and "Nordstadt online" in text_of(admin_page)


def test_after_setup_the_setup_page_is_gone_and_pages_open(client: FlaskClient) -> None:
    token = open_link(client)
    assert submit(client).status_code == 302
    other = client.application.test_client()
    assert other.get(f"/setup?token={token}").status_code == 404
    assert other.get("/setup").status_code == 404
    assert other.get("/about").status_code == 200
    assert setup_link() is None


def test_invalid_input_is_shown_and_nothing_is_stored(app, client: FlaskClient) -> None:  # noqa: ANN001
    open_link(client)
    response = submit(client, password_confirm="Nachbarschaft-2027", name="x" * 101)
    assert response.status_code == 422
    page = text_of(response)
    assert 'aria-invalid="true"' in page and 'id="password_confirm-error"' in page
    assert 'id="name-error"' in page and "100" in page
    assert users() == [] and get_node_settings().setup_complete is False
    assert (Path(app.instance_path) / "setup_token").exists()
    assert submit(client).status_code == 302  # the same link still works afterwards


def test_a_taken_email_keeps_the_whole_setup_undone(client: FlaskClient, factories) -> None:  # noqa: ANN001
    factories.user("early_bird", email="admin@nordstadt.example")
    open_link(client)
    response = submit(client)
    assert response.status_code == 422
    assert 'id="email-error"' in text_of(response)
    assert [u.actor.handle for u in users()] == ["early_bird"]
    assert get_node_settings().setup_complete is False
    assert get_node_settings().name == "Quarter Node"
