"""Three real nodes federating: what people on one node see of people on another.

Everything happens through the pages and forms a person uses (no browser needed: the app works
without JavaScript), and every check waits until the asynchronous deliveries have arrived.
Checks that something did NOT arrive first wait until the sender has tried to deliver, so
they cannot pass merely by looking too early.
"""

from __future__ import annotations

import re

from tests.multinode.conftest import Cluster
from tests.multinode.harness import (
    Browser,
    Member,
    Node,
    fetch_activitypub,
    text_of_html,
    token,
    wait_until,
)

LIKED_ONCE = re.compile(r"\bLike \(1\)|\b1 like\b")  # the author's button, or a visitor's count


# --- steps the tests share -------------------------------------------------------------------


def follow(follower: Browser, target: Member) -> None:
    """``follower`` types ``@target@host`` into the remote-follow form; wait until accepted."""
    me = follower.member
    assert me is not None
    response = follower.follow_remote(target.fediverse_handle)
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    wait_until(
        lambda: target.handle in follower.people_on(f"/@{me.handle}/following"),
        message=f"{me.handle} on {me.node.name} never saw {target.fediverse_handle} accept",
    )


def sees(browser: Browser, words: str, path: str = "/") -> int:
    """Wait until a post card showing ``words`` is on ``path``; return its id there."""
    return wait_until(
        lambda: browser.post_id_with(words, path),
        message=f"{words!r} never appeared on {browser.node.name}{path}",
    )


def copy_of(node: Node, uri: str) -> int:
    """Wait until ``node`` has stored the post with this id; return its id there."""
    found = wait_until(
        lambda: node.query("SELECT id FROM posts WHERE uri = :uri", uri=uri),
        message=f"{uri} never arrived on {node.name}",
    )
    return int(found[0][0])


def deliveries_tried(sender: Node, receiver: Node) -> None:
    """Wait until ``sender`` has tried every delivery it queued for ``receiver``."""

    def all_tried() -> bool:
        rows = sender.query(
            "SELECT attempts, state FROM deliveries WHERE host = :host", host=receiver.host
        )
        return bool(rows) and all(attempts > 0 or state != "pending" for attempts, state in rows)

    wait_until(all_tried, message=f"{sender.name} never tried to deliver to {receiver.name}")


def create_group(browser: Browser, visibility: str = "public") -> tuple[str, int]:
    """Create a group through its form; return its handle and id (from its compose form)."""
    handle = token("g")
    response = browser.submit(
        "/groups/new",
        {
            "handle": handle,
            "display_name": f"Group {handle}",
            "description": "A group of the multi-node tests.",
            "visibility": visibility,
            "join_mode": "open",
        },
    )
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    match = re.search(r'name="group_id"[^>]*value="(\d+)"', browser.page(f"/groups/{handle}"))
    assert match, "the group page has no compose form for its owner"
    return handle, int(match.group(1))


def group_member(group: str, node: Node) -> Member:
    """The group actor as something to follow by handle."""
    return Member(node=node, handle=group, email="")


def peer_rule_id(admin: Browser, kind: str) -> int:
    """Id of the (only) block or allowlist rule listed on the federation admin page."""
    match = re.search(rf"/admin/federation/{kind}/(\d+)/remove", admin.page("/admin/federation"))
    assert match, f"no {kind} rule listed"
    return int(match.group(1))


# --- following and posting -------------------------------------------------------------------


