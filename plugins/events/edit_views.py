"""The forms of the events plugin: new, edit, postpone, cancel, delete, one date of a
series. Thin: parse the form, call one service, redirect; refusals come from the services."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from quarter_node.plugin_api import InvalidInput, _, current_account, db

from . import occurrence_services, services  # CSRF: the node checks every POST
from .blueprint import bp
from .forms import EventForm, OccurrenceForm, PostponeForm
from .links import event_url
from .lookups import chosen_occurrence, local_group, visible_event_or_404
from .permissions import can_create_event, can_edit_event
from .recurrence import parse_occurrence_key


def _logged_in() -> Any:
    user = current_account()
    if user is None:
        abort(403)
    return user


def _editable(event_id: int) -> Any:
    user = _logged_in()
    event = visible_event_or_404(user, event_id)
    if not can_edit_event(user, event):
        abort(403)
    return user, event


def _form_page(form: EventForm, group: Any, event: Any = None, status: int = 200) -> Any:
    return render_template("events/form.html", form=form, group=group, event=event), status


@bp.route("/events/new", methods=["GET", "POST"])
def new() -> Any:
    user = _logged_in()
    group = local_group(request.args.get("group"))
    if not can_create_event(user, group):
        abort(403)
    form = EventForm(in_group=group is not None)
    if not form.validate_on_submit():
        return _form_page(form, group, status=422 if form.is_submitted() else 200)
    try:
        event = services.create_event(user, form.to_input(), group=group)
    except InvalidInput as error:
        db.session.rollback()
        form.title.errors = [*form.title.errors, error.description]
        return _form_page(form, group, status=422)
    flash(_("The event is published."), "success")
    return redirect(event_url(event))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int) -> Any:
    user, event = _editable(event_id)
    form = EventForm(in_group=event.group is not None)
    if request.method == "GET":
        form.fill_from(event)
    if not form.validate_on_submit():
        return _form_page(form, event.group, event, status=422 if form.is_submitted() else 200)
    try:
        services.update_event(user, event, form.to_input())
    except InvalidInput as error:
        db.session.rollback()
        form.title.errors = [*form.title.errors, error.description]
        return _form_page(form, event.group, event, status=422)
    flash(_("The event is saved."), "success")
    return redirect(event_url(event))


@bp.route("/events/<int:event_id>/postpone", methods=["GET", "POST"])
def postpone(event_id: int) -> Any:
    user, event = _editable(event_id)
    form = PostponeForm()
    if form.validate_on_submit():
        services.postpone_event(user, event, form.new_start())
        flash(_("The event is postponed to the new date."), "success")
        return redirect(event_url(event))
    return render_template("events/postpone.html", form=form, event=event), (
        422 if form.is_submitted() else 200
    )


@bp.post("/events/<int:event_id>/cancel")
def cancel(event_id: int) -> Response:
    user, event = _editable(event_id)
    services.cancel_event(user, event)
    flash(_("The event is cancelled. It stays visible, marked as cancelled."), "success")
    return redirect(event_url(event))


@bp.post("/events/<int:event_id>/reschedule")
def reschedule(event_id: int) -> Response:
    user, event = _editable(event_id)
    services.reschedule_event(user, event)
    flash(_("The event takes place again."), "success")
    return redirect(event_url(event))


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
def delete(event_id: int) -> Any:
    user, event = _editable(event_id)
    form = FlaskForm()
    if form.validate_on_submit():
        services.delete_event(user, event)
        flash(_("The event is deleted."), "success")
        return redirect(url_for("events.index"))
    return render_template("events/delete.html", form=form, event=event)


@bp.route("/events/<int:event_id>/occurrences/<key>", methods=["GET", "POST"])
def occurrence(event_id: int, key: str) -> Any:
    user, event = _editable(event_id)
    original = parse_occurrence_key(key)
    if original is None or not event.is_recurring:
        abort(404)
    current = chosen_occurrence(event, key, None)
    form = OccurrenceForm()
    if request.method == "GET":
        form.start_date.data, form.start_time.data = (
            current.start_local.date(),
            current.start_local.time(),
        )
        form.duration.data = int((current.end - current.start).total_seconds() // 60)
        form.title.data = current.title if current.title != event.title else ""
        form.place_name.data = current.place_name if current.place_name != event.place_name else ""
        form.note.data = current.note
    if form.validate_on_submit():
        occurrence_services.change_occurrence(
            user, event, original, start_local=form.new_start(), duration=form.duration.data,
            title=form.title.data or "", place_name=form.place_name.data or "",
            note=form.note.data or "",
        )  # fmt: skip
        flash(_("This date is changed."), "success")
        return redirect(event_url(event, key))
    return render_template("events/occurrence.html", form=form, event=event, occurrence=current), (
        422 if form.is_submitted() else 200
    )


@bp.post("/events/<int:event_id>/occurrences/<key>/cancel")
def cancel_occurrence(event_id: int, key: str) -> Response:
    user, event = _editable(event_id)
    occurrence_services.cancel_occurrence(user, event, _original(key))
    flash(_("This date is cancelled; the other dates stay."), "success")
    return redirect(event_url(event, key))


@bp.post("/events/<int:event_id>/occurrences/<key>/restore")
def restore_occurrence(event_id: int, key: str) -> Response:
    user, event = _editable(event_id)
    occurrence_services.restore_occurrence(user, event, _original(key))
    flash(_("This date follows the series again."), "success")
    return redirect(event_url(event, key))


def _original(key: str) -> Any:
    original = parse_occurrence_key(key)
    if original is None:
        abort(404)
    return original
