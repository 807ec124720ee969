"""The events plugin's background work: refreshing subscribed calendars.

The job runs every ten minutes and refreshes only the subscriptions whose interval (the
setting ``events.subscription_refresh_hours``, 6 by default) has passed, so the interval
can change without a restart. A disabled plugin refreshes nothing.
"""

from __future__ import annotations

from huey import crontab

from quarter_node.plugin_api import is_enabled, periodic_job

from .subscriptions import refresh_due


@periodic_job(crontab(minute="*/10"))
def refresh_ical_subscriptions() -> None:
    if is_enabled("events"):
        refresh_due()
