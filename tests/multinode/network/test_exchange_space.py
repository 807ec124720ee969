"""The exchange space across real nodes: a members-only group on the coordination node,
joined from quarter nodes q1 and q2; q3 stays outside the network.

q1 and q2 join the network through the join protocol first; the module leaves the
network as it found it (``steps.reset``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.multinode.harness import (
    Browser,
    Member,
    Node,
    fetch_activitypub,
    text_of_html,
    token,
    wait_until,
)
from tests.multinode.network.conftest import Network
from tests.multinode.network.steps import join, reset

SPACE = "austausch"


@pytest.fixture(scope="module")
def space(network: Network) -> Iterator[Network]:
    """q1 and q2 joined the network, and the space exists on the coordination node."""
    reset(network)
    join(network, network.q1, network.q2)
    coordination = network.coordination
    if "no exchange space" in coordination.cli(["network", "space", "status"])[0].lower():
        coordination.cli(["network", "space", "create", "--owner", coordination.admin.handle])
    try:
        yield network
    finally:
        reset(network)


def space_member(node: Node) -> Member:
    return Member(node=node, handle=SPACE, email="")


def pending_requests(coordination: Node) -> dict[str, int]:
    rows = coordination.query(
        "SELECT f.id, a.domain FROM follows f JOIN actors a ON a.id = f.follower_id"
        " JOIN actors g ON g.id = f.followed_id"
        " WHERE g.handle = :space AND g.domain = '' AND f.state = 'pending'",
        space=SPACE,
    )
    return {domain: follow_id for follow_id, domain in rows}


def follow_state(node: Node, member: Member, coordination: Node) -> str | None:
    rows = node.query(
        "SELECT f.state FROM follows f JOIN actors a ON a.id = f.follower_id"
        " JOIN actors g ON g.id = f.followed_id"
        " WHERE a.handle = :handle AND a.domain = '' AND g.handle = :space AND g.domain = :host",
        handle=member.handle,
        space=SPACE,
        host=coordination.host,
    )
    return str(rows[0][0]) if rows else None


def join_space(browser: Browser, coordination: Node, admin: Browser) -> None:
    """Ask to join from the quarter node; the space's owner accepts on the coordination node."""
    me = browser.member
    assert me is not None
    response = browser.follow_remote(space_member(coordination).fediverse_handle)
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    follow_id = wait_until(
        lambda: pending_requests(coordination).get(browser.node.host),
        message=f"the request of {browser.node.name} never reached the coordination node",
    )
    answer = admin.submit(f"/groups/{SPACE}/remote-requests/{follow_id}/accept")
    assert answer.status_code in (302, 303), text_of_html(answer.text)[:800]
    wait_until(
        lambda: follow_state(browser.node, me, coordination) == "accepted",
        message=f"{browser.node.name} never heard that its member was let in",
    )


def to_group_id(browser: Browser, coordination: Node) -> str:
    page = browser.page(f"/@{SPACE}@{coordination.host}")
    match = re.search(r'name="to_group"[^>]*value="(\d+)"', page)
    assert match, "the space's page on the quarter node offers no way to write into it"
    assert 'value="public"' not in page, "the space offers public posts"
    return match.group(1)


