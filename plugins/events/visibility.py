"""Who sees which event, defined once in two forms kept in agreement by a test.

``visible_events_filter(user)`` is the SQL condition every listing starts from;
``can_view_event(user, event)`` decides for one event (its page, its picture). Public events
are for everybody, ``members`` events for people with an account on this node, ``group``
events for the group's active members. Organisers always see their own events and node
moderators see everything (they must be able to act on reports). Deleted events are gone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_

from quarter_node.plugin_api import Role, is_group_member, member_group_ids

from .models import Event, EventVisibility


def _is_member(user: Any) -> bool:
    return user is not None and user.is_active


def visible_events_filter(user: Any, group_ids: list[int] | None = None) -> ColumnElement[bool]:
    """SQL condition: the events ``user`` (None for visitors) may see. ``group_ids`` are
    ``user``'s groups (``member_group_ids``) when the caller has read them already."""
    not_deleted = Event.deleted_at.is_(None)
    if not _is_member(user):
        return and_(not_deleted, Event.visibility == EventVisibility.PUBLIC)
    if user.has_role(Role.MODERATOR):
        return not_deleted
    if group_ids is None:
        group_ids = member_group_ids(user)
    in_my_groups = Event.group_id.in_(group_ids) if group_ids else false()
    return and_(
        not_deleted,
        or_(
            Event.visibility.in_([EventVisibility.PUBLIC, EventVisibility.MEMBERS]),
            and_(Event.visibility == EventVisibility.GROUP, in_my_groups),
            Event.organizer_id == user.actor_id,
            Event.created_by_id == user.actor_id,
        ),
    )


def can_view_event(user: Any, event: Event) -> bool:
    """Whether ``user`` may see ``event`` (the single-object form of the filter above)."""
    if event.deleted_at is not None:
        return False
    if event.visibility == EventVisibility.PUBLIC:
        return True
    if not _is_member(user):
        return False
    if user.has_role(Role.MODERATOR) or user.actor_id in (event.organizer_id, event.created_by_id):
        return True
    if event.visibility == EventVisibility.MEMBERS:
        return True
    return event.group is not None and is_group_member(user, event.group)
