"""Notifications of a plugin's own kinds: stored as strings, described by the plugin's hook,
and harmless when the plugin is disabled or gone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.plugin_api import notify, utcnow
from quarter_node.plugins.services import set_plugin_enabled
from tests.helpers import logged_in_client, text_of
from tests.plugins.events.helpers import make_event


def test_a_plugin_kind_is_described_by_its_plugin_and_neutrally_when_disabled(
    factories, make_client
) -> None:
    anna = factories.user("anna")
    admin = factories.user("admin", role="admin")
    start = (utcnow() + timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    event = make_event(admin, title="Hoffest", start_local=start)
    notify(anna.actor, "events.message", actor=admin.actor, subject=f"event:{event.id}", text="Hi!")
    notify(anna.actor, "uninstalled.thing", subject="x:1")
    db.session.commit()
    kinds = {n.kind for n in db.session.scalars(db.select(Notification))}
    assert kinds == {"events.message", "uninstalled.thing"}
    assert not any(isinstance(kind, NotificationKind) for kind in kinds)

    client = logged_in_client(make_client, anna)
    html = text_of(client.get("/notifications"))
    assert "The organisers of Hoffest wrote to the participants:" in html
    assert f'href="/events/{event.id}"' in html and "Hi!" in html
    assert html.count("Something happened that concerns you.") == 1  # the unknown plugin

    set_plugin_enabled(admin, "events", False)
    html = text_of(client.get("/notifications"))
    assert "Hoffest" not in html and "Hi!" not in html
    assert html.count("Something happened that concerns you.") == 2


def test_plugin_kinds_carry_the_plugins_name(factories) -> None:
    anna = factories.user("anna")
    with pytest.raises(ValueError):
        notify(anna.actor, "reminder")
