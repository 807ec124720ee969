"""The notifications page: a person's notifications, newest first.

Opening the page marks nothing as read; the person decides with "Mark all as read". That
button marks only what the page showed, so a notification arriving meanwhile stays unread.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from quarter_node.moderation.pagination import paginate
from quarter_node.notifications.presenter import present
from quarter_node.notifications.services import mark_all_read, notifications_query
from quarter_node.permissions import current_account

bp = Blueprint("notifications", __name__)

PER_PAGE = 30


@bp.get("/notifications")
@login_required
def index() -> str:
    user = current_account()
    page = paginate(notifications_query(user), per_page=PER_PAGE)
    items = [present(notification, user) for notification in page.items]
    newest_id = items[0].id if items and page.number == 1 else None
    return render_template("notifications/index.html", page=page, items=items, newest_id=newest_id)


@bp.post("/notifications/read")
@login_required
def mark_read() -> Any:
    up_to = request.form.get("up_to", type=int)
    count = mark_all_read(current_account(), up_to)
    if count:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))
