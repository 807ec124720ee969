"""Follow, Accept and Reject of follows, and Undo of a Follow."""

from __future__ import annotations

from typing import Any

from federation import activities
from federation import vocabulary as v
from federation.readers import id_of, types_of
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import ingest, policy, urls
from quarter_node.activitypub.handlers import Context, register, register_undo
from quarter_node.extensions import db
from quarter_node.groups.models import (
    GroupRole,
    GroupVisibility,
    JoinMode,
    Membership,
    MembershipState,
)
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.social.blocks import block_of
from quarter_node.social.models import Follow, FollowState
from quarter_node.social.services import follow_between as _follow_between


def _needs_approval(target: Actor, follower: Actor) -> bool:
    """Locked people approve followers; groups that vet members vet remote members too;
    followers from a server the admins limited always wait for approval."""
    if policy.host_limited(follower.domain):
        return True
    group = ingest.group_of(target)
    if group is not None:
        return (
            group.join_mode == JoinMode.REQUEST or group.visibility == GroupVisibility.MEMBERS_ONLY
        )
    return target.manually_approves_followers


def _approvers(target: Actor) -> list[Actor]:
    """Who decides about a follow: the person, or the group's owners and moderators."""
    group = ingest.group_of(target)
    if group is None:
        return [target]
    memberships = db.session.scalars(
        db.select(Membership).where(
            Membership.group_id == group.id,
            Membership.state == MembershipState.ACTIVE,
            Membership.role.in_([GroupRole.OWNER, GroupRole.MODERATOR]),
        )
    )
    return [m.actor for m in memberships]


def send_accept(target: Actor, request: dict[str, Any], follower: Actor) -> None:
    """Answer a Follow with an Accept embedding it (what Mastodon matches on)."""
    from quarter_node.activitypub import outbox

    accept = activities.accept(
        urls.actor_uri(target), _request_copy(request), id=outbox.new_activity_uri("accept")
    )
    outbox.send(target, accept, recipients=[follower])


def send_reject(target: Actor, request: dict[str, Any], follower: Actor) -> None:
    """Refuse a Follow, embedding it as the Accept does."""
    from quarter_node.activitypub import outbox

    reject = activities.reject(
        urls.actor_uri(target), _request_copy(request), id=outbox.new_activity_uri("reject")
    )
    outbox.send(target, reject, recipients=[follower])


def _request_copy(request: dict[str, Any]) -> dict[str, Any]:
    return {key: request[key] for key in ("id", "type", "actor", "object") if key in request}


@register(v.FOLLOW)
def follow(ctx: Context) -> bool:
    target = ingest.local_actor(ctx.object_id)
    if target is None or target.kind == ActorKind.APPLICATION or target.suspended_at:
        return False
    if block_of(target, ctx.actor) is not None:
        send_reject(target, ctx.activity, ctx.actor)  # blocked accounts may not follow
        return True
    existing = _follow_between(ctx.actor, target)
    if existing is not None:
        existing.uri = str(ctx.activity["id"])
        if existing.state == FollowState.ACCEPTED:
            send_accept(target, ctx.activity, ctx.actor)  # the peer may have missed it
        return True
    locked = _needs_approval(target, ctx.actor)
    state = FollowState.PENDING if locked else FollowState.ACCEPTED
    db.session.add(
        Follow(follower=ctx.actor, followed=target, state=state, uri=str(ctx.activity["id"]))
    )
    db.session.flush()
    kind = NotificationKind.FOLLOW_REQUEST if locked else NotificationKind.FOLLOW
    for approver in _approvers(target) if locked else [target]:
        notify(approver, kind, actor=ctx.actor, group_id=_group_id(target))
    if not locked:
        send_accept(target, ctx.activity, ctx.actor)
    return True


def _group_id(target: Actor) -> int | None:
    group = ingest.group_of(target)
    return group.id if group else None


def _our_follow(ctx: Context) -> Follow | None:
    """The follow request an Accept/Reject answers: by its id, else by the actor pair."""
    request = ctx.object
    request_id = id_of(request)
    if request_id:
        found = db.session.scalar(db.select(Follow).where(Follow.uri == request_id))
        if found is not None:
            return found if found.followed_id == ctx.actor.id else None
    if isinstance(request, dict) and v.FOLLOW in types_of(request):
        follower = ingest.local_actor(id_of(request.get("actor")))
        if follower is not None and id_of(request.get("object")) == ctx.actor.uri:
            return _follow_between(follower, ctx.actor)
    return None


def _is_follow_answer(ctx: Context) -> bool:
    return not ctx.object_types or v.FOLLOW in ctx.object_types


@register(v.ACCEPT, when=_is_follow_answer)
def accept(ctx: Context) -> bool:
    found = _our_follow(ctx)
    if found is None or not found.follower.is_local:
        return False
    if found.state == FollowState.ACCEPTED:
        return False
    found.state = FollowState.ACCEPTED
    return True


@register(v.REJECT, when=_is_follow_answer)
def reject(ctx: Context) -> bool:
    found = _our_follow(ctx)
    if found is None or not found.follower.is_local:
        return False
    db.session.delete(found)
    return True


@register_undo(v.FOLLOW)
def undo_follow(ctx: Context) -> bool:
    """The remote actor stops following one of ours."""
    undone = ctx.object
    found = db.session.scalar(db.select(Follow).where(Follow.uri == id_of(undone)))
    if found is None and isinstance(undone, dict):
        target = ingest.local_actor(id_of(undone.get("object")))
        found = _follow_between(ctx.actor, target) if target is not None else None
    if found is None or found.follower_id != ctx.actor.id:
        return False
    db.session.delete(found)
    return True
