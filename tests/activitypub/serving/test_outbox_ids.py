"""Outbox collections list the activities that were sent, under the ids they were sent with:
a peer that walks an outbox must recognise what it already received."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quarter_node.activitypub import ui_services
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.posts import services as posts


def _sent(actor_id: int) -> list[dict]:
    """The activities an actor sent, oldest first."""
    return [
        row.payload
        for row in db.session.scalars(
            select(OutboundActivity)
            .where(OutboundActivity.actor_id == actor_id)
            .order_by(OutboundActivity.id)
        )
    ]


def _object_id(activity: dict) -> str:
    inner = activity["object"]
    return inner if isinstance(inner, str) else inner["id"]


def test_a_persons_outbox_lists_the_sent_creates_and_announces(client, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    written = posts.publish_post(anna, "Flohmarkt am Samstag")
    posts.edit_post(anna, written, "Flohmarkt am Sonntag")  # an Update about the same post
    theirs = posts.publish_post(bert, "Suche Leiter")
    share = ui_services.share_post(anna, theirs)
    share.created_at = utcnow() + timedelta(seconds=1)  # listed newest
    db.session.commit()

    sent = {a["type"]: a for a in _sent(anna.actor_id) if a["type"] in ("Create", "Announce")}
    page = client.get("/@anna/outbox?page=1").get_json()

    items = page["orderedItems"]
    assert [item["type"] for item in items] == ["Announce", "Create"]
    assert [item["id"] for item in items] == [sent["Announce"]["id"], sent["Create"]["id"]]
    assert [_object_id(item) for item in items] == [_object_id(a) for a in sent.values()][::-1]
    assert "Sonntag" in items[1]["object"]["content"]  # the post as it is now
    assert client.get("/@anna/outbox").get_json()["totalItems"] == 2


def test_a_taken_back_share_leaves_the_outbox(client, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    theirs = posts.publish_post(bert, "Suche Leiter")
    ui_services.share_post(anna, theirs)
    ui_services.unshare_post(anna, theirs)
    assert client.get("/@anna/outbox?page=1").get_json()["orderedItems"] == []


def test_a_groups_outbox_lists_the_announce_that_relayed_the_create(client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    garten = factories.group("garten", members=(anna,))
    post = posts.publish_post(anna, "Gießdienst", group=garten)
    posts.edit_post(anna, post, "Gießdienst am Montag")  # relayed as a second Announce

    relays = _sent(garten.actor_id)
    assert [relay["object"]["type"] for relay in relays] == ["Create", "Update"]
    page = client.get("/groups/garten/outbox?page=1").get_json()

    assert [item["id"] for item in page["orderedItems"]] == [relays[0]["id"]]
