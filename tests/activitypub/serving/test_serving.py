"""Actors, posts and collections served to peers: negotiation, visibility, signed fetches."""

from __future__ import annotations

import pytest

from federation.actors import parse_actor
from federation.objects import parse_object
from federation.signatures import (
    CAVAGE,
    RFC9421,
    HttpMessage,
    SigningKey,
    load_private_key,
    sign_request,
)
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Visibility
from quarter_node.social.models import FollowState
from tests.activitypub.serving.support import (
    AS_ACCEPT,
    fetch,
    follow,
    keypair,
    remote_actor,
    signed_get,
)

BASE = "http://localhost"
LD_ACCEPT = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


@pytest.mark.parametrize(
    "accept",
    [AS_ACCEPT["Accept"], LD_ACCEPT, "application/ld+json", "application/activity+json, */*"],
)
def test_profile_url_answers_json_to_peers_and_html_to_browsers(client, factories, accept) -> None:
    factories.user("anna")
    as_json = client.get("/@anna", headers={"Accept": accept})
    assert as_json.status_code == 200
    assert as_json.headers["Content-Type"] == "application/activity+json; charset=utf-8"
    assert "Accept" in as_json.headers["Vary"]
    info = parse_actor(as_json.get_json())
    assert info.id == f"{BASE}/@anna" and info.public_key is not None
    browser = client.get("/@anna", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.mimetype == "text/html"
    assert "Accept" in browser.headers["Vary"]


@pytest.mark.parametrize(
    "accept",
    ["text/html, application/activity+json", "application/activity+json;q=0.5, text/html", ""],
)
def test_html_wins_unless_activitystreams_is_preferred(client, factories, accept: str) -> None:
    factories.user("anna")
    response = client.get("/@anna", headers={"Accept": accept})
    assert response.mimetype == "text/html"


def test_actor_key_survives_between_fetches(client, factories) -> None:
    factories.user("anna")
    first = fetch(client, "/@anna").get_json()["publicKey"]["publicKeyPem"]
    assert fetch(client, "/@anna").get_json()["publicKey"]["publicKeyPem"] == first


def test_group_and_instance_actor_documents(client, factories) -> None:
    factories.group("garten")
    group = parse_actor(fetch(client, "/groups/garten").get_json())
    assert (group.type, group.inbox) == ("Group", f"{BASE}/groups/garten/inbox")
    instance = client.get("/actor")
    assert instance.headers["Content-Type"].startswith("application/activity+json")
    assert parse_actor(instance.get_json()).type == "Application"
    # A group's handle on the person path leads to the group's id.
    redirected = fetch(client, "/@garten")
    assert redirected.status_code == 302 and redirected.location.endswith("/groups/garten")


def test_unknown_actors_are_404_in_json(client, factories) -> None:
    assert fetch(client, "/@nobody").status_code == 404
    assert fetch(client, "/groups/nothing").status_code == 404
    assert fetch(client, "/@nobody").mimetype == "application/activity+json"


def test_suspended_actor_is_served_minimal(client, factories) -> None:
    user = factories.user("anna")
    user.actor.suspended_at = utcnow()
    db.session.commit()
    document = fetch(client, "/@anna").get_json()
    assert document["suspended"] is True and "name" not in document


# --- posts -----------------------------------------------------------------------------------


def test_public_post_as_note(client, factories) -> None:
    post = factories.post(factories.user("anna"), "Hallo **Quartier**")
    response = fetch(client, f"/posts/{post.id}")
    assert response.status_code == 200 and "Accept" in response.headers["Vary"]
    parsed = parse_object(response.get_json())
    assert parsed.id == f"{BASE}/posts/{post.id}" and parsed.public
    assert client.get(f"/posts/{post.id}").mimetype == "text/html"


def test_followers_only_post_needs_a_signed_fetch_by_a_follower(client, factories) -> None:
    anna = factories.user("anna")
    fan, fan_key = remote_actor("fan")
    stranger, stranger_key = remote_actor("stranger", "other.example")
    follow(fan, anna.actor)
    post = factories.post(anna, "Nur für Folgende", visibility=Visibility.FOLLOWERS)
    path = f"/posts/{post.id}"
    assert fetch(client, path).status_code == 404
    assert signed_get(client, path, stranger_key).status_code == 404
    allowed = signed_get(client, path, fan_key)
    assert allowed.status_code == 200
    assert parse_object(allowed.get_json()).id == f"{BASE}{path}"
    assert "private" in allowed.headers["Cache-Control"]
    assert signed_get(client, path, fan_key, RFC9421).status_code == 200


def test_pending_follower_sees_nothing_more(client, factories) -> None:
    anna = factories.user("anna")
    _fan, key = remote_actor("fan")
    follow(_fan, anna.actor, FollowState.PENDING)
    post = factories.post(anna, visibility=Visibility.FOLLOWERS)
    assert signed_get(client, f"/posts/{post.id}", key).status_code == 404


def test_a_signature_that_does_not_verify_is_401(client, factories) -> None:
    anna = factories.user("anna")
    fan, key = remote_actor("fan")
    post = factories.post(anna)
    forged = SigningKey(key.key_id, load_private_key(keypair(1).private_pem))
    assert signed_get(client, f"/posts/{post.id}", forged).status_code == 401


def test_members_only_group_post_is_404_to_everybody_outside(client, factories) -> None:
    anna = factories.user("anna")
    group = factories.group("haus", visibility=GroupVisibility.MEMBERS_ONLY, members=(anna,))
    fan, fan_key = remote_actor("fan")
    follow(fan, anna.actor)
    member, member_key = remote_actor("member", "other.example")
    follow(member, group.actor)
    post = factories.post(anna, group=group, visibility=Visibility.PUBLIC)
    path = f"/posts/{post.id}"
    assert fetch(client, path).status_code == 404
    assert signed_get(client, path, fan_key).status_code == 404
    assert signed_get(client, path, member_key).status_code == 200  # a remote member


def test_members_post_is_never_served(client, factories) -> None:
    anna = factories.user("anna")
    fan, key = remote_actor("fan")
    follow(fan, anna.actor)
    post = factories.post(anna, visibility=Visibility.MEMBERS)
    assert signed_get(client, f"/posts/{post.id}", key).status_code == 404


def test_deleted_post_is_a_tombstone_with_410(client, factories) -> None:
    anna = factories.user("anna")
    gone = factories.post(anna)
    secret = factories.post(anna, visibility=Visibility.FOLLOWERS)
    hidden = factories.post(anna)
    gone.deleted_at = secret.deleted_at = utcnow()
    hidden.hidden_at = utcnow()
    db.session.commit()
    response = fetch(client, f"/posts/{gone.id}")
    assert response.status_code == 410
    assert response.get_json()["type"] == "Tombstone"
    assert fetch(client, f"/posts/{secret.id}").status_code == 404  # existence stays secret
    assert fetch(client, f"/posts/{hidden.id}").status_code == 404
    assert fetch(client, "/posts/999999").status_code == 404


# --- collections -----------------------------------------------------------------------------


def test_outbox_pages_through_public_posts(app, client, factories) -> None:
    app.config["PAGE_SIZE"] = 2
    anna = factories.user("anna")
    public = [factories.post(anna, f"Beitrag {n}") for n in range(3)]
    factories.post(anna, "leise", visibility=Visibility.UNLISTED)
    factories.post(anna, "privat", visibility=Visibility.FOLLOWERS)
    factories.post(anna, "lokal", visibility=Visibility.MEMBERS)
    outbox = client.get("/@anna/outbox").get_json()
    assert outbox["type"] == "OrderedCollection" and outbox["totalItems"] == 4
    first = client.get(outbox["first"].removeprefix(BASE)).get_json()
    assert first["type"] == "OrderedCollectionPage" and "prev" not in first
    assert first["partOf"] == f"{BASE}/@anna/outbox"
    second = client.get(first["next"].removeprefix(BASE)).get_json()
    assert second["prev"] == f"{BASE}/@anna/outbox?page=1" and "next" not in second
    items = first["orderedItems"] + second["orderedItems"]
    assert [item["type"] for item in items] == ["Create"] * 4
    ids = [item["object"]["id"] for item in items]
    assert ids[1:] == [f"{BASE}/posts/{post.id}" for post in reversed(public)]
    assert all(parse_object(item["object"]).attributed_to == f"{BASE}/@anna" for item in items)


def test_group_outbox_announces_public_posts_only_of_public_groups(client, factories) -> None:
    anna = factories.user("anna")
    garten = factories.group("garten", members=(anna,))
    haus = factories.group("haus", visibility=GroupVisibility.MEMBERS_ONLY, members=(anna,))
    post = factories.post(anna, group=garten)
    factories.post(anna, group=garten, visibility=Visibility.GROUP)
    factories.post(anna, group=haus)
    page = client.get("/groups/garten/outbox?page=1").get_json()
    assert [item["type"] for item in page["orderedItems"]] == ["Announce"]
    assert page["orderedItems"][0]["object"]["id"] == f"{BASE}/posts/{post.id}"
    assert page["orderedItems"][0]["actor"] == f"{BASE}/groups/garten"
    assert client.get("/groups/haus/outbox").get_json()["totalItems"] == 0


def test_followers_and_following_collections(client, factories) -> None:
    anna = factories.user("anna")
    bert = factories.user("bert")
    fan, _key = remote_actor("fan")
    follow(fan, anna.actor)
    follow(bert.actor, anna.actor)
    follow(anna.actor, bert.actor)
    followers = fetch(client, "/@anna/followers").get_json()
    assert followers["totalItems"] == 2
    page = fetch(client, "/@anna/followers?page=1").get_json()
    assert set(page["orderedItems"]) == {fan.uri, f"{BASE}/@bert"}
    following = fetch(client, "/@anna/following?page=1").get_json()
    assert following["orderedItems"] == [f"{BASE}/@bert"]
    assert client.get("/@anna/followers").mimetype == "text/html"  # the page for people


def test_private_group_followers_show_only_the_count(client, factories) -> None:
    haus = factories.group("haus", visibility=GroupVisibility.MEMBERS_ONLY)
    garten = factories.group("garten")
    fan, _key = remote_actor("fan")
    follow(fan, haus.actor)
    follow(fan, garten.actor)
    hidden = client.get("/groups/haus/followers").get_json()
    assert hidden["totalItems"] == 1 and "first" not in hidden
    listed = client.get("/groups/garten/followers?page=1").get_json()
    assert listed["orderedItems"] == [fan.uri]


def test_instance_actor_collections_are_empty(client) -> None:
    for name in ("outbox", "followers", "following"):
        document = client.get(f"/actor/{name}").get_json()
        assert document["totalItems"] == 0 and document["id"] == f"{BASE}/actor/{name}"


@pytest.mark.parametrize("page", ["0", "true", "x", "99999999999999999999999"])
def test_odd_page_numbers_still_answer(client, factories, page: str) -> None:
    factories.post(factories.user("anna"))
    response = client.get(f"/@anna/outbox?page={page}")
    assert response.status_code == 200
    assert response.get_json()["type"] == "OrderedCollectionPage"


def test_head_requests_are_negotiated_too(client, factories) -> None:
    factories.user("anna")
    response = client.head("/@anna", headers=AS_ACCEPT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/activity+json")


def test_signed_fetch_verifies_behind_a_reverse_proxy(client, factories) -> None:
    """The proxy forwards to 127.0.0.1:8000; the peer signed for our public address."""
    anna = factories.user("anna")
    fan, key = remote_actor("fan")
    follow(fan, anna.actor)
    post = factories.post(anna, visibility=Visibility.FOLLOWERS)
    path = f"/posts/{post.id}"
    for scheme in (CAVAGE, RFC9421):
        signed = sign_request(HttpMessage.build("GET", BASE + path, AS_ACCEPT), key, scheme)
        proxied = {**AS_ACCEPT, **signed, "Host": "127.0.0.1:8000"}
        response = client.get(path, headers=proxied, base_url="http://127.0.0.1:8000")
        assert response.status_code == 200, scheme
