"""Rotating the signing keys of local actors (an admin's tool, run from the CLI).

A key is rotated when it may have leaked (a copied backup, a compromised server) or simply
as routine. The old key is revoked at once, a new one with a new id takes over, and the
actor's followers and every server we know receive an ``Update`` of the actor carrying the
new ``publicKey``. The Update is signed with the new key: delivery signs with whatever key
is current when it sends, in whichever process. Peers that miss the Update still recover:
the new key id is unknown to them, so they fetch the actor document, which lists only the
new key.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from federation import activities
from federation import vocabulary as v
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import keys, outbox, serializers, urls
from quarter_node.activitypub.models import ActorKey, Delivery
from quarter_node.db_types import utcnow
from quarter_node.errors import NotFound
from quarter_node.extensions import db
from quarter_node.moderation import audit

KEY_ROTATE = "key.rotate"


@dataclass(frozen=True)
class Rotation:
    """What one rotation did, for the operator's one-line answer."""

    actor: Actor
    old_key_ids: tuple[str, ...]
    new_key_id: str
    deliveries: int


def local_actor_by_handle(handle: str) -> Actor:
    """A local person or group by ``@handle`` (the instance actor has its own option)."""
    name = handle.strip().lower().lstrip("@")
    actor = db.session.scalar(
        select(Actor).where(
            Actor.domain == "",
            Actor.handle == name,
            Actor.kind.in_([ActorKind.PERSON, ActorKind.GROUP]),
        )
    )
    if actor is None:
        raise NotFound(_("There is no person or group @%(handle)s on this node.", handle=name))
    return actor


def actors_with_keys() -> list[Actor]:
    """Every local actor that has a current key (actors that never federated have none and
    get a fresh one on first need anyway)."""
    return list(
        db.session.scalars(
            select(Actor)
            .where(
                Actor.domain == "",
                select(ActorKey.id)
                .where(ActorKey.actor_id == Actor.id, ActorKey.revoked_at.is_(None))
                .exists(),
            )
            .order_by(Actor.id)
        )
    )


def rotate_keys_by_operator(actors: list[Actor]) -> list[Rotation]:
    """Rotate each actor's key and federate it; one commit for all (all or nothing)."""
    rotations = [_rotate(actor) for actor in actors]
    db.session.commit()
    return rotations


def _rotate(actor: Actor) -> Rotation:
    old = tuple(
        db.session.scalars(
            select(ActorKey.key_id).where(
                ActorKey.actor_id == actor.id, ActorKey.revoked_at.is_(None)
            )
        )
    )
    key = keys.rotate_key(actor)
    audit.record(None, KEY_ROTATE, target_actor=actor, note=key.key_id)
    sent = _announce_new_key(actor)
    return Rotation(actor, old, key.key_id, sent)


def _announce_new_key(actor: Actor) -> int:
    """Send the actor document with the new key to followers and every known server (any
    of them may have cached the old key from a signed fetch, a like or a reply, not only
    the servers of followers); returns how many deliveries were planned."""
    document = serializers.actor_to_ap(actor)
    update = activities.update(
        urls.actor_uri(actor), document, id=outbox.new_activity_uri("update"), updated=utcnow()
    )
    update["to"] = [v.PUBLIC]
    shared = db.session.scalars(
        select(Actor.shared_inbox_url)
        .where(Actor.domain != "", Actor.shared_inbox_url != "")
        .distinct()
    )
    sent = outbox.send(actor, update, followers_of=actor, inboxes=list(shared), public=True)
    return db.session.scalar(select(func.count(Delivery.id)).where(Delivery.activity_id == sent.id))
