"""Payloads as Mastodon, Friendica, Misskey, Lemmy and Mobilizon send them, through the
real inbox: each is verified, stored and applied (or ignored) without a failure."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import pytest

from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.social.models import Follow
from tests.activitypub.inbox.conftest import inbox_items
from tests.activitypub.inbox.fakes import RemoteActor, deliver
from tests.federation.conftest import load_fixture


def _actor_for(uri: str, peers, key_number: int = 0) -> RemoteActor:  # noqa: ANN001
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(uri))
    name = urlsplit(uri).path.rstrip("/").rsplit("/", 1)[-1].lstrip("@") or "actor"
    return RemoteActor(name, origin=origin, fixed_uri=uri, key_number=key_number).serve(peers)


def _followed_by_local(client, factories, remote: RemoteActor) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    deliver(client, remote, remote.activity("Follow", "http://localhost/@nobody"))
    remote_row = db.session.scalar(db.select(Actor).where(Actor.uri == remote.uri))
    db.session.add(Follow(follower_id=anna.actor_id, followed_id=remote_row.id))
    db.session.commit()


def _as_create(note: dict) -> dict:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note['id']}#create",
        "type": "Create",
        "actor": note["attributedTo"],
        "object": {k: v for k, v in note.items() if k != "@context"},
        "to": note.get("to", []),
        "cc": note.get("cc", []),
    }


@pytest.mark.parametrize(
    "name",
    [
        "mastodon/create_note.json",
        "friendica/note_contentmap.json",
        "misskey/note_quote.json",
        "mastodon/question.json",
    ],
)
def test_posts_of_followed_authors_are_stored(client, factories, peers, name):
    payload = load_fixture(name)
    activity = payload if payload["type"] == "Create" else _as_create(payload)
    author = _actor_for(activity["actor"], peers)
    _followed_by_local(client, factories, author)
    assert deliver(client, author, activity).status_code == 202
    post = db.session.scalar(db.select(Post).where(Post.uri == activity["object"]["id"]))
    assert post is not None and post.content_html
    assert "<script" not in post.content_html and "class=" not in post.content_html
    assert inbox_items()[-1].state == "done"


def test_mastodon_delete_with_tombstone_removes_the_stored_post(client, factories, peers):
    create = load_fixture("mastodon/create_note.json")
    author = _actor_for(create["actor"], peers)
    _followed_by_local(client, factories, author)
    deliver(client, author, create)
    deliver(client, author, load_fixture("mastodon/delete_tombstone.json"))
    assert db.session.scalar(db.select(Post).where(Post.uri == create["object"]["id"])) is None


def test_lemmy_community_relays_a_page_to_its_local_followers(client, factories, peers):
    announce = load_fixture("lemmy/announce_create_page.json")
    community = _actor_for(announce["actor"], peers)
    community.kind = "Group"
    community.serve(peers)
    _actor_for(announce["object"]["actor"], peers, key_number=1)
    _followed_by_local(client, factories, community)
    assert deliver(client, community, announce).status_code == 202
    page = announce["object"]["object"]
    post = db.session.scalar(db.select(Post).where(Post.uri == page["id"]))
    assert post is not None and post.author.uri == announce["object"]["actor"]


@pytest.mark.parametrize(
    "name",
    [
        "lemmy/comment_note.json",
        "mobilizon/event.json",
        "mobilizon/join.json",
        "mastodon/follow.json",
        "mastodon/undo_like.json",
        "mastodon/accept_follow.json",
    ],
)
def test_other_payloads_are_handled_or_ignored_without_failure(client, factories, peers, name):
    payload = copy.deepcopy(load_fixture(name))
    activity = (
        _as_create(payload) if "attributedTo" in payload and "actor" not in payload else payload
    )
    if activity["type"] in ("Note", "Event"):
        activity = _as_create(
            payload | {"attributedTo": payload.get("actor", payload["attributedTo"])}
        )
    sender = _actor_for(activity["actor"], peers)
    factories.user("anna")
    assert deliver(client, sender, activity).status_code == 202
    assert inbox_items() and {item.state for item in inbox_items()} <= {"done", "ignored"}
