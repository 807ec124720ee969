"""Network activities arriving at the instance actor, both roles (``quarter_inbound_handlers``).

Coordination node: ``Join`` (an application) and ``Leave`` addressed to its instance actor.
Quarter node: the coordination node's ``Accept``/``Reject`` of our ``Join``, its ``Follow``
of our instance actor, and its ``Add``/``Remove`` notices. Each handler first checks the
sender: only the coordination node we applied to may answer, only instance actors join.
"""

from __future__ import annotations

from quarter_node.plugin_api import (
    HandlerContext,
    InboundHandler,
    accept_instance_follower,
    actor_uri,
    instance_actor,
)

from . import directory_sync, membership, registry
from .models import MembershipStatus, NetworkMembership
from .queries import current_membership
from .settings import is_coordination

APPLICATION_KIND = "application"


def _to_our_instance_actor(ctx: HandlerContext) -> bool:
    return ctx.object_id == actor_uri(instance_actor())


def _application(ctx: HandlerContext) -> bool:
    return (
        is_coordination()
        and _to_our_instance_actor(ctx)
        and str(ctx.actor.kind) == APPLICATION_KIND
    )


def on_join(ctx: HandlerContext) -> bool:
    return registry.receive_application(ctx.actor, ctx.activity)


def on_leave(ctx: HandlerContext) -> bool:
    return registry.member_left(ctx.actor)


# --- quarter side ---------------------------------------------------------------------------


def _our_membership(ctx: HandlerContext) -> NetworkMembership | None:
    """Our open membership, when ``ctx`` comes from its coordination node."""
    if is_coordination():
        return None
    found = current_membership()
    return found if found is not None and found.coordination_uri == ctx.actor.uri else None


def _answers_our_join(ctx: HandlerContext) -> bool:
    found = _our_membership(ctx)
    return found is not None and ctx.object_id == found.application_uri


def on_accept(ctx: HandlerContext) -> bool:
    found = _our_membership(ctx)
    if found is None or found.status != MembershipStatus.PENDING:
        return False
    membership.approved(found, ctx.actor)
    directory_sync.sync_directory()
    return True


def on_reject(ctx: HandlerContext) -> bool:
    found = _our_membership(ctx)
    if found is None:
        return False
    pending = found.status == MembershipStatus.PENDING
    membership.end_membership(
        found, MembershipStatus.DECLINED if pending else MembershipStatus.LEFT
    )
    return True


def _follow_from_coordination(ctx: HandlerContext) -> bool:
    return _our_membership(ctx) is not None and _to_our_instance_actor(ctx)


def on_follow(ctx: HandlerContext) -> bool:
    accept_instance_follower(ctx.activity, ctx.actor)
    return True


def _notice(ctx: HandlerContext) -> bool:
    found = _our_membership(ctx)
    return found is not None and found.status == MembershipStatus.APPROVED


def on_notice(ctx: HandlerContext) -> bool:
    return directory_sync.sync_directory() is not None


HANDLERS = [
    InboundHandler("Join", on_join, when=_application),
    InboundHandler("Leave", on_leave, when=_application),
    InboundHandler("Accept", on_accept, when=_answers_our_join),
    InboundHandler("Reject", on_reject, when=_answers_our_join),
    InboundHandler("Follow", on_follow, when=_follow_from_coordination),
    InboundHandler("Add", on_notice, when=_notice),
    InboundHandler("Remove", on_notice, when=_notice),
]
