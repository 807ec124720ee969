"""Plugins' entries in the timelines (``quarter_timeline_items``): merged among the posts by
time, each on exactly one page of a walk, asked per timeline kind, gone when disabled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.plugins.manager import PluginInfo
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from quarter_node.plugins.state import bump_revision, runtime
from quarter_node.plugins.types import TimelineKind
from quarter_node.social.models import Follow
from tests.helpers import text_of
from tests.plugins import timeline_plugin
from tests.posts.support import browser_of

ROWS = re.compile(
    r'<article class="card (?:post[^"]*" id="post-(\d+)|sample-entry" id="entry-(\w+))'
)


@pytest.fixture
def sample(app) -> Iterator[None]:  # noqa: ANN001
    """The test plugin installed (built in, so enabled) on this node."""
    timeline_plugin.ENTRIES.clear()
    timeline_plugin.ASKED.clear()
    runtime().manager.add(
        PluginInfo("timeline_sample", "1", "Timeline test", True, timeline_plugin)
    )
    bump_revision()
    db.session.commit()
    yield
    timeline_plugin.ENTRIES.clear()
    timeline_plugin.ASKED.clear()


def _rows(html: str) -> list[str]:
    """Posts (``p<id>``) and entries (``e<label>``) in the order the page shows them."""
    return [f"p{post}" if post else f"e{entry}" for post, entry in ROWS.findall(html)]


def _walk(client, url: str, rel: str) -> tuple[list[list[str]], str]:  # noqa: ANN001
    """The rows of every page from ``url`` following the ``rel`` links; the last page's URL."""
    pages = []
    while True:
        html = text_of(client.get(url))
        pages.append(_rows(html))
        match = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
        if match is None:
            return pages, url
        url = match.group(1).replace("&amp;", "&")


def test_entries_sit_among_the_posts_by_time_once_per_walk(app, factories, client, sample) -> None:  # noqa: ANN001
    app.config["PAGE_SIZE"] = 3
    anna = factories.user("anna")
    start = utcnow() - timedelta(days=1)
    at = [start + timedelta(minutes=n) for n in range(8)]
    posts = []
    for n, when in enumerate(at):
        post = factories.post(anna, f"Beitrag {n}")
        post.created_at = when
        posts.append(post)
    db.session.commit()
    p = [f"p{post.id}" for post in posts]
    half = timedelta(seconds=30)
    timeline_plugin.ENTRIES.extend(
        [
            (at[7] + half, "newest"),
            (at[5], "tie5"),  # the same time as the first page's oldest post
            (at[4] + half, "gap45"),  # between the first and the second page
            (at[2], "tie2"),
            (at[1] + half, "gap12"),
            (at[0] - half, "oldest"),
        ]
    )

    older_walk, last_page = _walk(client, "/local", "next")
    assert older_walk == [
        ["enewest", p[7], p[6], p[5], "etie5"],
        ["egap45", p[4], p[3], p[2], "etie2"],
        ["egap12", p[1], p[0], "eoldest"],
    ]
    newer_walk, _first = _walk(client, last_page, "prev")
    assert newer_walk == older_walk[::-1]
    # One question per page, on the quarter's timeline, for a visitor.
    assert {(w.kind, w.viewer) for w in timeline_plugin.ASKED} == {(TimelineKind.LOCAL, None)}
    assert len(timeline_plugin.ASKED) == len(older_walk) + len(newer_walk)


def test_home_and_group_pages_ask_for_their_own_timeline(
    app, factories, make_client, sample
) -> None:  # noqa: ANN001
    me, friend = factories.user("me"), factories.user("friend")
    group = factories.group("garten", owner=friend, members=(me,))
    db.session.add(Follow(follower_id=me.actor_id, followed_id=friend.actor_id))
    db.session.commit()
    factories.post(friend, "Hallo")
    timeline_plugin.ENTRIES.append((utcnow() - timedelta(hours=1), "mine"))
    browser = browser_of(make_client, me)

    assert "entry-mine" in text_of(browser.get("/"))
    home = timeline_plugin.ASKED[-1]
    assert home.kind == TimelineKind.HOME and home.viewer.id == me.id and home.group is None
    assert home.newer_bound is None and home.older_bound is None  # one page: all of time

    assert "entry-mine" in text_of(browser.get("/groups/garten"))
    on_group = timeline_plugin.ASKED[-1]
    assert on_group.kind == TimelineKind.GROUP and on_group.group.id == group.id


def test_an_entry_alone_fills_an_empty_home(app, factories, make_client, sample) -> None:  # noqa: ANN001
    """A home with no posts but a plugin's entry is the member's home, not the quarter."""
    me = factories.user("me")
    timeline_plugin.ENTRIES.append((utcnow(), "only"))
    html = text_of(browser_of(make_client, me).get("/"))
    assert "entry-only" in html and "Your timeline" in html


def test_a_disabled_plugin_adds_nothing_and_is_not_asked(app, factories, client, sample) -> None:  # noqa: ANN001
    factories.post(factories.user("anna"), "Hallo")
    timeline_plugin.ENTRIES.append((utcnow(), "shown"))
    assert "entry-shown" in text_of(client.get("/local"))
    set_plugin_enabled_by_operator("timeline_sample", False)
    timeline_plugin.ASKED.clear()
    assert "entry-shown" not in text_of(client.get("/local"))
    assert "entry-shown" not in text_of(client.get("/"))
    assert timeline_plugin.ASKED == []
