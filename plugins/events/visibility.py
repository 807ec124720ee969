"""Who sees which event, defined once in two forms kept in agreement by a test.

``visible_events_filter(user)`` is the SQL condition every listing starts from;
``can_view_event(user, event)`` decides for one event (its page, its picture). Public events
are for everybody, ``members`` events for people with an account on this node, ``group``
events for the group's active members. Organisers always see their own events and node
moderators see everything (they must be able to act on reports). Deleted events are gone,
and so, for everybody else, are the events of suspended organisers; member blocks keep two
people's events apart in both directions, as they keep their posts apart.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_

from quarter_node.plugin_api import (
    Actor,
    Role,
    blocked_either_way,
    blocked_either_way_filter,
    is_group_member,
    member_group_ids,
)

from .models import Event, EventVisibility


def _is_member(user: Any) -> bool:
    return user is not None and user.is_active


def visible_events_filter(user: Any, group_ids: list[int] | None = None) -> ColumnElement[bool]:
    """SQL condition: the events ``user`` (None for visitors) may see. ``group_ids`` are
    ``user``'s groups (``member_group_ids``) when the caller has read them already."""
    not_deleted = Event.deleted_at.is_(None)
    if _is_member(user) and user.has_role(Role.MODERATOR):
        return not_deleted
    organizer_suspended = exists().where(
        Actor.id == Event.organizer_id, Actor.suspended_at.is_not(None)
    )
    shown = and_(not_deleted, ~organizer_suspended)
    if not _is_member(user):
        return and_(shown, Event.visibility == EventVisibility.PUBLIC)
    if group_ids is None:
        group_ids = member_group_ids(user)
    in_my_groups = Event.group_id.in_(group_ids) if group_ids else false()
    return and_(
        shown,
        ~blocked_either_way_filter(user.actor_id, Event.organizer_id),
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
    if _is_member(user) and user.has_role(Role.MODERATOR):
        return True
    if event.organizer.suspended_at is not None:
        return False
    if _is_member(user) and blocked_either_way(user.actor_id, event.organizer_id):
        return False
    if event.visibility == EventVisibility.PUBLIC:
        return True
    if not _is_member(user):
        return False
    if user.actor_id in (event.organizer_id, event.created_by_id):
        return True
    if event.visibility == EventVisibility.MEMBERS:
        return True
    return event.group is not None and is_group_member(user, event.group)
