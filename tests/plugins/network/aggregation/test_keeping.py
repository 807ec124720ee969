"""What the coordination node keeps of its members' content: public posts and events of
people on approved member nodes, although nobody there follows them; nothing else."""

from __future__ import annotations

from federation import vocabulary as v
from plugins.events.models import Event
from plugins.network.models import NodeStatus
from quarter_node.extensions import db
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from quarter_node.posts.models import Post, Visibility
from tests.plugins.network.aggregation.helpers import OBERBILK, publish, publish_event
from tests.plugins.network.space_support import add_member


def _post(uri: str) -> Post | None:
    return db.session.scalar(db.select(Post).where(Post.uri == uri))


def _event(uri: str) -> Event | None:
    return db.session.scalar(db.select(Event).where(Event.uri == uri))


def test_public_posts_of_members_are_kept(client, coordination, olga) -> None:  # noqa: ANN001
    note = publish(client, olga, "Gießkannen gesucht")
    post = _post(note["id"])
    assert post is not None and post.visibility == Visibility.PUBLIC


def test_unlisted_followers_only_and_direct_posts_of_members_are_not(
    client, coordination, olga
) -> None:  # noqa: ANN001
    notes = [
        publish(client, olga, "Leise", to=[f"{olga.uri}/followers"], cc=[v.PUBLIC]),
        publish(client, olga, "Nur Folgende", to=[f"{olga.uri}/followers"], cc=[]),
        publish(client, olga, "Direkt", to=["http://127.0.0.1:59996/users/fritz"], cc=[]),
    ]
    assert [_post(note["id"]) for note in notes] == [None, None, None]


def test_posts_of_people_outside_the_network_are_not_kept(client, coordination, stranger) -> None:  # noqa: ANN001
    assert _post(publish(client, stranger, "Werbung")["id"]) is None


def test_members_who_left_are_no_longer_aggregated(client, coordination, olga) -> None:  # noqa: ANN001
    coordination[0].status = NodeStatus.LEFT
    db.session.commit()
    assert _post(publish(client, olga, "Noch da?")["id"]) is None


def test_a_quarter_node_keeps_nothing_of_strangers(client, app, olga) -> None:  # noqa: ANN001
    add_member(OBERBILK, name="Garten Oberbilk")  # a mirrored directory entry
    assert _post(publish(client, olga, "Hallo")["id"]) is None


def test_public_events_of_members_are_kept_as_events(client, peers, coordination, fritz) -> None:  # noqa: ANN001
    document = publish_event(client, peers, fritz, "Repair-Café")
    event = _event(document["id"])
    assert event is not None and event.title == "Repair-Café"
    assert _post(document["id"]) is None


def test_non_public_events_of_members_are_not_kept(client, peers, coordination, fritz) -> None:  # noqa: ANN001
    document = publish_event(
        client, peers, fritz, "Vorstandssitzung", to=[f"{fritz.uri}/followers"], cc=[]
    )
    assert _event(document["id"]) is None


def test_events_of_people_outside_the_network_are_not_kept(
    client, peers, coordination, stranger
) -> None:  # noqa: ANN001
    assert _event(publish_event(client, peers, stranger, "Verkaufsparty")["id"]) is None


def test_the_hook_is_not_asked_when_the_network_plugin_is_off(client, coordination, olga) -> None:  # noqa: ANN001
    set_plugin_enabled_by_operator("network", False)
    db.session.commit()
    assert _post(publish(client, olga, "Aus")["id"]) is None
