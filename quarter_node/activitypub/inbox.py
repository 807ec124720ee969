"""The inboxes: POST ``/inbox`` (shared), ``/@<handle>/inbox`` and ``/groups/<handle>/inbox``.

The request path only checks and stores; a job applies the activity. Order of checks,
cheapest and most decisive first: size (413), content type (415), JSON (400), the peer's
domain policy (403), the HTTP signature with its digest and time window (401), the origin
rules of ``federation.validation`` (401/403), then ONE ``InboxItem`` per activity id and
``202 Accepted``. The only network access on this path is fetching an unknown key's actor,
which is cached. Bad input never causes a 500: every refusal is a 4xx with a short reason.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

from flask import Blueprint, Response, redirect, request, url_for
from sqlalchemy.dialects import postgresql, sqlite

from federation import vocabulary as v
from federation.actors import ActorInfo, PublicKeyInfo
from federation.readers import id_of, types_of
from federation.safe_http import is_activity_content_type
from federation.signatures import (
    BadSignature,
    HttpMessage,
    SignatureError,
    VerificationKey,
    verify_request,
)
from federation.validation import Decision, check_signer, validate_incoming
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import remote, remote_keys, tombstones, urls
from quarter_node.activitypub.models import InboxItem
from quarter_node.activitypub.policy import inbox_gate
from quarter_node.activitypub.processing import process_inbox_item
from quarter_node.extensions import db
from quarter_node.machine import machine_blueprint
from quarter_node.setup.services import is_setup_complete

log = logging.getLogger(__name__)

# Servers call these URLs, never browsers: the page hooks skip them (``quarter_node.machine``);
# the one page rule that still applies, "nothing works before set-up", is checked here.
bp = machine_blueprint(Blueprint("activitypub_inbox", __name__))

MAX_BODY_BYTES = 1024 * 1024
MAX_ID_LENGTH = 2048  # the URI columns' size


class NotSetUp(Exception):
    """The node is not set up yet: every URL leads to the set-up page, the inboxes too."""


class Refused(Exception):
    """A request the inbox does not take, with its status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _answer(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


@bp.post("/inbox")
def shared_inbox() -> Response:
    return _receive(None)


@bp.post("/actor/inbox")
def instance_inbox() -> Response:
    """The instance actor's inbox (FEP-2677): answers to its follows and what relays send
    reach it; nothing there is addressed to one member, so it works as the shared inbox."""
    return _receive(None)


@bp.post("/@<handle>/inbox")
def person_inbox(handle: str) -> Response:
    return _personal_inbox(handle, ActorKind.PERSON)


@bp.post("/groups/<handle>/inbox")
def group_inbox(handle: str) -> Response:
    return _personal_inbox(handle, ActorKind.GROUP)


def _personal_inbox(handle: str, kind: ActorKind) -> Response:
    """The inbox of one local actor; a deleted one's answers 410, so senders stop for good
    (and forget the follows they kept of it)."""
    return _receive(lambda: _local_recipient(handle, kind))


def _local_recipient(handle: str, kind: ActorKind) -> Actor:
    actor = db.session.scalar(
        db.select(Actor).where(Actor.domain == "", Actor.kind == kind, Actor.handle == handle)
    )
    if actor is not None and actor.suspended_at is None:
        return actor
    if actor is None and tombstones.find(handle, kind) is not None:
        raise Refused(410, "this account was deleted")
    raise Refused(404, "no such inbox")


def _receive(find_recipient: Callable[[], Actor] | None) -> Response:
    """Check and store one delivery. The set-up state comes with the peer's policy in one
    query (``inbox_gate``); a refusal before that query looks it up on its own, so a node
    that is not set up yet answers every request with the redirect, as its pages do."""
    set_up = False
    try:
        recipient = find_recipient() if find_recipient else None
        body = _read_body()
        activity = _parse(body)
        set_up = _check_gate(remote.host_of(activity["actor"]))
        item_id = _accept(activity, body, recipient)
    except NotSetUp:
        return _until_set_up()
    except Refused as refusal:
        db.session.rollback()
        if not (set_up or is_setup_complete()):
            return _until_set_up()
        return _answer(refusal.status, refusal.reason)
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # odd shapes
        db.session.rollback()
        if not (set_up or is_setup_complete()):
            return _until_set_up()
        log.info("inbox refused a malformed request: %r", error)
        return _answer(400, "malformed request")
    if item_id is not None:
        _enqueue(item_id)
    return _answer(202, "accepted")


def _until_set_up() -> Response:
    db.session.rollback()
    return redirect(url_for("setup.index"))  # type: ignore[return-value]


def _read_body() -> bytes:
    declared = request.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise Refused(413, "body too large")
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise Refused(413, "body too large")
    if not is_activity_content_type(request.headers.get("Content-Type")):
        raise Refused(415, "expected application/activity+json")
    return body


def _parse(body: bytes) -> dict[str, Any]:
    try:
        activity = json.loads(body)
    except ValueError as error:
        raise Refused(400, "invalid JSON") from error
    if not isinstance(activity, dict):
        raise Refused(400, "an activity must be a JSON object")
    actor, activity_id = id_of(activity.get("actor")), id_of(activity.get("id"))
    if not actor or not activity_id or not types_of(activity):
        raise Refused(400, "an activity needs an id, a type and an actor")
    if max(len(actor), len(activity_id)) > MAX_ID_LENGTH:
        raise Refused(400, "id too long")
    if urls.is_local_uri(actor) or remote.host_of(actor) == "":
        raise Refused(400, "not a remote actor")
    if not remote.usable_scheme(actor):
        raise Refused(400, "actor ids must be https URLs")
    activity["actor"], activity["id"] = actor, activity_id
    return activity


def _check_gate(host: str) -> bool:
    """True (set up) when the node takes deliveries from ``host``; else raise."""
    gate = inbox_gate(host)
    if not gate.set_up:
        raise NotSetUp
    if not gate.host_allowed:
        raise Refused(403, "this server does not federate with your host")
    return True


def _message(body: bytes) -> HttpMessage:
    """The request as signed: our public URL (BASE_URL), not what a proxy forwarded."""
    target = urls.base_url() + request.path
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return HttpMessage.build(request.method, target, list(request.headers.items()), body)


def _accept(activity: dict[str, Any], body: bytes, recipient: Actor | None) -> int | None:
    """Verify, validate and store; the new item's id, ``None`` when nothing was stored."""
    if _is_gone_actor_noise(activity):
        return None
    key = _verified_key(_message(body))
    if key.owner is None:
        raise Refused(401, "unknown signer")
    info = _signer_info(key)
    verdict = validate_incoming(activity, key_id=key.key_id, signer=info)
    if verdict.decision is Decision.REJECT:
        signer_refused = check_signer(activity, key.key_id, info).decision is Decision.REJECT
        raise Refused(401 if signer_refused else 403, verdict.reason)
    return _store(activity, key.key_id, recipient)


class _RememberingLookup:
    """The key lookup, remembering what it found: the verified key names its owner, so the
    owner is not looked up again after the verification."""

    def __init__(self, lookup: Callable[[str], VerificationKey | None]) -> None:
        self.lookup = lookup
        self.found: dict[str, VerificationKey] = {}

    def __call__(self, key_id: str) -> VerificationKey | None:
        key = self.lookup(key_id)
        if key is not None:
            self.found[key_id] = key
        return key


def _verified_key(message: HttpMessage) -> VerificationKey:
    try:
        try:
            lookup = _RememberingLookup(remote_keys.key_lookup)
            verified = verify_request(message, lookup)
        except BadSignature:  # maybe a rotated key: refetch the owner once
            lookup = _RememberingLookup(remote_keys.refreshed_key_lookup)
            verified = verify_request(message, lookup)
    except SignatureError as error:
        db.session.commit()  # the fetched actor stays cached, so retries cost nothing
        raise Refused(401, f"signature refused: {error}") from error
    return lookup.found[verified.key_id]


def _signer_info(key: VerificationKey) -> ActorInfo:
    """The signer as the origin rules see it: its id and the key it signed with. The key
    came from an unrevoked ``ActorKey`` row of that actor, which is what ``lists_key``
    asks; the rules look at nothing else of the signer."""
    assert key.owner is not None
    return ActorInfo(
        id=key.owner,
        type="",
        inbox="",
        public_keys=(PublicKeyInfo(key.key_id, key.owner, ""),),
    )


def _is_gone_actor_noise(activity: dict[str, Any]) -> bool:
    """A Delete of an actor we never knew: nothing to remove, and its key is gone with it
    (fetching it would only answer 410). Mastodon sends these to every server it knows."""
    if v.DELETE not in types_of(activity) or id_of(activity.get("object")) != activity["actor"]:
        return False
    return remote.actor_by_uri(activity["actor"]) is None


def _store(activity: dict[str, Any], key_id: str, recipient: Actor | None) -> int | None:
    """One row per activity id: a repeated delivery stores nothing new. One statement
    (INSERT ... ON CONFLICT DO NOTHING RETURNING) and one commit, which also keeps whatever
    the key lookup fetched and cached."""
    dialect = db.session.get_bind().dialect.name
    row = {
        "activity_id": str(activity["id"]),
        "activity_type": types_of(activity)[0][:50],
        "actor_uri": activity["actor"],
        "recipient_id": recipient.id if recipient else None,
        "payload": activity,
        "key_id": key_id,
    }
    item_id = db.session.connection().execute(_insert_once(dialect), row).scalar()
    db.session.commit()
    return item_id


@cache
def _insert_once(dialect: str) -> Any:
    """The INSERT for ``_store``, built once per dialect (values travel as parameters)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(InboxItem)
        .on_conflict_do_nothing(index_elements=["activity_id"])
        .returning(InboxItem.id)
    )


def _enqueue(item_id: int) -> None:
    process_inbox_item(item_id)