def test_follow_by_handle_is_accepted_and_listed_on_both_nodes(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a = cluster.a.browser(anna)

    follow(a, bert)

    assert anna.handle in cluster.b.browser(bert).people_on(f"/@{bert.handle}/followers")
    remote_profile = a.page(f"/@{bert.handle}@{cluster.b.host}")
    assert bert.handle.capitalize() in text_of_html(remote_profile)


def test_post_reaches_the_followers_home_timeline_on_another_node(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(a, bert)

    word = token()
    b.publish(f"Hello from node B {word}")

    post_id = sees(a, word)
    assert bert.handle in a.posts_on("/")[post_id]


def test_reply_from_another_node_appears_in_the_thread(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(b, anna)
    question = token("q")
    original = a.publish(f"Who has a ladder? {question}")
    copy_on_b = sees(b, question)

    answer = token("r")
    b.publish(f"I have one {answer}", in_reply_to=str(copy_on_b))

    wait_until(
        lambda: a.shows(f"/posts/{original}", answer),
        message="the reply from B never appeared in the thread on A",
    )


def test_like_from_another_node_is_counted(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(b, anna)
    word = token()
    original = a.publish(f"Street party on Saturday {word}")
    copy_on_b = sees(b, word)

    b.like(copy_on_b)

    wait_until(
        lambda: LIKED_ONCE.search(a.posts_on(f"/posts/{original}").get(original, "")),
        message="the like from B was never counted on A",
    )


def test_announce_brings_the_post_to_the_sharers_followers(cluster: Cluster) -> None:
    anna, bert, carl = cluster.a.take(), cluster.b.take(), cluster.c.take()
    a, b, c = (node.browser(m) for node, m in zip(cluster.all, (anna, bert, carl), strict=True))
    follow(b, anna)
    follow(c, bert)
    word = token()
    a.publish(f"Lost cat, black and white {word}")
    copy_on_b = sees(b, word)

    response = b.submit(f"/posts/{copy_on_b}/share")
    assert response.status_code in (302, 303)

    shared_on_c = sees(c, word)
    assert f"{bert.handle.capitalize()} shared" in c.posts_on("/")[shared_on_c]


def test_edit_propagates(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(a, bert)
    before, after = token("old"), token("new")
    post_id = b.publish(f"Meeting at 6 {before}")
    sees(a, before)

    b.edit(post_id, f"Meeting at 7 {after}")

    copy_on_a = sees(a, after)
    assert before not in a.posts_on("/")[copy_on_a]


def test_delete_propagates(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(a, bert)
    word = token()
    post_id = b.publish(f"Selling a bike {word}")
    copy_on_a = sees(a, word)

    b.delete(post_id)

    wait_until(
        lambda: a.post_id_with(word) is None and not a.shows(f"/posts/{copy_on_a}", word),
        message="the deleted post is still shown on A",
    )


def test_account_deletion_propagates(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(a, bert)
    word = token()
    b.publish(f"Moving away soon {word}")
    sees(a, word)

    response = b.submit("/settings/delete", {"password": bert.password})
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]

    wait_until(
        lambda: a.post_id_with(word) is None,
        message="posts of the deleted account are still shown on A",
    )
    profile = a.get(f"/@{bert.handle}@{cluster.b.host}")
    assert profile.status_code in (404, 410) or word not in profile.text


# --- groups ----------------------------------------------------------------------------------


def test_group_relays_a_remote_members_reply_to_its_members(cluster: Cluster) -> None:
    """FEP-1b12: people on B and C follow a group on A (that is how they join it); the group
    Announces every post in it to them, also a reply written on B."""
    anna, bert, carl = cluster.a.take(), cluster.b.take(), cluster.c.take()
    a, b, c = (node.browser(m) for node, m in zip(cluster.all, (anna, bert, carl), strict=True))
    group, group_id = create_group(a)
    follow(b, group_member(group, cluster.a))
    follow(c, group_member(group, cluster.a))

    topic = token("t")
    original = a.publish(f"Garden day plan {topic}", group_id=str(group_id))
    uri = f"{cluster.a.url}/posts/{original}"
    copy_on_b, copy_on_c = copy_of(cluster.b, uri), copy_of(cluster.c, uri)
    assert b.shows(f"/posts/{copy_on_b}", topic)
    assert c.shows(f"/posts/{copy_on_c}", topic)

    answer = token("r")
    b.publish(f"I bring a spade {answer}", in_reply_to=str(copy_on_b))

    wait_until(
        lambda: a.shows(f"/posts/{original}", answer),
        message="the reply from B never reached the group's thread on A",
    )
    wait_until(
        lambda: c.shows(f"/posts/{copy_on_c}", answer),
        message="the group never announced B's reply to its member on C",
    )


def test_group_deletion_propagates(cluster: Cluster) -> None:
    """The group and the posts written in it disappear from the servers of its members."""
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    group, group_id = create_group(a)
    follow(b, group_member(group, cluster.a))
    word = token("h")
    original = a.publish(f"Last garden day {word}", group_id=str(group_id))
    copy_of(cluster.b, f"{cluster.a.url}/posts/{original}")

    response = a.submit(f"/groups/{group}/delete")
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]

    wait_until(
        lambda: (
            not cluster.b.query(
                "SELECT id FROM posts WHERE uri = :uri", uri=f"{cluster.a.url}/posts/{original}"
            )
        ),
        message="the post of the deleted group is still stored on B",
    )
    wait_until(
        lambda: group not in b.people_on(f"/@{bert.handle}/following"),
        message="B still lists the deleted group as followed",
    )
    assert fetch_activitypub(f"{cluster.a.url}/groups/{group}").status_code == 410


def test_group_posting_through_a_remote_member(cluster: Cluster) -> None:
    """bert on B and carl on C join a group on A by following it; bert writes into the group
    from its page on B. The group takes it in and Announces it to carl; carl's reply, bert's
    edit and his deletion travel the same way."""
    anna, bert, carl = cluster.a.take(), cluster.b.take(), cluster.c.take()
    a, b, c = (node.browser(m) for node, m in zip(cluster.all, (anna, bert, carl), strict=True))
    group, _group_id = create_group(a)
    follow(b, group_member(group, cluster.a))
    follow(c, group_member(group, cluster.a))
    match = re.search(r'name="to_group"[^>]*value="(\d+)"', b.page(f"/@{group}@{cluster.a.host}"))
    assert match, "the followed group's page on B offers no way to write into the group"

    word, changed = token("g"), token("e")
    post_id = b.publish(f"Seedlings to give away {word}", to_group=match.group(1))
    uri = f"{cluster.b.url}/posts/{post_id}"

    sees(a, word, f"/groups/{group}")
    copy_on_c = copy_of(cluster.c, uri)
    assert c.shows(f"/posts/{copy_on_c}", word)

    answer = token("r")
    c.publish(f"I take two {answer}", in_reply_to=str(copy_on_c))
    copy_on_a = copy_of(cluster.a, uri)
    wait_until(
        lambda: a.shows(f"/posts/{copy_on_a}", answer),
        message="carl's reply never reached the group's thread on A",
    )
    wait_until(
        lambda: b.shows(f"/posts/{post_id}", answer),
        message="the group never relayed carl's reply to bert",
    )

    b.edit(post_id, f"All seedlings are gone {changed}")
    wait_until(
        lambda: c.shows(f"/posts/{copy_on_c}", changed),
        message="the group never relayed bert's edit to carl",
    )
    b.delete(post_id)
    wait_until(  # it stays as a placeholder for carl's reply
        lambda: not c.shows(f"/posts/{copy_on_c}", changed),
        message="the group never relayed bert's deletion to carl",
    )
    assert c.shows(f"/posts/{copy_on_c}", answer)


def test_members_only_group_content_never_leaves_the_group(cluster: Cluster) -> None:
    anna, carl = cluster.a.take(), cluster.c.take()
    a, c = cluster.a.browser(anna), cluster.c.browser(carl)
    group, group_id = create_group(a, visibility="members_only")
    follow(c, anna)
    secret, public = token("secret"), token("public")

    secret_id = a.publish(f"Key box code {secret}", visibility="group", group_id=str(group_id))
    a.publish(f"Nice weather {public}")
    sees(c, public)  # delivered after the group post: had that been sent, it would be here

    assert c.post_id_with(secret) is None
    assert not cluster.c.query(
        "SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{secret}%"
    ), "C stored the members-only post"
    sent = cluster.a.query(
        "SELECT d.host FROM deliveries d JOIN outbound_activities o ON o.id = d.activity_id"
        " WHERE CAST(o.payload AS TEXT) LIKE :w",
        w=f"%{secret}%",
    )
    assert cluster.c.host not in {row[0] for row in sent}

    post_url = f"{cluster.a.url}/posts/{secret_id}"
    for signer in (None, cluster.c.signing_key()):
        answer = fetch_activitypub(post_url, signer)
        assert answer.status_code in (401, 403, 404, 410), (signer, answer.status_code)
        assert secret not in answer.text
    assert secret not in cluster.a.browser().get(f"/posts/{secret_id}").text
    assert secret not in fetch_activitypub(f"{cluster.a.url}/groups/{group}/outbox").text


# --- member blocks ---------------------------------------------------------------------------


def actor_id_on(node: Node, member: Member) -> int:
    """The id under which ``node`` stores ``member`` of another node."""
    rows = node.query(
        "SELECT id FROM actors WHERE handle = :handle AND domain = :domain",
        handle=member.handle,
        domain=member.node.host,
    )
    assert rows, f"{node.name} does not know {member.fediverse_handle}"
    return int(rows[0][0])


def test_a_member_blocks_a_remote_account(cluster: Cluster) -> None:
    """anna on A blocks bert on B: his follow ends on both nodes, he can no longer answer
    her, and his replies in others' threads do not show to her (but do to carl)."""
    anna, carl, bert = cluster.a.take(), cluster.a.take(), cluster.b.take()
    a, c, b = cluster.a.browser(anna), cluster.a.browser(carl), cluster.b.browser(bert)
    follow(b, anna)
    follow(b, carl)
    hers, his = token("q"), token("q")
    a.publish(f"Who has a ladder? {hers}")
    carls_post = c.publish(f"Street party on Saturday? {his}")
    hers_on_b, carls_on_b = sees(b, hers), sees(b, his)

    response = a.submit(f"/actors/{actor_id_on(cluster.a, bert)}/block")
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]

    assert bert.handle not in a.people_on(f"/@{anna.handle}/followers")
    wait_until(
        lambda: anna.handle not in b.people_on(f"/@{bert.handle}/following"),
        message="bert's follow of anna never ended on B",
    )
    wait_until(
        lambda: b.get(f"/posts/{hers_on_b}").status_code == 404,
        message="B still shows anna's post to the account she blocked",
    )
    assert carl.handle in b.people_on(f"/@{bert.handle}/following")

    answer = token("r")
    b.publish(f"I will bring a cake {answer}", in_reply_to=str(carls_on_b))
    wait_until(
        lambda: c.shows(f"/posts/{carls_post}", answer),
        message="bert's reply never reached carl's thread on A",
    )
    assert not a.shows(f"/posts/{carls_post}", answer)
    refused = b.submit(
        "/posts", {"text": "Hm?", "visibility": "public", "in_reply_to": str(hers_on_b)}
    )
    assert refused.status_code == 404


# --- domain policy ---------------------------------------------------------------------------


def test_blocked_server_can_neither_follow_nor_post(cluster: Cluster) -> None:
    anna, carl, cleo = cluster.a.take(), cluster.c.take(), cluster.c.take()
    a, c_carl, c_cleo = cluster.a.browser(anna), cluster.c.browser(carl), cluster.c.browser(cleo)
    follow(a, carl)  # before the block: A would take carl's posts
    admin = cluster.a.browser(cluster.a.admin)
    response = admin.submit(
        "/admin/federation/blocks",
        {"host": cluster.c.host, "policy": "reject", "reason": "multi-node test"},
    )
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    try:
        word = token()
        c_carl.publish(f"Spam from a blocked server {word}")
        c_cleo.follow_remote(anna.fediverse_handle)
        deliveries_tried(cluster.c, cluster.a)

        assert a.post_id_with(word) is None
        assert cleo.handle not in a.people_on(f"/@{anna.handle}/followers")
    finally:
        admin.submit(f"/admin/federation/blocks/{peer_rule_id(admin, 'blocks')}/remove")


def test_allowlist_mode_federates_only_with_listed_servers(cluster: Cluster) -> None:
    anna, bert, carl = cluster.a.take(), cluster.b.take(), cluster.c.take()
    a, b, c = (node.browser(m) for node, m in zip(cluster.all, (anna, bert, carl), strict=True))
    admin = cluster.a.browser(cluster.a.admin)
    response = admin.submit("/admin/federation/allowlist", {"allowed_host": cluster.b.host})
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    response = admin.submit("/admin/federation/mode", {"mode": "allowlist"})
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    try:
        follow(b, anna)
        c.follow_remote(anna.fediverse_handle)
        word = token()
        a.publish(f"Only for friendly servers {word}")

        sees(b, word)
        deliveries_tried(cluster.c, cluster.a)
        assert carl.handle not in a.people_on(f"/@{anna.handle}/followers")
    finally:
        admin.submit("/admin/federation/mode", {"mode": "open"})
        admin.submit(f"/admin/federation/allowlist/{peer_rule_id(admin, 'allowlist')}/remove")


# --- keys ------------------------------------------------------------------------------------


def _current_key_id(node: Node, handle: str) -> str:
    rows = node.query(
        "SELECT k.key_id FROM actor_keys k JOIN actors a ON a.id = k.actor_id"
        " WHERE a.handle = :handle AND a.domain = '' AND k.revoked_at IS NULL",
        handle=handle,
    )
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_a_rotated_key_reaches_other_nodes_and_signs_what_follows(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(b, anna)  # B now holds anna's first key
    old_key_id = _current_key_id(cluster.a, anna.handle)

    (output,) = cluster.a.cli(["keys", "rotate", f"@{anna.handle}"])

    new_key_id = _current_key_id(cluster.a, anna.handle)
    assert new_key_id != old_key_id and new_key_id in output
    wait_until(
        lambda: cluster.b.query(
            "SELECT 1 FROM actor_keys WHERE key_id = :key AND revoked_at IS NULL", key=new_key_id
        ),
        message="node B never learnt anna's new key",
    )
    (revoked,) = cluster.b.query(
        "SELECT revoked_at FROM actor_keys WHERE key_id = :key", key=old_key_id
    )
    assert revoked[0] is not None, "node B still trusts the old key"
    word = token()
    a.publish(f"Signed with the new key {word}")  # signed by node A's running process
    sees(b, word)


# --- mentions and direct posts ---------------------------------------------------------------


def test_a_direct_post_reaches_the_mentioned_person_only(cluster: Cluster) -> None:
    anna, bert, carl = cluster.a.take(), cluster.b.take(), cluster.c.take()
    a, b, c = cluster.a.browser(anna), cluster.b.browser(bert), cluster.c.browser(carl)
    follow(c, anna)  # carl follows anna, and still must not get her direct post
    secret, public, answer = token("dm"), token("public"), token("answer")

    secret_id = a.publish(f"Only for you {bert.fediverse_handle} {secret}", visibility="direct")
    a.publish(f"For everybody {public}")
    sees(c, public)  # delivered after the direct post: had that been sent, it would be here

    copy_on_b = copy_of(cluster.b, f"{cluster.a.url}/posts/{secret_id}")
    assert b.shows(f"/posts/{copy_on_b}", secret)
    assert cluster.b.query(
        "SELECT id FROM notifications WHERE post_id = :p AND kind = 'mention'", p=copy_on_b
    ), "bert was not told about the direct post"
    assert cluster.b.browser().get(f"/posts/{copy_on_b}").status_code == 404
    assert c.post_id_with(secret) is None
    assert not cluster.c.query(
        "SELECT id FROM posts WHERE content_html LIKE :w", w=f"%{secret}%"
    ), "C stored the direct post"
    post_url = f"{cluster.a.url}/posts/{secret_id}"
    for signer in (None, cluster.c.signing_key()):
        fetched = fetch_activitypub(post_url, signer)
        assert fetched.status_code in (401, 403, 404), (signer, fetched.status_code)
        assert secret not in fetched.text

    b.publish(f"Thanks {answer}", in_reply_to=str(copy_on_b))  # stays direct, goes to anna
    wait_until(
        lambda: a.shows(f"/posts/{secret_id}", answer),
        message="bert's answer to the direct post never reached anna on A",
    )
