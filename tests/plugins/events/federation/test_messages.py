"""The organisers' message to the participants reaches those on other servers as a direct
Note each (Mastodon shows a Note addressed to one person who is mentioned in it as a private
mention); people here get a notification instead, and declined people get nothing."""

from __future__ import annotations

from datetime import datetime

from plugins.events import signups
from plugins.events.participants import message_participants
from plugins.events.participation_models import Participation
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification
from tests.activitypub.inbox.fakes import deliver
from tests.plugins.events.helpers import make_event


def _notes() -> list[dict]:
    db.session.expire_all()
    rows = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Create")
    )
    return [row.payload for row in rows if row.payload["object"]["type"] == "Note"]


def test_remote_participants_get_the_message_as_a_direct_note(client, factories, bob, carol):
    anna, lena = factories.user("anna"), factories.user("lena")
    event = make_event(
        anna, title="Hoffest", join_mode="approval", start_local=datetime(2027, 5, 1, 15)
    )
    uri = f"http://localhost/events/{event.id}"
    deliver(client, bob, bob.activity("Join", uri, to=["http://localhost/@anna", bob.uri]))
    deliver(client, carol, carol.activity("Join", uri, to=["http://localhost/@anna", carol.uri]))
    signups.sign_up(lena.actor, event, None, "interested")
    rows = {row.actor.uri: row for row in db.session.scalars(db.select(Participation)) if row.uri}
    signups.approve(anna, rows[bob.uri])
    signups.reject(anna, rows[carol.uri])  # declined people are not written to

    reached = message_participants(anna, event, "Bitte <b>Becher</b> mitbringen.\n\nDanke!")

    assert reached == 2  # bob (remote) and lena (here)
    (create,) = _notes()
    note = create["object"]
    assert create["actor"] == note["attributedTo"] == "http://localhost/@anna"
    assert create["to"] == note["to"] == [bob.uri] and "cc" not in create
    assert note["tag"] == [{"type": "Mention", "href": bob.uri, "name": "@bob@127.0.0.1:59999"}]
    content = note["content"]
    assert 'class="u-url mention"' in content and "@<span>bob</span>" in content
    assert "Bitte &lt;b&gt;Becher&lt;/b&gt; mitbringen.</p><p>Danke!</p>" in content
    assert f'<a href="{uri}">Hoffest</a>' in content
    assert note["id"].startswith("http://localhost/") and "Public" not in str(create)
    messages = db.session.scalars(
        db.select(Notification.recipient_id).where(Notification.kind == "events.message")
    ).all()
    assert messages == [lena.actor_id]
