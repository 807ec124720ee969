"""``parse_object`` reads posts, events and polls with each server's quirks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from federation.errors import InvalidDocument
from federation.objects import parse_object
from tests.federation.conftest import load_fixture

BERLIN_SUMMER = timezone(timedelta(hours=2))


def test_mastodon_note_with_mention_hashtag_and_image():
    note = parse_object(load_fixture("mastodon/create_note.json")["object"])
    assert note.type == "Note"
    assert note.attributed_to == "https://social.example/users/anna"
    assert "Tauschbörse" in note.content
    assert note.language == "de"
    assert note.public
    assert note.mentions == ("https://quarter.example/users/bernd",)
    assert note.hashtags == ("nachbarschaft",)
    assert note.published == datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
    assert note.url == "https://social.example/@anna/113001"
    [image] = note.attachments
    assert (image.media_type, image.description) == ("image/jpeg", "Flyer der Tauschbörse")
    assert note.in_reply_to is None and note.event is None


def test_mobilizon_event_with_postal_address():
    event = parse_object(load_fixture("mobilizon/event.json"))
    assert (event.type, event.name) == ("Event", "Repair Café im Juni")
    details = event.event
    assert details.start == datetime(2024, 6, 15, 14, tzinfo=BERLIN_SUMMER)
    assert details.end == datetime(2024, 6, 15, 17, tzinfo=BERLIN_SUMMER)
    assert details.timezone == "Europe/Berlin"
    assert (details.join_mode, details.status) == ("free", "CONFIRMED")
    assert (details.participant_count, details.capacity) == (3, 20)
    place = details.place
    assert place.name == "Nachbarschaftshaus"
    assert (place.street, place.postal_code, place.locality) == (
        "Lindenstraße 12",
        "10969",
        "Berlin",
    )
    assert place.one_line == "Nachbarschaftshaus, Lindenstraße 12, 10969 Berlin, Germany"
    assert (place.latitude, place.longitude) == (52.4986, 13.4062)
    assert event.attributed_to == "https://mobilizon.example/@repaircafe"
    assert event.hashtags == ("reparieren",)


def test_gancio_event_with_address_string():
    event = parse_object(load_fixture("gancio/event.json"))
    assert event.name == "Hofflohmarkt"
    assert event.event.start == datetime(2024, 6, 22, 10, tzinfo=BERLIN_SUMMER)
    assert event.event.place.address_text == "Eichenweg 5, 04105 Leipzig"
    assert event.event.place.one_line == "Hinterhof Eichenweg, Eichenweg 5, 04105 Leipzig"
    assert event.hashtags == ("flohmarkt",)
    assert event.attachments[0].url == "https://gancio.example/media/7d1f.jpg"


def test_lemmy_page_in_a_community():
    announce = load_fixture("lemmy/announce_create_page.json")
    page = parse_object(announce["object"]["object"])
    assert (page.type, page.name) == ("Page", "Straßenfest planen")
    assert page.community == "https://lemmy.example/c/lindenviertel"
    assert page.source_text == "Wer hilft beim Aufbau?"
    assert page.attachments[0].url == "https://strassenfest.example/"
    assert page.attachments[0].kind == "Link"


def test_lemmy_comment_replies_to_the_post():
    comment = parse_object(load_fixture("lemmy/comment_note.json"))
    assert comment.in_reply_to == "https://lemmy.example/post/123"
    assert comment.mentions == ("https://lemmy.example/u/carla",)
    assert comment.community == "https://lemmy.example/c/lindenviertel"


def test_friendica_note_with_only_a_content_map():
    note = parse_object(load_fixture("friendica/note_contentmap.json"), languages=("en",))
    assert note.content == "Good morning, Lindenviertel! Who has a ladder?"
    assert note.language == "de"
    german = parse_object(load_fixture("friendica/note_contentmap.json"), languages=("de",))
    assert german.content.startswith("Guten Morgen")


def test_misskey_note_with_quote_and_mfm_source():
    note = parse_object(load_fixture("misskey/note_quote.json"))
    assert note.quote_url == "https://social.example/users/anna/statuses/113001"
    assert note.source_text == "Schaut mal, Tauschbörse #nachbarschaft"
    assert note.hashtags == ("nachbarschaft",)


def test_misskey_quote_alone_is_enough():
    document = load_fixture("misskey/note_quote.json")
    for key in ("quoteUrl", "quoteUri"):
        del document[key]
    assert parse_object(document).quote_url.endswith("/statuses/113001")


def test_mastodon_poll():
    poll = parse_object(load_fixture("mastodon/question.json")).poll
    assert [(o.name, o.votes) for o in poll.options] == [("Samstag", 5), ("Sonntag", 2)]
    assert not poll.multiple_choice
    assert poll.closes == datetime(2024, 6, 8, 8, tzinfo=UTC)
    assert poll.voters == 7


def test_peertube_style_attribution_picks_the_person_and_the_channel():
    video_note = {
        "id": "https://tube.example/videos/watch/1",
        "type": "Note",
        "attributedTo": [
            {"type": "Group", "id": "https://tube.example/video-channels/kiez"},
            {"type": "Person", "id": "https://tube.example/accounts/gustav"},
        ],
    }
    parsed = parse_object(video_note)
    assert parsed.attributed_to == "https://tube.example/accounts/gustav"
    assert parsed.community == "https://tube.example/video-channels/kiez"


def test_times_without_zone_read_as_unknown():
    event = parse_object({"id": "https://a/e", "type": "Event", "startTime": "2024-06-01T10:00"})
    assert event.event.start is None


@pytest.mark.parametrize(
    "document",
    [{"type": "Note"}, {"id": "https://a/1", "type": "Person"}, {"id": "https://a/1"}, "x"],
)
def test_non_content_documents_are_refused(document):
    with pytest.raises(InvalidDocument):
        parse_object(document)
