"""``parse_event`` reads the Events of Mobilizon, Gancio, Friendica and Hubzilla."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from federation.errors import InvalidDocument
from federation.events import (
    ImageInfo,
    PostalAddressInfo,
    derive_timezone,
    parse_event,
    remaining_capacity,
)
from tests.federation.conftest import load_fixture

SUMMER = timezone(timedelta(hours=2))
WINTER = timezone(timedelta(hours=1))
BERLIN = ZoneInfo("Europe/Berlin")


def test_mobilizon_event_in_person():
    event = parse_event(load_fixture("mobilizon/event.json"))
    assert event.id == "https://mobilizon.example/events/0f9b4c1e-1b5a-4a57-9a1e-2d5e8c4a7b10"
    assert event.name == "Repair Café im Juni"
    assert event.content == "<p>Bringt kaputte Toaster mit!</p>"
    assert event.start == datetime(2024, 6, 15, 14, tzinfo=SUMMER)
    assert event.end == datetime(2024, 6, 15, 17, tzinfo=SUMMER)
    assert event.start.tzinfo is not None and event.timezone == "Europe/Berlin"
    assert event.attributed_to == "https://mobilizon.example/@repaircafe"
    assert event.organizer == "https://mobilizon.example/@carla"
    assert (event.join_mode, event.status, event.cancelled) == ("free", "CONFIRMED", False)
    assert (event.capacity, event.remaining_capacity, event.participant_count) == (20, 17, 3)
    assert event.categories == ("community",)
    assert event.hashtags == ("reparieren",)
    assert (event.language, event.uuid, event.draft) == (
        "de",
        "0f9b4c1e-1b5a-4a57-9a1e-2d5e8c4a7b10",
        False,
    )
    assert (event.comments_enabled, event.anonymous_participation) == (True, False)
    assert event.public and not event.is_online and event.online_url is None
    assert event.images == (
        ImageInfo("https://mobilizon.example/media/banner.jpg", "image/jpeg", "Banner"),
    )
    place = event.place
    assert place.name == "Nachbarschaftshaus"
    assert (place.latitude, place.longitude) == (52.4986, 13.4062)
    assert place.address == PostalAddressInfo(
        street="Lindenstraße 12",
        postal_code="10969",
        locality="Berlin",
        region="Berlin",
        country="Germany",
    )
    assert place.one_line == "Nachbarschaftshaus, Lindenstraße 12, 10969 Berlin, Germany"
    assert event.published == datetime(2024, 5, 20, 8, tzinfo=UTC)


def test_mobilizon_online_event_reads_the_website_link():
    event = parse_event(load_fixture("mobilizon/event_online.json"))
    assert event.is_online and event.place is None
    assert event.online_url == "https://meet.example/mieterberatung"
    assert (event.join_mode, event.status) == ("restricted", "TENTATIVE")
    assert event.start == datetime(2024, 12, 3, 18, 30, tzinfo=WINTER)
    assert event.timezone == "Europe/Berlin"
    assert (event.comments_enabled, event.anonymous_participation) == (False, True)
    assert (event.capacity, event.remaining_capacity) == (0, None)
    assert event.images == ()  # neither the PropertyValue nor the Link is a picture


def test_mobilizon_live_stream_property_is_an_online_address_without_a_website_link():
    document = load_fixture("mobilizon/event_online.json")
    document["attachment"] = document["attachment"][:1]
    assert parse_event(document).online_url == "https://video.example/w/abc"


def test_mobilizon_cancelled_event_addressed_unlisted():
    event = parse_event(load_fixture("mobilizon/event_cancelled.json"))
    assert event.cancelled and event.status == "CANCELLED"
    assert event.public  # public in cc: unlisted, still readable by everyone
    assert event.place.address.locality == "Hamburg"
    assert event.hashtags == ("laterne",)


def test_mobilizon_event_with_address_as_string_and_coordinates_as_strings():
    event = parse_event(load_fixture("mobilizon/event_address_string.json"))
    assert event.place.name == "Marktbrunnen"
    assert event.place.address == PostalAddressInfo(text="Marktplatz 1, 06108 Halle (Saale)")
    assert (event.place.latitude, event.place.longitude) == (51.4828, 11.9695)
    [image] = event.images
    assert image.alt == "Karte der Route durch die Altstadt"
    # No ``timezone``: the offset +01:00 in March (before the change) is Berlin's.
    assert event.timezone == "Etc/GMT-1"
    named = parse_event(
        load_fixture("mobilizon/event_address_string.json"), default_timezone="Europe/Berlin"
    )
    assert named.timezone == "Europe/Berlin"


def test_gancio_event_with_address_string():
    event = parse_event(load_fixture("gancio/event.json"))
    assert event.name == "Hofflohmarkt"
    assert event.start == datetime(2024, 6, 22, 10, tzinfo=SUMMER)
    assert event.place.address.text == "Eichenweg 5, 04105 Leipzig"
    assert event.url == "https://gancio.example/event/hofflohmarkt"
    assert event.hashtags == ("flohmarkt",)
    assert event.images[0].alt is None
    assert event.join_mode is None and event.status == "CONFIRMED"


def test_gancio_event_with_place_list_and_several_images():
    event = parse_event(
        load_fixture("gancio/event_place_images.json"), default_timezone="Europe/Berlin"
    )
    assert event.place.name == "Hof der Alten Brauerei"
    assert event.place.id == "https://gancio.example/federation/p/5"
    assert event.place.address.one_line == "Brauhausgasse 4, 99084 Erfurt"
    assert event.timezone == "Europe/Berlin"
    assert [image.url for image in event.images] == [
        "https://gancio.example/media/plakat.jpg",
        "https://gancio.example/media/hof.webp",
    ]
    assert [image.alt for image in event.images] == ["Filmplakat mit Leinwand im Hof", None]
    assert event.hashtags == ("kino", "draussen")
    assert event.end == datetime(2024, 8, 9, 21, 30, tzinfo=UTC)


def test_gancio_online_event_in_a_place_with_a_virtual_address():
    event = parse_event(load_fixture("gancio/event_online.json"))
    assert event.is_online and event.online_url == "https://jitsi.example/lesekreis"
    assert event.place is None and event.end is None
    assert event.timezone == "Etc/GMT-1"


def test_bare_virtual_location_beside_a_physical_place():
    event = parse_event(
        {
            "id": "https://a.example/e/3",
            "type": "Event",
            "location": [
                {"type": "VirtualLocation", "url": "https://stream.example/live"},
                {"type": "Place", "name": "Aula"},
            ],
        }
    )
    assert event.online_url == "https://stream.example/live" and event.is_online
    assert event.place.name == "Aula"


def test_friendica_event_in_utc_with_content_map_and_bbcode_source():
    event = parse_event(load_fixture("friendica/event.json"), default_timezone="Europe/Berlin")
    assert event.start == datetime(2024, 9, 14, 8, tzinfo=UTC)
    assert event.timezone == "UTC"  # a UTC time says nothing about Berlin
    assert event.language == "de"
    assert event.source == "Bringt etwas zum Teilen mit."
    assert event.place.name == "Gemeindesaal, Kirchweg 2, Kassel" and event.place.address is None
    assert event.summary is None
    assert event.url == "https://friendica.example/display/0b1c2d3e-1234-5678-9abc-def012345678"


def test_hubzilla_event_with_link_url_and_timezone():
    event = parse_event(load_fixture("hubzilla/event.json"))
    assert event.url == "https://hubzilla.example/item/5f4e3d2c-1b0a-4988-8776-655443322110"
    assert event.timezone == "Europe/Berlin"
    assert event.start.astimezone(BERLIN).hour == 18  # 17:00 UTC is 18:00 in late October
    assert event.source.startswith("[b]Öffentliche[/b]")
    assert event.attributed_to == event.organizer == "https://hubzilla.example/channel/stadtteilrat"


def test_content_map_only_and_preferred_language():
    event = parse_event(
        {
            "id": "https://a.example/e/1",
            "type": "Event",
            "nameMap": {"en": "Street party", "de": "Straßenfest"},
            "contentMap": {"en": "<p>Music</p>", "de": "<p>Musik</p>"},
        },
        languages=("de",),
    )
    assert (event.name, event.content, event.language) == ("Straßenfest", "<p>Musik</p>", "en")


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"type": "Event"},
        {"id": "https://a.example/n/1", "type": "Note"},
    ],
)
def test_not_an_event_is_refused(document):
    with pytest.raises(InvalidDocument):
        parse_event(document)


def test_odd_values_read_as_absent():
    event = parse_event(
        {
            "id": "https://a.example/e/2",
            "type": ["Event"],
            "startTime": "2024-06-01T10:00",  # no zone: cannot be placed
            "joinMode": "whoever",
            "ical:status": "maybe",
            "maximumAttendeeCapacity": True,
            "participantCount": "7",
            "timezone": "Mars/Olympus",
            "location": {"type": "Place"},
            "isOnline": "true",
        }
    )
    assert event.start is None and event.timezone is None
    assert (event.join_mode, event.status) == (None, "CONFIRMED")
    assert (event.capacity, event.participant_count) == (None, 7)
    assert event.place is None and event.is_online


def test_derive_timezone_names_berlin_in_summer_and_winter_only_when_offsets_match():
    summer = datetime(2024, 7, 1, 12, tzinfo=SUMMER)
    winter = datetime(2024, 1, 15, 12, tzinfo=WINTER)
    assert derive_timezone(summer, "Europe/Berlin") == "Europe/Berlin"
    assert derive_timezone(winter, "Europe/Berlin") == "Europe/Berlin"
    assert derive_timezone(summer.astimezone(WINTER), "Europe/Berlin") == "Etc/GMT-1"
    assert (
        derive_timezone(datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))))
        is None
    )


def test_remaining_capacity_is_never_negative_and_none_without_limit():
    assert remaining_capacity(20, 3) == 17
    assert remaining_capacity(5, 7) == 0
    assert remaining_capacity(None, 3) is None
    assert remaining_capacity(0, 3) is None
