"""Following by address: what people type, and the errors they get in return."""

from __future__ import annotations

import socket

import pytest

from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub.models import HostPolicy, PeerHost
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.social.models import Follow, FollowState
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def anna(factories):  # noqa: ANN001, ANN201
    return factories.user("anna", locale="en")


@pytest.fixture
def browser(make_client, anna):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, anna)


def _follows_of(user) -> list[Follow]:  # noqa: ANN001
    return list(db.session.scalars(db.select(Follow).where(Follow.follower_id == user.actor_id)))


def test_the_form_is_on_the_home_page(browser) -> None:  # noqa: ANN001
    assert 'action="/remote/follow"' in text_of(browser.get("/"))


def test_the_form_has_its_own_page(browser) -> None:  # noqa: ANN001
    page = browser.get("/remote/follow?handle=@maria@social.example")
    assert page.status_code == 200
    assert 'value="@maria@social.example"' in text_of(page)


def test_visitors_must_log_in(client) -> None:  # noqa: ANN001
    response = post_form(client, "/remote/follow", {"handle": "@maria@social.example"})
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("typed", ["", "maria", "@maria@", "maria at social.example"])
def test_bad_input_is_explained(browser, anna, typed) -> None:  # noqa: ANN001
    response = post_form(browser, "/remote/follow", {"handle": typed})
    assert response.status_code == 422
    assert "@name@example.org" in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert _follows_of(anna) == []


@pytest.mark.parametrize(
    "typed", ["@maria@social.example", "maria@Social.Example", "https://social.example/@maria"]
)
def test_a_known_remote_account_is_followed_pending(
    browser,
    anna,
    remote_actor,
    typed,  # noqa: ANN001
) -> None:
    maria = remote_actor("maria")
    response = post_form(browser, "/remote/follow", {"handle": typed})
    assert response.status_code == 302
    assert response.location.endswith("/@maria@social.example")
    [follow] = _follows_of(anna)
    assert follow.followed_id == maria.id and follow.state == FollowState.PENDING
    page = browser.get(response.location)
    assert "They will answer" in text_of(page)
    assert "waiting for an answer" in text_of(page)


def test_an_address_on_this_node_follows_the_local_person(browser, anna, factories) -> None:  # noqa: ANN001
    ben = factories.user("ben")
    response = post_form(browser, "/remote/follow", {"handle": "@ben@localhost"})
    assert response.status_code == 302 and response.location.endswith("/@ben")
    [follow] = _follows_of(anna)
    assert follow.followed_id == ben.actor_id and follow.state == FollowState.ACCEPTED


def test_an_unknown_local_address_is_not_found(browser, anna) -> None:  # noqa: ANN001
    response = post_form(browser, "/remote/follow", {"handle": "@nobody@localhost"})
    assert response.status_code == 404
    assert "nobody with this name" in text_of(response)


def test_a_blocked_server_is_refused_even_when_known(browser, anna, remote_actor) -> None:  # noqa: ANN001
    remote_actor("maria")
    db.session.add(PeerHost(host="social.example", policy=HostPolicy.REJECT))
    db.session.commit()
    for typed in ("@maria@social.example", "@maria@sub.social.example"):
        response = post_form(browser, "/remote/follow", {"handle": typed})
        assert response.status_code == 403
        assert "does not connect with" in text_of(response)
    assert _follows_of(anna) == []


def test_allowlist_mode_refuses_unlisted_servers(browser, anna, remote_actor) -> None:  # noqa: ANN001
    remote_actor("maria")
    remote_actor("tom", host="friends.example")
    db.session.add(PeerHost(host="friends.example", allowlisted=True))
    update_node_settings(federation_mode="allowlist")
    db.session.commit()
    refused = post_form(browser, "/remote/follow", {"handle": "@maria@social.example"})
    assert refused.status_code == 403
    allowed = post_form(browser, "/remote/follow", {"handle": "@tom@friends.example"})
    assert allowed.status_code == 302


def test_a_service_account_cannot_be_followed(browser, anna, remote_actor) -> None:  # noqa: ANN001
    remote_actor("relay", kind=ActorKind.APPLICATION)
    response = post_form(browser, "/remote/follow", {"handle": "@relay@social.example"})
    assert response.status_code == 422
    assert "no person or group" in text_of(response)
    assert _follows_of(anna) == []


def test_an_unknown_remote_account_is_not_found(app, browser, anna, answering_server) -> None:  # noqa: ANN001
    app.config["DEV_MODE"] = True  # loopback peers, as several dev nodes on one machine
    host = answering_server(404)
    response = post_form(browser, "/remote/follow", {"handle": f"@nobody@{host}"})
    assert response.status_code == 404
    assert "no account with this address" in text_of(response)
    assert _follows_of(anna) == []


def test_an_unreachable_server_is_explained(app, browser, anna) -> None:  # noqa: ANN001
    app.config["DEV_MODE"] = True
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    response = post_form(browser, "/remote/follow", {"handle": f"@maria@127.0.0.1:{port}"})
    assert response.status_code == 502
    assert "did not answer" in text_of(response)
    assert _follows_of(anna) == []
