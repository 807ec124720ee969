"""Our outgoing Event, its Mastodon summary, and taking part (Join, Leave, Accept)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from federation import activities
from federation.actors import parse_actor
from federation.event_documents import event_summary_text, event_to_ap
from federation.events import EventInfo, ImageInfo, PlaceInfo, PostalAddressInfo, parse_event
from federation.validation import Decision, check_embedded_object, check_response, validate_incoming
from federation.vocabulary import CONTEXT, PUBLIC
from tests.federation.conftest import load_fixture

BERLIN = ZoneInfo("Europe/Berlin")
EVENT_ID = "https://quarter.example/events/17"
ORGANIZER = "https://quarter.example/users/bernd"


def summer_event(**changes) -> EventInfo:
    """A complete local event in Berlin's summer time, as the plugin would pass it."""
    info = EventInfo(
        id=EVENT_ID,
        name="Hoffest",
        start=datetime(2024, 7, 6, 15, 0, tzinfo=BERLIN),
        end=datetime(2024, 7, 6, 19, 30, tzinfo=BERLIN),
        timezone="Europe/Berlin",
        content="<p>Mit Kuchen.</p>",
        source="Mit Kuchen.",
        summary="📅 Samstag, 6. Juli 2024, 15:00–19:30",
        language="de",
        url="https://quarter.example/events/17",
        attributed_to="https://quarter.example/groups/hof",
        organizer=ORGANIZER,
        place=PlaceInfo(
            name="Hinterhof",
            address=PostalAddressInfo(
                street="Lindenstraße 12",
                postal_code="10969",
                locality="Berlin",
                region="Berlin",
                country="DE",
            ),
            latitude=52.4986,
            longitude=13.4062,
        ),
        join_mode="restricted",
        capacity=30,
        remaining_capacity=28,
        participant_count=2,
        categories=("community",),
        hashtags=("hoffest", "kuchen"),
        images=(ImageInfo("https://quarter.example/media/hof.jpg", "image/jpeg", "Bunter Hof"),),
        to=(PUBLIC,),
        cc=("https://quarter.example/groups/hof/followers",),
        comments_enabled=True,
        anonymous_participation=False,
        uuid="5a0e7d3c-1111-4222-8333-444455556666",
        published=datetime(2024, 6, 1, 9, 0, tzinfo=UTC),
        updated=datetime(2024, 6, 2, 9, 0, tzinfo=UTC),
    )
    return replace(info, **changes)


def test_round_trip_gives_back_the_event():
    info = summer_event()
    assert parse_event(event_to_ap(info)) == info


def test_round_trip_of_an_online_cancelled_event_in_winter():
    info = summer_event(
        start=datetime(2025, 1, 20, 18, 0, tzinfo=BERLIN),
        end=datetime(2025, 1, 22, 12, 0, tzinfo=BERLIN),
        place=None,
        is_online=True,
        online_url="https://meet.example/hof",
        status="CANCELLED",
        join_mode="free",
        capacity=None,
        remaining_capacity=None,
        images=(),
        comments_enabled=None,
        draft=True,
    )
    assert parse_event(event_to_ap(info)) == info


def test_document_has_the_shape_mobilizon_and_gancio_read():
    document = event_to_ap(
        summer_event(), tag_url=lambda tag: f"https://quarter.example/tags/{tag}"
    )
    assert document["@context"] == CONTEXT
    assert document["type"] == "Event"
    # Times in the event's own offset, as Mobilizon sends them: +02:00 in summer.
    assert document["startTime"] == "2024-07-06T15:00:00+02:00"
    assert document["endTime"] == "2024-07-06T19:30:00+02:00"
    assert document["timezone"] == "Europe/Berlin"
    assert document["location"]["type"] == "Place"
    assert document["location"]["address"]["type"] == "PostalAddress"
    assert document["location"]["address"]["addressLocality"] == "Berlin"
    assert (document["joinMode"], document["ical:status"]) == ("restricted", "CONFIRMED")
    assert document["maximumAttendeeCapacity"] == 30
    assert document["category"] == "COMMUNITY"
    assert (
        document["commentsEnabled"] is True and document["repliesModerationOption"] == "allow_all"
    )
    # Gancio takes the first attachment as the picture and strips a leading "#".
    assert document["attachment"][0]["url"] == "https://quarter.example/media/hof.jpg"
    assert document["attachment"][0]["name"] == "Bunter Hof"
    assert document["tag"][0] == {
        "type": "Hashtag",
        "name": "#hoffest",
        "href": "https://quarter.example/tags/hoffest",
    }
    assert document["contentMap"] == {"de": "<p>Mit Kuchen.</p>"}
    assert document["source"] == {"content": "Mit Kuchen.", "mediaType": "text/markdown"}
    assert None not in document.values()


def test_winter_event_is_sent_with_the_winter_offset():
    info = summer_event(start=datetime(2024, 12, 14, 15, 0, tzinfo=BERLIN), end=None)
    document = event_to_ap(info)
    assert document["startTime"] == "2024-12-14T15:00:00+01:00"
    assert "endTime" not in document


