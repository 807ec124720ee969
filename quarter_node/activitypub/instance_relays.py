"""ActivityPub relays (the protocol of Mastodon's and Pleroma's relays), both sides.

A relay lets servers see each other's public posts without each following all others.
Both sides are follows of the node's instance actor, kept as ordinary ``Follow`` rows
(no table of their own):

* Subscribing: our instance actor follows the relay actor. The ``Follow`` names the public
  collection as its object (Mastodon's subscription shape; activityrelay, pub-relay and our
  own relay answer it); the row is pending until the relay's ``Accept`` reaches
  ``/actor/inbox``. Once accepted, our public posts' Create/Update/Delete go to the relay's
  inbox too, and what the relay announces is stored (``handlers/instance_relay.py``).
* Being a relay (``relay_enabled``): other servers' actors follow our instance actor
  (object Public or the instance actor). Each public Create/Update/Delete/Announce a
  subscriber sends us is passed on as an ``Announce`` by the instance actor to every other
  subscriber's inbox (``pass_on``), never back to its origin.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from federation import activities
from federation import vocabulary as v
from federation.readers import id_of, ids_of, is_public, types_of
from quarter_node.accounts.models import Actor, ActorKind, Role, User
from quarter_node.activitypub import instance_follows, outbox, remote, urls
from quarter_node.activitypub.keys import find_instance_actor, instance_actor
from quarter_node.errors import InvalidInput, NotFound
from quarter_node.extensions import db
from quarter_node.moderation import audit
from quarter_node.node.services import get_node_settings, update_node_settings
from quarter_node.permissions import require_role
from quarter_node.social.models import Follow, FollowState
from quarter_node.social.services import follow_between as _follow

RELAY_SUBSCRIBE = "federation.relay_subscribe"
RELAY_UNSUBSCRIBE = "federation.relay_unsubscribe"
RELAY_MODE = "federation.relay_mode"
RELAYED_TYPES = (v.CREATE, v.UPDATE, v.DELETE, v.ANNOUNCE)


# --- subscribing to relays ------------------------------------------------------------------


def relay_actor_candidates(address: str) -> list[str]:
    """Actor ids to try for what an admin typed: the actor URL itself, or, for an inbox
    URL (what Mastodon asks for, e.g. ``https://relay.example/inbox``), the actor next to
    it (``/actor``, where activityrelay, pub-relay and Quarter Node keep it)."""
    value = (address or "").strip()
    if not value.startswith(("https://", "http://")):
        raise InvalidInput(
            _("Please enter the address of a relay, like https://relay.example/actor.")
        )
    if not value.rstrip("/").endswith("/inbox"):
        return [value]
    base = value.rstrip("/").removesuffix("/inbox")
    return [base] if base.endswith("/actor") else [base + "/actor", base]


def _fetch_relay_actor(address: str) -> Actor:
    for candidate in relay_actor_candidates(address):
        try:
            return remote.fetch_actor(candidate)
        except remote.RemoteActorError:
            continue
    raise InvalidInput(_("No relay answers at this address."))


def subscriptions() -> list[Follow]:
    """The relays this node subscribes to (pending or accepted)."""
    me = find_instance_actor()
    if me is None:
        return []
    return list(db.session.scalars(select(Follow).where(Follow.follower_id == me.id)))


def subscribe(admin: User | None, address: str) -> Follow:
    """Send the subscription ``Follow`` (pending until the relay accepts)."""
    require_role(admin, Role.ADMIN)
    relay = _fetch_relay_actor(address)
    if _follow(instance_actor(), relay) is not None:
        raise InvalidInput(_("This node already subscribes to this relay."))
    follow = instance_follows.instance_follow(relay)
    audit.record(admin.actor, RELAY_SUBSCRIBE, note=relay.uri)  # type: ignore[union-attr]
    db.session.commit()
    return follow


def unsubscribe(admin: User | None, follow_id: int) -> Actor:
    """Take the subscription back with ``Undo(Follow)``; nothing comes from it afterwards."""
    require_role(admin, Role.ADMIN)
    me = find_instance_actor()
    follow = db.session.get(Follow, follow_id)
    if me is None or follow is None or follow.follower_id != me.id:
        raise NotFound(_("This relay is not known here."))
    relay = follow.followed
    request = activities.follow(urls.actor_uri(me), v.PUBLIC, id=follow.uri or "")
    undo = activities.undo(urls.actor_uri(me), request, id=outbox.new_activity_uri("undo"))
    outbox.send(me, undo, recipients=[relay])
    db.session.delete(follow)
    audit.record(admin.actor, RELAY_UNSUBSCRIBE, note=relay.uri)  # type: ignore[union-attr]
    db.session.commit()
    return relay


def relay_inboxes() -> list[str]:
    """The inboxes of the relays that accepted our subscription (public posts go there)."""
    me = find_instance_actor()
    if me is None:
        return []
    relays = db.session.scalars(
        select(Actor)
        .join(Follow, Follow.followed_id == Actor.id)
        .where(Follow.follower_id == me.id, Follow.state == FollowState.ACCEPTED)
    )
    return [relay.shared_inbox_url or relay.inbox_url for relay in relays if relay.inbox_url]


def relay_inboxes_for(actor: Actor, activity: dict[str, Any]) -> list[str]:
    """Relay inboxes for a person's activity addressed to the public in ``to`` (public,
    not unlisted: Mastodon sends relays its public statuses only)."""
    if actor.kind != ActorKind.PERSON or v.PUBLIC_SPELLINGS.isdisjoint(ids_of(activity.get("to"))):
        return []
    return relay_inboxes()


def is_subscribed_relay(actor: Actor) -> bool:
    """Whether ``actor`` is a relay that accepted our subscription."""
    me = find_instance_actor()
    return me is not None and _accepted(me, actor)


# --- being a relay --------------------------------------------------------------------------


def relay_enabled() -> bool:
    return bool(get_node_settings().relay_enabled)


def set_relay_enabled(admin: User | None, enabled: bool) -> None:
    """Switch the relay on or off; switching it off forgets the subscribers (they get a
    ``Reject``, the answer Mastodon takes as "no longer subscribed")."""
    require_role(admin, Role.ADMIN)
    if relay_enabled() == enabled:
        return
    update_node_settings(relay_enabled=enabled)
    if not enabled:
        for follow in subscribers():
            reject_subscriber(follow)
    audit.record(admin.actor, RELAY_MODE, note="on" if enabled else "off")  # type: ignore[union-attr]
    db.session.commit()


def subscribers() -> list[Follow]:
    me = find_instance_actor()
    if me is None:
        return []
    return list(db.session.scalars(select(Follow).where(Follow.followed_id == me.id)))


def reject_subscriber(follow: Follow) -> None:
    """End one subscription (uncommitted)."""
    instance_follows.reject_follower(follow)


def remove_subscriber(admin: User | None, follow_id: int) -> Actor:
    require_role(admin, Role.ADMIN)
    follow = db.session.get(Follow, follow_id)
    me = find_instance_actor()
    if me is None or follow is None or follow.followed_id != me.id:
        raise NotFound(_("This server is not known here."))
    follower = follow.follower
    reject_subscriber(follow)
    audit.record(admin.actor, RELAY_UNSUBSCRIBE, note=follower.uri)  # type: ignore[union-attr]
    db.session.commit()
    return follower


def pass_on(activity: dict[str, Any], sender: Actor) -> bool:
    """Announce a subscriber's public activity to all other subscribers (uncommitted).

    Create and Announce are passed on as an ``Announce`` of the object's id (receivers
    fetch it from its origin); Update and Delete as an ``Announce`` embedding the activity
    (receivers cut it down to references and ask the origin, see ``processing``)."""
    kinds = set(types_of(activity))
    if not kinds & set(RELAYED_TYPES) or not relay_enabled() or not _is_public(activity):
        return False
    me = find_instance_actor()
    if me is None or not _subscribed_host(me, sender.domain):
        return False
    if v.ANNOUNCE in kinds and not _is_boost(activity, sender, me):
        return False
    inboxes = _other_subscriber_inboxes(me, sender.domain)
    if not inboxes:
        return False
    relayed: Any = activity if kinds & {v.UPDATE, v.DELETE} else id_of(activity.get("object"))
    if not relayed:
        return False
    announce = activities.announce(
        urls.actor_uri(me), relayed, id=outbox.new_activity_uri("relay"), to=[v.PUBLIC], cc=[]
    )
    outbox.send(me, announce, inboxes=inboxes)
    return True


def _is_boost(activity: dict[str, Any], sender: Actor, me: Actor) -> bool:
    """A person's share of an object. Announces by servers' actors (other relays, which
    may subscribe too) and relayed activities (groups) are not passed on: relays passing
    each other's announces on could send them round in circles."""
    if sender.kind == ActorKind.APPLICATION or _follow(sender, me) is not None:
        return False
    embedded = activity.get("object")
    return not (isinstance(embedded, dict) and set(types_of(embedded)) & v.ACTIVITY_TYPES)


def _is_public(activity: dict[str, Any]) -> bool:
    embedded = activity.get("object")
    return is_public(activity) or (isinstance(embedded, dict) and is_public(embedded))


def _subscribed_host(me: Actor, domain: str) -> bool:
    return (
        db.session.scalar(
            select(Follow.id)
            .join(Actor, Actor.id == Follow.follower_id)
            .where(Follow.followed_id == me.id, Follow.state == FollowState.ACCEPTED)
            .where(Actor.domain == domain)
            .limit(1)
        )
        is not None
    )


def _other_subscriber_inboxes(me: Actor, origin_domain: str) -> list[str]:
    followers = db.session.scalars(
        select(Actor)
        .join(Follow, Follow.follower_id == Actor.id)
        .where(Follow.followed_id == me.id, Follow.state == FollowState.ACCEPTED)
        .where(Actor.domain != origin_domain, Actor.domain != "")
    )
    return sorted({a.shared_inbox_url or a.inbox_url for a in followers if a.inbox_url})


def _accepted(follower: Actor, followed: Actor) -> bool:
    found = _follow(follower, followed)
    return found is not None and found.state == FollowState.ACCEPTED
