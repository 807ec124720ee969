"""The transactional outbox: an activity and its deliveries are stored with the change
that caused them, and delivery jobs are queued only once that change is committed.

``send`` never does network I/O. It stores the activity and one ``Delivery`` per distinct
inbox (a server's shared inbox stands for all its actors there) in the caller's
transaction. If the caller rolls back, no activity, no delivery and no job exist; if the
process dies right after the commit, the periodic sweep in ``delivery`` finds the
PENDING rows and queues them again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from quarter_node.accounts.models import Actor
from quarter_node.activitypub import policy, urls
from quarter_node.activitypub.models import Delivery, DeliveryState, OutboundActivity
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.social.models import Follow, FollowState

log = logging.getLogger(__name__)

_PENDING_KEY = "quarter_node.outbox.pending_delivery_ids"
_ACTIONS_KEY = "quarter_node.outbox.after_commit"


def host_of(url: str) -> str:
    """The host (with port) of an inbox URL, lower-cased as ``PeerHost.host`` keeps it."""
    return urlsplit(url).netloc.lower()


def new_activity_uri(kind: str) -> str:
    """A fresh, unguessable id for an activity of ``kind`` (``create``, ``like``, ...)."""
    return urls.activity_uri(kind, secrets.token_urlsafe(12))


def marked_activity_uri(kind: str, mark: str) -> str:
    """A fresh id for an activity about one object: ``.../<kind>/<mark>-<token>``, where
    ``mark`` (letters and digits) names the object, so that its Update/Delete find every
    inbox an earlier activity about it reached (``inboxes_reached``)."""
    return urls.activity_uri(kind, f"{mark}-{secrets.token_urlsafe(12)}")


def post_activity_uri(post_id: int, kind: str) -> str:
    """Ids of activities about a post carry the mark ``p<post id>`` (outbox collections
    find by it the id a Create or Announce was sent with)."""
    return marked_activity_uri(kind, f"p{post_id}")


def inboxes_reached(mark: str) -> list[str]:
    """Every inbox an activity marked ``mark`` was planned for: they must hear of the
    object's changes and of its deletion, even if nobody there follows any longer."""
    return list(
        db.session.scalars(
            select(Delivery.inbox_url)
            .join(OutboundActivity, OutboundActivity.id == Delivery.activity_id)
            .where(OutboundActivity.uri.like(f"%/{mark}-%"))
            .distinct()
        )
    )


def send(
    actor: Actor,
    activity: dict[str, Any],
    *,
    recipients: Iterable[Actor] = (),
    followers_of: Actor | None = None,
    inboxes: Iterable[str] = (),
    public: bool = False,
) -> OutboundActivity:
    """Store ``activity`` by ``actor`` and plan its deliveries in the current transaction.

    Recipients are the given remote actors, every remote accepted follower of
    ``followers_of``, and raw ``inboxes`` (e.g. the inboxes an earlier activity went to).
    Local actors, blocked hosts and, in allowlist mode, unlisted hosts are skipped.
    """
    outbound = OutboundActivity(
        uri=activity["id"],
        actor_id=actor.id,
        activity_type=str(activity.get("type", "")),
        payload=activity,
        public=public,
    )
    db.session.add(outbound)
    db.session.flush()
    targets = _target_inboxes(recipients, followers_of, inboxes)
    _add_deliveries(outbound.id, targets)
    return outbound


def _target_inboxes(
    recipients: Iterable[Actor], followers_of: Actor | None, inboxes: Iterable[str]
) -> dict[str, str]:
    """Distinct inbox URL -> host, shared inboxes preferred, policy applied."""
    found = {url: host_of(url) for url in inboxes if url}
    for actor in recipients:
        url = actor.shared_inbox_url or actor.inbox_url
        if not actor.is_local and url:
            found[url] = host_of(url)
    if followers_of is not None:
        found.update({row.inbox: host_of(row.inbox) for row in _follower_inboxes(followers_of)})
    found = {url: host for url, host in found.items() if not urls.is_local_uri(url)}
    allowed = policy.allowed_hosts(set(found.values()))
    return {url: host for url, host in found.items() if host in allowed}


def _follower_inboxes(actor: Actor) -> Any:
    """One row per distinct inbox of ``actor``'s remote accepted followers (in SQL)."""
    inbox = func.coalesce(func.nullif(Actor.shared_inbox_url, ""), Actor.inbox_url).label("inbox")
    return db.session.execute(
        select(inbox)
        .join(Follow, Follow.follower_id == Actor.id)
        .where(Follow.followed_id == actor.id, Follow.state == FollowState.ACCEPTED)
        .where(Actor.domain != "", Actor.suspended_at.is_(None), inbox != "")
        .distinct()
    ).all()


def _add_deliveries(activity_id: int, targets: dict[str, str]) -> None:
    """Bulk-insert the deliveries and remember their ids for the after-commit hook."""
    if not targets:
        return
    now = utcnow()
    rows = [
        {
            "activity_id": activity_id,
            "inbox_url": url,
            "host": host,
            "state": DeliveryState.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
            "created_at": now,
        }
        for url, host in targets.items()
    ]
    ids = db.session.scalars(insert(Delivery).returning(Delivery.id), rows).all()
    db.session.info.setdefault(_PENDING_KEY, []).extend(ids)


def after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction is committed (a job must never be
    queued for rows another worker cannot see yet, or that a rollback takes back)."""
    db.session.info.setdefault(_ACTIONS_KEY, []).append(action)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    """Queue a delivery job for every delivery this transaction stored."""
    ids = session.info.pop(_PENDING_KEY, None)
    actions = session.info.pop(_ACTIONS_KEY, [])
    if ids:
        from quarter_node.activitypub.delivery import enqueue

        enqueue(ids)
    for action in actions:
        action()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    """Deliveries of a rolled-back transaction never existed: queue nothing for them."""
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_ACTIONS_KEY, None)
