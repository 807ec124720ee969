"""How the viewer stands to a group, summed up once for the group pages' buttons and tabs.

The pages only mirror these answers; the services check the rules again on every action.
"""

from __future__ import annotations

from dataclasses import dataclass

from quarter_node.accounts.models import User
from quarter_node.groups.models import Group, MembershipState
from quarter_node.groups.permissions import (
    can_see_group_content,
    is_group_moderator,
    is_group_owner,
    membership_of,
)
from quarter_node.social.services import follow_between


@dataclass(frozen=True)
class GroupState:
    """What the viewer is to the group; the pages show buttons and sections from it."""

    membership_state: MembershipState | None
    can_see_content: bool
    is_moderator: bool
    is_owner: bool
    follows: bool

    @property
    def is_member(self) -> bool:
        return self.membership_state == MembershipState.ACTIVE

    @property
    def is_invited(self) -> bool:
        return self.membership_state == MembershipState.INVITED

    @property
    def has_requested(self) -> bool:
        return self.membership_state == MembershipState.REQUESTED


def group_state(viewer: User | None, group: Group) -> GroupState:
    membership = membership_of(viewer.actor if viewer else None, group)
    return GroupState(
        membership_state=membership.state if membership else None,
        can_see_content=can_see_group_content(viewer, group),
        is_moderator=is_group_moderator(viewer, group),
        is_owner=is_group_owner(viewer, group),
        follows=viewer is not None and follow_between(viewer.actor, group.actor) is not None,
    )
