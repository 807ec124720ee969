"""The instance actor's inbox (FEP-2677) takes activities like the shared inbox."""

from __future__ import annotations

from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import InboxItem
from quarter_node.extensions import db
from quarter_node.posts.models import Like
from tests.activitypub.inbox.fakes import deliver


def test_the_advertised_instance_inbox_receives_activities(client, factories, bob):
    document = client.get("/actor").get_json()
    assert document["inbox"] == "http://localhost/actor/inbox"
    post = factories.post(factories.user("anna"), "Flohmarkt am Sonntag")
    like = bob.activity("Like", f"http://localhost/posts/{post.id}")

    response = deliver(client, bob, like, path="/actor/inbox")

    assert response.status_code == 202
    assert db.session.scalar(db.select(Like.uri)) == like["id"]
    assert db.session.scalar(db.select(InboxItem.state)) == "done"


def test_unsigned_posts_to_the_instance_inbox_are_refused(client, bob):
    instance_actor()
    db.session.commit()
    like = bob.activity("Like", "http://localhost/posts/1")
    response = client.post(
        "/actor/inbox", json=like, headers={"Content-Type": "application/activity+json"}
    )
    assert response.status_code == 401
    assert db.session.scalar(db.select(InboxItem)) is None
