"""The exchange space's federation rules, as hook answers and an inbound handler.

The core does the group work (FEP-1b12); the network plugin only narrows who may join and
tells the core which servers may fetch what the space's members write on their own nodes.
"""

from __future__ import annotations

import logging
from typing import Any

from federation import activities
from quarter_node.plugin_api import (
    HandlerContext,
    InboundHandler,
    actor_uri,
    new_activity_id,
    send_activity,
)

from . import space

log = logging.getLogger(__name__)


def _follows_the_space(ctx: HandlerContext) -> bool:
    found = space.the_space()
    return found is not None and ctx.object_id == actor_uri(found.actor)


def _refused_follow(ctx: HandlerContext) -> bool:
    """A join request for the space from someone outside the network."""
    return _follows_the_space(ctx) and not space.may_join(ctx.actor)


def refuse_join(ctx: HandlerContext) -> bool:
    """Answer the outsider's Follow with a ``Reject`` and store nothing: the request never
    reaches the moderators' list, so nobody outside the network can be let in by mistake."""
    group_actor = space.the_space().actor
    follow = {
        "id": ctx.activity.get("id"),
        "type": "Follow",
        "actor": actor_uri(ctx.actor),
        "object": actor_uri(group_actor),
    }
    reject = activities.reject(actor_uri(group_actor), follow, id=new_activity_id("reject"))
    send_activity(group_actor, reject, recipients=[ctx.actor])
    log.info("refused %s joining the exchange space: not of the network", ctx.actor.uri)
    return True


def inbound_handlers() -> list[InboundHandler]:
    return [InboundHandler("Follow", refuse_join, when=_refused_follow)]


def remote_group_visibilities(group_actor: Any) -> list[str] | None:
    return space.remote_space_visibilities(group_actor)


def may_fetch_post(signer: Any, post: Any) -> bool:
    return space.may_fetch(signer, post)
