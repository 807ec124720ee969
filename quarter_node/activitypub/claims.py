"""The first half of a delivery attempt: claim the row and load what sending needs.

One short transaction per attempt (the caller commits it before any network I/O): the
claim (UPDATE ... RETURNING, pushing the lease), then one query for the activity, the
actor's current key and the host's state. The body is serialised once per activity and
process, and the private key parsed once per key, however many inboxes the activity goes
to: for a fan-out to 500 servers that is one JSON dump and one PEM parse, not 500. An actor
deleted since the activity was planned signs with the key its tombstone keeps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, update

from federation.signatures import SigningKey, load_private_key
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import hosts, keys, tombstones
from quarter_node.activitypub.models import (
    ActorKey,
    Delivery,
    DeliveryState,
    OutboundActivity,
    PeerHost,
)
from quarter_node.extensions import db


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds the lease of."""

    id: int
    inbox_url: str
    host: str
    activity_id: int


def claim(delivery_id: int, now: datetime, lease_until: datetime) -> Claimed | None:
    """Take the delivery if it is pending and due; pushing ``next_attempt_at`` by the lease
    keeps other workers (and the sweep) away while this one sends. Not committed here:
    the caller loads what it needs in the same transaction and commits before sending."""
    row = (
        db.session.connection()
        .execute(
            _statements().claim,
            {"delivery_id": delivery_id, "now": now, "lease_until": lease_until},
        )
        .first()
    )
    return Claimed(delivery_id, *row) if row is not None else None


def load(claimed: Claimed) -> Any:
    """In ONE query: the activity's uri and actor, the actor's current key (newest
    unrevoked, as ``keys.current_key`` picks it) and the host's delivery state
    (``host_id`` is None for a host never seen)."""
    parameters = {"activity_id": claimed.activity_id, "host": claimed.host}
    return db.session.connection().execute(_statements().load, parameters).one()


def record_done(claimed: Claimed, status: int, error: str, now: datetime) -> None:
    """The common outcome, a 2xx answer, in one UPDATE (``delivery._record`` handles the
    others with the ORM row)."""
    parameters = {"delivery_id": claimed.id, "status": status, "error": error, "now": now}
    db.session.connection().execute(_statements().done, parameters)


@dataclass(frozen=True)
class _Statements:
    claim: Any
    load: Any
    done: Any


@cache
def _statements() -> _Statements:
    """Built once: constructing SQLAlchemy statements costs more Python time per delivery
    than running them (the values travel as bound parameters)."""
    claim = (
        update(Delivery)
        .where(Delivery.id == bindparam("delivery_id"), Delivery.state == DeliveryState.PENDING)
        .where(Delivery.next_attempt_at <= bindparam("now"))
        .values(next_attempt_at=bindparam("lease_until"))
        .returning(Delivery.inbox_url, Delivery.host, Delivery.activity_id)
    )
    newest_key = (
        select(ActorKey.id)
        .where(ActorKey.actor_id == OutboundActivity.actor_id, ActorKey.revoked_at.is_(None))
        .order_by(ActorKey.created_at.desc(), ActorKey.id.desc())
        .limit(1)
        .correlate(OutboundActivity)
        .scalar_subquery()
    )
    load = (
        select(
            OutboundActivity.uri,
            OutboundActivity.actor_id,
            ActorKey.key_id,
            ActorKey.private_pem,
            PeerHost.id.label("host_id"),
            *hosts.STATE_COLUMNS,
        )
        .outerjoin(ActorKey, ActorKey.id == newest_key)
        .outerjoin(PeerHost, PeerHost.host == bindparam("host"))
        .where(OutboundActivity.id == bindparam("activity_id"))
    )
    done = (
        update(Delivery)
        .where(Delivery.id == bindparam("delivery_id"))
        .values(
            state=DeliveryState.DONE,
            done_at=bindparam("now"),
            attempts=Delivery.attempts + 1,
            last_status=bindparam("status"),
            last_error=bindparam("error"),
        )
    )
    return _Statements(claim, load, done)


# activity id -> (its uri, the body as sent): the payload never changes, so it is loaded
# and serialised once per process, not once per delivery. The uri guards against a reused id.
_bodies: dict[int, tuple[str, bytes]] = {}
_BODIES_KEPT = 256


def prepare(claimed: Claimed, found: Any) -> tuple[SigningKey | None, bytes]:
    """The signing key of the activity's actor (parsed once per key: ``load_private_key``
    caches it by PEM, so a rotated key is a new key) and the body (serialised once per
    activity and process). ``None`` as key: the actor no longer exists."""
    cached = _bodies.get(claimed.activity_id)
    if cached is None or cached[0] != found.uri:
        payload = db.session.scalar(
            select(OutboundActivity.payload).where(OutboundActivity.id == claimed.activity_id)
        )
        cached = (found.uri, json.dumps(payload, separators=(",", ":")).encode())
        if len(_bodies) >= _BODIES_KEPT:
            _bodies.clear()
        _bodies[claimed.activity_id] = cached
    if found.private_pem:
        return SigningKey(found.key_id, load_private_key(found.private_pem)), cached[1]
    if found.actor_id is None:  # deleted since: its tombstone keeps the key for these
        return tombstones.signing_key_for(str(json.loads(cached[1]).get("actor", ""))), cached[1]
    actor = db.session.get(Actor, found.actor_id)
    return (keys.signing_key(actor) if actor is not None else None), cached[1]
