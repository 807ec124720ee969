"""Read-only questions about groups that pages and other services ask: finding a group or a
resident by handle, and who is (or wants to be) in a group."""

from __future__ import annotations

from flask_babel import gettext as _

from quarter_node.accounts.models import AccountState, Actor, ActorKind, ActorTombstone, User
from quarter_node.errors import Gone, NotFound
from quarter_node.extensions import db
from quarter_node.groups.models import (
    Group,
    GroupRole,
    GroupVisibility,
    Membership,
    MembershipState,
)
from quarter_node.groups.permissions import active_member_group_ids

# --- lookups --------------------------------------------------------------------------------


def find_group(handle: str) -> Group | None:
    """The local group with this handle, if there is one."""
    return db.session.scalar(
        db.select(Group)
        .join(Actor, Group.actor_id == Actor.id)
        .where(Actor.handle == handle.lower(), Actor.domain == "")
    )


def get_group(handle: str) -> Group:
    """The local group with this handle; 404 for anything else (persons, remote actors)."""
    group = find_group(handle)
    if group is None:
        if db.session.scalar(
            db.select(ActorTombstone.id).where(ActorTombstone.handle == handle.lower())
        ):
            raise Gone(_("This group has been deleted."))
        raise NotFound(_("There is no group with this name."))
    return group


def get_local_person(handle: str) -> Actor:
    """An active local resident by handle (whom one may invite, promote or remove)."""
    actor = db.session.scalar(
        db.select(Actor).where(
            Actor.handle == handle.strip().lstrip("@").lower(),
            Actor.domain == "",
            Actor.kind == ActorKind.PERSON,
        )
    )
    if actor is None or actor.user is None or actor.user.state != AccountState.ACTIVE:
        raise NotFound(_("There is no member with this handle."))
    return actor


def handle_is_taken(handle: str) -> bool:
    """Persons and groups share one namespace (WebFinger finds both as @handle@node); a
    deleted one's handle stays reserved for a while (see ``ActorTombstone``)."""
    living = db.select(Actor.id).where(Actor.handle == handle, Actor.domain == "")
    buried = db.select(ActorTombstone.id).where(ActorTombstone.handle == handle)
    return db.session.scalar(living) is not None or db.session.scalar(buried) is not None


# --- queries the pages use ------------------------------------------------------------------


def active_memberships(group: Group) -> list[Membership]:
    """Active members, owners first, then moderators, then by name."""
    return _memberships(group, MembershipState.ACTIVE)


def pending_requests(group: Group) -> list[Membership]:
    return _memberships(group, MembershipState.REQUESTED)


def pending_invitations(group: Group) -> list[Membership]:
    return _memberships(group, MembershipState.INVITED)


def group_moderator_actors(group: Group) -> list[Actor]:
    """Who hears about join requests: the group's own owners and moderators."""
    return [m.actor for m in active_memberships(group) if m.role.rank >= GroupRole.MODERATOR.rank]


def _memberships(group: Group, state: MembershipState) -> list[Membership]:
    rows = db.session.scalars(
        db.select(Membership)
        .join(Actor, Membership.actor_id == Actor.id)
        .where(Membership.group_id == group.id, Membership.state == state)
        .order_by(Actor.display_name, Actor.handle)
    )
    return sorted(rows, key=lambda m: -m.role.rank)


def all_groups_query():  # noqa: ANN201  (a Select[Group])
    """Every local group by name. Members-only groups are listed too: their name and
    description are public so people can find them and ask to join."""
    return (
        db.select(Group)
        .join(Actor, Group.actor_id == Actor.id)
        .where(Actor.domain == "")
        .order_by(db.func.lower(Actor.display_name), Actor.handle)
    )


def groups_shown_on_profile(person: Actor, viewer: User | None) -> list[Group]:
    """The groups a person is in that ``viewer`` may know about: public groups and the
    members-only groups the viewer belongs to as well."""
    shared = active_member_group_ids(viewer if viewer is not None and viewer.is_active else None)
    visible = Group.visibility == GroupVisibility.PUBLIC
    if shared:
        visible = db.or_(visible, Group.id.in_(shared))
    return list(
        db.session.scalars(
            db.select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .join(Actor, Group.actor_id == Actor.id)
            .where(
                Membership.actor_id == person.id,
                Membership.state == MembershipState.ACTIVE,
                visible,
            )
            .order_by(db.func.lower(Actor.display_name))
        )
    )
