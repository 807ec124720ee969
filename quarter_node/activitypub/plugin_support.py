"""What plugins may do with ActivityPub, in a few stable functions (``plugin_api`` exports them).

A plugin object federates like a post: its activities go through the transactional outbox
(``send_activity``), their ids carry a mark naming the object (``new_activity_id(kind,
mark)``) so that later Updates and Deletes reach every inbox that heard of it
(``inboxes_reached(mark)``), and its HTML page answers ActivityStreams fetches
(``serve_activity_json``). Remote actors are fetched and cached through ``remote``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from werkzeug.wrappers import Response

from federation.errors import InvalidDocument
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import access, ingest, outbox, remote, urls
from quarter_node.activitypub.instance_relays import relay_inboxes_for
from quarter_node.activitypub.negotiation import activity_response, not_found
from quarter_node.groups.models import Group

BadFetchSignature = access.BadFetchSignature


def base_url() -> str:
    """This node's address without a trailing slash (``https://quartier.example``)."""
    return urls.base_url()


def actor_uri(actor: Actor) -> str:
    """The ActivityPub id of any actor, local (derived) or remote (stored)."""
    return urls.actor_uri(actor)


def followers_uri(actor: Actor) -> str:
    """The followers collection of a local actor (for ``to``/``cc``)."""
    return urls.followers_uri(actor)


def new_activity_id(kind: str, mark: str = "") -> str:
    """A fresh, unguessable activity id; ``mark`` (letters and digits, e.g. ``ev17``) names
    the object it is about, so ``inboxes_reached(mark)`` finds where earlier ones went."""
    return outbox.marked_activity_uri(kind, mark) if mark else outbox.new_activity_uri(kind)


inboxes_reached = outbox.inboxes_reached


def send_activity(
    actor: Actor,
    activity: dict[str, Any],
    *,
    recipients: Iterable[Actor] = (),
    followers_of: Actor | None = None,
    inboxes: Iterable[str] = (),
    public: bool = False,
) -> None:
    """Store ``activity`` by the local ``actor`` and plan its delivery to the remote
    ``recipients``, the remote followers of ``followers_of`` and raw ``inboxes``, in the
    caller's transaction: nothing is sent unless it commits. ``public`` lets the activity
    be fetched at its id; a person's activities addressed to the public also go to the
    relays this node subscribes to. Blocked hosts are skipped by the outbox."""
    if public:
        inboxes = [*inboxes, *relay_inboxes_for(actor, activity)]
    outbox.send(
        actor,
        activity,
        recipients=recipients,
        followers_of=followers_of,
        inboxes=inboxes,
        public=public,
    )


def find_actor(uri: str | None) -> Actor | None:
    """A local actor by its id, or a remote one already stored; never fetches."""
    return ingest.find_actor(uri)


def fetch_remote_actor(uri: str) -> Actor | None:
    """The remote actor with id ``uri``, cached or fetched and stored (uncommitted); ``None``
    when it is ours, blocked or not an actor. Network trouble raises (a job retries)."""
    try:
        return remote.fetch_actor(uri)
    except (remote.RemoteActorError, InvalidDocument):
        return None


def fetch_remote_document(url: str) -> dict[str, Any]:
    """An ActivityStreams document fetched (signed) from its own origin."""
    return remote.fetch_document(url)


def is_followed_here(actor: Actor) -> bool:
    """Whether somebody on this node follows ``actor`` (accepted)."""
    return ingest.is_followed_here(actor)


def kept_as_public(document: Any, actor: Actor) -> bool:
    """Whether an enabled plugin keeps ``document`` of ``actor`` although nobody here
    follows them (``quarter_keeps_public_content``); only ever for content addressed to
    the public."""
    return ingest.kept_as_public(document, actor)


def in_group_audience(actor: Actor, group: Group) -> bool:
    """Whether ``actor`` sees a group's members-only content: an active local member, or a
    remote actor whose follow of the group was accepted (how remote people join)."""
    return access.in_group_audience(actor, group)


def sanitize_remote_html(html: str) -> str:
    """Remote HTML through the node's allowlist, as remote posts get it."""
    return ingest.sanitize_remote_html(html)


def fetch_signer() -> Actor | None:
    """The verified signer of the current ActivityPub fetch; ``None`` when unsigned.
    Raises ``BadFetchSignature`` for a signature that does not verify (answer 401)."""
    return access.request_signer(request)


def serve_activity_json(endpoint: str, view: Callable[..., Response]) -> None:
    """Let the HTML page at ``endpoint`` answer ActivityStreams fetches with ``view`` (called
    with the page's URL arguments), as actor and post pages do; browsers keep the HTML."""
    from quarter_node.activitypub.views import negotiated

    negotiated(endpoint)(view)


def activity_json(document: dict[str, Any], status: int = 200) -> Response:
    """An ActivityStreams JSON answer (our content type, ``Vary: Accept``)."""
    return activity_response(document, status)


def activity_not_found() -> Response:
    """The 404 answer for what does not exist and for what the fetcher may not see."""
    return not_found()
