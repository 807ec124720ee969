"""A quarter node's side of the network: applying, leaving, and the coordination node's
answers (which arrive through ``protocol``).

One network at a time: a pending or approved ``NetworkMembership`` blocks a new one. The
application is the instance actor's ``Join`` to the coordination node's instance actor,
carrying the directory entry; approval ties the nodes by follows of their instance actors
(``protocol``, ``registry``).
"""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import (
    Actor,
    Conflict,
    InvalidInput,
    _,
    actor_uri,
    db,
    drop_instance_follower,
    find_actor,
    instance_actor,
    instance_follow,
    instance_unfollow,
    new_activity_id,
    record_audit,
    send_activity,
    utcnow,
)

from . import discovery, entries
from .models import MembershipStatus, NetworkMembership, NetworkNode
from .operator import Acting, acting_actor
from .queries import current_membership
from .settings import is_coordination

APPLY = "network.apply"
LEAVE = "network.leave"
MESSAGE_LIMIT = 2000
PROFILE = "qn:profile"


def apply(by: Acting, address: str, message: str = "") -> NetworkMembership:
    """Send this node's application to the coordination node at ``address``."""
    moderator = acting_actor(by)
    _check_may_apply()
    base = discovery.base_of(address)
    if discovery.domain_of(base) == entries.own_domain():
        raise InvalidInput(_("This is the address of this node."))
    directory = discovery.fetch_directory(base)
    coordination = discovery.instance_actor_at(base)
    membership = _send_join(coordination, directory, message.strip()[:MESSAGE_LIMIT])
    record_audit(moderator, APPLY, note=membership.domain)
    db.session.commit()
    return membership


def _check_may_apply() -> None:
    if is_coordination():
        raise InvalidInput(
            _("This node coordinates a network itself, so it cannot apply to a network.")
        )
    found = current_membership()
    if found is not None and found.status == MembershipStatus.APPROVED:
        raise Conflict(_("This node already belongs to the network %(name)s.", name=_name(found)))
    if found is not None:
        raise Conflict(_("This node already waits for an answer from %(name)s.", name=_name(found)))


def _name(membership: NetworkMembership) -> str:
    return membership.network_name or membership.domain


def _send_join(coordination: Actor, directory: dict[str, Any], message: str) -> NetworkMembership:
    me = instance_actor()
    join_id = new_activity_id("join")
    join = {
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": join_id,
        "type": "Join",
        "actor": actor_uri(me),
        "object": coordination.uri,
        "to": [coordination.uri],
        "content": message,
        PROFILE: entries.own_entry(),
    }
    send_activity(me, join, recipients=[coordination])
    membership = NetworkMembership(
        coordination_uri=coordination.uri,
        domain=coordination.domain,
        network_name=str(directory.get("network") or "")[:200],
        application_uri=join_id,
        message=message,
    )
    db.session.add(membership)
    return membership


def leave(by: Acting) -> NetworkMembership:
    """Leave the network (or take a pending application back): ``Leave`` and
    ``Undo(Follow)`` to the coordination node, the mirrored directory forgotten."""
    moderator = acting_actor(by)
    membership = current_membership()
    if membership is None:
        raise InvalidInput(_("This node does not belong to a network."))
    coordination = find_actor(membership.coordination_uri)
    if coordination is not None:
        _send_leave(coordination)
    end_membership(membership, MembershipStatus.LEFT)
    record_audit(moderator, LEAVE, note=membership.domain)
    db.session.commit()
    return membership


def _send_leave(coordination: Actor) -> None:
    me = instance_actor()
    leave_activity = {
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": new_activity_id("leave"),
        "type": "Leave",
        "actor": actor_uri(me),
        "object": coordination.uri,
        "to": [coordination.uri],
    }
    send_activity(me, leave_activity, recipients=[coordination])


def end_membership(membership: NetworkMembership, status: str) -> None:
    """The membership is over (left, declined or removed): no follows, no mirror."""
    coordination = find_actor(membership.coordination_uri)
    if coordination is not None:
        instance_unfollow(coordination)
        drop_instance_follower(coordination)
    membership.status = status
    if status == MembershipStatus.DECLINED:
        membership.decided_at = utcnow()
    else:
        membership.left_at = utcnow()
    db.session.query(NetworkNode).delete()


def approved(membership: NetworkMembership, coordination: Actor) -> None:
    """The coordination node accepted us: subscribe to its relay (uncommitted)."""
    membership.status = MembershipStatus.APPROVED
    membership.decided_at = utcnow()
    instance_follow(coordination)
