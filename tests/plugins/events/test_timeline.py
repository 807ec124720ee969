"""Newly published events in the timelines: a follower's home, the quarter, the group's
page, each respecting who may see the event; nothing while the plugin is disabled."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import event as sqla_event

from federation import vocabulary as v
from federation.event_info import EventInfo
from plugins.events.remote_events import store_remote_event
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.node.services import update_node_settings
from quarter_node.plugin_api import utcnow
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from quarter_node.social.models import Follow
from tests.helpers import logged_in_client, text_of
from tests.plugins.events.helpers import make_event


def _soon() -> datetime:
    return (utcnow() + timedelta(days=5)).replace(tzinfo=None, hour=18, minute=0, microsecond=0)


def _card_ids(html: str) -> list[str]:
    """``event-<id>`` and ``post-<id>`` in the order the timeline shows them."""
    return re.findall(r'id="((?:event-entry|post)-\d+)"', html)


def _remote_event(organizer, uri: str, name: str):  # noqa: ANN001, ANN202
    """A public remote event stored as the inbox stores one."""
    db.session.refresh(organizer)  # loaded now, not by the flush of the half-made event
    info = EventInfo(
        id=uri, name=name, start=datetime(2026, 12, 20, 18, 0, tzinfo=UTC), to=(v.PUBLIC,)
    )
    event = store_remote_event(info, organizer)
    db.session.commit()
    return event


def _follow(follower, followed_actor_id: int) -> None:  # noqa: ANN001
    db.session.add(Follow(follower_id=follower.actor_id, followed_id=followed_actor_id))
    db.session.commit()


def test_a_followed_neighbours_event_appears_in_home_as_a_card_by_time(
    app, factories, make_client
) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna", display_name="Anna Adler"), factories.user("bert")
    _follow(bert, anna.actor_id)
    before = factories.post(anna, "Vorher")
    event = make_event(anna, title="Hoffest", start_local=_soon(), place_name="Innenhof")
    after = factories.post(anna, "Nachher")
    before.created_at = event.created_at - timedelta(minutes=5)
    after.created_at = event.created_at + timedelta(minutes=5)
    db.session.commit()

    html = text_of(logged_in_client(make_client, bert).get("/"))
    assert _card_ids(html) == [f"post-{after.id}", f"event-entry-{event.id}", f"post-{before.id}"]
    card = html[html.index(f'id="event-entry-{event.id}"') :].split("</article>")[0]
    assert "Hoffest" in card and "Innenhof" in card and "Anna Adler" in card
    assert "<strong>Event</strong>" in card and f'href="/events/{event.id}"' in card
    assert 'href="/@anna"' in card  # the organiser


def test_events_of_people_not_followed_stay_out_of_home(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    factories.post(bert, "Mein Beitrag")
    event = make_event(anna, title="Hoffest", start_local=_soon())
    html = text_of(logged_in_client(make_client, bert).get("/"))
    assert "Mein Beitrag" in html and f"event-entry-{event.id}" not in html


def test_a_remote_event_of_someone_followed_appears_in_home(app, factories, make_client) -> None:  # noqa: ANN001
    bert = factories.user("bert")
    organizer = factories.remote_actor("kulturzentrum", "events.example")
    _follow(bert, organizer.id)
    event = _remote_event(organizer, "https://events.example/events/1", "Konzert")
    html = text_of(logged_in_client(make_client, bert).get("/"))
    assert f"event-entry-{event.id}" in html and "From events.example" in html


def test_the_quarter_shows_public_events_made_here(app, factories, client, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    public = make_event(anna, title="Hoffest", start_local=_soon())
    members = make_event(anna, title="Nur intern", start_local=_soon(), visibility="members")
    organizer = factories.remote_actor("kulturzentrum", "events.example")
    remote = _remote_event(organizer, "https://events.example/events/2", "Anderswo")
    for browser in (client, logged_in_client(make_client, factories.user("bert"))):
        html = text_of(browser.get("/local"))
        assert f"event-entry-{public.id}" in html
        assert f"event-entry-{members.id}" not in html and "Nur intern" not in html
        assert f"event-entry-{remote.id}" not in html
    # The visitors' home page is the quarter's timeline.
    assert f"event-entry-{public.id}" in text_of(client.get("/"))


def test_a_group_page_shows_the_events_its_reader_may_see(
    app, factories, client, make_client
) -> None:  # noqa: ANN001
    owner, member = factories.user("owner"), factories.user("member")
    group = factories.group("garten", owner=owner, members=(member,))
    open_event = make_event(owner, group=group, title="Beete gießen", start_local=_soon())
    inner = make_event(
        owner, group=group, title="Nur Gruppe", start_local=_soon(), visibility="group"
    )
    elsewhere = make_event(owner, title="Anderes", start_local=_soon())

    html = text_of(client.get("/groups/garten"))
    assert f"event-entry-{open_event.id}" in html
    assert "Nur Gruppe" not in html and "Anderes" not in html
    html = text_of(logged_in_client(make_client, member).get("/groups/garten"))
    assert f"event-entry-{inner.id}" in html and f"event-entry-{elsewhere.id}" not in html
    # A member's home has her group's events, members-only ones included.
    home = text_of(logged_in_client(make_client, member).get("/"))
    assert f"event-entry-{open_event.id}" in home and f"event-entry-{inner.id}" in home


def test_a_members_only_groups_events_are_not_shown_to_a_visitor(app, factories, client) -> None:  # noqa: ANN001
    owner = factories.user("owner")
    group = factories.group("rat", owner=owner, visibility=GroupVisibility.MEMBERS_ONLY)
    event = make_event(owner, group=group, title="Geheime Sitzung", start_local=_soon())
    for url in ("/", "/local", "/groups/rat"):
        html = text_of(client.get(url))
        assert f"event-entry-{event.id}" not in html and "Geheime Sitzung" not in html


def test_the_card_speaks_german_on_a_german_node(app, factories, client) -> None:  # noqa: ANN001
    update_node_settings(default_language="de")
    db.session.commit()
    event = make_event(factories.user("anna"), title="Hoffest", start_local=_soon())
    html = text_of(client.get("/local"))
    card = html[html.index(f'id="event-entry-{event.id}"') :].split("</article>")[0]
    assert "<strong>Veranstaltung</strong>" in card


def test_a_disabled_events_plugin_leaves_the_timelines_as_they_were(
    app, factories, client, make_client
) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    group = factories.group("garten", owner=anna, members=(bert,))
    post = factories.post(anna, "Ein Beitrag", group=group)
    make_event(anna, group=group, title="Hoffest", start_local=_soon())
    browser = logged_in_client(make_client, bert)
    set_plugin_enabled_by_operator("events", False)
    for page in (browser.get("/"), client.get("/local"), client.get("/groups/garten")):
        html = text_of(page)
        assert _card_ids(html) == [f"post-{post.id}"] and "Hoffest" not in html


def test_more_events_on_a_page_cost_no_more_queries(app, factories, client) -> None:  # noqa: ANN001
    """One query per page, however many events, organisers and groups the cards name."""

    def statements_for_quarter() -> int:
        count = 0

        def counter(*_args: object) -> None:
            nonlocal count
            count += 1

        sqla_event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert client.get("/local").status_code == 200
        finally:
            sqla_event.remove(db.engine, "before_cursor_execute", counter)
        return count

    make_event(factories.user("anna"), title="Erstes", start_local=_soon())
    one = statements_for_quarter()
    for n in range(5):
        organizer = factories.user(f"person{n}")
        group = factories.group(f"gruppe{n}", owner=organizer)
        make_event(
            organizer, group=group, title=f"Mehr {n}", start_local=_soon(), rrule="FREQ=WEEKLY"
        )
    assert statements_for_quarter() == one
    assert "Mehr 4" in text_of(client.get("/local"))
