"""Events: neighbourhood events with dates, places, recurrence and a calendar.

This module only implements hooks; the plugin's parts live in its modules (models,
recurrence, services, queries, views, ...). It uses nothing of the node but
``quarter_node.plugin_api``, like any installed plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quarter_node.plugin_api import NavItem, SettingField, _l, hookimpl

from . import (  # noqa: F401  (tables, routes, jobs and ActivityPub views register on import)
    ap_views,
    edit_views,
    federation_in,
    federation_joins,
    federation_messages,
    feed_pages,
    feeds,
    figures,
    ical_models,
    jobs,
    models,
    notices,
    participation_models,
    reminders,
    search,
    signup_views,
    subscription_views,
    views,
)
from .blueprint import bp
from .categories import DEFAULT_CATEGORIES
from .map_places import map_places
from .timeline import timeline_entries

HERE = Path(__file__).resolve().parent


@hookimpl
def quarter_blueprints() -> list[Any]:
    return [bp]


@hookimpl
def quarter_navigation(user: Any) -> list[NavItem]:
    return [NavItem(_l("Events"), "events.index")]


@hookimpl
def quarter_group_tabs(group: Any, user: Any) -> list[NavItem]:
    return [NavItem(_l("Events"), "events.group_events", {"handle": group.actor.handle})]


@hookimpl
def quarter_home_teaser(user: Any) -> str:
    return views.home_teaser(user)


@hookimpl
def quarter_timeline_items(timeline: Any) -> list[Any]:
    return timeline_entries(timeline)


@hookimpl
def quarter_notification_text(notification: Any, viewer: Any) -> tuple[str, str | None] | None:
    return notices.describe(notification, viewer)


@hookimpl
def quarter_activity_records(since: Any) -> list[Any]:
    return figures.activity_records(since)


@hookimpl
def quarter_migrations_directory() -> Path:
    return HERE / "migrations"


@hookimpl
def quarter_translations_directory() -> Path:
    return HERE / "translations"


@hookimpl
def quarter_settings() -> list[SettingField]:
    return [
        SettingField(
            "categories",
            _l("Event categories"),
            default=DEFAULT_CATEGORIES,
            description=_l(
                "Comma-separated pairs of a short name for addresses and a label, "
                'e.g. "garten: Garten und Umwelt".'
            ),
        ),
        SettingField(
            "reminder_hours",
            _l("Reminder before an event (hours)"),
            default=24,
            description=_l(
                "How many hours before a date the people going are reminded (0: no reminders)."
            ),
        ),
        SettingField(
            "subscription_refresh_hours",
            _l("Refresh subscribed calendars every ... hours"),
            default=6,
            description=_l("How often calendars that groups subscribed to are fetched again."),
        ),
    ]


@hookimpl
def quarter_inbound_handlers() -> list[Any]:
    return [*federation_in.HANDLERS, *federation_joins.HANDLERS]


@hookimpl
def quarter_search_documents(obj: Any) -> list[Any]:
    return search.documents_for(obj)


@hookimpl
def quarter_search_all_documents() -> Any:
    return search.all_documents()


@hookimpl
def quarter_search_kinds(viewer: Any) -> list[Any]:
    return search.kinds(viewer)


@hookimpl
def quarter_map_places(viewer: Any) -> list[Any]:
    return map_places(viewer)


@hookimpl
def quarter_object_to_ap(obj: Any) -> dict[str, Any] | None:
    if isinstance(obj, models.Event) and obj.is_local:
        return ap_views.document_of(obj)
    return None
