"""The worker side of the inbox: apply one stored ``InboxItem`` with its handler.

The inbox stored the item after verifying its signature and origin. Two cases still need
the network, which is why they happen here and not on the request path: an activity
signed by someone other than its actor (forwarded) is fetched from its own origin, and
an embedded object from another origin is replaced by the object fetched from there (an
activity a group relays is cut down to references, see ``relayed_references``).
Network trouble is retried a few times; anything else marks the item FAILED with the
reason, so one broken activity never blocks the queue.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from huey import crontab
from sqlalchemy import select

from federation import vocabulary as v
from federation.errors import FetchError, InvalidDocument
from federation.readers import id_of, types_of
from federation.safe_http import UnexpectedStatus
from federation.validation import (
    Decision,
    check_activity_origin,
    check_authorship,
    check_embedded_object,
    check_modification,
    check_response,
    check_undo,
)
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import handlers, instance_relays, remote, remote_keys
from quarter_node.activitypub.models import InboxItem, InboxState
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.jobs import job, periodic_job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_DELAYS = (60, 300, 1800, 7200)
# A first attempt that has not happened this long after receipt lost its job (the process
# died between storing the item and queueing it): a healthy queue takes items in seconds.
LOST_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 500


class Untrusted(Exception):
    """The activity fails the origin rules even after fetching it from its origin."""


def _is_transient(error: Exception) -> bool:
    """Network trouble and server errors may pass; a 4xx answer or a refusal will not."""
    if isinstance(error, UnexpectedStatus):
        return error.status >= 500 or error.status == 429
    return isinstance(error, FetchError) and not isinstance(error, remote.RemoteActorError)


@job()
def process_inbox_item(item_id: int) -> None:
    """Apply the item once; mark it DONE, IGNORED or FAILED (retrying transient errors)."""
    item = db.session.get(InboxItem, item_id)
    if item is None or item.state != InboxState.PENDING:
        return
    try:
        changed = apply_item(item)
    except Exception as error:  # noqa: BLE001  (one bad activity must not stop the worker)
        db.session.rollback()
        _record_failure(item_id, error)
        return
    item.attempts += 1
    item.state = InboxState.DONE if changed else InboxState.IGNORED
    item.processed_at = utcnow()
    db.session.commit()


def apply_item(item: InboxItem) -> bool:
    """Run the registered handler for the item's activity (uncommitted)."""
    activity = trusted_activity(item)
    actor = remote.fetch_actor(str(activity["actor"]))
    recipient = item.recipient_id and db.session.get(Actor, item.recipient_id)
    ctx = handlers.Context(activity=activity, actor=actor, recipient=recipient or None)
    changed = handlers.dispatch(ctx)
    return instance_relays.pass_on(activity, actor) or changed


def trusted_activity(item: InboxItem) -> dict[str, Any]:
    """The activity as its origin vouches for it (see the module docstring)."""
    activity = dict(item.payload)
    owner = remote_keys.key_owner(item.key_id)
    if owner is None or owner.uri != activity.get("actor"):
        activity = remote.fetch_document(item.activity_id)
        activity["actor"] = id_of(activity.get("actor"))
        checks = (check_activity_origin, check_modification, check_undo, check_authorship)
        for check in (*checks, check_response):
            _require(check(activity))
    embedded = activity.get("object")
    if isinstance(embedded, dict) and check_embedded_object(activity).decision is Decision.REFETCH:
        if v.ANNOUNCE in types_of(activity) and set(types_of(embedded)) & v.ACTIVITY_TYPES:
            activity["object"] = relayed_references(embedded)
        else:
            activity["object"] = remote.fetch_document(str(id_of(embedded)))
    return activity


def relayed_references(relayed: dict[str, Any]) -> dict[str, Any]:
    """What a group's Announce may tell about another origin's activity: only who did what
    to which object, by reference. The handler fetches the object from its own origin;
    the activity itself need not be fetchable (ours are not), and its claimed content is
    never believed. Its id must at least come from its actor's origin."""
    references = {
        "id": id_of(relayed.get("id")),
        "type": relayed.get("type"),
        "actor": id_of(relayed.get("actor")),
        "object": id_of(relayed.get("object")),
    }
    _require(check_activity_origin(references))
    return references


def _require(verdict: Any) -> None:
    if verdict.decision is Decision.REJECT:
        raise Untrusted(verdict.reason)


def _record_failure(item_id: int, error: Exception) -> None:
    item = db.session.get(InboxItem, item_id)
    if item is None:
        return
    item.attempts += 1
    item.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry = _is_transient(error) and item.attempts < MAX_ATTEMPTS
    if not retry:
        item.state = InboxState.FAILED
        item.processed_at = utcnow()
        if not isinstance(error, FetchError | InvalidDocument | Untrusted):
            log.exception("inbox item %s failed", item_id, exc_info=error)
    db.session.commit()
    if retry:
        delay = RETRY_DELAYS[min(item.attempts - 1, len(RETRY_DELAYS) - 1)]
        process_inbox_item.schedule((item_id,), delay=delay)


@periodic_job(crontab(minute="*/5"))
def sweep_inbox() -> None:
    """Every five minutes: queue again the received activities whose first job was lost.
    Items waiting for a retry are left alone: their retry is already in the queue."""
    for item_id in lost_inbox_items(utcnow()):
        process_inbox_item(item_id)


def lost_inbox_items(now: datetime) -> list[int]:
    """Pending items never attempted, received more than ``LOST_AFTER`` ago, oldest first."""
    return list(
        db.session.scalars(
            select(InboxItem.id)
            .where(InboxItem.state == InboxState.PENDING, InboxItem.attempts == 0)
            .where(InboxItem.received_at <= now - LOST_AFTER)
            .order_by(InboxItem.received_at)
            .limit(SWEEP_BATCH)
        )
    )
