"""Handlers for received activities, registered by activity type.

``register("Follow")`` adds a handler; an optional ``when`` predicate lets several
handlers share a type (``Update`` of a Note vs. of a Person), the first match wins, and
plugins can add types the core does not know. ``register_undo("Like")`` does the same for
what an ``Undo`` takes back. A handler returns ``True`` when it changed something and
``False`` when there was nothing to do (the item is then marked IGNORED); it must be
idempotent, since peers deliver the same activity more than once.

Plugins that can be switched off at run time do not register once: ``add_source`` takes a
function returning the handlers to use right now (``InboundHandler``-like objects with
``activity_type``, ``handler``, ``when`` and ``undo``); they are asked before the core's.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from federation.readers import id_of, types_of
from quarter_node.accounts.models import Actor


@dataclass
class Context:
    """One activity to apply: its JSON, its (verified) remote actor, the inbox it reached."""

    activity: dict[str, Any]
    actor: Actor
    recipient: Actor | None = None

    @property
    def object(self) -> Any:
        return self.activity.get("object")

    @property
    def object_id(self) -> str | None:
        return id_of(self.activity.get("object"))

    @property
    def object_types(self) -> list[str]:
        return types_of(self.activity.get("object"))


Handler = Callable[[Context], bool]
Predicate = Callable[[Context], bool]

_handlers: dict[str, list[tuple[Predicate | None, Handler]]] = {}
_undo_handlers: dict[str, Handler] = {}
_sources: list[Callable[[], Iterable[Any]]] = []
_MODULES = (
    "instance_relay",
    "follows",
    "notes",
    "relays",
    "reactions",
    "actors",
    "flags",
)  # instance relay before the generic follows


def register(activity_type: str, *, when: Predicate | None = None) -> Callable[[Handler], Handler]:
    """Register ``fn`` for ``activity_type`` (optionally only when ``when(ctx)`` holds)."""

    def decorator(fn: Handler) -> Handler:
        _handlers.setdefault(activity_type, []).append((when, fn))
        return fn

    return decorator


def register_undo(undone_type: str) -> Callable[[Handler], Handler]:
    """Register the handler taking back an activity of ``undone_type``."""

    def decorator(fn: Handler) -> Handler:
        _undo_handlers[undone_type] = fn
        return fn

    return decorator


def add_source(source: Callable[[], Iterable[Any]]) -> None:
    """Ask ``source()`` for more handlers on every dispatch (once per source)."""
    if source not in _sources:
        _sources.append(source)


def find_handler(ctx: Context, *, plugins_only: bool = False) -> Handler | None:
    """The first registered handler that wants this activity, or ``None``
    (``plugins_only``: ask only the plugins' handlers)."""
    _load_builtin_handlers()
    extra = [h for source in _sources for h in source() if not h.undo]
    for activity_type in types_of(ctx.activity):
        candidates = [(h.when, h.handler) for h in extra if h.activity_type == activity_type]
        core = [] if plugins_only else _handlers.get(activity_type, [])
        for when, fn in candidates + core:
            if when is None or when(ctx):
                return fn
    return None


def undo_handler(undone_type: str) -> Handler | None:
    _load_builtin_handlers()
    for source in _sources:
        for extra in source():
            if extra.undo and extra.activity_type == undone_type:
                return extra.handler  # type: ignore[no-any-return]
    return _undo_handlers.get(undone_type)


def dispatch(ctx: Context) -> bool:
    """Apply the activity; ``False`` when nobody handles it or there was nothing to do."""
    handler = find_handler(ctx)
    return handler(ctx) if handler is not None else False


def _load_builtin_handlers() -> None:
    for name in _MODULES:
        importlib.import_module(f"{__name__}.{name}")
