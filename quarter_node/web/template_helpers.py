"""Globals and filters every template may use."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale
from markupsafe import Markup

from quarter_node.node.services import SUPPORTED_LANGUAGES, get_node_settings
from quarter_node.permissions import current_account


def unread_notification_count() -> int:
    from quarter_node.extensions import db
    from quarter_node.notifications.models import Notification
    from quarter_node.notifications.services import heard_filter

    user = current_account()
    if user is None:
        return 0
    return (
        db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.recipient_id == user.actor_id,
                Notification.read_at.is_(None),
                heard_filter(user),
            )
        )
        or 0
    )


def local_datetime(value: datetime | None, style: str = "medium") -> str:
    return "" if value is None else format_datetime(value, style)


def iso_datetime(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def render_markdown_filter(text: str) -> Markup:
    """Render node-authored Markdown (rules, imprint) safely."""
    from quarter_node.posts.markdown import render_markdown

    return Markup(render_markdown(text or ""))


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        node_settings=get_node_settings,
        current_locale=lambda: str(get_locale()),
        supported_languages=SUPPORTED_LANGUAGES,
        unread_notification_count=unread_notification_count,
    )
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        iso_datetime=iso_datetime,
        markdown=render_markdown_filter,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
