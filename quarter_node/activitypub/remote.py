"""Remote actors: fetching, caching and verifying them.

Every request to another server goes through ``http_client()`` (the guarded client of
``federation.safe_http``). Actor documents are cached as ``Actor`` rows with their keys in
``ActorKey``; a cached actor is refreshed after a day, or at once when one of its
signatures stops verifying or names a key id we do not know (the peer rotated its key).
Nothing here commits: callers decide when the cache is written together with what they
store.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from federation import vocabulary as v
from federation.actors import ActorInfo, PublicKeyInfo, parse_actor
from federation.errors import FetchError, InvalidDocument
from federation.netguard import AddressPolicy
from federation.safe_http import Limits, SafeHttpClient, Signer, fetch_activity
from federation.signatures import CAVAGE, sign_request
from federation.signatures.keys import public_key_from_multikey, public_pem_of
from federation.webfinger import Handle, actor_url_from_jrd, parse_handle, webfinger_url
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import keys, urls
from quarter_node.activitypub.models import ActorKey
from quarter_node.activitypub.policy import host_allowed
from quarter_node.db_types import utcnow
from quarter_node.extensions import db

log = logging.getLogger(__name__)

CACHE_MAX_AGE = timedelta(days=1)
_CLIENT_KEY = "quarter_node.activitypub.http_client"
_QUICK_CLIENT_KEY = "quarter_node.activitypub.quick_http_client"
_HANDLE_LENGTH = 64


class RemoteActorError(FetchError):
    """The actor could not be fetched, or its document is unusable or not who it claims."""


class _DevLoopbackPolicy(AddressPolicy):
    """Development mode: loopback addresses (several nodes on one machine) are allowed.

    Only loopback: private networks stay forbidden even in development, so a dev node
    cannot be turned against the network it runs in.
    """

    def allows(self, host: str, port: int) -> bool:
        name = host.lower().strip("[]").rstrip(".")
        if name == "localhost":
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False


def http_client() -> SafeHttpClient:
    """The node's one guarded HTTP client (per app; loopback allowed only in DEV_MODE)."""
    limits = Limits(connect_timeout=5.0, read_timeout=10.0, total_timeout=20.0)
    return _client(_CLIENT_KEY, limits)


def quick_http_client() -> SafeHttpClient:
    """The same guard with short timeouts, for lookups a person waits for while publishing
    (a slow server must not hold up a post: its mention then simply stays text)."""
    limits = Limits(connect_timeout=2.0, read_timeout=3.0, total_timeout=5.0)
    return _client(_QUICK_CLIENT_KEY, limits)


def guarded_client(max_bytes: int) -> SafeHttpClient:
    """The same guard for documents that are not ActivityPub (a subscribed calendar, for
    example), which may be bigger than an activity: one client per size cap and app."""
    limits = Limits(connect_timeout=5.0, read_timeout=15.0, total_timeout=30.0, max_bytes=max_bytes)
    return _client(f"{_CLIENT_KEY}.{max_bytes}", limits)


def _client(key: str, limits: Limits) -> SafeHttpClient:
    client = current_app.extensions.get(key)
    if client is None:
        policy = _DevLoopbackPolicy() if current_app.config.get("DEV_MODE") else AddressPolicy()
        client = SafeHttpClient(limits=limits, address_policy=policy)
        current_app.extensions[key] = client
    return client


def instance_signer() -> Signer:
    """Sign fetches as the instance actor (authorized fetch: servers that require it
    answer only signed requests)."""
    key = keys.signing_key(keys.instance_actor())
    return lambda message: sign_request(message, key, CAVAGE)


def fetch_document(url: str, client: SafeHttpClient | None = None) -> dict[str, Any]:
    """Fetch an ActivityStreams document from its own origin (the id must match the URL)."""
    return fetch_activity(client or http_client(), url, signer=instance_signer())


# --- actors ------------------------------------------------------------------------------


def actor_by_uri(uri: str) -> Actor | None:
    return db.session.scalar(db.select(Actor).where(Actor.uri == uri))


