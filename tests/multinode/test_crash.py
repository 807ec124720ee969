"""Crash safety of delivery: SIGKILL the sending node in the middle of a fan-out.

Node A's process runs its job workers in threads, so killing it loses whatever those threads
were doing. Node C is frozen (SIGSTOP) meanwhile, so A's workers are surely mid-request to C
(written, never answered: C processes them when it thaws, A never learns) while the other
deliveries wait in the queue. The transactional outbox must make up for it after the restart:
every follower's node ends with every post, and with each exactly once (a re-sent activity
must not make a second copy).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.multinode.conftest import Cluster
from tests.multinode.harness import Member, Node, text_of_html, token, wait_until

FOLLOWERS_PER_NODE = 15
POSTS = 6


def accepted_follows(node: Node, followed_uri_or_handle: str, *, local: bool) -> int:
    """How many accepted follows of the poster ``node`` has stored."""
    if local:
        condition, value = (
            "a.handle = :v AND (a.domain IS NULL OR a.domain = '')",
            followed_uri_or_handle,
        )
    else:
        condition, value = "a.uri = :v", followed_uri_or_handle
    rows = node.query(
        "SELECT count(*) FROM follows f JOIN actors a ON a.id = f.followed_id"
        f" WHERE f.state = 'accepted' AND {condition}",
        v=value,
    )
    return int(rows[0][0])


def follow_poster(member: Member, poster: Member) -> None:
    response = member.node.browser(member).follow_remote(poster.fediverse_handle)
    assert response.status_code in (302, 303), text_of_html(response.text)[:500]


def pending_deliveries(node: Node) -> int:
    return int(node.query("SELECT count(*) FROM deliveries WHERE state = 'pending'")[0][0])


def copies(node: Node, uri: str) -> int:
    return int(node.query("SELECT count(*) FROM posts WHERE uri = :u", u=uri)[0][0])


def test_sigkill_during_fan_out_delivers_every_post_exactly_once(cluster: Cluster) -> None:
    poster = cluster.a.take()
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = pool.map(lambda n: n.create_members(FOLLOWERS_PER_NODE, "f"), (cluster.b, cluster.c))
        followers = [member for members in made for member in members]
    for member in followers:
        follow_poster(member, poster)
    wait_until(
        lambda: accepted_follows(cluster.a, poster.handle, local=True) == len(followers),
        message="not every follow reached node A",
    )
    for node in (cluster.b, cluster.c):
        wait_until(
            lambda node=node: (
                accepted_follows(node, poster.actor_uri, local=False) == FOLLOWERS_PER_NODE
            ),
            message=f"node {node.name} never got all Accepts",
        )

    writer = cluster.a.browser(poster)
    words = [token("crash") for _ in range(POSTS)]
    # C stops answering: A's workers hang in deliveries to C while the rest wait in the queue.
    cluster.c.pause()
    try:
        post_ids = [writer.publish(f"Fan-out {word}") for word in words]
        unfinished = pending_deliveries(cluster.a)
        cluster.a.kill()
    finally:
        cluster.c.resume()
    assert unfinished > 0, "the fan-out was over before the kill: nothing was interrupted"
    cluster.a.start()

    uris = [f"{cluster.a.url}/posts/{post_id}" for post_id in post_ids]
    for node in (cluster.b, cluster.c):
        wait_until(
            lambda node=node: all(copies(node, uri) == 1 for uri in uris),
            message=lambda node=node: f"node {node.name}: {[copies(node, u) for u in uris]}",
        )
    for member in followers:
        home = member.node.browser(member).posts_on("/")
        shown = [sum(word in text for text in home.values()) for word in words]
        assert shown == [1] * POSTS, f"{member.fediverse_handle} sees the posts {shown} times"
