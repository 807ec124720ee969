"""Home and local timelines, the compose form, and keyset pagination."""

from __future__ import annotations

import re
from datetime import timedelta

from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.posts.models import Post
from quarter_node.posts.pagination import decode_cursor
from quarter_node.social.models import Follow
from tests.helpers import text_of
from tests.posts.support import browser_of, post_form

POST_IDS = re.compile(r'<article class="card post[^"]*" id="post-(\d+)"')


def _ids(html: str) -> list[int]:
    return [int(i) for i in POST_IDS.findall(html)]


def _posts_at_distinct_times(factories, author, count: int) -> list[Post]:  # noqa: ANN001
    """``count`` posts, one minute apart, oldest first; two share a timestamp (ties by id)."""
    start = utcnow() - timedelta(days=1)
    posts = []
    for n in range(count):
        post = factories.post(author, f"Beitrag {n}")
        post.created_at = start + timedelta(minutes=n if n != 3 else 2)
        posts.append(post)
    db.session.commit()
    return posts


def test_visitors_get_the_intro_and_the_public_posts(app, factories, client) -> None:  # noqa: ANN001
    update_node_settings(
        name="Nordstadt-Netz", quarter="Dortmund-Nordstadt", registration_mode="open"
    )
    db.session.commit()
    factories.post(factories.user("anna"), "Öffentlich")
    page = text_of(client.get("/"))
    assert "Nordstadt-Netz" in page and "Dortmund-Nordstadt" in page
    assert 'href="/register"' in page and "Öffentlich" in page
    assert "compose" not in page  # no form for visitors


def test_home_shows_followed_people_my_groups_and_me(app, factories, make_client) -> None:  # noqa: ANN001
    me, friend, stranger, owner = (factories.user(h) for h in ("me", "friend", "stranger", "owner"))
    group = factories.group(owner=owner, members=(me,))
    db.session.add(Follow(follower_id=me.actor_id, followed_id=friend.actor_id))
    db.session.commit()
    factories.post(me, "VON-MIR")
    factories.post(friend, "VOM-FREUND")
    factories.post(owner, "AUS-DER-GRUPPE", group=group)
    factories.post(stranger, "VON-FREMDEN")
    page = text_of(browser_of(make_client, me).get("/"))
    assert "VON-MIR" in page and "VOM-FREUND" in page and "AUS-DER-GRUPPE" in page
    assert "VON-FREMDEN" not in page
    assert 'name="text"' in page and 'enctype="multipart/form-data"' in page


def test_an_empty_home_falls_back_to_the_quarter(app, factories, make_client) -> None:  # noqa: ANN001
    me, other = factories.user("me"), factories.user("other")
    factories.post(other, "AUS-DEM-QUARTIER")
    page = text_of(browser_of(make_client, me).get("/"))
    assert "AUS-DEM-QUARTIER" in page and 'name="text"' in page


def test_local_timeline_shows_first_posts_not_replies(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    first = factories.post(anna, "ERSTER")
    factories.post(anna, "ANTWORT", in_reply_to=first)
    page = text_of(client.get("/local"))
    assert "ERSTER" in page and "ANTWORT" not in page
    assert "1 reply" in page or "1 Antwort" in page


def test_pagination_walks_older_and_newer_without_gaps(app, factories, client) -> None:  # noqa: ANN001
    app.config["PAGE_SIZE"] = 3
    posts = _posts_at_distinct_times(factories, factories.user("anna"), 8)
    expected = [p.id for p in sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)]
    seen, url, pages = [], "/local", []
    while url:
        html = text_of(client.get(url))
        pages.append(html)
        seen += _ids(html)
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == expected and len(pages) == 3
    assert 'rel="prev"' not in pages[0]
    newer = re.search(r'<a rel="prev" href="([^"]+)"', pages[-1]).group(1).replace("&amp;", "&")
    assert _ids(text_of(client.get(newer))) == expected[3:6]


