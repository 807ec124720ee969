"""The tolerant readers accept every shape peers send for the same meaning."""

from __future__ import annotations

import pytest

from federation.readers import (
    as_list,
    audiences,
    first_str,
    first_url,
    has_type,
    id_of,
    ids_of,
    is_public,
    is_unlisted,
    language_map_value,
    natural_text,
)
from tests.federation.conftest import load_fixture


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("a", ["a"]), (["a", None, "b"], ["a", "b"]), ({"id": "x"}, [{"id": "x"}])],
)
def test_as_list_reads_missing_single_and_array_values(value, expected):
    assert as_list(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://a.example/1", "https://a.example/1"),
        ({"id": "https://a.example/1", "type": "Note"}, "https://a.example/1"),
        ({"type": "Link", "href": "https://a.example/2"}, "https://a.example/2"),
        ({"type": "Note"}, None),
        ("", None),
        (42, None),
    ],
)
def test_id_of_reads_ids_from_strings_objects_and_links(value, expected):
    assert id_of(value) == expected


def test_ids_of_keeps_document_order_and_skips_unusable_items():
    assert ids_of(["https://a/1", {"id": "https://a/2"}, {"name": "x"}]) == [
        "https://a/1",
        "https://a/2",
    ]


def test_first_str_and_first_url_accept_arrays_and_link_objects():
    assert first_str(["", "anna"]) == "anna"
    assert first_str({"not": "a string"}) is None
    links = [
        {"type": "Link", "mediaType": "application/json", "href": "https://a/json"},
        {"type": "Link", "mediaType": "text/html", "href": "https://a/html"},
    ]
    assert first_url(links) == "https://a/html"
    assert first_url({"type": "Image", "url": "https://a/icon.png"}) == "https://a/icon.png"


@pytest.mark.parametrize(
    "public", ["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"]
)
def test_is_public_recognises_every_spelling_of_the_public_collection(public):
    assert is_public({"to": [public]})
    assert is_public({"cc": public})


def test_followers_only_posts_are_not_public():
    post = {"to": ["https://a/users/x/followers"], "cc": ["https://b/users/y"]}
    assert not is_public(post)
    assert not is_unlisted(post)


def test_unlisted_means_public_only_in_cc():
    assert is_unlisted({"to": ["https://a/followers"], "cc": ["as:Public"]})
    assert not is_unlisted({"to": ["as:Public"]})


def test_audiences_collects_all_addressing_fields():
    doc = {"to": "https://a/1", "cc": [{"id": "https://a/2"}], "bto": ["https://a/3"]}
    doc |= {"bcc": "https://a/4", "audience": "https://a/5"}
    assert audiences(doc) == {f"https://a/{n}" for n in range(1, 6)}


def test_language_map_prefers_the_wanted_language_including_regional_tags():
    mapping = {"en": "Hello", "de-DE": "Hallo"}
    assert language_map_value(mapping, ["de"]) == "Hallo"
    assert language_map_value(mapping, ["fr"]) == "Hello"
    assert language_map_value({}, ["de"]) is None


def test_natural_text_falls_back_to_the_content_map_friendica_sends():
    note = load_fixture("friendica/note_contentmap.json")
    assert natural_text(note, "content", ["en"]) == "Good morning, Lindenviertel! Who has a ladder?"
    assert natural_text(note, "content", ["de"]).startswith("Guten Morgen")


def test_plain_content_wins_over_the_map():
    note = {"content": "<p>Hallo</p>", "contentMap": {"en": "<p>Hello</p>"}}
    assert natural_text(note, "content", ["en"]) == "<p>Hallo</p>"


def test_has_type_reads_single_and_multiple_types():
    assert has_type({"type": ["Note", "schema:Thing"]}, "Note")
    assert not has_type({"type": "Note"}, "Article")
    assert not has_type("Note", "Note")
