"""Blocking in the browser: the button on local and remote profiles, the question before
blocking, the settings page with its unblock buttons; all plain forms with CSRF tokens."""

from __future__ import annotations

import re

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.extensions import db
from quarter_node.social.models import Block, Follow
from tests.helpers import logged_in_client, post_form, text_of


def _blocks() -> list[tuple[int, int]]:
    return [tuple(row) for row in db.session.execute(db.select(Block.blocker_id, Block.blocked_id))]


def _remote_actor() -> Actor:
    actor = Actor(
        kind=ActorKind.PERSON,
        handle="rita",
        domain="example.net",
        display_name="Rita Remote",
        uri="https://example.net/users/rita",
        inbox_url="https://example.net/users/rita/inbox",
    )
    db.session.add(actor)
    db.session.commit()
    return actor


def test_blocking_from_a_local_profile_asks_first_then_blocks(factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert", display_name="Bert Baum")
    factories.post(bert, "BERTS-POST Kuchen für alle")
    browser = logged_in_client(make_client, anna)
    profile = text_of(browser.get("/@bert"))
    confirm_url = f"/actors/{bert.actor_id}/block"
    assert f'href="{confirm_url}"' in profile and "BERTS-POST" in profile

    question = text_of(browser.get(confirm_url))
    assert _blocks() == []  # opening the question changes nothing
    assert "Block Bert Baum?" in question and 'name="csrf_token"' in question
    assert re.search(rf'<form method="post" action="{confirm_url}"', question)

    response = post_form(browser, confirm_url)
    assert response.status_code == 302 and response.headers["Location"] == "/@bert"
    assert _blocks() == [(anna.actor_id, bert.actor_id)]
    profile = text_of(browser.get("/@bert"))
    assert "You have blocked this account." in profile and "BERTS-POST" not in profile
    assert f"/actors/{bert.actor_id}/unblock" in profile and 'action="/@bert/follow"' not in profile
    assert "BERTS-POST" not in text_of(browser.get("/local"))


def test_the_blocked_person_sees_no_follow_button_and_cannot_follow(factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    factories.post(anna, "ANNAS-POST")
    post_form(logged_in_client(make_client, anna), f"/actors/{bert.actor_id}/block")
    browser = logged_in_client(make_client, bert)
    profile = text_of(browser.get("/@anna"))
    assert 'action="/@anna/follow"' not in profile and "ANNAS-POST" not in profile
    assert post_form(browser, "/@anna/follow").status_code == 403
    assert db.session.scalars(db.select(Follow)).all() == []


def test_blocking_needs_a_csrf_token_and_a_login(factories, make_client, client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    browser = logged_in_client(make_client, anna)
    assert browser.post(f"/actors/{bert.actor_id}/block").status_code == 400
    assert post_form(client, f"/actors/{bert.actor_id}/block").status_code in (302, 401)
    assert post_form(browser, f"/actors/{anna.actor_id}/block").status_code == 400
    assert browser.get("/actors/99999/block").status_code == 404
    assert _blocks() == []


def test_a_remote_profile_has_the_block_button_too(factories, make_client) -> None:  # noqa: ANN001
    anna, rita = factories.user("anna"), _remote_actor()
    browser = logged_in_client(make_client, anna)
    profile = text_of(browser.get("/@rita@example.net"))
    assert f'href="/actors/{rita.id}/block"' in profile
    question = text_of(browser.get(f"/actors/{rita.id}/block"))
    assert "example.net" in question and "told about the block" in question

    response = post_form(browser, f"/actors/{rita.id}/block")
    assert response.headers["Location"] == "/@rita@example.net"
    assert _blocks() == [(anna.actor_id, rita.id)]
    assert "You have blocked this account." in text_of(browser.get("/@rita@example.net"))


def test_the_settings_page_lists_blocks_and_unblocks(factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    bert, rita = factories.user("bert", display_name="Bert Baum"), _remote_actor()
    browser = logged_in_client(make_client, anna)
    assert "You have not blocked anybody." in text_of(browser.get("/settings/blocks"))
    for actor_id in (bert.actor_id, rita.id):
        post_form(browser, f"/actors/{actor_id}/block")

    page = text_of(browser.get("/settings/blocks"))
    assert 'href="/@bert"' in page and "@rita@example.net" in page
    assert 'aria-current="page">Blocked accounts' in page
    assert '<span class="visually-hidden"> Bert Baum</span>' in page  # each button names whom

    response = post_form(browser, f"/actors/{bert.actor_id}/unblock", {"next": "/settings/blocks"})
    assert response.status_code == 302 and response.headers["Location"] == "/settings/blocks"
    assert _blocks() == [(anna.actor_id, rita.id)]
    assert 'href="/@bert"' not in text_of(browser.get("/settings/blocks"))
    assert 'action="/@bert/follow"' in text_of(browser.get("/@bert"))