def fetch_actor(uri: str, *, refresh: bool = False, client: SafeHttpClient | None = None) -> Actor:
    """The remote actor with id ``uri``, from the cache or fetched (and stored, uncommitted).

    Raises ``RemoteActorError`` when it cannot be fetched or is not an actor.
    """
    if urls.is_local_uri(uri):
        raise RemoteActorError(f"{uri} is one of our own ids")
    if not usable_scheme(uri):
        raise RemoteActorError(f"{uri}: only https ids are accepted")
    if not host_allowed(host_of(uri)):
        raise RemoteActorError(f"{host_of(uri)} is blocked by this node's policy")
    cached = actor_by_uri(uri)
    if cached is not None and not refresh and _is_fresh(cached):
        return cached
    try:
        document = fetch_document(uri, client)
        info = parse_actor(document)
    except (FetchError, InvalidDocument) as error:
        if cached is not None and not refresh:
            log.info("keeping cached %s: %s", uri, error)
            return cached
        raise RemoteActorError(f"cannot fetch actor {uri}: {error}") from error
    # ``fetch_activity`` only follows a differing id on the same host (a profile URL
    # pointing at the actor id), so the document speaks for its own id.
    if not set(_types(document)) & v.ACTOR_TYPES or host_of(info.id) != host_of(uri):
        raise RemoteActorError(f"{uri} is not an actor document")
    return store_actor(info)


def _types(document: Mapping[str, Any]) -> list[str]:
    kind = document.get("type")
    return [kind] if isinstance(kind, str) else [k for k in kind or [] if isinstance(k, str)]


def _is_fresh(actor: Actor) -> bool:
    return actor.fetched_at is not None and utcnow() - actor.fetched_at < CACHE_MAX_AGE


def usable_scheme(uri: str) -> bool:
    """Peers must use https; plain http only in development (nodes on one machine)."""
    scheme = urlsplit(uri).scheme.lower()
    return scheme == "https" or (scheme == "http" and bool(current_app.config.get("DEV_MODE")))


def host_of(uri: str) -> str:
    """Host (with a non-default port) as stored in ``Actor.domain`` and ``PeerHost.host``."""
    return urlsplit(uri).netloc.lower()


_KINDS = {v.GROUP: ActorKind.GROUP, v.APPLICATION: ActorKind.APPLICATION}


def store_actor(info: ActorInfo) -> Actor:
    """Create or update the ``Actor`` row (and its keys) from a verified actor document."""
    actor = actor_by_uri(info.id)
    handle = _handle_from(info)
    _release_handle(host_of(info.id), handle, keep=actor)
    if actor is None:
        actor = Actor(uri=info.id, domain=host_of(info.id))
        db.session.add(actor)
    actor.kind = _KINDS.get(info.type, ActorKind.PERSON)
    actor.handle = handle
    actor.display_name = (info.name or "")[:100]
    actor.bio = info.summary or ""
    actor.inbox_url = info.inbox
    actor.shared_inbox_url = info.shared_inbox or ""
    actor.outbox_url = info.outbox or ""
    actor.followers_url = info.followers or ""
    actor.following_url = info.following or ""
    actor.profile_url = web_url(info.url)
    actor.icon_url = web_url(info.icon_url)
    actor.manually_approves_followers = info.manually_approves_followers
    actor.fetched_at = utcnow()
    db.session.flush()
    _store_keys(actor, info)
    return actor


def web_url(value: str | None) -> str:
    """A peer's link as we may show it: http(s) only (no ``javascript:``), bounded length."""
    if not value or len(value) > 2048:
        return ""
    return value if urlsplit(value).scheme.lower() in ("http", "https") else ""


def _handle_from(info: ActorInfo) -> str:
    name = info.preferred_username or urlsplit(info.id).path.rstrip("/").rsplit("/", 1)[-1]
    return (name or "actor").lower()[:_HANDLE_LENGTH]