def test_online_address_goes_out_as_mobilizons_website_link_after_the_images():
    document = event_to_ap(summer_event(is_online=True, online_url="https://meet.example/hof"))
    assert document["isOnline"] is True
    assert document["attachment"][-1] == {
        "type": "Link",
        "name": "Website",
        "mediaType": "text/html",
        "href": "https://meet.example/hof",
    }


def test_empty_event_still_carries_what_gancio_and_mobilizon_read_unguarded():
    document = event_to_ap(EventInfo(id=EVENT_ID, name="Treffen"))
    assert document["content"] == "" and document["attachment"] == []
    assert document["to"] == [] and document["cc"] == []


@pytest.mark.parametrize(
    ("start", "end", "locale", "expected"),
    [
        (
            datetime(2024, 7, 6, 13, 0, tzinfo=UTC),
            datetime(2024, 7, 6, 17, 30, tzinfo=UTC),
            "de",
            "📅 Samstag, 6. Juli 2024, 15:00–19:30",
        ),
        (
            datetime(2024, 12, 14, 14, 0, tzinfo=UTC),
            datetime(2024, 12, 14, 16, 0, tzinfo=UTC),
            "de",
            "📅 Samstag, 14. Dezember 2024, 15:00–17:00",
        ),
        (
            datetime(2024, 7, 6, 13, 0, tzinfo=UTC),
            datetime(2024, 7, 7, 10, 0, tzinfo=UTC),
            "en",
            "📅 Saturday, July 6, 2024, 3:00\u202fPM – Sunday, July 7, 2024, 12:00\u202fPM",
        ),
    ],
)
def test_summary_text_in_berlin_time_summer_and_winter(start, end, locale, expected):
    text = event_summary_text(summer_event(start=start, end=end), locale)
    lines = text.splitlines()
    assert lines[0] == expected
    assert lines[1] == "📍 Hinterhof, Lindenstraße 12, 10969 Berlin, DE"


def test_unknown_zone_falls_back_to_the_offsets_sent():
    info = summer_event(timezone="Mars/Olympus")
    assert event_to_ap(info)["startTime"] == "2024-07-06T13:00:00Z"
    assert event_summary_text(info, "de").startswith("📅 Samstag, 6. Juli 2024, 15:00")


def test_summary_marks_cancelled_and_online_events():
    info = summer_event(
        status="CANCELLED", place=None, is_online=True, online_url="https://m.example/x"
    )
    assert event_summary_text(info, "de").splitlines()[0] == "Abgesagt:"
    assert event_summary_text(info, "en").splitlines()[-1] == "💻 Online: https://m.example/x"


def test_mastodon_facing_summary_is_filled_when_missing():
    document = event_to_ap(summer_event(summary=None), summary_locale="de")
    assert document["summary"].startswith("📅 Samstag, 6. Juli 2024, 15:00")
    assert "Hinterhof" in document["summary"]
    assert document["url"] == "https://quarter.example/events/17"


# --- taking part ------------------------------------------------------------------------------

REMOTE = "https://mobilizon.example/@carla"


def test_join_is_addressed_to_the_organiser_with_the_participation_message():
    join = activities.join(
        REMOTE,
        EVENT_ID,
        id="https://mobilizon.example/join/1",
        organizer=ORGANIZER,
        message="Hallo",
    )
    assert (join["type"], join["object"], join["to"]) == ("Join", EVENT_ID, [ORGANIZER, REMOTE])
    assert join["participationMessage"] == "Hallo"
    leave = activities.leave(
        REMOTE, EVENT_ID, id="https://mobilizon.example/leave/1", organizer=ORGANIZER
    )
    assert (leave["type"], leave["to"]) == ("Leave", [ORGANIZER, REMOTE])


def test_accept_of_a_join_embeds_the_join_for_mobilizon():
    join = load_fixture("mobilizon/join.json")
    accepted = activities.accept(ORGANIZER, join, id="https://quarter.example/accept/join/1")
    assert accepted["object"]["id"] == join["id"] and "@context" not in accepted["object"]
    assert accepted["to"] == [REMOTE]
    assert check_response(accepted).accepted  # from the event's origin, not the event itself


def test_mobilizons_accept_of_our_join_passes_validation():
    accept = load_fixture("mobilizon/accept_join.json")
    assert check_response(accept).accepted
    assert check_embedded_object(accept).accepted


def test_accept_of_a_join_from_another_origin_is_rejected():
    accept = load_fixture("mobilizon/accept_join.json")
    accept["actor"] = "https://evil.example/@mallory"
    accept["id"] = "https://evil.example/accept/1"
    assert check_response(accept).decision is Decision.REJECT


def test_join_with_embedded_event_is_matched_by_id_not_refetched():
    join = load_fixture("mobilizon/join.json")
    join["object"] = {"id": EVENT_ID, "type": "Event", "name": "claimed"}
    assert check_embedded_object(join).accepted


def test_join_must_be_signed_by_its_actor():
    join = load_fixture("mobilizon/join.json")
    group = parse_actor(load_fixture("mobilizon/group.json"))
    verdict = validate_incoming(join, key_id=group.public_keys[0].id, signer=group)
    assert verdict.decision is Decision.REFETCH
