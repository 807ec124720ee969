"""Groups: creating and running initiatives, interest groups and house communities.

One function per use case. Each checks who may do it (node moderators count as group
moderators, node admins as owners: see ``permissions.acting_group_role``), changes the rows
and commits once, so a refused request never leaves half a change behind.
"""

from __future__ import annotations

import enum
import re
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from quarter_node import signals
from quarter_node.accounts.models import Actor, ActorKind, User
from quarter_node.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import (
    Group,
    GroupRole,
    GroupVisibility,
    JoinMode,
    Membership,
    MembershipState,
)
from quarter_node.groups.permissions import (
    acting_group_role,
    is_group_moderator,
    is_group_owner,
    membership_of,
)
from quarter_node.groups.queries import active_memberships, group_moderator_actors, handle_is_taken
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify

HANDLE_PATTERN = re.compile(r"[a-z0-9_]{3,30}")
MAX_DISPLAY_NAME = 100
MAX_DESCRIPTION = 2000
# Handles that would clash with fixed addresses (/groups/new) or impersonate the node's team.
RESERVED_HANDLES = frozenset(
    {"new", "admin", "administrator", "moderator", "moderation", "root", "system", "support"}
)

E = TypeVar("E", bound=enum.StrEnum)


# --- creating and editing -------------------------------------------------------------------


def create_group(
    user: User | None,
    handle: str,
    display_name: str,
    description: str,
    visibility: str,
    join_mode: str,
) -> Group:
    """Any active member may found a group and becomes its first owner."""
    _require_active(user)
    handle = _valid_handle(handle)
    display_name, description = _valid_texts(display_name, description)
    group = Group(
        actor=Actor(
            kind=ActorKind.GROUP, handle=handle, display_name=display_name, bio=description
        ),
        visibility=_choice(GroupVisibility, visibility),
        join_mode=_choice(JoinMode, join_mode),
    )
    group.memberships.append(
        Membership(actor_id=user.actor_id, role=GroupRole.OWNER, state=MembershipState.ACTIVE)
    )
    db.session.add(group)
    _commit(_l("This handle is already taken. Please choose another one."))
    return group


def update_group(
    user: User | None,
    group: Group,
    *,
    display_name: str,
    description: str,
    visibility: str,
    join_mode: str,
) -> Group:
    """Group moderators edit the group. Opening a members-only group to everybody would
    reveal what members wrote for each other, so only owners may change who can see it."""
    _require_group_moderator(user, group)
    new_visibility = _choice(GroupVisibility, visibility)
    if new_visibility != group.visibility and not is_group_owner(user, group):
        raise PermissionDenied(_("Only the group's owners can change who can see the group."))
    group.actor.display_name, group.actor.bio = _valid_texts(display_name, description)
    group.visibility = new_visibility
    group.join_mode = _choice(JoinMode, join_mode)
    signals.actor_updated.send(group.actor)
    db.session.commit()
    return group


