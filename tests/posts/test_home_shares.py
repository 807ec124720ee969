"""Shares in the home timeline: what people one follows shared shows up once, at the time of
the share, with who shared it, never beyond the post's audience, and pages stay whole."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import Share
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.models import Follow
from tests.helpers import post_form, text_of
from tests.posts.support import browser_of

CARDS = re.compile(r'<article class="card post[^"]*" id="post-(\d+)">(.*?)</article>', re.S)
TAGS = re.compile(r"<[^>]+>")
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREV = re.compile(r'<a rel="prev" href="([^"]+)"')


def _cards(html: str) -> list[tuple[int, str]]:
    """(post id, visible text) of every card, in page order."""
    return [(int(pid), " ".join(TAGS.sub(" ", body).split())) for pid, body in CARDS.findall(html)]


def _follow(follower_actor_id: int, followed_actor_id: int) -> None:
    db.session.add(Follow(follower_id=follower_actor_id, followed_id=followed_actor_id))
    db.session.commit()


def _share(actor_id: int, post: Post, minutes_ago: float, uri: str | None = None) -> Share:
    share = Share(
        actor_id=actor_id,
        post_id=post.id,
        uri=uri,
        created_at=utcnow() - timedelta(minutes=minutes_ago),
    )
    db.session.add(share)
    db.session.commit()
    return share


def _written(post: Post, minutes_ago: float) -> Post:
    post.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return post


def _remote(handle: str, host: str = "social.example") -> Actor:
    actor = Actor(
        kind=ActorKind.PERSON,
        handle=handle,
        domain=host,
        display_name=handle.title(),
        uri=f"https://{host}/users/{handle}",
        inbox_url=f"https://{host}/users/{handle}/inbox",
    )
    db.session.add(actor)
    db.session.commit()
    return actor


def test_a_followed_persons_share_appears_at_the_time_of_the_share(
    app, factories, make_client
) -> None:  # noqa: ANN001
    me, bert, stranger = (factories.user(h) for h in ("me", "bert", "stranger"))
    _follow(me.actor_id, bert.actor_id)
    old = _written(factories.post(stranger, "OLD-LOST-CAT"), minutes_ago=600)
    _written(factories.post(bert, "BERTS-OWN"), minutes_ago=60)
    browser = browser_of(make_client, me)

    assert "OLD-LOST-CAT" not in text_of(browser.get("/"))
    assert post_form(browser_of(make_client, bert), f"/posts/{old.id}/share").status_code == 302

    cards = _cards(text_of(browser.get("/")))
    assert [pid for pid, _text in cards][0] == old.id  # newest: the share, not the post's age
    assert "Bert shared" in cards[0][1] and "OLD-LOST-CAT" in cards[0][1]
    assert "Bert shared" not in cards[1][1]
    assert '/@bert"' in text_of(browser.get("/"))  # links to who shared


def test_a_remote_followed_accounts_share_and_my_own(app, factories, make_client) -> None:  # noqa: ANN001
    me, stranger = factories.user("me"), factories.user("stranger")
    maria = _remote("maria")
    _follow(me.actor_id, maria.id)
    theirs = factories.post(stranger, "SHARED-BY-MARIA")
    mine = factories.post(stranger, "SHARED-BY-ME")
    _share(maria.id, theirs, minutes_ago=2, uri="https://social.example/users/maria/statuses/1")
    browser = browser_of(make_client, me)
    assert post_form(browser, f"/posts/{mine.id}/share").status_code == 302

    cards = dict(_cards(text_of(browser.get("/"))))
    assert "Maria shared" in cards[theirs.id]
    assert "You shared" in cards[mine.id]


def test_a_share_never_shows_a_post_the_viewer_may_not_see(app, factories, make_client) -> None:  # noqa: ANN001
    me, bert, author, owner = (factories.user(h) for h in ("me", "bert", "author", "owner"))
    _follow(me.actor_id, bert.actor_id)
    closed = factories.group(
        "closed", owner=owner, members=(bert,), visibility=GroupVisibility.MEMBERS_ONLY
    )
    hidden = {
        "FOR-FOLLOWERS": factories.post(author, "FOR-FOLLOWERS", visibility=Visibility.FOLLOWERS),
        "FOR-MEMBERS": factories.post(author, "FOR-MEMBERS", visibility=Visibility.MEMBERS),
        "IN-CLOSED-GROUP": factories.post(owner, "IN-CLOSED-GROUP", group=closed),
        "DELETED": factories.post(author, "DELETED"),
        "HIDDEN": factories.post(author, "HIDDEN"),
    }
    hidden["DELETED"].deleted_at = utcnow()
    hidden["HIDDEN"].hidden_at = utcnow()
    db.session.commit()
    for post in hidden.values():  # as a peer may announce anything
        _share(bert.actor_id, post, minutes_ago=1)
    factories.post(bert, "BERT-VISIBLE")

    page = text_of(browser_of(make_client, me).get("/"))
    assert "BERT-VISIBLE" in page
    for text in hidden:
        assert text not in page
    assert "Bert shared" not in page


def test_a_closed_group_post_stays_in_its_members_home_whoever_announced_it(
    app, factories, make_client
) -> None:  # noqa: ANN001
    me, bert, owner = (factories.user(h) for h in ("me", "bert", "owner"))
    _follow(me.actor_id, bert.actor_id)
    factories.post(owner, "IN-AN-OPEN-GROUP", group=factories.group("open", owner=owner))
    closed = factories.group(
        "closed", owner=owner, members=(me, bert), visibility=GroupVisibility.MEMBERS_ONLY
    )
    post = factories.post(owner, "FOR-THE-MEMBERS", group=closed)
    _share(bert.actor_id, post, minutes_ago=0)  # as a peer may announce anything
    factories.post(bert, "BERT-OWN")  # so that home is not empty (it would show the quarter)

    cards = dict(_cards(text_of(browser_of(make_client, me).get("/"))))
    assert len(cards) == 2 and "FOR-THE-MEMBERS" in cards[post.id]
    assert "shared" not in cards[post.id]


def test_shares_of_people_i_do_not_follow_are_not_in_home(app, factories, make_client) -> None:  # noqa: ANN001
    me, friend, stranger = (factories.user(h) for h in ("me", "friend", "stranger"))
    _follow(me.actor_id, friend.actor_id)
    factories.post(friend, "FRIENDS-POST")
    post = factories.post(stranger, "ONLY-SHARED-BY-A-STRANGER")
    _share(stranger.actor_id, post, minutes_ago=0)
    assert "ONLY-SHARED-BY-A-STRANGER" not in text_of(browser_of(make_client, me).get("/"))


def test_a_post_shared_by_several_shows_once_with_the_latest_sharer(
    app, factories, make_client
) -> None:  # noqa: ANN001
    me, bert, carl, author = (factories.user(h) for h in ("me", "bert", "carl", "author"))
    for followed in (bert, carl, author):
        _follow(me.actor_id, followed.actor_id)
    post = _written(factories.post(author, "POPULAR"), minutes_ago=300)
    _written(factories.post(author, "IN-BETWEEN"), minutes_ago=100)
    _share(bert.actor_id, post, minutes_ago=200)
    _share(carl.actor_id, post, minutes_ago=10)

    cards = _cards(text_of(browser_of(make_client, me).get("/")))
    assert [pid for pid, _text in cards].count(post.id) == 1
    assert cards[0][0] == post.id and "Carl shared" in cards[0][1]
    assert "Bert shared" not in cards[0][1]


def test_paging_walks_posts_and_shares_without_gaps_or_repeats(app, factories, make_client) -> None:  # noqa: ANN001
    app.config["PAGE_SIZE"] = 3
    me, bert, author = (factories.user(h) for h in ("me", "bert", "author"))
    _follow(me.actor_id, bert.actor_id)
    listed_at: dict[int, float] = {}
    for n in range(5):  # bert's own posts, 10, 20, ... minutes ago
        listed_at[_written(factories.post(bert, f"B{n}"), minutes_ago=10 * (n + 1)).id] = n + 1
    for n in range(4):  # old posts of someone else, shared by bert in between
        post = _written(factories.post(author, f"S{n}"), minutes_ago=1000 + n)
        _share(bert.actor_id, post, minutes_ago=10 * (n + 1) + 5)
        listed_at[post.id] = n + 1.5
    same_time = _written(factories.post(author, "TIE"), minutes_ago=999)
    tie = utcnow() - timedelta(minutes=20)
    share = _share(bert.actor_id, same_time, minutes_ago=0)
    share.created_at = tie
    db.session.get(Post, next(p for p, at in listed_at.items() if at == 2)).created_at = tie
    db.session.commit()
    listed_at[same_time.id] = 2
    expected = sorted(listed_at, key=lambda pid: (listed_at[pid], -pid))

    browser = browser_of(make_client, me)
    seen, pages, url = [], [], "/"
    while url:
        html = text_of(browser.get(url))
        pages.append(html)
        seen += [pid for pid, _text in _cards(html)]
        match = NEXT.search(html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == expected and len(pages) == 4
    newer = PREV.search(pages[-1]).group(1).replace("&amp;", "&")
    assert [pid for pid, _text in _cards(text_of(browser.get(newer)))] == expected[6:9]


def test_taking_a_share_back_removes_it_from_home(app, factories, make_client) -> None:  # noqa: ANN001
    me, bert, author = (factories.user(h) for h in ("me", "bert", "author"))
    _follow(me.actor_id, bert.actor_id)
    post = factories.post(author, "BRIEFLY-SHARED")
    factories.post(bert, "BERT-OWN")  # so that home is not empty (it would show the quarter)
    bert_browser = browser_of(make_client, bert)
    browser = browser_of(make_client, me)
    assert post_form(bert_browser, f"/posts/{post.id}/share").status_code == 302
    assert "BRIEFLY-SHARED" in text_of(browser.get("/"))

    assert post_form(bert_browser, f"/posts/{post.id}/unshare").status_code == 302
    page = text_of(browser.get("/"))
    assert "BERT-OWN" in page and "BRIEFLY-SHARED" not in page


def test_a_page_of_shares_costs_the_same_queries_as_a_page_of_one(
    app, factories, make_client
) -> None:  # noqa: ANN001
    me, author = factories.user("me"), factories.user("author")
    sharers = [factories.user(f"sharer{n}") for n in range(6)]
    for sharer in sharers:
        _follow(me.actor_id, sharer.actor_id)
    browser = browser_of(make_client, me)

    def statements_for_home() -> int:
        count = 0

        def counter(*_args: object) -> None:
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert browser.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count

    _share(sharers[0].actor_id, factories.post(author, "FIRST"), minutes_ago=1)
    one = statements_for_home()
    for n, sharer in enumerate(sharers[1:]):
        _share(sharer.actor_id, factories.post(author, f"MORE{n}"), minutes_ago=1)
    assert statements_for_home() == one


def test_local_posts_show_their_share_count_to_everyone(app, factories, client) -> None:  # noqa: ANN001
    author = factories.user("author")
    post = factories.post(author, "COUNTED")
    quiet = factories.post(author, "NOBODY-SHARED")
    _share(factories.user("bert").actor_id, post, minutes_ago=2)
    _share(_remote("maria").id, post, minutes_ago=1, uri="https://social.example/a/1")
    assert "2 shares" in text_of(client.get(f"/posts/{post.id}"))
    assert "0 shares" in text_of(client.get(f"/posts/{quiet.id}"))
