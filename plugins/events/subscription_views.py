"""Pages to import calendars: subscriptions (for group moderators and admins) and a
one-off ``.ics`` upload (for every member). Thin: parse, call one service, redirect."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from quarter_node.plugin_api import (
    Actor,
    Group,
    InvalidInput,
    Role,
    _,
    _l,
    current_account,
    db,
    is_group_moderator,
    member_group_ids,
)

from . import subscriptions, uploads
from .blueprint import bp
from .categories import configured_categories
from .ical_models import IcalSubscription
from .permissions import can_create_event
from .subscriptions import RefreshOutcome

ME = "me"


class SubscriptionForm(FlaskForm):
    url = StringField(_l("Address of the calendar (https:// or webcal://)"),
                      validators=[DataRequired(), Length(max=2048)])  # fmt: skip
    target = SelectField(_l("Import into"))
    category = SelectField(_l("Category for events without one"))


class UploadForm(FlaskForm):
    file = FileField(_l("iCalendar file (.ics)"))
    target = SelectField(_l("Add to"))


def _member() -> Any:
    user = current_account()
    if user is None or not user.is_active:
        abort(403)
    return user


def _my_groups(user: Any) -> list[Group]:
    ids = member_group_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Group).where(Group.id.in_(ids))))


def _group_of(choice: str | None, groups: list[Group]) -> Any:
    return next((g for g in groups if f"group:{g.id}" == choice), None)


def _manageable_groups(user: Any) -> list[Group]:
    """The groups whose subscriptions ``user`` manages: node moderators every local group,
    others the groups they moderate."""
    if user.has_role(Role.MODERATOR):
        query = select(Group).join(Actor, Group.actor_id == Actor.id).where(Actor.domain == "")
        query = query.options(contains_eager(Group.actor))  # the names, without a query each
        return list(db.session.scalars(query.order_by(Actor.handle)))
    return [g for g in _my_groups(user) if is_group_moderator(user, g)]


def _subscription_targets(user: Any) -> list[tuple[str, str]]:
    choices = (
        [(ME, _("The node's calendar, in my name"))] if subscriptions.may_manage(user, None) else []
    )
    return choices + [(f"group:{g.id}", g.actor.name) for g in _manageable_groups(user)]


def _visible_subscriptions(user: Any) -> list[IcalSubscription]:
    found = db.session.scalars(select(IcalSubscription).order_by(IcalSubscription.id))
    return [s for s in found if subscriptions.may_manage(user, s.group)]


@bp.route("/events/subscriptions", methods=["GET", "POST"])
def subscriptions_page() -> Any:
    user = _member()
    targets = _subscription_targets(user)
    if not targets:
        abort(403)
    form = SubscriptionForm()
    form.target.choices = targets
    form.category.choices = [("", _("None")), *configured_categories().items()]
    status = 200
    if form.validate_on_submit():
        groups = _manageable_groups(user)
        group = None if form.target.data == ME else _group_of(form.target.data, groups)
        try:
            added = subscriptions.add_subscription(user, form.url.data, group, form.category.data)
        except InvalidInput as error:
            db.session.rollback()
            form.url.errors = [*form.url.errors, error.message]
            status = 422
        else:
            _flash_outcome(subscriptions.refresh(added.id))
            return redirect(url_for("events.subscriptions_page"))
    elif form.is_submitted():
        status = 422
    page = render_template(
        "events/subscriptions.html", form=form, subscriptions=_visible_subscriptions(user)
    )
    return page, status


def _subscription(subscription_id: int) -> tuple[Any, IcalSubscription]:
    user = _member()
    found = db.session.get(IcalSubscription, subscription_id)
    if found is None or not subscriptions.may_manage(user, found.group):
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return user, found


@bp.post("/events/subscriptions/<int:subscription_id>/refresh")
def refresh_subscription(subscription_id: int) -> Response:
    user, found = _subscription(subscription_id)
    _flash_outcome(subscriptions.refresh_as(user, found))
    return redirect(url_for("events.subscriptions_page"))


@bp.post("/events/subscriptions/<int:subscription_id>/delete")
def delete_subscription(subscription_id: int) -> Response:
    user, found = _subscription(subscription_id)
    subscriptions.remove_subscription(user, found)
    flash(_("The subscription is removed, and its events with it."), "success")
    return redirect(url_for("events.subscriptions_page"))


def _flash_outcome(outcome: RefreshOutcome) -> None:
    if outcome.status in ("error", "gone"):
        flash(_("The calendar could not be fetched: %(error)s", error=outcome.error), "error")
    elif outcome.status == "unchanged":
        flash(_("The calendar has not changed since the last refresh."), "success")
    else:
        _flash_counts(outcome.counts)


def _flash_counts(counts: Any) -> None:
    flash(
        _(
            "Imported: %(created)d new, %(updated)d changed, %(cancelled)d cancelled, "
            "%(deleted)d removed, %(skipped)d skipped.",
            created=counts.created,
            updated=counts.updated,
            cancelled=counts.cancelled,
            deleted=counts.deleted,
            skipped=counts.skipped,
        ),  # fmt: skip
        "success",
    )


@bp.route("/events/import", methods=["GET", "POST"])
def upload_page() -> Any:
    user = _member()
    groups = [g for g in _my_groups(user) if can_create_event(user, g)]
    form = UploadForm()
    form.target.choices = [(ME, _("My events")), *((f"group:{g.id}", g.actor.name) for g in groups)]
    status = 200
    if form.validate_on_submit():
        data = _read_capped(request.files.get("file"))
        try:
            counts = uploads.upload_calendar(user, data, _group_of(form.target.data, groups))
        except InvalidInput as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, error.message]
            status = 422
        else:
            _flash_counts(counts)
            return redirect(url_for("events.index"))
    elif form.is_submitted():
        status = 422
    return render_template("events/upload.html", form=form), status


def _read_capped(file: Any) -> bytes:
    """At most one byte more than allowed, so a huge file is refused without being read."""
    if file is None:
        return b""
    return file.stream.read(uploads.MAX_UPLOAD_BYTES + 1)  # type: ignore[no-any-return]


@bp.app_template_global("events_calendar_tools")
def calendar_tools() -> list[tuple[str, str]]:
    """Links to the feed, upload and subscription pages the reader may use (listings)."""
    user = current_account()
    if user is None or not user.is_active:
        return []
    found = [
        (_("Calendar subscriptions"), url_for("events.my_feeds")),
        (_("Import events from a file"), url_for("events.upload_page")),
    ]
    if subscriptions.may_manage(user, None) or _manageable_groups(user):  # (the targets)
        found.append((_("Subscribed calendars"), url_for("events.subscriptions_page")))
    return found