def set_group_avatar(
    user: User | None, group: Group, file_storage: FileStorage, alt_text: str = ""
) -> None:
    """Replace the group's picture (the media service checks and stores the image)."""
    from quarter_node.media.services import store_image

    _require_group_moderator(user, group)
    try:
        store_image(file_storage, owner=group.actor, purpose="avatar", alt_text=alt_text)
        signals.actor_updated.send(group.actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def delete_group(user: User | None, group: Group) -> None:
    """Owners (or node admins) delete a group with its posts and memberships. Its actor goes
    too, so follows of the group end; like a deleted account it leaves a tombstone that
    tells other servers and keeps the handle reserved for a while."""
    if not is_group_owner(user, group):
        raise PermissionDenied(_("Only the group's owners can delete it."))
    _delete_group_images(group)
    _announce_deleted_posts(group)
    actor = group.actor
    signals.actor_deleted.send(actor)
    db.session.delete(group)
    db.session.flush()
    db.session.delete(actor)
    db.session.commit()


def _announce_deleted_posts(group: Group) -> None:
    """The group's posts go with it (by cascade). Servers that received them are told post
    by post, as when an author deletes one: the group's own Delete removes only the group
    and its Announces there, not the posts its members wrote."""
    from quarter_node.posts.models import Post

    for post in db.session.scalars(
        db.select(Post).where(Post.group_id == group.id, Post.deleted_at.is_(None))
    ):
        signals.post_deleted.send(post)


def _delete_group_images(group: Group) -> None:
    """The database cascade would drop the rows without their files; going through the
    media service removes the files once the deletion is committed."""
    from quarter_node.media.models import Media
    from quarter_node.media.services import delete_files_of, delete_media
    from quarter_node.posts.models import Post

    delete_files_of(group.actor)
    in_group_posts = db.select(Post.id).where(Post.group_id == group.id)
    for media in db.session.scalars(db.select(Media).where(Media.post_id.in_(in_group_posts))):
        delete_media(media)


# --- joining and leaving --------------------------------------------------------------------


def join_group(user: User | None, group: Group) -> Membership:
    """Open groups take members at once; others receive a request their moderators answer.
    Somebody who was invited simply joins."""
    _require_active(user)
    membership = membership_of(user.actor, group)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise Conflict(_("You are already a member of this group."))
    if membership is not None and membership.state == MembershipState.INVITED:
        return _activate(membership)
    if group.join_mode == JoinMode.OPEN:
        membership = membership or _new_membership(group, user.actor)
        return _activate(membership)
    if membership is not None:
        raise Conflict(_("You have already asked to join. The group's moderators will decide."))
    membership = _new_membership(group, user.actor, MembershipState.REQUESTED)
    for moderator in group_moderator_actors(group):
        notify(moderator, NotificationKind.JOIN_REQUEST, actor=user.actor, group_id=group.id)
    _commit(_l("You have already asked to join. The group's moderators will decide."))
    return membership


def leave_group(user: User | None, group: Group) -> None:
    """Leave the group, withdraw one's request or turn down an invitation. The last owner
    must hand the group over first, so no group is left without anybody to run it."""
    if user is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    membership = membership_of(user.actor, group)
    if membership is None:
        raise Conflict(_("You are not a member of this group."))
    if _is_last_owner(membership) and len(active_memberships(group)) > 1:
        raise Conflict(
            _(
                "You are the last owner of this group. Make another member an owner "
                "before you leave."
            )
        )
    db.session.delete(membership)
    db.session.commit()


def accept_request(moderator: User | None, group: Group, person: Actor) -> Membership:
    _require_group_moderator(moderator, group)
    return _activate(_membership_in_state(group, person, MembershipState.REQUESTED))


def decline_request(moderator: User | None, group: Group, person: Actor) -> None:
    _require_group_moderator(moderator, group)
    db.session.delete(_membership_in_state(group, person, MembershipState.REQUESTED))
    db.session.commit()


def invite_to_group(moderator: User | None, group: Group, person: Actor) -> Membership:
    """Group moderators invite residents; the invitee accepts or declines. Somebody who had
    already asked to join is simply let in."""
    _require_group_moderator(moderator, group)
    if person.kind != ActorKind.PERSON or person.user is None:
        raise NotFound(_("There is no member with this handle."))
    membership = membership_of(person, group)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise Conflict(_("%(name)s is already a member of this group.", name=person.name))
    if membership is not None and membership.state == MembershipState.INVITED:
        raise Conflict(_("%(name)s has already been invited.", name=person.name))
    if membership is not None:
        return _activate(membership)
    membership = _new_membership(group, person, MembershipState.INVITED)
    notify(person, NotificationKind.GROUP_INVITE, actor=moderator.actor, group_id=group.id)
    _commit(_l("%(name)s has already been invited.", name=person.name))
    return membership


def accept_invitation(user: User | None, group: Group) -> Membership:
    _require_active(user)
    return _activate(_membership_in_state(group, user.actor, MembershipState.INVITED))


def decline_invitation(user: User | None, group: Group) -> None:
    if user is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    db.session.delete(_membership_in_state(group, user.actor, MembershipState.INVITED))
    db.session.commit()


# --- roles ----------------------------------------------------------------------------------


def set_member_role(user: User | None, group: Group, person: Actor, role: str) -> Membership:
    """Owners make members moderators or co-owners and back; a group always keeps an owner."""
    if not is_group_owner(user, group):
        raise PermissionDenied(_("Only the group's owners can change roles."))
    new_role = _choice(GroupRole, role)
    membership = _membership_in_state(group, person, MembershipState.ACTIVE)
    if _is_last_owner(membership) and new_role != GroupRole.OWNER:
        raise Conflict(_("A group needs an owner. Make another member an owner first."))
    membership.role = new_role
    db.session.commit()
    return membership


def remove_member(user: User | None, group: Group, person: Actor) -> None:
    """Group moderators remove members (or withdraw invitations); only owners remove
    moderators and owners."""
    acting = acting_group_role(user, group)
    if acting is None or acting.rank < GroupRole.MODERATOR.rank:
        raise PermissionDenied(_("Only the group's moderators can remove members."))
    membership = membership_of(person, group)
    if membership is None or membership.state == MembershipState.REQUESTED:
        raise NotFound(_("This person is not a member of this group."))
    if person.id == user.actor_id:
        raise InvalidInput(_("To leave the group yourself, use “Leave group”."))
    if acting != GroupRole.OWNER and membership.role.rank >= acting.rank:
        raise PermissionDenied(_("Group moderators cannot remove owners or other moderators."))
    if _is_last_owner(membership):
        raise Conflict(_("A group needs an owner. Make another member an owner first."))
    db.session.delete(membership)
    db.session.commit()


# --- helpers --------------------------------------------------------------------------------


def _require_active(user: User | None) -> None:
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_group_moderator(user: User | None, group: Group) -> None:
    if not is_group_moderator(user, group):
        raise PermissionDenied(_("Only the group's moderators can do this."))


def _valid_handle(handle: str) -> str:
    handle = (handle or "").strip().lower()
    if not HANDLE_PATTERN.fullmatch(handle):
        raise InvalidInput(
            _("A handle has 3 to 30 characters: lower-case letters, digits and “_”.")
        )
    if handle in RESERVED_HANDLES or handle_is_taken(handle):
        raise Conflict(_("This handle is already taken. Please choose another one."))
    return handle


def _valid_texts(display_name: str, description: str) -> tuple[str, str]:
    display_name, description = (display_name or "").strip(), (description or "").strip()
    if not display_name:
        raise InvalidInput(_("Please give the group a name."))
    if len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidInput(_("The name may have at most %(n)d characters.", n=MAX_DISPLAY_NAME))
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("The description may have at most %(n)d characters.", n=MAX_DESCRIPTION)
        )
    return display_name, description


