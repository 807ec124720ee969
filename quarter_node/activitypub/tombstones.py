"""Deleted local actors: the tombstone that outlives an account until other servers know.

A deleted person or group loses its ``Actor`` row, and with it everything personal, in the
deleting service's transaction. Other servers learn of it from a ``Delete`` signed by the
actor, which the delivery worker sends after that commit, so the signing key must outlive
the row: ``bury`` copies it into an ``ActorTombstone`` in the same transaction. Peers verify
the ``Delete`` with the key they cached; refetching the key id only answers 410 with a
``Tombstone``, which Mastodon and others take as the account being gone.

The private key is dropped once no delivery of the actor's activities is pending (all
delivered or given up). The tombstone itself keeps the handle reserved and the id answering
410, as Mastodon keeps a deleted account's name from being taken by an impersonator; it is
removed after ``HANDLE_RESERVED_FOR``, because the handle is personal data too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from huey import crontab
from sqlalchemy import delete, select, update

from federation import activities
from federation import vocabulary as v
from federation.signatures import SigningKey
from quarter_node.accounts.models import HANDLE_RESERVED_FOR, Actor, ActorKind, ActorTombstone
from quarter_node.activitypub import keys, urls
from quarter_node.activitypub.models import Delivery, DeliveryState, OutboundActivity
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.jobs import periodic_job

_FORMER_TYPES = {ActorKind.PERSON: v.PERSON, ActorKind.GROUP: v.GROUP}


def bury(actor: Actor) -> ActorTombstone:
    """Leave a tombstone for the local ``actor`` about to be deleted (uncommitted), holding
    its current signing key if it ever had one."""
    key = keys.current_key(actor)
    tombstone = ActorTombstone(
        kind=actor.kind,
        handle=actor.handle,
        uri=urls.actor_uri(actor),
        key_id=key.key_id if key is not None else "",
        private_pem=key.private_pem if key is not None else None,
        deleted_at=utcnow(),
    )
    db.session.add(tombstone)
    return tombstone


def find(handle: str, kind: ActorKind | None = None) -> ActorTombstone | None:
    """The tombstone of a deleted local person or group with this handle, if any."""
    query = select(ActorTombstone).where(ActorTombstone.handle == handle.lower())
    if kind is not None:
        query = query.where(ActorTombstone.kind == kind)
    return db.session.scalar(query)


def handle_reserved(handle: str) -> bool:
    return find(handle) is not None


def signing_key_for(actor_uri: str) -> SigningKey | None:
    """The kept key of a deleted local actor, for its last deliveries (``None``: no key)."""
    tombstone = db.session.scalar(select(ActorTombstone).where(ActorTombstone.uri == actor_uri))
    if tombstone is None or not tombstone.private_pem:
        return None
    return keys.loaded_signing_key(tombstone.key_id, tombstone.private_pem)


def as_activity_streams(tombstone: ActorTombstone) -> dict[str, Any]:
    """The document served at the former actor id, with 410 Gone."""
    remains = activities.tombstone(
        tombstone.uri, former_type=_FORMER_TYPES.get(tombstone.kind), deleted=tombstone.deleted_at
    )
    return v.with_context(remains)


# --- purging ----------------------------------------------------------------------------------


@periodic_job(crontab(minute="17"))
def purge_tombstones() -> None:
    """Every hour: drop keys nothing needs any more, and tombstones whose time is up."""
    with current_app.app_context():
        try:
            purge(utcnow())
        finally:
            db.session.remove()


def purge(now: datetime) -> None:
    """Forget the private keys of tombstones with no pending delivery, then remove the
    tombstones older than ``HANDLE_RESERVED_FOR`` (their handles are free again)."""
    sending = _uris_still_sending()
    db.session.execute(
        update(ActorTombstone)
        .where(ActorTombstone.private_pem.is_not(None), ActorTombstone.uri.not_in(sending))
        .values(private_pem=None)
    )
    db.session.execute(
        delete(ActorTombstone).where(
            ActorTombstone.deleted_at < now - HANDLE_RESERVED_FOR,
            ActorTombstone.uri.not_in(sending),
        )
    )
    db.session.commit()


def _uris_still_sending() -> set[str]:
    """Actor ids of pending deliveries whose actor row is gone (only tombstones sign those)."""
    pending = select(Delivery.activity_id).where(Delivery.state == DeliveryState.PENDING)
    payloads = db.session.scalars(
        select(OutboundActivity.payload).where(
            OutboundActivity.actor_id.is_(None), OutboundActivity.id.in_(pending)
        )
    )
    return {str(payload.get("actor", "")) for payload in payloads}
