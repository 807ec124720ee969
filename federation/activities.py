"""Builders for the activities we send.

Each builder returns a plain ``dict`` ready for ``json.dumps`` with our ``@context``. The
caller chooses every id (ids are URLs on our own node, and only the app knows its routes);
the builders take care of the details peers are picky about: addressing copied from the
object, the original activity embedded in Accept/Reject/Undo, Tombstones on Delete, and
timestamps in the ``2024-05-01T12:00:00Z`` form every server parses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from federation import vocabulary as v
from federation.readers import as_list, id_of


def format_datetime(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` and whole seconds, the form all peers accept.

    Naive datetimes are refused: guessing their zone would publish wrong times.
    """
    if moment.tzinfo is None:
        raise ValueError("aware datetime required")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def activity(
    type_: str,
    *,
    id: str,
    actor: str,
    object: Any,
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    published: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The common skeleton of every activity, with our context on top.

    Empty ``to``/``cc`` are left out rather than sent as ``[]``, which some servers
    treat as "addressed to nobody" while others choke on it.
    """
    document: dict[str, Any] = {"id": id, "type": type_, "actor": actor, "object": object}
    if to:
        document["to"] = list(to)
    if cc:
        document["cc"] = list(cc)
    if published is not None:
        document["published"] = format_datetime(published)
    document.update(extra)
    return v.with_context(document)


def _without_context(document: dict[str, Any]) -> dict[str, Any]:
    """An embedded document must not carry its own ``@context``."""
    return {key: value for key, value in document.items() if key != "@context"}


def create(actor: str, obj: dict[str, Any], *, id: str) -> dict[str, Any]:
    """Wrap a new object in a Create addressed exactly like the object.

    Mastodon drops a Create whose audience differs from its object's, so the addressing
    is copied rather than chosen twice.
    """
    obj = _without_context(obj)
    document = activity(
        v.CREATE,
        id=id,
        actor=actor,
        object=obj,
        to=as_list(obj.get("to")),
        cc=as_list(obj.get("cc")),
    )
    if "published" in obj:
        document["published"] = obj["published"]
    return document


def update(actor: str, obj: dict[str, Any], *, id: str, updated: datetime) -> dict[str, Any]:
    """Announce a changed object (or actor profile) to the same audience as before.

    ``updated`` is set on the object too: receivers compare it to decide whether the
    copy they hold is older.
    """
    obj = {**_without_context(obj), "updated": format_datetime(updated)}
    return activity(
        v.UPDATE,
        id=id,
        actor=actor,
        object=obj,
        to=as_list(obj.get("to")),
        cc=as_list(obj.get("cc")),
    )


def tombstone(object_id: str, *, former_type: str | None, deleted: datetime) -> dict[str, Any]:
    """The remains of a deleted object: its id, what it was, and when it went."""
    remains: dict[str, Any] = {"id": object_id, "type": v.TOMBSTONE}
    if former_type:
        remains["formerType"] = former_type
    remains["deleted"] = format_datetime(deleted)
    return remains


def delete_with_tombstone(
    actor: str,
    object_id: str,
    *,
    id: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    former_type: str | None = None,
    deleted: datetime,
) -> dict[str, Any]:
    """A Delete carrying a Tombstone, sent to everyone who received the object.

    A Tombstone rather than a bare id tells receivers the object is gone for good, not
    merely unreachable, so they can drop replies and boosts of it too.
    """
    remains = tombstone(object_id, former_type=former_type, deleted=deleted)
    return activity(v.DELETE, id=id, actor=actor, object=remains, to=to, cc=cc)


def follow(actor: str, target: str, *, id: str) -> dict[str, Any]:
    """Ask to follow an actor (a person or a group); addressed to the target only."""
    return activity(v.FOLLOW, id=id, actor=actor, object=target, to=[target])


def _respond(type_: str, actor: str, request: dict[str, Any], id: str) -> dict[str, Any]:
    """Accept/Reject embed the request so the receiver need not look it up by id."""
    requester = id_of(request.get("actor"))
    return activity(
        type_,
        id=id,
        actor=actor,
        object=_without_context(request),
        to=[requester] if requester else [],
    )


def accept(actor: str, request: dict[str, Any], *, id: str) -> dict[str, Any]:
    """Accept a Follow or Join; the original activity is embedded, as Mastodon expects.

    For a Join of an event ``actor`` is the organiser (Mobilizon checks that the answer
    comes from the event's organiser), and the Accept goes to the participant.
    """
    return _respond(v.ACCEPT, actor, request, id)


def reject(actor: str, request: dict[str, Any], *, id: str) -> dict[str, Any]:
    """Reject a Follow or Join, embedding the refused activity."""
    return _respond(v.REJECT, actor, request, id)


def undo(actor: str, previous: dict[str, Any], *, id: str) -> dict[str, Any]:
    """Take back one of our own earlier activities (Follow, Like, Announce, Block).

    The whole earlier activity is embedded and addressed like it was: receivers match
    it by id and by content, and some ignore an Undo of an id they cannot resolve.
    """
    previous = _without_context(previous)
    return activity(
        v.UNDO,
        id=id,
        actor=actor,
        object=previous,
        to=as_list(previous.get("to")),
        cc=as_list(previous.get("cc")),
    )


def announce(
    actor: str,
    obj: str | dict[str, Any],
    *,
    id: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    published: datetime | None = None,
) -> dict[str, Any]:
    """Share (boost) an object, or relay an activity as a group does (FEP-1b12).

    A group passes the member's whole activity as ``obj``; a person boosting a post
    passes the post's id.
    """
    shared = obj if isinstance(obj, str) else _without_context(obj)
    return activity(
        v.ANNOUNCE, id=id, actor=actor, object=shared, to=to, cc=cc, published=published
    )


def like(actor: str, object_id: str, *, id: str, author: str) -> dict[str, Any]:
    """Like an object; addressed to its author, who is the one to be told."""
    return activity(v.LIKE, id=id, actor=actor, object=object_id, to=[author])


def flag(
    actor: str, reported: Sequence[str], *, id: str, target_actor: str, reason: str = ""
) -> dict[str, Any]:
    """Report an account and/or posts to the moderators of their server.

    ``actor`` should be our application actor, not the reporting resident, so the
    reporter stays anonymous as Mastodon does.
    """
    extra = {"content": reason} if reason else {}
    return activity(v.FLAG, id=id, actor=actor, object=list(reported), to=[target_actor], **extra)


def block(actor: str, target: str, *, id: str) -> dict[str, Any]:
    """Block an actor; sent to the blocked actor's server so it stops delivering."""
    return activity(v.BLOCK, id=id, actor=actor, object=target, to=[target])


def join(
    actor: str,
    group_or_event: str,
    *,
    id: str,
    organizer: str | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """Join a group or take part in an event, the way Mobilizon asks for membership.

    An event is not an actor with an inbox: a Join of an event is addressed to its
    ``organizer`` (and to the joining actor, as Mobilizon does). ``message`` is the note
    for the organiser, sent as Mobilizon's ``participationMessage``. The id must stay
    known: the organiser's Accept or Reject refers to it, and a later Leave undoes it.
    """
    to = [organizer, actor] if organizer else [group_or_event]
    extra = {"participationMessage": message} if message else {}
    return activity(v.JOIN, id=id, actor=actor, object=group_or_event, to=to, **extra)


def leave(
    actor: str, group_or_event: str, *, id: str, organizer: str | None = None
) -> dict[str, Any]:
    """Leave a group or an event one had joined (Mobilizon's answer to Undo of a Join).

    Addressed like the Join: to the event's ``organizer``, or to the group itself.
    """
    to = [organizer, actor] if organizer else [group_or_event]
    return activity(v.LEAVE, id=id, actor=actor, object=group_or_event, to=to)
