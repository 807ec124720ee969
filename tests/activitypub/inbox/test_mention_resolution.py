"""``@name@host`` in a post: resolved by WebFinger (or from the cache), linked, addressed,
tagged and delivered; a handle that cannot be resolved stays text. The fake server is
served by ``responses`` (this is HTTP client code)."""

from __future__ import annotations

import json

import pytest
import responses

from federation import vocabulary as v
from quarter_node.activitypub import serializers
from quarter_node.activitypub.models import Delivery, HostPolicy, PeerHost, PostAddressee
from quarter_node.extensions import db
from quarter_node.posts import services as posts
from quarter_node.posts.addressing import addressees_of
from quarter_node.posts.models import Post, Visibility
from tests.activitypub.inbox.fakes import RemoteActor

HOST = "127.0.0.1:59999"
WEBFINGER = f"http://{HOST}/.well-known/webfinger"


@pytest.fixture
def webfinger(peers: responses.RequestsMock, bob: RemoteActor) -> responses.RequestsMock:
    """The fake server answers WebFinger for bob."""
    jrd = {
        "subject": f"acct:bob@{HOST}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": bob.uri}],
    }
    peers.upsert("GET", WEBFINGER, body=json.dumps(jrd), content_type="application/jrd+json")
    return peers


def _gets(peers: responses.RequestsMock, prefix: str) -> int:
    return len([c for c in peers.calls if c.request.url.startswith(prefix)])


def _addressee_uris(post: Post) -> list[str]:
    return [actor.uri for actor in addressees_of(post)]


def _delivery_inboxes() -> set[str]:
    return set(db.session.scalars(db.select(Delivery.inbox_url)))


def test_a_remote_mention_is_looked_up_linked_tagged_and_delivered(app, factories, webfinger, bob):
    anna = factories.user("anna")
    post = posts.publish_post(anna, f"Hallo @bob@{HOST}, kommst du?")

    assert _gets(webfinger, WEBFINGER) == 1
    assert f'<a href="{bob.uri}" rel="nofollow noopener ugc">@bob@{HOST}</a>' in post.content_html
    assert _addressee_uris(post) == [bob.uri]
    note = serializers.post_to_ap(post)
    assert note["to"] == [v.PUBLIC] and bob.uri in note["cc"]
    assert {"type": "Mention", "href": bob.uri, "name": f"@bob@{HOST}"} in note["tag"]
    assert f"http://{HOST}/inbox" in _delivery_inboxes()


def test_a_known_actor_is_taken_from_the_cache(app, factories, webfinger, bob):
    anna = factories.user("anna")
    posts.publish_post(anna, f"Erste Nachricht an @bob@{HOST}")
    posts.publish_post(anna, f"Zweite Nachricht an @Bob@{HOST}")
    assert _gets(webfinger, WEBFINGER) == 1
    assert _gets(webfinger, bob.uri) == 1


@pytest.mark.parametrize("status", [404, 500])
def test_an_unresolvable_handle_stays_text(app, factories, peers, status):
    peers.upsert("GET", WEBFINGER, status=status)
    anna = factories.user("anna")
    post = posts.publish_post(anna, f"Kennt jemand @niemand@{HOST}?")
    assert post.content_html == f"<p>Kennt jemand @niemand@{HOST}?</p>"
    assert _addressee_uris(post) == [] and _delivery_inboxes() == set()


def test_a_blocked_server_is_never_asked(app, factories, webfinger):
    db.session.add(PeerHost(host=HOST, policy=HostPolicy.REJECT))
    db.session.commit()
    post = posts.publish_post(factories.user("anna"), f"Hallo @bob@{HOST}")
    assert _gets(webfinger, f"http://{HOST}") == 0
    assert "<a" not in post.content_html and _addressee_uris(post) == []


def test_a_direct_post_goes_to_the_mentioned_people_only(app, factories, webfinger, bob):
    anna, carl = factories.user("anna"), factories.user("carl")
    post = posts.publish_post(anna, f"Psst @bob@{HOST} und @carl", visibility=Visibility.DIRECT)
    note = serializers.post_to_ap(post)
    assert sorted(note["to"]) == sorted([bob.uri, "http://localhost/@carl"])
    assert note["cc"] == [] and v.PUBLIC not in json.dumps(note)
    assert _delivery_inboxes() == {f"http://{HOST}/inbox"}
    assert carl.actor_id in {row.actor_id for row in db.session.scalars(db.select(PostAddressee))}


def test_an_edit_addresses_people_newly_mentioned(app, factories, webfinger, bob):
    anna = factories.user("anna")
    post = posts.publish_post(anna, "Wer hilft beim Umzug?")
    posts.edit_post(anna, post, f"Wer hilft beim Umzug? @bob@{HOST} vielleicht?")
    assert _addressee_uris(post) == [bob.uri]
    assert bob.uri in post.content_html


def test_lookups_per_post_are_limited(app, factories, peers, monkeypatch):
    from quarter_node.posts import mentions

    monkeypatch.setattr(mentions, "MAX_LOOKUPS", 2)
    peers.upsert("GET", WEBFINGER, status=404)
    text = " ".join(f"@person{n}@{HOST}" for n in range(4))
    posts.publish_post(factories.user("anna"), text)
    assert _gets(peers, WEBFINGER) == 2