def _choice(enum_class: type[E], value: Any) -> E:
    try:
        return enum_class(value)
    except ValueError:
        raise InvalidInput(_("Please choose one of the offered options.")) from None


def _new_membership(
    group: Group, actor: Actor, state: MembershipState = MembershipState.ACTIVE
) -> Membership:
    membership = Membership(group_id=group.id, actor_id=actor.id, role=GroupRole.MEMBER)
    membership.state = state
    db.session.add(membership)
    return membership


def _activate(membership: Membership) -> Membership:
    membership.state = MembershipState.ACTIVE
    _commit(_l("You are already a member of this group."))
    return membership


def _membership_in_state(group: Group, actor: Actor, state: MembershipState) -> Membership:
    """The row a request, invitation or role change is about; 404 when it is not (or no
    longer) there, e.g. a request already answered by another moderator."""
    membership = membership_of(actor, group)
    if membership is None or membership.state != state:
        raise NotFound(_NOT_FOUND_MESSAGES[state]())
    return membership


_NOT_FOUND_MESSAGES = {
    MembershipState.REQUESTED: lambda: _("There is no open request from this person."),
    MembershipState.INVITED: lambda: _("There is no open invitation to this group."),
    MembershipState.ACTIVE: lambda: _("This person is not a member of this group."),
}


def _is_last_owner(membership: Membership) -> bool:
    if membership.state != MembershipState.ACTIVE or membership.role != GroupRole.OWNER:
        return False
    owners = [m for m in active_memberships(membership.group) if m.role == GroupRole.OWNER]
    return len(owners) == 1


def _commit(conflict_message: Any) -> None:
    """Commit; a unique constraint hit (two clicks at once, a handle taken meanwhile) is a
    conflict with a message, not a server error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(str(conflict_message)) from None
