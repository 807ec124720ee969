"""Quarter Node federating with Fedify, an ActivityPub framework written by other people.

Fedify checks every HTTP signature itself (an inbox request whose signature does not verify
is refused before any listener sees it), so what the peer received is what Quarter Node
signed correctly; and Quarter Node only shows a followers-only post to a request signed by a
follower, so what the peer may fetch proves Quarter Node verified Fedify's signature.
"""

from __future__ import annotations

from tests.interop.conftest import FedifyPeer
from tests.multinode.harness import Member, Node, fetch_activitypub, token, wait_until
from tests.multinode.test_events import EVENT_DAY, create_event


def inbox_posts(peer: FedifyPeer) -> list[dict[str, object]]:
    """What Quarter Node POSTed to the peer's inboxes (method, path, scheme, status)."""
    return [
        request
        for request in peer.state()["requests"]
        if request["method"] == "POST" and str(request["path"]).endswith("inbox")
    ]


def test_fedify_follows_a_member_and_receives_her_signed_posts(
    quarter_node: Node, fedify_peer: FedifyPeer
) -> None:
    anna = quarter_node.take()
    fedify_peer.follow(anna.actor_uri)
    wait_until(
        lambda: fedify_peer.state()["following"].get(anna.actor_uri) == "accepted",
        message=lambda: f"the Follow was never accepted: {fedify_peer.state()['activities']}",
    )
    browser = quarter_node.browser(anna)
    assert "alice" in browser.people_on(f"/@{anna.handle}/followers")

    word = token()
    post_id = browser.publish(f"Hello Fedify {word}")

    note = wait_until(
        lambda: next((n for n in fedify_peer.state()["notes"] if word in n["content"]), None),
        message="the post never reached the Fedify peer",
    )
    assert note["id"] == f"{quarter_node.url}/posts/{post_id}"
    assert note["attributedTo"] == anna.actor_uri
    posts = inbox_posts(fedify_peer)
    assert posts and all(p["scheme"] in ("rfc9421", "cavage") for p in posts), posts
    assert all(p["status"] in (200, 202) for p in posts), posts


def test_member_follows_alice_by_handle_and_receives_her_posts(
    quarter_node: Node, fedify_peer: FedifyPeer
) -> None:
    bert = quarter_node.take()
    browser = quarter_node.browser(bert)

    response = browser.follow_remote(fedify_peer.handle)

    assert response.status_code in (302, 303), response.text[:800]
    wait_until(
        lambda: any(f["id"] == bert.actor_uri for f in fedify_peer.state()["followers"]),
        message="alice never got bert's Follow",
    )
    wait_until(
        lambda: "alice" in browser.people_on(f"/@{bert.handle}/following"),
        message="Quarter Node never took alice's Accept",
    )
    word = token()
    fedify_peer.post(f"<p>Hello from Fedify {word}</p>")
    wait_until(
        lambda: browser.post_id_with(word, "/") is not None,
        message="alice's post never appeared in bert's home timeline",
    )


def test_each_side_fetches_the_other_with_a_signed_get(
    quarter_node: Node, fedify_peer: FedifyPeer
) -> None:
    carla = quarter_node.take()
    browser = quarter_node.browser(carla)
    # Quarter Node looks alice up when carla follows her: as its instance actor, signed.
    browser.follow_remote(fedify_peer.handle)
    instance_actor = f"{quarter_node.url}/actor"
    wait_until(
        lambda: any(f["keyOwner"] == instance_actor for f in _signed_fetches(fedify_peer)),
        message=lambda: (
            f"no GET of alice signed by {instance_actor}: {_signed_fetches(fedify_peer)}"
        ),
    )

    # Fedify fetches as alice, signed: Quarter Node shows a followers-only post only to a
    # request whose signature it verified as one of the author's followers.
    fedify_peer.follow(carla.actor_uri)
    wait_until(lambda: fedify_peer.state()["following"].get(carla.actor_uri) == "accepted")
    word = token()
    post_id = browser.publish(f"Just for my followers {word}", visibility="followers")
    post_uri = f"{quarter_node.url}/posts/{post_id}"

    assert fetch_activitypub(post_uri).status_code in (401, 403, 404)
    found = fedify_peer.lookup(post_uri)
    assert found is not None and word in str(found.get("content")), found
    actor = fedify_peer.lookup(carla.actor_uri)
    assert actor is not None and actor["id"] == carla.actor_uri


def _signed_fetches(peer: FedifyPeer) -> list[dict[str, object]]:
    return [f for f in peer.state()["actorFetches"] if f["signed"]]


def _event_reaches_fedify(quarter_node: Node, fedify_peer: FedifyPeer) -> tuple[Member, str]:
    """A member alice follows creates a public event; wait until alice has it."""
    dora = quarter_node.take()
    fedify_peer.follow(dora.actor_uri)
    wait_until(lambda: fedify_peer.state()["following"].get(dora.actor_uri) == "accepted")
    title = f"Laternenumzug {token('e')}"
    event_id = create_event(quarter_node.browser(dora), title)
    event_uri = f"{quarter_node.url}/events/{event_id}"
    received = wait_until(
        lambda: next((e for e in fedify_peer.state()["events"] if e["name"] == title), None),
        message="the event never reached the Fedify peer",
    )
    assert received["id"] == event_uri and received["actor"] == dora.actor_uri
    assert received["startTime"] and str(EVENT_DAY.year) in received["summary"]
    return dora, event_uri


def test_fedify_receives_a_members_event_with_a_verified_signature(
    quarter_node: Node, fedify_peer: FedifyPeer
) -> None:
    """The Create(Event) arrives signed (Fedify refuses anything else) and reads as an Event
    with its start and a summary with its date."""
    _event_reaches_fedify(quarter_node, fedify_peer)
    posts = inbox_posts(fedify_peer)
    assert posts and all(p["scheme"] in ("rfc9421", "cavage") for p in posts), posts
    assert all(p["status"] in (200, 202) for p in posts), posts


def test_fedify_signs_up_for_a_members_event_is_accepted_and_gets_her_message(
    quarter_node: Node, fedify_peer: FedifyPeer
) -> None:
    """alice's Join becomes a participation here and is accepted; the organiser's message
    to the participants reaches alice as a Note to her alone that mentions her (what
    Mastodon shows as a private mention)."""
    dora, event_uri = _event_reaches_fedify(quarter_node, fedify_peer)
    join_id = fedify_peer.join(event_uri, dora.actor_uri)
    wait_until(
        lambda: fedify_peer.state()["joins"].get(join_id) == "accepted",
        message=lambda: f"the Join was never accepted: {fedify_peer.state()['activities']}",
    )
    organiser = quarter_node.browser(dora)
    path = event_uri.removeprefix(quarter_node.url)
    assert "alice" in organiser.page(f"{path}/participants").lower()

    word = token()
    response = organiser.submit(f"{path}/participants/message", {"text": f"Bring a lantern {word}"})
    assert response.status_code in (302, 303)
    note = wait_until(
        lambda: next((n for n in fedify_peer.state()["notes"] if word in n["content"]), None),
        message="the message never reached the Fedify peer",
    )
    alice = fedify_peer.state()["actor"]
    assert note["attributedTo"] == dora.actor_uri
    assert note["to"] == [alice] and note["mentions"] == [alice]
