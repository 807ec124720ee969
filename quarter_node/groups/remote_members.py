"""Members on other servers: people who joined a group by following its actor (FEP-1b12).

A remote person cannot hold a ``Membership`` row (there is no local account behind it);
following the group actor is how they join, and the group Announces its posts to its
followers. Groups that vet members (join on request, or members-only) receive such follows
as pending requests that the group's owners and moderators answer here, next to the local
join requests; accepting or refusing sends ``Accept``/``Reject`` from the group actor
through the follow signals.
"""

from __future__ import annotations

from flask_babel import gettext as _

from quarter_node.accounts.models import Actor, User
from quarter_node.errors import NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import Group
from quarter_node.groups.permissions import is_group_moderator
from quarter_node.social import services as social
from quarter_node.social.models import Follow, FollowState


def pending_remote_requests(group: Group) -> list[Follow]:
    """People on other servers waiting to join ``group``, oldest first."""
    return list(
        db.session.scalars(
            db.select(Follow)
            .join(Actor, Follow.follower_id == Actor.id)
            .where(
                Follow.followed_id == group.actor_id,
                Follow.state == FollowState.PENDING,
                Actor.domain != "",
            )
            .order_by(Follow.created_at, Follow.id)
        )
    )


def answer_remote_request(
    moderator: User | None, group: Group, follow_id: int, *, accept: bool
) -> Actor:
    """Let a remote person into the group, or refuse them; only the group's moderators may."""
    if not is_group_moderator(moderator, group):
        raise PermissionDenied(_("Only the group's moderators can do this."))
    request = db.session.get(Follow, follow_id)
    if (
        request is None
        or request.followed_id != group.actor_id
        or request.state != FollowState.PENDING
        or request.follower.is_local
    ):
        raise NotFound(_("There is no follow request to answer."))
    follower = request.follower
    if accept:
        social.accept_follow(follower, group.actor)
    else:
        social.reject_follow(follower, group.actor)
    return follower
