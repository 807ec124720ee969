"""The event page answers ActivityPub fetches with the Event JSON, as post pages do.

Browsers keep the HTML page at ``/events/<id>``; a peer asking for ActivityStreams gets the
document. Whoever may not see the event gets the same 404 as for one that does not exist:
members-only events are never served, group events only to the group's audience (a signed
fetch by a remote member). A deleted event answers 410 with a Tombstone to whoever could
have seen it. Remote events are not served here: their own server speaks for them.
"""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import (
    BadFetchSignature,
    activity_json,
    activity_not_found,
    db,
    fetch_signer,
    in_group_audience,
    is_enabled,
    serve_activity_json,
)

from .ap_documents import event_tombstone, federates, group_only
from .federation_out import document_of
from .models import Event


def _audience_allows(signer: Any, event: Event) -> bool:
    if not federates(event):
        return False
    if group_only(event):
        return signer is not None and in_group_audience(signer, event.group)
    return True


def event_json(event_id: int) -> Any:
    event = db.session.get(Event, event_id) if is_enabled("events") else None
    if event is None or not event.is_local:
        return activity_not_found()
    try:
        signer = fetch_signer()
    except BadFetchSignature:
        return activity_json({"error": "Signature verification failed"}, 401)
    if not _audience_allows(signer, event):
        return activity_not_found()
    if event.deleted_at is not None:
        return activity_json(event_tombstone(event), 410)
    response = activity_json(document_of(event))
    if signer is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


serve_activity_json("events.show", event_json)
