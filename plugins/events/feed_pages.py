"""The "Calendar subscriptions" page: a member's personal feed URL (https:// and
webcal://, to copy into a calendar app), the public feeds, and a button for a new secret."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from quarter_node.plugin_api import _, current_account

from . import feed_tokens, links
from .blueprint import bp
from .categories import configured_categories


def _member() -> Any:
    user = current_account()
    if user is None or not user.is_active:
        abort(403)
    return user


def webcal(url: str) -> str:
    """The same feed as a ``webcal://`` link, which opens the calendar app directly."""
    return "webcal://" + url.split("://", 1)[1]


@bp.get("/events/feeds")
def my_feeds() -> str:
    user = _member()
    personal = links.absolute(f"/events/feeds/{feed_tokens.token_of(user).token}.ics")
    public = [links.node_feed(), links.member_feed(user.actor)]
    public += [links.category_feed(slug, label) for slug, label in configured_categories().items()]
    return render_template(
        "events/feeds.html",
        personal=personal,
        personal_webcal=webcal(personal),
        public=[(feed, webcal(feed.href)) for feed in public],
        form=FlaskForm(),
    )


@bp.post("/events/feeds/renew")
def renew_feed_token() -> Response:
    user = _member()
    if not FlaskForm().validate_on_submit():
        abort(400)
    feed_tokens.renew_token(user)
    flash(_("Your personal feed has a new address; the old one no longer works."), "success")
    return redirect(url_for("events.my_feeds"))
