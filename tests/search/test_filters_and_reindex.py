"""Narrowing a search by group and date, paging, and rebuilding the index from the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.posts.services import publish_post
from quarter_node.search.models import SearchEntry
from quarter_node.search.services import PAGE_SIZE, SearchRequest, run_search
from tests.helpers import found, text_of


def test_the_group_filter_keeps_one_groups_posts(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    garden = factories.group("garten", owner=anna)
    in_group = factories.post(anna, "Kompost umsetzen", group=garden)
    outside = factories.post(anna, "Kompost gesucht")
    assert sorted(found(None, "Kompost")) == sorted(
        [f"/posts/{in_group.id}", f"/posts/{outside.id}"]
    )
    assert found(None, "Kompost", group="garten") == [f"/posts/{in_group.id}"]
    response = client.get("/search?q=Kompost&group=nirgendwo")
    assert response.status_code == 400 and "no group" in text_of(response)


def test_the_date_filter_keeps_posts_published_in_the_range(app, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    old = factories.post(anna, "Sperrmüll im Hof")
    new = factories.post(anna, "Sperrmüll vor dem Haus")
    db.session.get(Post, old.id).created_at = datetime(2025, 3, 1, 12, tzinfo=UTC)
    db.session.commit()
    assert found(None, "Sperrmüll", date_to="2025-03-01") == [f"/posts/{old.id}"]
    assert found(None, "Sperrmüll", date_from="2025-03-02") == [f"/posts/{new.id}"]


def test_results_come_in_pages(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    for n in range(PAGE_SIZE + 3):
        factories.post(anna, f"Tauschbörse Nummer {n}")
    first = run_search(SearchRequest(query="Tauschbörse"), None)
    second = run_search(SearchRequest(query="Tauschbörse", page=2), None)
    assert len(first.hits) == PAGE_SIZE and first.has_next
    assert len(second.hits) == 3 and not second.has_next
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
    page = text_of(client.get("/search?q=Tauschb%C3%B6rse"))
    assert 'rel="next"' in page and "<ol" in page and page.count("<h1") == 1


def test_reindex_rebuilds_everything(app, factories, runner) -> None:  # noqa: ANN001
    from tests.plugins.events.helpers import make_event

    anna = factories.user("anna")
    post = publish_post(anna, "Repair-Café im Keller", visibility="public")
    event = make_event(anna, title="Repair-Café", place_name="Keller der Kirche")
    db.session.execute(delete(SearchEntry))
    db.session.commit()
    assert found(None, "Keller") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1 posts" in result.output and "1 plugin documents" in result.output
    assert sorted(found(None, "Keller")) == sorted([f"/events/{event.id}", f"/posts/{post.id}"])
    assert db.session.scalar(select(func.count(SearchEntry.id))) == 2


def test_start_up_builds_an_empty_index_once(app, factories) -> None:  # noqa: ANN001
    """A node upgraded to a version with search has posts but no index: init/run fill it."""
    from quarter_node.search.cli import fill_empty_search_index

    anna = factories.user("anna")
    post = publish_post(anna, "Nachbarschaftshilfe beim Umzug", visibility="public")
    db.session.execute(delete(SearchEntry))
    db.session.commit()
    fill_empty_search_index()
    assert found(None, "Umzug") == [f"/posts/{post.id}"]
