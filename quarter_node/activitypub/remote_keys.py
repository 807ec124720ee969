"""The keys of remote actors, as the inbox and signed fetches look them up.

``key_lookup`` is the ``federation.signatures.KeyLookup`` of the receiving side: a cached
key answers in one query; an unknown key id fetches its owner once (also when the owner is
cached and fresh: an unknown id usually means the peer rotated its key under a new id); an
owner that cannot be fetched is not asked again for ``FAILED_FETCH_PAUSE`` seconds, so
bogus key ids cause no fetch storms. Nothing here commits.
"""

from __future__ import annotations

import logging
import time
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError

from federation.errors import FetchError, InvalidDocument
from federation.signatures import VerificationKey
from federation.signatures.keys import load_public_key
from quarter_node.accounts.models import Actor
from quarter_node.activitypub.models import ActorKey
from quarter_node.activitypub.remote import (
    RemoteActorError,
    actor_by_uri,
    fetch_actor,
    fetch_document,
)
from quarter_node.extensions import db

log = logging.getLogger(__name__)

_FAILURES_KEY = "quarter_node.activitypub.failed_key_fetches"
FAILED_FETCH_PAUSE = 300.0  # seconds before an unfetchable key owner is tried again


def _owner_uri(key_id: str) -> str:
    """The actor a key id belongs to, by convention: the id without its fragment."""
    parts = urlsplit(key_id)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _stored_key(key_id: str) -> ActorKey | None:
    return db.session.scalar(
        db.select(ActorKey).where(ActorKey.key_id == key_id, ActorKey.revoked_at.is_(None))
    )


@cache
def _key_query() -> Any:
    """Built once (building a statement costs more Python time than running it)."""
    return (
        db.select(ActorKey.public_pem, Actor.uri, Actor.domain, Actor.suspended_at)
        .outerjoin(Actor, Actor.id == ActorKey.actor_id)
        .where(ActorKey.key_id == bindparam("key_id"), ActorKey.revoked_at.is_(None))
        .limit(1)
    )


def _stored_verification_key(key_id: str) -> tuple[bool, VerificationKey | None]:
    """(whether an unrevoked row exists, the key if its owner may sign) in ONE query: the
    inbox asks this for every request, so no ORM objects and no lazy load of the owner.
    The parsed key object comes from ``load_public_key``'s cache (keyed by the PEM)."""
    row = db.session.connection().execute(_key_query(), {"key_id": key_id}).first()
    if row is None:
        return False, None
    if row.uri is None or row.domain == "" or row.suspended_at is not None:
        return True, None  # a local or suspended owner signs nothing here
    return True, VerificationKey(key_id, load_public_key(row.public_pem), row.uri)


def _recent_failures() -> dict[str, float]:
    """Key ids whose owner could not be fetched lately (per process), so that a flood of
    requests naming an unreachable or bogus key does not make us fetch it each time."""
    return current_app.extensions.setdefault(_FAILURES_KEY, {})


def _fetch_key_owner(key_id: str, *, refresh: bool) -> Actor | None:
    failures = _recent_failures()
    if time.monotonic() - failures.get(key_id, -FAILED_FETCH_PAUSE) < FAILED_FETCH_PAUSE:
        return None
    owner = _fetch_key_owner_now(key_id, refresh=refresh)
    if owner is None:
        if len(failures) > 10_000:
            failures.clear()
        failures[key_id] = time.monotonic()
    return owner


def _fetch_key_owner_now(key_id: str, *, refresh: bool) -> Actor | None:
    owner = _owner_uri(key_id)
    if owner == key_id:  # a key with its own URL (GoToSocial): ask it for its owner
        try:
            document = fetch_document(key_id)
        except (FetchError, InvalidDocument):
            return None
        owner = document.get("owner") if isinstance(document.get("owner"), str) else key_id
    try:
        return fetch_actor(owner, refresh=refresh)
    except RemoteActorError as error:
        log.info("key %s: %s", key_id, error)
        return None
    except IntegrityError:  # a parallel request stored the same actor first: use that
        db.session.rollback()
        return actor_by_uri(owner)


def key_lookup(key_id: str) -> VerificationKey | None:
    """``federation.signatures.KeyLookup``: the cached key, or the owner fetched once.

    An unknown key id of an actor we already know usually means it rotated its key under
    a new id (as this node does), so its document is fetched anew even while the cached
    copy is fresh. A key id its owner does not list is not asked about again for a while.
    """
    found, key = _stored_verification_key(key_id)
    if found:
        return key
    if _fetch_key_owner(key_id, refresh=True) is None:
        return None
    found, key = _stored_verification_key(key_id)
    if not found:
        _recent_failures()[key_id] = time.monotonic()
    return key


def refreshed_key_lookup(key_id: str) -> VerificationKey | None:
    """After a failed verification: refetch the owner once, to pick up a rotated key."""
    if _fetch_key_owner(key_id, refresh=True) is None:
        return None
    return _stored_verification_key(key_id)[1]


def key_owner(key_id: str) -> Actor | None:
    """The stored actor owning ``key_id`` (after a successful verification)."""
    row = _stored_key(key_id)
    return row.actor if row is not None else None
