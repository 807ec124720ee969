"""/admin/federation: servers, blocks, allowlist, mode; every change in the audit log."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Role
from quarter_node.activitypub.models import HostPolicy, PeerHost
from quarter_node.activitypub.policy import host_allowed
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.node.services import get_node_settings
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def admin(factories):  # noqa: ANN001, ANN201
    return factories.user("ada", role=Role.ADMIN, locale="en")


@pytest.fixture
def browser(make_client, admin):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, admin)


def _audit() -> list[tuple[str, str]]:
    entries = db.session.scalars(db.select(AuditLogEntry).order_by(AuditLogEntry.id))
    return [(entry.action, entry.note) for entry in entries]


def _peer(host: str) -> PeerHost | None:
    return db.session.scalar(db.select(PeerHost).where(PeerHost.host == host))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_admins(make_client, factories, role) -> None:  # noqa: ANN001
    browser = logged_in_client(make_client, factories.user(role=role))
    assert browser.get("/admin/federation").status_code == 403
    response = post_form(
        browser, "/admin/federation/blocks", {"host": "bad.example", "policy": "reject"}
    )
    assert response.status_code == 403
    assert _peer("bad.example") is None and _audit() == []


def test_visitors_are_sent_to_log_in(client) -> None:  # noqa: ANN001
    response = client.get("/admin/federation")
    assert response.status_code == 302 and "/login" in response.location


def test_known_servers_are_listed(browser) -> None:  # noqa: ANN001
    db.session.add(
        PeerHost(
            host="social.example",
            software_name="mastodon",
            software_version="4.3.0",
            consecutive_failures=2,
            available=False,
        )
    )
    db.session.commit()
    page = text_of(browser.get("/admin/federation"))
    assert "social.example" in page and "mastodon 4.3.0" in page


def test_block_and_unblock_a_server(browser, admin) -> None:  # noqa: ANN001
    response = post_form(
        browser,
        "/admin/federation/blocks",
        {"host": "https://Bad.Example/about", "policy": "reject", "reason": "Spam"},
    )
    assert response.status_code == 302
    peer = _peer("bad.example")
    assert peer.policy == HostPolicy.REJECT and peer.policy_reason == "Spam"
    assert not host_allowed("bad.example") and not host_allowed("sub.bad.example")
    assert "Spam" in text_of(browser.get("/admin/federation"))

    assert post_form(browser, f"/admin/federation/blocks/{peer.id}/remove").status_code == 302
    assert _peer("bad.example").policy == HostPolicy.NONE and host_allowed("bad.example")
    assert _audit() == [
        ("federation.block", "bad.example: reject – Spam"),
        ("federation.unblock", "bad.example"),
    ]


def test_limit_a_server(browser) -> None:  # noqa: ANN001
    post_form(browser, "/admin/federation/blocks", {"host": "loud.example", "policy": "limit"})
    assert _peer("loud.example").policy == HostPolicy.LIMIT
    assert host_allowed("loud.example")  # limited servers still federate


@pytest.mark.parametrize("host", ["", "not a host", "localhost", "a/b"])
def test_bad_server_names_are_explained(browser, host) -> None:  # noqa: ANN001
    response = post_form(browser, "/admin/federation/blocks", {"host": host, "policy": "reject"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text_of(response)
    assert db.session.scalar(db.select(db.func.count(PeerHost.id))) == 0 and _audit() == []


def test_allowlist_mode(browser) -> None:  # noqa: ANN001
    assert (
        post_form(
            browser, "/admin/federation/allowlist", {"allowed_host": "friends.example"}
        ).status_code
        == 302
    )
    assert post_form(browser, "/admin/federation/mode", {"mode": "allowlist"}).status_code == 302
    assert get_node_settings().federation_mode == "allowlist"
    assert host_allowed("friends.example") and not host_allowed("other.example")
    peer = _peer("friends.example")
    assert post_form(browser, f"/admin/federation/allowlist/{peer.id}/remove").status_code == 302
    assert not host_allowed("friends.example")
    assert post_form(browser, "/admin/federation/mode", {"mode": "open"}).status_code == 302
    assert host_allowed("other.example")
    assert _audit() == [
        ("federation.allow", "friends.example"),
        ("federation.mode", "allowlist"),
        ("federation.disallow", "friends.example"),
        ("federation.mode", "open"),
    ]


def test_an_unknown_mode_is_refused(browser) -> None:  # noqa: ANN001
    response = post_form(browser, "/admin/federation/mode", {"mode": "everything"})
    assert response.status_code == 422
    assert get_node_settings().federation_mode == "open" and _audit() == []
