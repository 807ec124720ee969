"""The small value types plugins return from their hooks."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, true


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation: ``url_for(endpoint, **values)`` labelled ``label``
    (pass a lazy string, ``_l("Events")``, so it follows the reader's language)."""

    label: Any
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SettingField:
    """One setting an admin edits. Its type follows ``default`` (``str``, ``int``, ``bool``)."""

    key: str
    label: Any
    default: str | int | bool = ""
    description: Any = ""


@dataclass(frozen=True)
class InboundHandler:
    """Applies received activities of ``activity_type`` (when ``when(ctx)`` holds) in the worker.

    ``handler(ctx)`` gets a ``HandlerContext`` and returns ``True`` when it changed something,
    ``False`` when there was nothing to do; it must be idempotent. With ``undo=True`` it takes
    back an activity of ``activity_type`` (the object of an ``Undo``).
    """

    activity_type: str
    handler: Callable[[Any], bool]
    when: Callable[[Any], bool] | None = None
    undo: bool = False


@dataclass(frozen=True)
class SearchDocument:
    """What the search index keeps of one object: where it lives and the text to find it by.

    ``kind`` and ``object_id`` make its key (``"event:42"``); ``created_at``, ``author_id``
    and ``group_id`` serve the search filters. Who may see the object is NOT stored: the
    owner answers that at search time (``SearchKind.visible``), so a changed audience needs
    no reindexing and nothing invisible is ever listed.
    """

    url: str
    title: str
    text: str
    kind: str = ""
    object_id: int = 0
    language: str | None = None
    created_at: datetime | None = None
    author_id: int | None = None
    group_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclass(frozen=True)
class SearchKind:
    """One kind of searchable object a plugin owns (``name`` as in its documents' ``kind``).

    ``visible(object_id_column)`` is the SQL condition that the object with that id exists
    and the viewer the hook was asked for may see it (an ``EXISTS`` over the plugin's table
    with its own visibility filter). ``param`` is the value of ``/search?type=``.
    """

    name: str
    param: str
    label: Any
    visible: Callable[[Any], ColumnElement[bool]]


class TimelineKind(enum.StrEnum):
    """The timelines a plugin may add entries to."""

    HOME = "home"  # a member's own: whom she follows, her groups, herself
    LOCAL = "local"  # the quarter: what was published on this node for everybody
    GROUP = "group"  # one group's page


@dataclass(frozen=True)
class TimelineWindow:
    """One page of a timeline as the core asks plugins about it.

    The page's posts cover the time range ``[older_bound, newer_bound)``; ``None`` leaves
    that end open (the first page has no newer bound, the last no older one). Consecutive
    pages' ranges meet without overlap, so an entry kept inside the range appears on exactly
    one page. ``viewer`` is the ``User`` reading (``None`` for visitors), ``group`` the
    ``Group`` of a group page.
    """

    kind: TimelineKind
    viewer: Any
    older_bound: datetime | None
    newer_bound: datetime | None
    limit: int
    group: Any = None

    def covers(self, at: datetime) -> bool:
        """Whether an entry at ``at`` belongs on this page."""
        if self.older_bound is not None and at < self.older_bound:
            return False
        return self.newer_bound is None or at < self.newer_bound

    def time_filter(self, column: Any) -> ColumnElement[bool]:
        """The SQL condition ``older_bound <= column < newer_bound`` (open ends left out)."""
        conditions = []
        if self.older_bound is not None:
            conditions.append(column >= self.older_bound)
        if self.newer_bound is not None:
            conditions.append(column < self.newer_bound)
        return and_(true(), *conditions)


@dataclass(frozen=True)
class TimelineEntry:
    """One thing a plugin shows in a timeline: sorted among the posts by ``at`` (an aware
    datetime, e.g. when the object was published), shown as ``html`` (Markup; escape
    whatever came from people, as templates do)."""

    at: datetime
    html: Any


@dataclass(frozen=True)
class MapPlace:
    """A place a plugin shows on maps (an event's venue, for example): ``title`` linking to
    ``url``, at ``latitude``/``longitude``. ``domain`` is the server the object comes from
    (``""`` for this node), so a network map can put it under its initiative; ``starts_at``
    orders places that are dates."""

    title: str
    url: str
    latitude: float
    longitude: float
    domain: str = ""
    starts_at: datetime | None = None


@dataclass(frozen=True)
class ActivityRecord:
    """One public thing that happened, for activity figures over time (the network
    dashboard): ``kind`` names it (``"event"``), ``at`` when it happened (aware), ``actor_id``
    who made it, ``domain`` that actor's server (``""`` for this node) and ``participants``
    how many people this node knows took part (0 where that means nothing)."""

    kind: str
    at: datetime
    actor_id: int
    domain: str
    participants: int = 0
