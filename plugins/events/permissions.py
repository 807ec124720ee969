"""Who may create and change events (the services ask; pages use it to show buttons)."""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import Role, is_group_member, is_group_moderator

from .models import Event


def _active(user: Any) -> bool:
    return user is not None and user.is_active


def can_create_event(user: Any, group: Any = None) -> bool:
    """Members create their own events; group events are for the group's members (those
    who may post in it)."""
    if not _active(user):
        return False
    return group is None or is_group_member(user, group)


def can_edit_event(user: Any, event: Event) -> bool:
    """The organiser (the person, or for group events the group's moderators), whoever
    created it, and node moderators. Events from elsewhere are changed at their source."""
    if not _active(user) or event.deleted_at is not None or not event.is_local:
        return False
    if user.has_role(Role.MODERATOR):
        return True
    if user.actor_id in (event.organizer_id, event.created_by_id):
        return True
    return event.group is not None and is_group_moderator(user, event.group)
