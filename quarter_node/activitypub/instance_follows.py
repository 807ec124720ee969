"""Follows between instance actors and the federation policy switches, for plugins.

A network of nodes (the ``network`` plugin) ties its members together with follows of
their instance actors: a quarter subscribes to the coordination node's relay (the
``instance_relays`` subscription shape) and the coordination node follows the quarter's
instance actor back. The admin pages of ``instance_relays`` and ``ui_admin`` do the same
for one admin at a time, with their own permission checks and commits; the functions here
do neither, because the plugin's own services check the admin and commit once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from federation import activities
from federation import vocabulary as v
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import outbox, urls
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import PeerHost
from quarter_node.activitypub.policy import ALLOWLIST_MODE
from quarter_node.extensions import db
from quarter_node.node.services import get_node_settings, update_node_settings
from quarter_node.social.models import Follow, FollowState
from quarter_node.social.services import follow_between as _follow


def instance_follow(target: Actor, object_uri: str = v.PUBLIC) -> Follow:
    """Our instance actor follows ``target`` (pending until its ``Accept``). With the
    default object (the public collection) this is a relay subscription; name the target's
    own id to follow the actor itself. Idempotent: an existing follow is sent again."""
    me = instance_actor()
    found = _follow(me, target)
    if found is None:
        found = Follow(follower=me, followed=target, state=FollowState.PENDING)
        db.session.add(found)
    found.uri = outbox.new_activity_uri("follow")
    request = activities.follow(urls.actor_uri(me), object_uri, id=found.uri)
    outbox.send(me, request, recipients=[target])
    return found


def instance_unfollow(target: Actor) -> bool:
    """Take our instance actor's follow of ``target`` back (``Undo(Follow)``)."""
    me = instance_actor()
    found = _follow(me, target)
    if found is None:
        return False
    request = {"id": found.uri, "type": v.FOLLOW, "actor": urls.actor_uri(me), "object": v.PUBLIC}
    undo = activities.undo(urls.actor_uri(me), request, id=outbox.new_activity_uri("undo"))
    outbox.send(me, undo, recipients=[target])
    db.session.delete(found)
    return True


def accept_instance_follower(request: dict[str, Any], follower: Actor) -> Follow:
    """Accept ``follower``'s ``Follow`` of our instance actor (whatever the relay switch
    says: the caller decided this follower belongs here)."""
    # imported here: importing the follows handlers early would register them before the
    # instance relay's, which must see Follows of the public collection first
    from quarter_node.activitypub.handlers.follows import send_accept

    me = instance_actor()
    found = _follow(follower, me)
    if found is None:
        found = Follow(follower=follower, followed=me, state=FollowState.ACCEPTED)
        db.session.add(found)
    found.uri, found.state = str(request.get("id") or ""), FollowState.ACCEPTED
    send_accept(me, request, follower)
    return found


def drop_instance_follower(follower: Actor) -> bool:
    """End ``follower``'s follow of our instance actor with a ``Reject``."""
    me = instance_actor()
    found = _follow(follower, me)
    if found is None:
        return False
    reject_follower(found)
    return True


def reject_follower(follow: Follow) -> None:
    """End one follow of our instance actor with a ``Reject`` (uncommitted)."""
    me = instance_actor()
    request = {"id": follow.uri, "type": v.FOLLOW, "actor": follow.follower.uri, "object": v.PUBLIC}
    reject = activities.reject(urls.actor_uri(me), request, id=outbox.new_activity_uri("reject"))
    outbox.send(me, reject, recipients=[follow.follower])
    db.session.delete(follow)


def instance_follow_state(follower: Actor, followed: Actor) -> str | None:
    """``"pending"``, ``"accepted"`` or ``None``: the follow between two actors."""
    found = _follow(follower, followed)
    return None if found is None else str(found.state)


def set_host_allowlisted(host: str, allowed: bool) -> None:
    """Put ``host`` (with port if any) on the allowlist or take it off."""
    host = host.lower()
    peer = db.session.scalar(select(PeerHost).where(PeerHost.host == host))
    if peer is None:
        if not allowed:
            return
        peer = PeerHost(host=host)
        db.session.add(peer)
    peer.allowlisted = allowed


def use_allowlist() -> bool:
    """Switch the node to allowlist mode; True when it was open before."""
    if get_node_settings().federation_mode == ALLOWLIST_MODE:
        return False
    update_node_settings(federation_mode=ALLOWLIST_MODE)
    return True


def enable_relay() -> bool:
    """Switch the node's relay on; True when it was off before."""
    if get_node_settings().relay_enabled:
        return False
    update_node_settings(relay_enabled=True)
    return True