def _release_handle(domain: str, handle: str, *, keep: Actor | None) -> None:
    """Handles are unique per domain; an older actor holding the name (an account that was
    re-created under a new id) gives it up, since the newest document is the truth."""
    query = db.select(Actor).where(Actor.domain == domain, Actor.handle == handle)
    if keep is not None:
        query = query.where(Actor.id != keep.id)
    holder = db.session.scalar(query)
    if holder is not None:
        holder.handle = f"{handle[: _HANDLE_LENGTH - 12]}~{holder.id}"
        db.session.flush()


def _published_keys(info: ActorInfo) -> dict[str, str]:
    """Key id → PEM of every key the document lists as the actor's own."""
    keys = {k.id: k.pem for k in info.public_keys if info.lists_key(k.id)}
    for multikey in info.multikeys:
        if info.lists_key(multikey.id) and multikey.id not in keys:
            try:
                keys[multikey.id] = public_pem_of(public_key_from_multikey(multikey.key))
            except Exception:  # noqa: BLE001  (an exotic key must not lose the others)
                log.info("skipping unusable multikey %s", multikey.id)
    return keys


def _store_keys(actor: Actor, info: ActorInfo) -> None:
    published = _published_keys(info)
    stored = {
        k.key_id: k
        for k in db.session.scalars(db.select(ActorKey).where(ActorKey.actor_id == actor.id))
    }
    for key_id, pem in published.items():
        row = stored.get(key_id)
        if row is None:
            if db.session.scalar(db.select(ActorKey.id).where(ActorKey.key_id == key_id)):
                log.warning("%s lists key %s owned by another actor", actor.uri, key_id)
                continue
            db.session.add(ActorKey(actor_id=actor.id, key_id=key_id, public_pem=pem))
        else:
            row.public_pem, row.revoked_at = pem, None
    for key_id, row in stored.items():
        if key_id not in published and row.revoked_at is None:
            row.revoked_at = utcnow()
    db.session.flush()


def actor_info(actor: Actor) -> ActorInfo:
    """The stored actor as the ``ActorInfo`` the validation rules expect."""
    keys = db.session.scalars(
        db.select(ActorKey).where(ActorKey.actor_id == actor.id, ActorKey.revoked_at.is_(None))
    )
    return ActorInfo(
        id=actor.uri or "",
        type=actor.kind.value,
        inbox=actor.inbox_url,
        public_keys=tuple(PublicKeyInfo(k.key_id, actor.uri, k.public_pem) for k in keys),
    )


# --- handles -----------------------------------------------------------------------------


def resolve_handle(text: str, client: SafeHttpClient | None = None) -> Actor:
    """Find a remote actor by ``@name@host``, ``name@host`` or a profile URL (WebFinger).

    ``client``: e.g. ``quick_http_client()`` when somebody waits for the answer."""
    try:
        parsed = parse_handle(text)
    except InvalidDocument as error:
        raise RemoteActorError(str(error)) from error
    if isinstance(parsed, str):
        known = db.session.scalar(
            db.select(Actor).where((Actor.uri == parsed) | (Actor.profile_url == parsed))
        )
        fresh = known is not None and _is_fresh(known)
        return known if fresh else fetch_actor(parsed, client=client)
    known = db.session.scalar(
        db.select(Actor).where(Actor.domain == parsed.host, Actor.handle == parsed.username.lower())
    )
    if known is not None and _is_fresh(known):
        return known
    return fetch_actor(_webfinger(parsed, client), client=client)


def _webfinger(handle: Handle, client: SafeHttpClient | None = None) -> str:
    scheme = "http" if current_app.config.get("DEV_MODE") else "https"
    url = webfinger_url(handle, scheme)
    try:
        response = (client or http_client()).get(url, headers={"Accept": "application/jrd+json"})
        if response.status != 200:
            raise RemoteActorError(f"WebFinger for {handle} answered {response.status}")
        return actor_url_from_jrd(json.loads(response.body))
    except (FetchError, InvalidDocument, ValueError) as error:
        raise RemoteActorError(f"WebFinger for {handle} failed: {error}") from error
