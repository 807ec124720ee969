"""WebFinger, NodeInfo and host-meta: discovery as peers perform and expect it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from federation.errors import InvalidDocument
from federation.hostmeta import build_host_meta
from federation.nodeinfo import (
    Usage,
    application_actor_url,
    build_nodeinfo,
    build_well_known,
    nodeinfo_url,
    parse_nodeinfo,
)
from federation.webfinger import (
    Handle,
    actor_url_from_jrd,
    build_jrd,
    parse_handle,
    subject_handle,
    webfinger_url,
)
from tests.federation.conftest import load_fixture


@pytest.mark.parametrize(
    "text",
    [
        "@anna@Social.Example",
        "anna@social.example",
        "acct:anna@social.example",
        " @anna@social.example ",
    ],
)
def test_handles_in_every_spelling(text):
    assert parse_handle(text) == Handle("anna", "social.example")


def test_urls_are_passed_through_for_direct_lookup():
    assert parse_handle("https://social.example/@anna") == "https://social.example/@anna"


@pytest.mark.parametrize(
    "text", ["anna", "@anna", "anna@", "@anna@a@b", "an na@social.example", "https://", "a@b/c"]
)
def test_nonsense_is_not_a_handle(text):
    with pytest.raises(InvalidDocument):
        parse_handle(text)


def test_webfinger_url_and_display():
    handle = Handle("anna", "social.example")
    assert str(handle) == "@anna@social.example"
    assert webfinger_url(handle) == (
        "https://social.example/.well-known/webfinger?resource=acct:anna@social.example"
    )


def test_our_jrd_is_readable_by_our_own_parser():
    jrd = build_jrd(
        Handle("bernd", "quarter.example"),
        "https://quarter.example/users/bernd",
        profile_url="https://quarter.example/@bernd",
    )
    assert jrd["subject"] == "acct:bernd@quarter.example"
    assert jrd["aliases"] == [
        "https://quarter.example/users/bernd",
        "https://quarter.example/@bernd",
    ]
    assert actor_url_from_jrd(jrd) == "https://quarter.example/users/bernd"


def test_mastodon_jrd():
    jrd = load_fixture("mastodon/webfinger.json")
    assert actor_url_from_jrd(jrd) == "https://social.example/users/anna"
    assert subject_handle(jrd) == Handle("anna", "social.example")


def test_self_link_with_the_json_ld_profile_type():
    jrd = load_fixture("gancio/webfinger_ld.json")
    assert actor_url_from_jrd(jrd) == "https://gancio.example/federation/u/events"


@pytest.mark.parametrize(
    "jrd",
    [
        {"links": [{"rel": "self", "type": "text/html", "href": "https://a/x"}]},
        {"links": [{"rel": "http://webfinger.net/rel/profile-page", "href": "https://a/x"}]},
        {"links": "nope"},
        [],
    ],
)
def test_jrd_without_activitypub_self_link_is_refused(jrd):
    with pytest.raises(InvalidDocument):
        actor_url_from_jrd(jrd)


def test_host_meta_points_to_webfinger():
    root = ET.fromstring(build_host_meta("https://quarter.example/"))
    [link] = root
    assert link.get("rel") == "lrdd"
    assert link.get("template") == "https://quarter.example/.well-known/webfinger?resource={uri}"


def test_our_nodeinfo_documents():
    well_known = build_well_known(
        "https://quarter.example/nodeinfo/2.1", "https://quarter.example/actor"
    )
    assert nodeinfo_url(well_known) == "https://quarter.example/nodeinfo/2.1"
    assert application_actor_url(well_known) == "https://quarter.example/actor"
    document = build_nodeinfo(
        software_name="quarter-node",
        version="0.1.0",
        open_registrations=False,
        usage=Usage(users_total=12, local_posts=40),
        repository="https://code.example/quarter-node",
        metadata={"nodeName": "Lindenviertel"},
    )
    assert document["version"] == "2.1" and document["protocols"] == ["activitypub"]
    assert document["usage"] == {"users": {"total": 12}, "localPosts": 40}
    peer = parse_nodeinfo(document)
    assert (peer.software, peer.version, peer.node_name) == (
        "quarter-node",
        "0.1.0",
        "Lindenviertel",
    )


def test_software_names_outside_the_schema_are_refused():
    with pytest.raises(ValueError):
        build_nodeinfo(
            software_name="Quarter Node", version="1", open_registrations=True, usage=Usage()
        )


def test_peer_nodeinfo_mastodon_2_0():
    assert nodeinfo_url(load_fixture("mastodon/nodeinfo_well_known.json")).endswith("/2.0")
    peer = parse_nodeinfo(load_fixture("mastodon/nodeinfo_2.0.json"))
    assert (peer.software, peer.version, peer.users_total) == ("mastodon", "4.3.2", 1234)
    assert peer.open_registrations is True and peer.protocols == ("activitypub",)


def test_peer_nodeinfo_mobilizon_prefers_2_1_and_names_its_application_actor():
    well_known = load_fixture("mobilizon/nodeinfo_well_known.json")
    assert nodeinfo_url(well_known) == "https://mobilizon.example/.well-known/nodeinfo/2.1"
    assert application_actor_url(well_known) == "https://mobilizon.example/relay"
    peer = parse_nodeinfo(load_fixture("mobilizon/nodeinfo_2.1.json"))
    assert (peer.software, peer.open_registrations, peer.users_total) == ("mobilizon", False, 42)


@pytest.mark.parametrize("document", [{}, {"software": "x"}, {"software": {}}, []])
def test_nodeinfo_without_software_is_refused(document):
    with pytest.raises(InvalidDocument):
        parse_nodeinfo(document)


def test_links_document_without_nodeinfo_is_refused():
    with pytest.raises(InvalidDocument):
        nodeinfo_url({"links": [{"rel": "other", "href": "https://a/x"}]})
