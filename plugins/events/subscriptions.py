"""Subscriptions to outside calendars: adding, removing and refreshing them.

A refresh is a conditional GET through the core's guarded HTTP client (``safe_http_get``;
loopback only in development mode), then parse, plan and apply in ONE transaction: the
calendar shows the old state or the new one, never half of it. Whatever goes wrong is
written to the subscription (``last_error``) and the worker carries on with the next one.
A feed that answers 410 Gone is switched off; 404 and other errors are tried again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select

from quarter_node.plugin_api import (
    InvalidInput,
    PermissionDenied,
    Role,
    _,
    db,
    is_group_moderator,
    plugin_setting,
    safe_http_get,
    utcnow,
)

from .categories import configured_categories
from .ical import IcalError, fetch_calendar, normalise_feed_url, parse_calendar
from .ical_import import ImportCounts, ImportTarget, import_calendar, target_events
from .ical_models import IcalSubscription
from .uploads import problem_text

log = logging.getLogger(__name__)
MAX_FEED_BYTES = 5 * 1024 * 1024
DEFAULT_REFRESH_HOURS = 6
ERROR_MAX = 1000


@dataclass
class RefreshOutcome:
    status: str  # changed | unchanged | error | gone
    counts: ImportCounts | None = None
    error: str = ""


def may_manage(user: Any, group: Any) -> bool:
    """Group subscriptions are for the group's moderators; subscriptions in a person's
    own name, which put events straight into the node's calendar, for admins."""
    if user is None or not user.is_active:
        return False
    if group is None:
        return bool(user.has_role(Role.ADMIN))
    return bool(is_group_moderator(user, group))


def checked_url(url: str) -> str:
    """An http(s) address (``webcal://`` read as https), or ``InvalidInput``."""
    url = normalise_feed_url(url or "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2048:
        raise InvalidInput(_("Please give the calendar's address, starting with https://."))
    return url


def add_subscription(user: Any, url: str, group: Any, default_category: str = "") -> Any:
    if not may_manage(user, group):
        raise PermissionDenied(_("You cannot add calendars here."))
    if default_category and default_category not in configured_categories():
        raise InvalidInput(_("Please choose one of the categories."))
    subscription = IcalSubscription(
        url=checked_url(url),
        actor_id=group.actor_id if group is not None else user.actor_id,
        group_id=group.id if group is not None else None,
        created_by_id=user.actor_id,
        default_category=default_category,
    )
    db.session.add(subscription)
    db.session.commit()
    return subscription


def remove_subscription(user: Any, subscription: IcalSubscription) -> None:
    """Unsubscribe; the events it brought disappear from the calendar too."""
    if not may_manage(user, subscription.group):
        raise PermissionDenied(_("You cannot change this subscription."))
    now = utcnow()
    for event in target_events(_target(subscription)).values():
        if event.deleted_at is None:
            event.deleted_at = now
    db.session.delete(subscription)
    db.session.commit()


def refresh_as(user: Any, subscription: IcalSubscription) -> RefreshOutcome:
    """The "refresh now" button."""
    if not may_manage(user, subscription.group):
        raise PermissionDenied(_("You cannot change this subscription."))
    return refresh(subscription.id)


def refresh(subscription_id: int) -> RefreshOutcome:
    """Fetch, parse and apply one subscription; never raises."""
    try:
        return _refresh(subscription_id)
    except Exception as error:  # noqa: BLE001 (a broken feed must not stop the worker)
        db.session.rollback()
        log.exception("refreshing iCal subscription %s failed", subscription_id)
        return _record_error(subscription_id, f"{type(error).__name__}: {error}")


def _refresh(subscription_id: int) -> RefreshOutcome:
    subscription = db.session.get(IcalSubscription, subscription_id)
    if subscription is None:
        return RefreshOutcome("error", error="no such subscription")
    url, etag, last_modified = subscription.url, subscription.etag, subscription.last_modified
    db.session.commit()  # no transaction stays open while the network is asked
    result = fetch_calendar(url, etag, last_modified, _get)
    if result.status in ("error", "gone"):
        outcome = RefreshOutcome(result.status, error=result.error or "")
        return _record_error(subscription_id, outcome.error, stop=result.http_status == 410)
    subscription = db.session.get(IcalSubscription, subscription_id)
    if subscription is None:
        return RefreshOutcome("error", error="no such subscription")
    now = utcnow()
    subscription.last_fetched_at, subscription.last_error = now, ""
    subscription.active = True  # a feed that answers again (after "refresh now") is back
    subscription.etag, subscription.last_modified = result.etag, result.last_modified
    if result.status == "unchanged":
        db.session.commit()
        return RefreshOutcome("unchanged")
    try:
        parsed = parse_calendar(result.data or b"")
    except IcalError as error:
        db.session.rollback()
        return _record_error(subscription_id, problem_text(error))
    counts = import_calendar(parsed, _target(subscription))
    subscription.title = (parsed.name or subscription.title)[:200]
    if counts.changed:
        subscription.last_changed_at = now
    db.session.commit()
    return RefreshOutcome("changed", counts)


def _get(url: str, headers: dict[str, str] | None = None) -> Any:
    return safe_http_get(url, headers=headers, max_bytes=MAX_FEED_BYTES)


def _target(subscription: IcalSubscription) -> ImportTarget:
    return ImportTarget(
        organizer_id=subscription.actor_id,
        created_by_id=subscription.created_by_id,
        group=subscription.group,
        subscription_id=subscription.id,
        default_category=subscription.default_category,
        may_delete=True,
    )


def _record_error(subscription_id: int, error: str, stop: bool = False) -> RefreshOutcome:
    """Note the failure (in its own transaction) and keep the old validators, so the next
    attempt still asks conditionally."""
    subscription = db.session.get(IcalSubscription, subscription_id)
    if subscription is not None:
        subscription.last_fetched_at = utcnow()
        subscription.last_error = (error or _("Unknown error"))[:ERROR_MAX]
        if stop:
            subscription.active = False
        db.session.commit()
    return RefreshOutcome("gone" if stop else "error", error=error)


def refresh_interval() -> timedelta:
    hours = plugin_setting("events", "subscription_refresh_hours")
    try:
        return timedelta(hours=max(1, int(hours or DEFAULT_REFRESH_HOURS)))
    except (TypeError, ValueError):
        return timedelta(hours=DEFAULT_REFRESH_HOURS)


def due_subscription_ids() -> list[int]:
    """Active subscriptions not fetched within the refresh interval, oldest first."""
    limit = utcnow() - refresh_interval()
    return list(
        db.session.scalars(
            select(IcalSubscription.id)
            .where(IcalSubscription.active.is_(True))
            .where(
                or_(
                    IcalSubscription.last_fetched_at.is_(None),
                    IcalSubscription.last_fetched_at <= limit,
                )
            )
            .order_by(IcalSubscription.last_fetched_at.is_not(None), IcalSubscription.id)
        )
    )


def refresh_due() -> list[RefreshOutcome]:
    """What the periodic job does: refresh every due subscription, one after the other."""
    return [refresh(subscription_id) for subscription_id in due_subscription_ids()]