def test_an_exchange_post_reaches_the_members_and_nobody_else(space: Network) -> None:
    coordination, q1, q2, q3 = space.coordination, space.q1, space.q2, space.q3
    admin = coordination.browser(coordination.admin)
    anna, bert, carl = q1.take(), q2.take(), q3.take()
    a, b, c = q1.browser(anna), q2.browser(bert), q3.browser(carl)
    join_space(a, coordination, admin)
    join_space(b, coordination, admin)

    # q3 is outside the network: its request is refused, never listed for the moderators
    c.follow_remote(space_member(coordination).fediverse_handle)
    wait_until(
        lambda: follow_state(q3, carl, coordination) is None,
        message="the space never refused the request from outside the network",
    )
    assert q3.host not in pending_requests(coordination)

    secret = token("tausch")
    group = to_group_id(a, coordination)
    refused = a.submit(
        "/posts", {"text": f"Offen {secret}", "visibility": "public", "to_group": group}
    )
    assert refused.status_code == 422  # never public
    post_id = a.publish(f"Lastenrad zu verleihen {secret}", visibility="group", to_group=group)
    uri = f"{q1.url}/posts/{post_id}"

    # it reaches the other quarter's member through the group (fetched from q1 by q2)
    wait_until(
        lambda: b.shows(f"/@{SPACE}@{coordination.host}", secret),
        message="the exchange post never reached the member on q2",
    )
    assert admin.shows("/network/space", secret), "the space page does not list it"

    # nothing of it for anybody else
    assert not q3.query("SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{secret}%")
    for signer in (None, q3.signing_key()):
        answer = fetch_activitypub(uri, signer)
        assert answer.status_code == 404, (signer, answer.status_code)
        assert secret not in answer.text
    assert fetch_activitypub(uri, q2.signing_key()).status_code == 200  # a member node
    assert secret not in q1.browser().get(f"/posts/{post_id}").text
    assert secret not in q1.browser(q1.take()).get(f"/posts/{post_id}").text
    assert secret not in c.get(f"/@{anna.handle}@{q1.host}").text
    for path in (f"/groups/{SPACE}/outbox", f"/@{anna.handle}/outbox"):
        node = coordination if "groups" in path else q1
        assert secret not in fetch_activitypub(f"{node.url}{path}").text
    assert secret not in coordination.browser().get("/network/space").text
    assert "Lastenrad" not in q1.browser().get(f"/search?q={secret}").text  # echoes the query
    sent_to = coordination.query(
        "SELECT d.host FROM deliveries d JOIN outbound_activities o ON o.id = d.activity_id"
        " WHERE CAST(o.payload AS TEXT) LIKE :uri",
        uri=f"%{uri}%",
    )
    assert {row[0] for row in sent_to} <= {q1.host, q2.host}


def test_the_project_team_announces_and_members_answer(space: Network) -> None:
    coordination, q1, q2 = space.coordination, space.q1, space.q2
    admin = coordination.browser(coordination.admin)
    anna, bert = q1.take(), q2.take()
    a, b = q1.browser(anna), q2.browser(bert)
    join_space(a, coordination, admin)
    join_space(b, coordination, admin)

    news = token("news")
    group_id = re.search(r'name="group_id"[^>]*value="(\d+)"', admin.page(f"/groups/{SPACE}"))
    assert group_id, "the space's page has no compose form for its owner"
    admin.publish(f"Workshop Digitale Werkzeuge {news}", visibility="group", group_id=group_id[1])
    page = admin.page("/network/space")
    assert news in text_of_html(page.split('id="discussions-title"')[0])  # an announcement
    for browser in (a, b):
        wait_until(
            lambda browser=browser: browser.shows(f"/@{SPACE}@{coordination.host}", news),
            message=f"the announcement never reached {browser.node.name}",
        )

    answer = token("antwort")
    copy_on_b = b.post_id_with(news, f"/@{SPACE}@{coordination.host}")
    assert copy_on_b is not None
    b.publish(f"Wir kommen gern {answer}", in_reply_to=str(copy_on_b))
    copy_on_a = a.post_id_with(news, f"/@{SPACE}@{coordination.host}")
    wait_until(
        lambda: a.shows(f"/posts/{copy_on_a}", answer),
        message="bert's answer never reached anna through the space",
    )


def test_a_guide_of_the_team_reaches_the_members_on_their_nodes(space: Network) -> None:
    coordination, q1, q3 = space.coordination, space.q1, space.q3
    admin = coordination.browser(coordination.admin)
    anna = q1.take()
    a = q1.browser(anna)
    join_space(a, coordination, admin)

    title = token("leitfaden")
    saved = admin.submit(
        "/network/space/documents/new",
        {"title": f"Leitfaden digitale Werkzeuge {title}", "body": "## Messenger\n\nSignal"},
    )
    assert saved.status_code in (302, 303), text_of_html(saved.text)[:800]
    wait_until(
        lambda: a.shows(f"/@{SPACE}@{coordination.host}", title),
        message="the guide never reached the member on q1",
    )
    document_url = coordination.url + saved.headers["Location"]
    assert fetch_activitypub(document_url, q1.signing_key()).status_code == 200
    for signer in (None, q3.signing_key()):
        answer = fetch_activitypub(document_url, signer)
        assert answer.status_code == 404 and title not in answer.text
    assert title not in coordination.browser().get(document_url).text

    # the team takes it back: gone on the member's node too
    deleted = admin.submit(saved.headers["Location"] + "/delete")
    assert deleted.status_code in (302, 303), text_of_html(deleted.text)[:800]
    wait_until(
        lambda: not a.shows(f"/@{SPACE}@{coordination.host}", title),
        message="the deleted guide stayed on q1",
    )
    assert fetch_activitypub(document_url, q1.signing_key()).status_code == 404