def test_a_broken_cursor_shows_the_first_page(app, factories, client) -> None:  # noqa: ANN001
    factories.post(factories.user("anna"), "Hallo")
    assert client.get("/local?before=kaputt").status_code == 200
    assert client.get("/local?after=1-2-3&before=%00").status_code == 200
    assert decode_cursor("99999999999999999999-1") is None


def test_the_compose_form_publishes_into_a_group(app, factories, make_client) -> None:  # noqa: ANN001
    me = factories.user("me")
    group = factories.group("garten", owner=me)
    browser = browser_of(make_client, me)
    assert f'<option value="{group.id}">' in text_of(browser.get("/"))
    response = post_form(
        browser,
        "/posts",
        {
            "text": "Gießdienst",
            "visibility": "members",
            "group_id": str(group.id),
            "next_url": "/local",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/local"
    post = db.session.scalar(db.select(Post).where(Post.source == "Gießdienst"))
    assert post.group_id == group.id and post.visibility == "members"


def test_form_errors_come_back_with_the_text_kept(app, factories, make_client) -> None:  # noqa: ANN001
    app.config["POST_MAX_LENGTH"] = 10
    browser = browser_of(make_client, factories.user("me"))
    response = post_form(browser, "/posts", {"text": "Viel zu langer Text", "visibility": "public"})
    assert response.status_code == 422
    html = text_of(response)
    assert "Viel zu langer Text" in html and 'role="alert"' in html
    assert post_form(browser, "/posts", {"text": "ok", "visibility": "secret"}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_next_url_never_leaves_the_node(app, factories, make_client) -> None:  # noqa: ANN001
    browser = browser_of(make_client, factories.user("me"))
    response = post_form(
        browser,
        "/posts",
        {"text": "Hallo", "visibility": "public", "next_url": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_visitors_cannot_post(app, client) -> None:  # noqa: ANN001
    response = post_form(client, "/posts", {"text": "Hallo", "visibility": "public"})
    assert response.status_code in (302, 401)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_replies_are_shown_in_the_thread_in_order(app, factories, client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    root = factories.post(anna, "WURZEL")
    first = factories.post(bert, "ERSTE-ANTWORT", in_reply_to=root)
    factories.post(anna, "ANTWORT-AUF-ANTWORT", in_reply_to=first)
    page = text_of(client.get(f"/posts/{first.id}"))
    assert page.index("WURZEL") < page.index("ERSTE-ANTWORT") < page.index("ANTWORT-AUF-ANTWORT")
    assert "thread__item--depth-2" in page


def test_the_forms_offer_only_what_the_post_can_be(app, factories, make_client) -> None:  # noqa: ANN001
    from quarter_node.groups.models import GroupVisibility
    from quarter_node.posts.services import publish_post

    me = factories.user("me")
    parent = publish_post(me, "Für Mitglieder", visibility="members")
    browser = browser_of(make_client, me)
    reply_form = text_of(browser.get(f"/posts/{parent.id}")).split('id="reply-title"')[1]
    assert 'value="members"' in reply_form and 'value="followers"' in reply_form
    assert 'value="public"' not in reply_form
    group = factories.group(owner=me, visibility=GroupVisibility.MEMBERS_ONLY)
    with app.test_request_context("/groups/x"):
        from quarter_node.posts.views import compose_form_for

        form = compose_form_for(group=group)
    assert [value for value, _label in form.visibility.choices] == ["group"]


def test_a_refused_image_is_named_by_its_number(app, factories, make_client) -> None:  # noqa: ANN001
    from tests.posts.support import form_file, image_bytes

    browser = browser_of(make_client, factories.user("me"))
    response = post_form(
        browser,
        "/posts",
        {
            "text": "Zwei Bilder",
            "visibility": "public",
            "images-0-file": form_file(image_bytes(), "gut.png"),
            "images-1-file": form_file(b"GIF89a kaputt", "schlecht.gif"),
        },
    )
    assert response.status_code == 422
    html = text_of(response)
    assert "Image 2:" in html or "Bild 2:" in html
    assert '<details class="compose__images" open>' in html
