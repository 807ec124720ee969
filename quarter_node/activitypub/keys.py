"""Keys of local actors and the node's instance actor.

Every local actor that speaks ActivityPub needs an RSA key: peers verify our signed
deliveries and signed fetches with the public half published in the actor document. Keys
are made on first need (not at registration), so nodes that never federate never pay for
key generation. Loaded private key objects are cached per actor, because parsing an RSA
PEM costs more than the signature it is used for.

Rotation (``rotate_key``) revokes the current key and makes one with a new id. The cache
never decides which key signs: every ``signing_key`` call asks the database for the current
key (one indexed query) and only reuses the parsed object while that key's id and PEM are
unchanged. So the web server, the workers and the CLI sign with the new key as soon as the
rotation is committed, whichever process made it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from federation.signatures import SigningKey, generate_rsa_keypair, load_private_key
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import urls
from quarter_node.activitypub.models import ActorKey
from quarter_node.db_types import utcnow
from quarter_node.extensions import db

# key id -> (the PEM it was loaded from, the ready signing key). A rotated key has a new id
# and so an entry of its own. The PEM is compared too, because a key id can come back with
# another key (a database restored or set up anew).
_signing_keys: dict[str, tuple[str, SigningKey]] = {}


def current_key(actor: Actor) -> ActorKey | None:
    """The newest unrevoked key of ``actor`` (local actors: with its private part)."""
    return db.session.scalar(
        select(ActorKey)
        .where(ActorKey.actor_id == actor.id, ActorKey.revoked_at.is_(None))
        .order_by(ActorKey.created_at.desc(), ActorKey.id.desc())
        .limit(1)
    )


def ensure_key(actor: Actor) -> ActorKey:
    """The local actor's signing key, generated (RSA-2048) and added to the session the first
    time. Never commits: the caller's transaction stores the key with whatever needed it."""
    if not actor.is_local:
        raise ValueError("only local actors have keys of their own")
    key = current_key(actor)
    if key is not None and key.private_pem:
        return key
    if actor.id is None:
        db.session.flush()
    key = _new_key(actor)
    try:
        with db.session.begin_nested():  # two first fetches at once: the second one loses
            db.session.add(key)
    except IntegrityError:
        key = current_key(actor)
        if key is None:
            raise
    return key


def _new_key(actor: Actor) -> ActorKey:
    """A fresh RSA-2048 key under the actor's next key id (ids are never reused)."""
    used = db.session.scalar(select(func.count(ActorKey.id)).where(ActorKey.actor_id == actor.id))
    pair = generate_rsa_keypair()
    return ActorKey(
        actor_id=actor.id,
        key_id=urls.key_id(actor, version=(used or 0) + 1),
        public_pem=pair.public_pem,
        private_pem=pair.private_pem,
    )


def rotate_key(actor: Actor) -> ActorKey:
    """Replace the local actor's key: revoke every key it has, add a new one with a new id.

    Never commits (the caller federates the new key in the same transaction). The old key
    stops verifying here at once; peers learn the new one from the actor's ``Update`` or,
    failing that, by refetching the actor when a signature names the unknown new id."""
    if not actor.is_local:
        raise ValueError("only local actors have keys of their own")
    if actor.id is None:
        db.session.flush()
    now = utcnow()
    for old in db.session.scalars(
        select(ActorKey).where(ActorKey.actor_id == actor.id, ActorKey.revoked_at.is_(None))
    ):
        old.revoked_at = now
    key = _new_key(actor)
    db.session.add(key)
    db.session.flush()
    return key


def signing_key(actor: Actor) -> SigningKey:
    """A ready ``SigningKey`` for the local actor's current key; the same object on every
    call while that key does not change, so the PEM is parsed once per process and key."""
    key = ensure_key(actor)
    assert key.private_pem is not None  # ensure_key returns local keys only
    return loaded_signing_key(key.key_id, key.private_pem)


def loaded_signing_key(key_id: str, private_pem: str) -> SigningKey:
    """The parsed key for ``key_id``, parsed once per process while its PEM stays the same
    (also for the kept keys of deleted actors, which sign one Delete to many inboxes)."""
    cached = _signing_keys.get(key_id)
    if cached is not None and cached[0] == private_pem:
        return cached[1]
    ready = SigningKey(key_id, load_private_key(private_pem))
    _signing_keys[key_id] = (private_pem, ready)
    return ready


def find_instance_actor() -> Actor | None:
    return db.session.scalar(
        select(Actor).where(Actor.kind == ActorKind.APPLICATION, Actor.domain == "")
    )


def instance_actor() -> Actor:
    """The node's own Application actor (signs fetches, answers FEP-2677), with its key.

    Created on first need inside a savepoint, so two requests racing to create it do not
    fail; like ``ensure_key`` it does not commit: the caller's transaction stores it.
    """
    actor = find_instance_actor()
    if actor is not None:
        ensure_key(actor)
        return actor
    try:
        with db.session.begin_nested():
            actor = Actor(kind=ActorKind.APPLICATION, handle=urls.INSTANCE_ACTOR_HANDLE)
            db.session.add(actor)
            db.session.flush()
    except IntegrityError:  # created meanwhile by another request
        actor = find_instance_actor()
        if actor is None:
            raise
    ensure_key(actor)
    return actor
