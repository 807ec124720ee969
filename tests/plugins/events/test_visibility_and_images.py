"""Visibility defined once in two forms that agree; the event picture follows the event."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from werkzeug.datastructures import FileStorage

from plugins.events.models import Event
from plugins.events.services import delete_event
from plugins.events.visibility import can_view_event, visible_events_filter
from quarter_node.accounts.models import Role
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.social.models import Block
from tests.helpers import login
from tests.plugins.events.helpers import make_event
from tests.posts.support import image_bytes


def test_the_listing_filter_and_the_single_check_agree(factories) -> None:
    anna, bert = factories.user("anna"), factories.user("bert")
    moderator = factories.user("mod", role=Role.MODERATOR)
    group = factories.group(owner=anna, members=(bert,), visibility=GroupVisibility.MEMBERS_ONLY)
    other_group = factories.group(owner=anna)
    events = [
        make_event(anna),
        make_event(anna, visibility="members"),
        make_event(anna, group=group),
        make_event(anna, group=other_group, visibility="group"),
        make_event(bert, visibility="members"),
    ]
    gone = make_event(anna)
    delete_event(anna, gone)
    carl = factories.user("carl")
    dora, emil = factories.user("dora"), factories.user("emil")
    events.append(make_event(dora))  # dora gets suspended: her event is gone but for moderators
    events.append(make_event(emil))  # carl blocked emil: neither sees the other's events
    dora.actor.suspended_at = utcnow()
    db.session.add(Block(blocker_id=carl.actor_id, blocked_id=emil.actor_id))
    db.session.commit()
    for viewer in (None, anna, bert, carl, moderator, emil):
        listed = set(db.session.scalars(db.select(Event.id).where(visible_events_filter(viewer))))
        single = {
            e.id for e in [*events, gone] if can_view_event(viewer, db.session.get(Event, e.id))
        }
        assert listed == single, viewer
    assert {e.id for e in events if can_view_event(carl, e)} == {
        events[0].id,
        events[1].id,
        events[4].id,
    }
    assert not can_view_event(None, events[1])
    assert can_view_event(moderator, events[5]) and not can_view_event(anna, events[5])
    assert can_view_event(anna, events[6]) and not can_view_event(carl, events[6])


def test_the_picture_is_stored_cleaned_and_served_like_the_event(client, factories, app) -> None:
    anna = factories.user("anna")
    upload = FileStorage(io.BytesIO(image_bytes("PNG")), filename="fest.png")
    event = make_event(
        anna,
        start_local=datetime(2026, 12, 12, 15, 0),
        visibility="members",
        image_file=upload,
        image_alt="Kinder mit Laternen",
    )
    assert event.image is not None and event.image.purpose == "plugin"
    assert event.image.alt_text == "Kinder mit Laternen"
    name = event.image.storage_name
    assert client.get(f"/events/{event.id}/image").status_code == 404  # members only
    assert client.get(f"/media/{name}").status_code == 404  # never through the core's URL
    login(client, anna.email)
    picture = client.get(f"/events/{event.id}/image")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'alt="Kinder mit Laternen"' in html
    delete_event(anna, event)
    assert not (Path(app.config["UPLOAD_DIR"]) / name).exists()
