"""The origin-based security model for incoming activities, as pure functions.

ActivityPub has no central authority; trust comes from origins (scheme, host, port):

* an activity speaks only for its own origin: its id and its actor share one origin;
* the request must be signed by the actor, with a key the actor's document lists
  (a valid signature by someone else is a forwarded activity: fetch it from its origin);
* nobody may Update or Delete an object of another origin, nor Undo another's activity,
  nor Create a post attributed to someone else, nor Accept a request sent to another
  (a Join of an event is answered from the event's origin, by its organiser);
* an embedded object from another origin is only a claim: fetch it from its origin.

Each check returns a ``Verdict``; ``validate_incoming`` runs them all. The caller performs
the fetch when told to (``REFETCH``); nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from federation import vocabulary as v
from federation.actors import ActorInfo
from federation.readers import id_of, types_of

Origin = tuple[str, str, int]
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Decision(Enum):
    """What to do with (a part of) an incoming activity."""

    ACCEPT = "accept"
    REFETCH = "refetch"
    REJECT = "reject"


@dataclass(frozen=True)
class Verdict:
    """A decision and, unless accepted, the reason for logs and moderation."""

    decision: Decision
    reason: str = ""

    @property
    def accepted(self) -> bool:
        """Whether the activity may be processed as received."""
        return self.decision is Decision.ACCEPT


ACCEPTED = Verdict(Decision.ACCEPT)


def reject(reason: str) -> Verdict:
    """A verdict refusing the activity."""
    return Verdict(Decision.REJECT, reason)


def refetch(reason: str) -> Verdict:
    """A verdict asking the caller to fetch the object from its own origin instead."""
    return Verdict(Decision.REFETCH, reason)


def origin_of(url: Any) -> Origin | None:
    """The origin of a URL: lower-case scheme and host, and the effective port."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or parts.scheme.lower() not in _DEFAULT_PORTS or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower().rstrip("."), port


def same_origin(first: Any, second: Any) -> bool:
    """Whether two URLs share an origin; unusable URLs never do."""
    origin = origin_of(first)
    return origin is not None and origin == origin_of(second)


def check_activity_origin(activity: Mapping[str, Any]) -> Verdict:
    """The activity's id must come from its actor's origin."""
    actor, activity_id = id_of(activity.get("actor")), id_of(activity.get("id"))
    if not actor or not activity_id:
        return reject("an activity needs an id and an actor")
    if not same_origin(actor, activity_id):
        return reject(f"activity {activity_id} does not come from the origin of {actor}")
    return ACCEPTED


def check_signer(activity: Mapping[str, Any], key_id: str, signer: ActorInfo) -> Verdict:
    """The signature must be the actor's own, made with a key its document lists.

    ``signer`` is the actor document of the key's owner. A key it does not list is a
    forgery attempt; a correct signature by another actor is a forwarded activity,
    which must be fetched from its origin rather than believed.
    """
    if not signer.lists_key(key_id):
        return reject(f"{signer.id} does not publish key {key_id}")
    if signer.id != id_of(activity.get("actor")):
        return refetch(f"signed by {signer.id}, not by the actor: fetch it from its origin")
    return ACCEPTED


def _object_id(activity: Mapping[str, Any]) -> str | None:
    return id_of(activity.get("object"))


def check_modification(activity: Mapping[str, Any]) -> Verdict:
    """Update and Delete may only target objects of the actor's own origin."""
    if not set(types_of(activity)) & {v.UPDATE, v.DELETE}:
        return ACCEPTED
    target, actor = _object_id(activity), id_of(activity.get("actor"))
    if not target:
        return reject("Update/Delete without an object id")
    if not same_origin(target, actor):
        return reject(f"{actor} may not modify {target} of another origin")
    return ACCEPTED


def check_undo(activity: Mapping[str, Any]) -> Verdict:
    """Only the actor of an activity may undo it."""
    undone = activity.get("object")
    if v.UNDO not in types_of(activity) or not isinstance(undone, Mapping):
        return ACCEPTED
    if id_of(undone.get("actor")) != id_of(activity.get("actor")):
        return reject("an actor may only undo its own activities")
    return ACCEPTED


def check_authorship(activity: Mapping[str, Any]) -> Verdict:
    """A Create may not put words into someone else's mouth."""
    created = activity.get("object")
    if v.CREATE not in types_of(activity) or not isinstance(created, Mapping):
        return ACCEPTED
    authors = {id_of(a) for a in _as_sequence(created.get("attributedTo"))} - {None}
    if authors and id_of(activity.get("actor")) not in authors:
        return reject("the object of a Create must be attributed to the creating actor")
    return ACCEPTED


def _as_sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


_RESPONSES = {v.ACCEPT, v.REJECT}
#: Activities whose embedded object is matched by id, never believed as content.
_TARGETING = _RESPONSES | {v.JOIN, v.LEAVE}


def check_response(activity: Mapping[str, Any]) -> Verdict:
    """An actor may only Accept or Reject requests addressed to itself.

    The embedded request is our own activity and is matched by id in our records, so it
    is not re-fetched; but its target must be the responding actor, or, for a Join of an
    event, an actor of the event's origin (the organiser answers for the event).
    """
    request = activity.get("object")
    if not set(types_of(activity)) & _RESPONSES or not isinstance(request, Mapping):
        return ACCEPTED
    target, responder = id_of(request.get("object")), id_of(activity.get("actor"))
    if v.JOIN in types_of(request) and same_origin(target, responder):
        # Joining an event is answered by its organiser, not by the event itself
        # (Mobilizon); only the event's own server may speak for it.
        return ACCEPTED
    if v.FOLLOW in types_of(request) and target in v.PUBLIC_SPELLINGS:
        # A relay subscription follows the public collection (Mastodon's shape) and is
        # answered by the relay; the receiver matches the request by id to the relay asked.
        return ACCEPTED
    if target != responder:
        return reject("an actor may only answer requests addressed to itself")
    return ACCEPTED


def check_embedded_object(activity: Mapping[str, Any]) -> Verdict:
    """Trust an embedded object only when it comes from the actor's origin.

    A bare reference is accepted: nothing was claimed about its content, and the caller
    looks it up by id anyway. Accept/Reject embed the request being answered, which the
    caller matches against its own records (see ``check_response``); Join and Leave name
    the event or group they target, which only counts by its id.
    """
    embedded = activity.get("object")
    if not isinstance(embedded, Mapping) or set(types_of(activity)) & _TARGETING:
        return ACCEPTED
    object_id = id_of(embedded.get("id"))
    if not object_id:
        needs_id = set(types_of(activity)) & {v.CREATE, v.UPDATE, v.ANNOUNCE}
        return reject("embedded object without id") if needs_id else ACCEPTED
    if same_origin(object_id, id_of(activity.get("actor"))):
        return ACCEPTED
    return refetch(f"embedded {object_id} is from another origin: fetch it from there")


def validate_incoming(activity: Mapping[str, Any], *, key_id: str, signer: ActorInfo) -> Verdict:
    """Run every rule; any rejection wins over a re-fetch, which wins over acceptance."""
    verdicts = [
        check_activity_origin(activity),
        check_signer(activity, key_id, signer),
        check_modification(activity),
        check_undo(activity),
        check_authorship(activity),
        check_response(activity),
        check_embedded_object(activity),
    ]
    for wanted in (Decision.REJECT, Decision.REFETCH):
        for verdict in verdicts:
            if verdict.decision is wanted:
                return verdict
    return ACCEPTED
