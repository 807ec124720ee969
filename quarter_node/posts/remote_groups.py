"""Writing into a group on another server (FEP-1b12): the rules of ``publish_post(to_group=)``.

A member of this node joins a remote group by following its actor. A post for that group is
addressed to the group actor (stored as a ``PostAddressee``, federated with ``audience`` set
to the group); the group's server checks the membership and Announces it to all members.
Its members on other servers fetch the post from here, so it must be visible to them: only
public or unlisted posts can go to a remote group, unless a plugin
(``quarter_remote_group_visibilities``) knows which servers may fetch the group's posts and
offers "only the group's members": such a post is stored as DIRECT, addressed to the group
alone, exactly as a members-only group's posts arrive here. A post that came to us through a remote
group is marked the same way (``activitypub.ingest``), so that replies in its thread are
addressed to the group, which relays them to all members.
"""

from __future__ import annotations

from flask_babel import gettext as _

from quarter_node.accounts.models import Actor, ActorKind, User
from quarter_node.activitypub.models import PostAddressee
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.models import Follow, FollowState

OFFERED_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED)
ALLOWED_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.GROUP)


def find_remote_group(actor_id: int | str | None) -> Actor:
    """The remote group actor with this id, or 404."""
    actor = db.session.get(Actor, int(actor_id)) if str(actor_id or "").isdigit() else None
    if actor is None or actor.is_local or actor.kind != ActorKind.GROUP:
        raise NotFound(_("This group is not known here."))
    return actor


def is_member_of(user: User, group_actor: Actor) -> bool:
    """Following a remote group, accepted by it, is being its member."""
    return (
        db.session.scalar(
            db.select(Follow.id).where(
                Follow.follower_id == user.actor_id,
                Follow.followed_id == group_actor.id,
                Follow.state == FollowState.ACCEPTED,
            )
        )
        is not None
    )


def offered_visibilities(group_actor: Actor) -> list[Visibility]:
    """The choices for a post into ``group_actor``: the first plugin's answer, else public
    or unlisted (what members on third servers can fetch without help)."""
    from quarter_node.plugins.wiring import call_hook

    for answer in call_hook("quarter_remote_group_visibilities", group_actor=group_actor):
        offered = [Visibility(value) for value in answer or ()]
        offered = [value for value in offered if value in ALLOWED_VISIBILITIES]
        if offered:
            return offered
    return list(OFFERED_VISIBILITIES)


def checked_visibility(user: User, group_actor: Actor, requested: Visibility | str | None):  # noqa: ANN201
    """The visibility of a post into ``group_actor``; refuses non-members and choices not
    offered. "Only the group's members" is stored as DIRECT, addressed to the group."""
    if not is_member_of(user, group_actor):
        raise PermissionDenied(_("Only members of this group can post in it."))
    offered = offered_visibilities(group_actor)
    try:
        visibility = Visibility(requested) if requested else offered[0]
    except ValueError:
        visibility = None
    if visibility not in offered:
        if offered == list(OFFERED_VISIBILITIES):
            raise InvalidInput(_("Posts into a group on another server are public or unlisted."))
        raise InvalidInput(_("Please choose who can see the post."))
    return Visibility.DIRECT if visibility == Visibility.GROUP else visibility


def remote_group_of(post: Post | None) -> Actor | None:
    """The group on another server ``post`` was written into (its thread belongs there)."""
    if post is None:
        return None
    return db.session.scalar(
        db.select(Actor)
        .join(PostAddressee, PostAddressee.actor_id == Actor.id)
        .where(PostAddressee.post_id == post.id, Actor.kind == ActorKind.GROUP, Actor.domain != "")
        .limit(1)
    )


def address_to_group(post: Post, group_actor: Actor | None) -> None:
    """Mark ``post`` as written into ``group_actor`` (a reply goes to the group, too)."""
    if group_actor is None or remote_group_of(post) is not None:
        return
    db.session.add(PostAddressee(post_id=post.id, actor_id=group_actor.id))
    db.session.flush()
