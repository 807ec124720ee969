"""/admin/federation, relays: switching this node's relay on and off, and the errors an
admin sees when subscribing to a relay fails (the protocol: tests/activitypub/inbox)."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Role
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.node.services import get_node_settings
from quarter_node.social.models import Follow
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def browser(make_client, factories):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, factories.user("ada", role=Role.ADMIN, locale="en"))


def _audit() -> list[tuple[str, str]]:
    entries = db.session.scalars(db.select(AuditLogEntry).order_by(AuditLogEntry.id))
    return [(entry.action, entry.note) for entry in entries]


def test_the_relay_is_off_until_an_admin_switches_it_on(browser) -> None:  # noqa: ANN001
    assert get_node_settings().relay_enabled is False
    assert "No server subscribes to this node" in text_of(browser.get("/admin/federation"))

    assert post_form(browser, "/admin/federation/relay", {"relay_enabled": "y"}).status_code == 302
    assert get_node_settings().relay_enabled is True
    assert post_form(browser, "/admin/federation/relay", {}).status_code == 302
    assert get_node_settings().relay_enabled is False
    assert _audit() == [("federation.relay_mode", "on"), ("federation.relay_mode", "off")]


def test_only_admins_change_relays(make_client, factories) -> None:  # noqa: ANN001
    member = logged_in_client(make_client, factories.user(role=Role.MODERATOR))
    assert post_form(member, "/admin/federation/relay", {"relay_enabled": "y"}).status_code == 403
    response = post_form(
        member, "/admin/federation/relays", {"relay_address": "https://relay.example/inbox"}
    )
    assert response.status_code == 403
    assert get_node_settings().relay_enabled is False and _audit() == []


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("relay.example", "Please enter the address of a relay, like"),
        ("", "Please enter the address of a relay."),
        ("https://127.0.0.1:9/inbox", "No relay answers at this address."),
    ],
)
def test_a_relay_that_cannot_be_subscribed_is_explained(browser, address, message) -> None:  # noqa: ANN001
    response = post_form(browser, "/admin/federation/relays", {"relay_address": address})
    assert response.status_code == 422
    assert message in text_of(response)
    assert db.session.scalar(db.select(Follow)) is None and _audit() == []


def test_removing_an_unknown_subscription_is_not_found(browser) -> None:  # noqa: ANN001
    assert post_form(browser, "/admin/federation/relays/999/remove").status_code == 404
    assert post_form(browser, "/admin/federation/relay/subscribers/999/remove").status_code == 404
