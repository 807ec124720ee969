"""The ids of activities we send can be fetched, but only public ones, and never with an
old copy of the object they carried."""

from __future__ import annotations

from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from quarter_node.posts import services as posts
from quarter_node.posts.models import Visibility
from tests.activitypub.serving.support import fetch

BASE = "http://localhost"


def _activity_of(post_id: int, kind: str = "Create") -> OutboundActivity:
    return db.session.scalar(
        db.select(OutboundActivity).where(
            OutboundActivity.activity_type == kind,
            OutboundActivity.uri.contains(f"/p{post_id}-"),
        )
    )


def _path(activity: OutboundActivity) -> str:
    return activity.uri.removeprefix(BASE)


def test_a_public_create_is_served_with_its_object_as_a_link(client, factories) -> None:
    anna = factories.user("anna")
    post = posts.publish_post(anna, "Flohmarkt am Samstag")
    create = _activity_of(post.id)

    response = fetch(client, _path(create))

    assert response.status_code == 200
    document = response.get_json()
    assert (document["id"], document["type"]) == (create.uri, "Create")
    assert document["actor"] == f"{BASE}/@anna"
    assert document["object"] == f"{BASE}/posts/{post.id}"
    assert "Flohmarkt" not in response.get_data(as_text=True)


def test_followers_only_activities_are_not_served(client, factories) -> None:
    anna = factories.user("anna")
    post = posts.publish_post(
        anna, "Schlüssel liegt unter der Matte", visibility=Visibility.FOLLOWERS
    )
    create = _activity_of(post.id)
    assert create is not None and not create.public

    response = fetch(client, _path(create))

    assert response.status_code == 404
    assert "Matte" not in response.get_data(as_text=True)


def test_unknown_activity_ids_are_404(client) -> None:
    assert fetch(client, "/activities/create/nothing-here").status_code == 404
