"""The ActivityPub ids of local objects, made in one place from ``BASE_URL``.

Ids are the pages people see (``/@anna``, ``/groups/garten``, ``/posts/17``): a peer asking
with an ActivityStreams ``Accept`` header gets JSON, a browser gets HTML. Ids must never change
once published, so nothing here may depend on anything but the base URL, handles and row ids.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.posts.models import Post

INSTANCE_ACTOR_HANDLE = "instance.actor"  # never a valid person or group handle (has a dot)


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def local_host() -> str:
    """Host (with port if any) of this node, as it appears in ids and handles."""
    return urlsplit(base_url()).netloc


def actor_uri(actor: Actor) -> str:
    """The id of any actor: its stored ``uri`` when remote, derived when local."""
    if not actor.is_local:
        return actor.uri or ""
    if actor.kind == ActorKind.APPLICATION:
        return f"{base_url()}/actor"
    if actor.kind == ActorKind.GROUP:
        return f"{base_url()}/groups/{actor.handle}"
    return f"{base_url()}/@{actor.handle}"


def _local_collection(actor: Actor, name: str) -> str:
    return f"{actor_uri(actor)}/{name}"


def inbox_uri(actor: Actor) -> str:
    return _local_collection(actor, "inbox") if actor.is_local else actor.inbox_url


def outbox_uri(actor: Actor) -> str:
    return _local_collection(actor, "outbox") if actor.is_local else actor.outbox_url


def followers_uri(actor: Actor) -> str:
    return _local_collection(actor, "followers") if actor.is_local else actor.followers_url


def following_uri(actor: Actor) -> str:
    return _local_collection(actor, "following") if actor.is_local else actor.following_url


def shared_inbox_uri() -> str:
    return f"{base_url()}/inbox"


def key_id(actor: Actor, version: int = 1) -> str:
    """Id of the actor's ``version``-th key: ``#main-key`` for the first, ``#main-key-2``
    and so on after rotations. A rotated key gets a new id (never the old one with another
    PEM), so a peer that cached the old key sees an unknown id and fetches the actor anew,
    and every process of this node notices the change by the id alone."""
    suffix = "" if version <= 1 else f"-{version}"
    return f"{actor_uri(actor)}#main-key{suffix}"


def post_uri(post: Post) -> str:
    if post.uri:
        return post.uri
    return f"{base_url()}/posts/{post.id}"


def activity_uri(kind: str, token: str) -> str:
    """Id of an activity we send (``kind``: create, update, delete, follow, like, ...)."""
    return f"{base_url()}/activities/{kind}/{token}"


def is_local_uri(uri: str) -> bool:
    return uri == base_url() or uri.startswith(base_url() + "/")
