"""Events in the node's search: found by title, description and place, only by who may see
them, gone once deleted, absent while the plugin is disabled."""

from __future__ import annotations

from plugins.events.services import cancel_event, delete_event, update_event
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from tests.helpers import found, text_of
from tests.plugins.events.helpers import event_input, make_event


def test_an_event_is_found_by_its_place(factories, client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    event = make_event(anna, title="Hoffest", place_name="Stadtteilzentrum Lindenhof")
    assert found(None, "Lindenhof") == [f"/events/{event.id}"]
    page = text_of(client.get("/search?q=lindenhof&type=events"))
    assert f'href="/events/{event.id}"' in page and "Hoffest" in page


def test_changes_cancelling_and_deleting_follow_the_event(factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    event = make_event(anna, title="Hoffest", description="Mit Kuchen")
    update_event(anna, event, event_input(title="Hoffest", description="Mit Waffeln"))
    assert found(None, "Kuchen") == [] and found(None, "Waffeln") == [f"/events/{event.id}"]
    cancel_event(anna, event)
    assert found(None, "Waffeln") == [f"/events/{event.id}"]  # cancelled events stay visible
    delete_event(anna, event)
    assert found(None, "Waffeln") == []


def test_members_events_are_not_found_by_visitors(factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    make_event(anna, title="Nachbarschaftsrat", visibility="members")
    assert found(None, "Nachbarschaftsrat") == []
    assert len(found(anna, "Nachbarschaftsrat")) == 1


def test_type_filter_and_a_disabled_plugin(factories, client) -> None:  # noqa: ANN001
    from quarter_node.posts.services import publish_post

    anna = factories.user("anna")
    event = make_event(anna, title="Laternenumzug")
    post = publish_post(anna, "Wer kommt mit zum Laternenumzug?", visibility="public")
    assert sorted(found(None, "Laternenumzug")) == sorted(
        [f"/events/{event.id}", f"/posts/{post.id}"]
    )
    assert found(None, "Laternenumzug", kind="posts") == [f"/posts/{post.id}"]
    assert found(None, "Laternenumzug", kind="events") == [f"/events/{event.id}"]
    set_plugin_enabled_by_operator("events", False)
    assert found(None, "Laternenumzug") == [f"/posts/{post.id}"]
    response = client.get("/search?q=Laternenumzug&type=events")
    assert response.status_code == 400 and f"/events/{event.id}" not in text_of(response)
