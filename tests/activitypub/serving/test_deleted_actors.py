"""What remains of a deleted account or group, as other servers and people see it: 410
with a Tombstone at the old id, 410 on WebFinger and the inbox, a "deleted" page, no login
and nothing personal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from federation import vocabulary as v
from quarter_node.accounts import account_settings
from quarter_node.accounts.models import Actor, ActorTombstone, User
from quarter_node.activitypub import keys
from quarter_node.extensions import db
from quarter_node.groups import services as groups
from tests.activitypub.serving.support import AS_ACCEPT
from tests.helpers import DEFAULT_PASSWORD, post_form, text_of


@pytest.fixture
def deleted_anna(factories):  # noqa: ANN001, ANN201
    """Anna, who wrote and was known elsewhere (she has a key), deleted her account."""
    anna = factories.user("anna", email="anna@example.org", display_name="Anna Gärtner")
    anna.actor.bio = "Ich wohne in der Lindenstraße 4."
    factories.post(anna, "Mein Beitrag")
    keys.ensure_key(anna.actor)
    db.session.commit()
    account_settings.delete_account(anna, password=DEFAULT_PASSWORD)
    return "anna"


def test_the_old_id_answers_410_with_a_tombstone(client, deleted_anna) -> None:  # noqa: ANN001
    response = client.get("/@anna", headers=AS_ACCEPT)
    assert response.status_code == 410
    document = response.get_json()
    assert document["id"] == "http://localhost/@anna" and document["type"] == v.TOMBSTONE
    assert document["formerType"] == v.PERSON and document["deleted"]
    assert "publicKey" not in document and "name" not in document


def test_webfinger_and_the_inbox_say_gone(client, deleted_anna) -> None:  # noqa: ANN001
    finger = client.get("/.well-known/webfinger", query_string={"resource": "acct:anna@localhost"})
    assert finger.status_code == 410
    inbox = client.post("/@anna/inbox", data=b"{}", content_type=v.ACTIVITY_JSON)
    assert inbox.status_code == 410
    never = client.get("/.well-known/webfinger", query_string={"resource": "acct:otto@localhost"})
    assert never.status_code == 404


def test_the_profile_page_says_the_account_was_deleted(client, deleted_anna) -> None:  # noqa: ANN001
    response = client.get("/@anna")
    assert response.status_code == 410
    assert "This account has been deleted." in text_of(response)
    assert client.get("/@otto").status_code == 404


def test_nothing_personal_remains_and_nobody_can_log_in(client, deleted_anna) -> None:  # noqa: ANN001
    assert db.session.scalars(select(User)).all() == []
    assert db.session.scalars(select(Actor).where(Actor.handle == "anna")).all() == []
    (tombstone,) = db.session.scalars(select(ActorTombstone)).all()
    kept = {
        column.name: getattr(tombstone, column.key) for column in ActorTombstone.__table__.columns
    }
    for personal in ("anna@example.org", "Anna Gärtner", "Lindenstraße", "Mein Beitrag"):
        assert not any(personal in str(value) for value in kept.values())
    response = post_form(
        client, "/login", {"email": "anna@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code != 302 and "is not correct" in text_of(response)


def test_a_deleted_group_is_gone_at_its_id_and_its_page(client, factories) -> None:  # noqa: ANN001
    owner = factories.user("owner")
    group = factories.group("hofgruppe", owner=owner)
    groups.delete_group(owner, group)

    fetched = client.get("/groups/hofgruppe", headers=AS_ACCEPT)
    assert fetched.status_code == 410 and fetched.get_json()["formerType"] == v.GROUP
    page = client.get("/groups/hofgruppe")
    assert page.status_code == 410 and "This group has been deleted." in text_of(page)
    assert client.get("/@hofgruppe").status_code == 410
