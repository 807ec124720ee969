"""The organisers' message to the participants, for those on other servers: a direct ``Note``.

Local participants get a notification from ``participants.message_participants``; the
remote ones are handed over by the signal ``participants_messaged``. Each of them gets a
``Create(Note)`` of their own (so nobody learns who else signed up), addressed ``to`` them
alone and mentioning them with a ``Mention`` tag: Mastodon shows exactly that as a private
mention ("direct message"); the text ends with a link to the event. The Note is not public:
like other non-public activities it can not be fetched at its id (peers take the embedded
copy, as they do for direct posts).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from federation import activities
from federation import vocabulary as v
from quarter_node.plugin_api import (
    Actor,
    actor_uri,
    is_enabled,
    new_activity_id,
    send_activity,
    utcnow,
)

from . import federation_signups as signups
from .ap_documents import activity_mark, event_uri
from .models import Event


def handle_of(actor: Actor) -> str:
    """``@carla@mobilizon.example`` (a remote actor always has its domain)."""
    return f"@{actor.handle}@{actor.domain}"


def _paragraphs(text: str) -> Markup:
    """The organiser's plain text as HTML paragraphs, escaped."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
        if b
    )


def note_content(event: Event, participant: Actor, text: str) -> str:
    """A mention of the participant (Mastodon's h-card form), the text, a link to the event."""
    profile = participant.profile_url or actor_uri(participant)
    mention = Markup(
        '<p><span class="h-card"><a href="{}" class="u-url mention">@<span>{}</span></a></span></p>'
    ).format(profile, participant.handle)
    link = Markup('<p><a href="{}">{}</a></p>').format(event_uri(event), event.title)
    return str(mention + _paragraphs(text) + link)


def direct_note(event: Event, sender: Actor, participant: Actor, text: str) -> dict[str, Any]:
    """The ``Create`` of a Note from ``sender`` to ``participant`` only."""
    mark = activity_mark(event)
    create_id = new_activity_id("create", mark)
    to = [actor_uri(participant)]
    note = {
        "id": f"{create_id}#note",
        "type": v.NOTE,
        "attributedTo": actor_uri(sender),
        "content": note_content(event, participant, text),
        "published": activities.format_datetime(utcnow()),
        "to": to,
        "cc": [],
        "sensitive": False,
        "tag": [{"type": v.MENTION, "href": to[0], "name": handle_of(participant)}],
    }
    return activities.create(actor_uri(sender), note, id=create_id)


def on_participants_messaged(
    event: Event, *, sender: Actor, text: str, recipients: Iterable[Actor], **_details: Any
) -> None:
    """Send each remote participant the message, in the service's transaction (nothing goes
    out unless it commits)."""
    if not is_enabled("events"):
        return
    for participant in recipients:
        if participant.is_local or participant.suspended_at is not None:
            continue
        send_activity(
            sender, direct_note(event, sender, participant, text), recipients=[participant]
        )


def connect() -> None:
    """Listen to the service's signal, once per process."""
    signups.messaged_signal().connect(on_participants_messaged, weak=False)


connect()
