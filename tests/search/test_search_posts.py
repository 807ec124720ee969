"""Searching posts: found by their words, never beyond what the reader may see."""

from __future__ import annotations

from sqlalchemy import select

from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.services import delete_post, publish_post
from quarter_node.search.models import SearchEntry
from tests.helpers import found, text_of


def _indexed(post_id: int) -> bool:
    query = select(SearchEntry.id).where(
        SearchEntry.kind == "post", SearchEntry.object_id == post_id
    )
    return db.session.scalar(query) is not None


def test_a_post_is_found_by_a_word(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Wer hat eine Leiter zu verleihen?", visibility="public")
    response = client.get("/search?q=Leiter")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'href="/posts/{post.id}"' in page and "<mark>Leiter</mark>" in page
    assert found(None, "Bohrmaschine") == []


def test_umlauts_and_word_forms_find_german_posts(app, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Die Gärten am Müllerplatz blühen.", visibility="public")
    for query in ("Gärten", "garten", "Mullerplatz", "müllerplatz"):
        assert found(None, query) == [f"/posts/{post.id}"], query


def test_a_remote_post_issearch_urls(app, factories) -> None:  # noqa: ANN001
    bert = factories.remote_actor("bert")
    post = factories.remote_post(bert, "Flohmarkt am Samstag")
    assert found(None, "Flohmarkt") == [f"/posts/{post.id}"]


def test_a_followers_only_post_is_not_found_by_a_stranger(app, factories) -> None:  # noqa: ANN001
    anna, stranger = factories.user("anna"), factories.user("carl")
    publish_post(anna, "Geheimer Grillabend", visibility="followers")
    assert found(stranger, "Grillabend") == []
    assert found(None, "Grillabend") == []
    assert len(found(anna, "Grillabend")) == 1


def test_a_members_only_groups_post_is_not_found_by_a_non_member(app, factories) -> None:  # noqa: ANN001
    anna, outsider = factories.user("anna"), factories.user("otto")
    group = factories.group("chor", owner=anna, visibility=GroupVisibility.MEMBERS_ONLY)
    factories.post(anna, "Chorprobe verschoben", group=group, visibility=Visibility.PUBLIC)
    assert found(outsider, "Chorprobe") == []
    assert len(found(anna, "Chorprobe")) == 1


def test_deleted_and_edited_posts_leave_the_old_words_behind(app, factories) -> None:  # noqa: ANN001
    from quarter_node.posts.services import edit_post

    anna = factories.user("anna")
    gone = publish_post(anna, "Fahrrad zu verschenken", visibility="public")
    changed = publish_post(anna, "Kinderwagen abzugeben", visibility="public")
    delete_post(anna, gone)
    edit_post(anna, changed, "Buggy abzugeben")
    assert found(None, "Fahrrad") == []
    assert _indexed(gone.id) is False  # gone from the index itself, not only filtered
    assert found(None, "Kinderwagen") == []
    assert found(None, "Buggy") == [f"/posts/{changed.id}"]


def test_a_hidden_post_leaves_the_index_and_returns_when_shown_again(app, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Zu verschenken: Sofa", visibility="public")
    stored = db.session.get(Post, post.id)
    stored.hidden_at = utcnow()
    db.session.commit()
    assert _indexed(post.id) is False and found(None, "Sofa") == []
    stored.hidden_at = None
    db.session.commit()
    assert found(None, "Sofa") == [f"/posts/{post.id}"]


def test_search_syntax_in_the_query_is_only_words(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Suppe NEAR Kirche", visibility="public")
    for query in (
        '"Suppe',
        "Suppe*",
        "Suppe NEAR Kirche",
        "-Suppe",
        "(Suppe",
        "^Suppe:",
        "NEAR(Suppe Kirche)",
    ):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200, query
        assert f'href="/posts/{post.id}"' in text_of(response), query


def test_bad_queries_get_a_clear_message(app, factories, client) -> None:  # noqa: ANN001
    assert client.get("/search").status_code == 200  # the empty form
    for query, message in (
        ("", "at least one word"),
        ("***", "at least one word"),
        ("x" * 201, "at most 200 characters"),
    ):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 400 and message in text_of(response)
    bad_date = client.get("/search", query_string={"q": "Suppe", "from": "gestern"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in text_of(bad_date)


def test_content_cannot_inject_markup_into_the_results(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    publish_post(anna, "Kuchen `<script>alert(1)</script>` &lt;b&gt;", visibility="public")
    page = client.get("/search?q=Kuchen").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
