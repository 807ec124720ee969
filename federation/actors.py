"""Reading actor documents (people, groups, application actors) from any server.

``parse_actor`` turns the many shapes peers publish into one ``ActorInfo``: keys as a
single object or an array (Mastodon vs. GoToSocial/Friendica), FEP-521a multikeys in
``assertionMethod``, the shared inbox under ``endpoints``, icons as Image objects or
plain URLs. Everything else in the app only reads ``ActorInfo``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from federation.errors import InvalidDocument
from federation.multikey import DecodedMultikey, decode_multikey
from federation.readers import first_str, first_url, id_of, natural_text, types_of


@dataclass(frozen=True)
class PublicKeyInfo:
    """An RSA (or other) key published as ``publicKey`` with a PEM text."""

    id: str
    owner: str | None
    pem: str


@dataclass(frozen=True)
class MultikeyInfo:
    """A FEP-521a ``Multikey`` from ``assertionMethod``, already decoded."""

    id: str
    controller: str | None
    key: DecodedMultikey


@dataclass(frozen=True)
class ActorInfo:
    """What we need to know about an actor to talk to it and to trust its signatures."""

    id: str
    type: str
    inbox: str
    preferred_username: str | None = None
    name: str | None = None
    summary: str | None = None
    shared_inbox: str | None = None
    outbox: str | None = None
    followers: str | None = None
    following: str | None = None
    url: str | None = None
    icon_url: str | None = None
    manually_approves_followers: bool = False
    public_keys: tuple[PublicKeyInfo, ...] = field(default=())
    multikeys: tuple[MultikeyInfo, ...] = field(default=())

    @property
    def public_key(self) -> PublicKeyInfo | None:
        """The first published PEM key: the one Mastodon-style servers sign with."""
        return self.public_keys[0] if self.public_keys else None

    @property
    def delivery_inbox(self) -> str:
        """Where to deliver public activities: the shared inbox saves many requests."""
        return self.shared_inbox or self.inbox

    def lists_key(self, key_id: str) -> bool:
        """Whether the actor document publishes ``key_id`` as one of its own keys.

        A key that the actor does not list (or lists with another owner) must not be
        accepted as speaking for this actor.
        """
        pem_ids = {k.id for k in self.public_keys if k.owner in (None, self.id)}
        multi_ids = {k.id for k in self.multikeys if k.controller in (None, self.id)}
        return key_id in pem_ids | multi_ids


def _public_keys(document: Mapping[str, Any]) -> tuple[PublicKeyInfo, ...]:
    """Keys from ``publicKey``, accepting a single object or an array of them."""
    found = []
    raw = document.get("publicKey")
    for item in raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, Mapping):
            continue
        key_id, pem = id_of(item), item.get("publicKeyPem")
        if key_id and isinstance(pem, str) and "BEGIN" in pem:
            found.append(PublicKeyInfo(key_id, id_of(item.get("owner")), pem))
    return tuple(found)


def _multikeys(document: Mapping[str, Any]) -> tuple[MultikeyInfo, ...]:
    """Keys from FEP-521a ``assertionMethod``; undecodable entries are skipped."""
    found = []
    raw = document.get("assertionMethod")
    for item in raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, Mapping) or "Multikey" not in types_of(item):
            continue
        key_id, multibase = id_of(item), item.get("publicKeyMultibase")
        if not key_id or not isinstance(multibase, str):
            continue
        try:
            decoded = decode_multikey(multibase)
        except InvalidDocument:
            continue
        found.append(MultikeyInfo(key_id, id_of(item.get("controller")), decoded))
    return tuple(found)


def _endpoint(document: Mapping[str, Any], name: str) -> str | None:
    """A member of ``endpoints`` (an embedded object, sometimes missing)."""
    endpoints = document.get("endpoints")
    return id_of(endpoints.get(name)) if isinstance(endpoints, Mapping) else None


def parse_actor(document: Any, languages: tuple[str, ...] = ()) -> ActorInfo:
    """Read an actor document into ``ActorInfo``.

    Raises ``InvalidDocument`` when the document has no id, no type or no inbox: such an
    actor cannot be followed, verified or written to, so storing it would only hide the
    problem until later.
    """
    if not isinstance(document, Mapping):
        raise InvalidDocument("an actor must be a JSON object")
    actor_id, inbox, kinds = (
        id_of(document.get("id")),
        id_of(document.get("inbox")),
        types_of(document),
    )
    if not actor_id or not inbox or not kinds:
        raise InvalidDocument("an actor needs an id, a type and an inbox")
    return ActorInfo(
        id=actor_id,
        type=kinds[0],
        inbox=inbox,
        preferred_username=first_str(document.get("preferredUsername")),
        name=natural_text(document, "name", languages),
        summary=natural_text(document, "summary", languages),
        shared_inbox=_endpoint(document, "sharedInbox"),
        outbox=id_of(document.get("outbox")),
        followers=id_of(document.get("followers")),
        following=id_of(document.get("following")),
        url=first_url(document.get("url")),
        icon_url=first_url(document.get("icon")),
        manually_approves_followers=document.get("manuallyApprovesFollowers") is True,
        public_keys=_public_keys(document),
        multikeys=_multikeys(document),
    )
