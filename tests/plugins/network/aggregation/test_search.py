"""``/network/search``: the node's full-text index over what the members published,
narrowed by quarter, topic, type and date; each hit labelled with its initiative. Runs on
SQLite (FTS5) and PostgreSQL (tsvector) alike."""

from __future__ import annotations

import re

from quarter_node.search.services import SearchRequest, run_search
from tests.plugins.network.aggregation.helpers import FLINGERN, publish, publish_event


def _titles(client, query: str) -> list[str]:  # noqa: ANN001
    page = client.get(f"/network/search?{query}")
    assert page.status_code == 200, page.text
    return re.findall(r'class="search-result__title"><a href="[^"]+">([^<]+)</a>', page.text)


def _aggregated(client, peers, olga, fritz, stranger) -> None:  # noqa: ANN001
    publish(client, olga, "Nachbarschaftsgarten sucht Hilfe", published="2026-03-01T10:00:00Z")
    publish(client, fritz, "Nachbarschaftsgarten im Hinterhof", published="2026-06-01T10:00:00Z")
    publish(client, stranger, "Nachbarschaftsgarten Werbung")
    publish_event(client, peers, fritz, "Nachbarschaftsgarten pflanzen")


def test_everything_of_the_members_is_found_and_labelled(
    client, peers, coordination, olga, fritz, stranger
) -> None:  # noqa: ANN001
    _aggregated(client, peers, olga, fritz, stranger)
    page = client.get("/network/search?q=nachbarschaftsgarten")
    titles = _titles(client, "q=nachbarschaftsgarten")
    assert sorted(titles) == [
        "Nachbarschaftsgarten im Hinterhof",
        "Nachbarschaftsgarten pflanzen",
        "Nachbarschaftsgarten sucht Hilfe",
    ]
    assert "From Garten Oberbilk (Oberbilk)" in page.text
    assert "From Repair Flingern (Flingern)" in page.text
    assert len(re.findall(r"<h1[ >]", page.text)) == 1


def test_quarter_and_topic_narrow_to_the_matching_members(
    client, peers, coordination, olga, fritz, stranger
) -> None:  # noqa: ANN001
    _aggregated(client, peers, olga, fritz, stranger)
    assert _titles(client, "q=nachbarschaftsgarten&quarter=Oberbilk") == [
        "Nachbarschaftsgarten sucht Hilfe"
    ]
    assert sorted(_titles(client, "q=nachbarschaftsgarten&topic=reparieren")) == [
        "Nachbarschaftsgarten im Hinterhof",
        "Nachbarschaftsgarten pflanzen",
    ]
    assert _titles(client, "q=nachbarschaftsgarten&quarter=Oberbilk&topic=Reparieren") == []


def test_type_and_date_filters(client, peers, coordination, olga, fritz, stranger) -> None:  # noqa: ANN001
    _aggregated(client, peers, olga, fritz, stranger)
    assert _titles(client, "q=nachbarschaftsgarten&type=events") == [
        "Nachbarschaftsgarten pflanzen"
    ]
    only_spring = "q=nachbarschaftsgarten&type=posts&from=2026-02-01&to=2026-04-30"
    assert _titles(client, only_spring) == ["Nachbarschaftsgarten sucht Hilfe"]


def test_unknown_quarters_topics_and_bad_dates_are_explained(client, coordination) -> None:  # noqa: ANN001
    for query, message in (
        ("q=garten&quarter=Atlantis", "No member initiative is in this quarter."),
        ("q=garten&topic=Raumfahrt", "No member initiative works on this topic."),
        ("q=garten&from=gestern", "Please give dates as YYYY-MM-DD."),
        ("q=", "Please enter at least one word to search for."),
    ):
        page = client.get(f"/network/search?{query}")
        assert page.status_code == 400 and message in page.text, query


def test_the_core_search_narrows_to_authors_of_some_servers(
    client, peers, coordination, olga, fritz, stranger
) -> None:  # noqa: ANN001
    _aggregated(client, peers, olga, fritz, stranger)
    flingern = frozenset({FLINGERN.split("://")[1]})
    found = run_search(
        SearchRequest(query="nachbarschaftsgarten", author_domains=flingern), viewer=None
    )
    assert sorted(hit.title for hit in found.hits) == [
        "Nachbarschaftsgarten im Hinterhof",
        "Nachbarschaftsgarten pflanzen",
    ]
    nobody = run_search(
        SearchRequest(query="nachbarschaftsgarten", author_domains=frozenset()), viewer=None
    )
    assert nobody.hits == []
