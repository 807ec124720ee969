"""The small value types plugins return from their hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
    """What a search index keeps of one object: where it lives and the text to find it by."""

    url: str
    title: str
    text: str
