"""Pages for signing up: the buttons' targets, the organisers' participant list (with CSV
export, approve/reject and a message form) and a member's own upcoming events.
Thin: parse, call one service, redirect or render; refusals come from the services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quarter_node.plugin_api import _, _l, current_account, db, ngettext

from . import participants as lists
from . import signups
from .blueprint import bp
from .links import event_url
from .lookups import visible_event_or_404
from .participation_models import Participation
from .queries import EventFilters
from .recurrence import parse_occurrence_key

SIGNED_UP = {
    "going": _l("You are going. See you there!"),
    "interested": _l("You are marked as interested."),
    "waiting": _l("The event is full: you are on the waiting list."),
    "pending": _l("Your request is sent; the organisers decide."),
}


def _logged_in() -> Any:
    user = current_account()
    if user is None:
        abort(403)
    return user


def _occurrence_arg(source: Any) -> Any:
    key = source.get("occurrence") or None
    if key is None:
        return None
    original = parse_occurrence_key(key)
    if original is None:
        abort(404)
    return original


@bp.post("/events/<int:event_id>/signup")
def signup(event_id: int) -> Response:
    user = _logged_in()
    event = visible_event_or_404(user, event_id)
    occurrence_local = _occurrence_arg(request.form)
    outcome = signups.sign_up(user.actor, event, occurrence_local, request.form.get("state", ""))
    flash(str(SIGNED_UP.get(str(outcome.state), "")), "success")
    return redirect(event_url(event, request.form.get("occurrence") or None))


@bp.post("/events/<int:event_id>/withdraw")
def withdraw(event_id: int) -> Response:
    user = _logged_in()
    event = visible_event_or_404(user, event_id)
    signups.withdraw(user.actor, event, _occurrence_arg(request.form))
    flash(_("You are no longer signed up."), "success")
    return redirect(event_url(event, request.form.get("occurrence") or None))


def _managed(event_id: int) -> Any:
    user = current_account()
    event = visible_event_or_404(user, event_id)
    if user is None or not signups.can_manage_participants(user, event):
        abort(403)
    return user, event


@bp.get("/events/<int:event_id>/participants")
def participants(event_id: int) -> str:
    _user, event = _managed(event_id)
    occurrence_local = _occurrence_arg(request.args)
    rows = lists.participations(event, occurrence_local)
    return render_template(
        "events/participants.html",
        event=event,
        groups=lists.by_state(rows),
        occurrence_local=occurrence_local,
        occurrence_key=request.args.get("occurrence") or None,
        host=_host(),
    )


@bp.get("/events/<int:event_id>/participants.csv")
def participants_csv(event_id: int) -> Response:
    _user, event = _managed(event_id)
    rows = lists.participations(event, _occurrence_arg(request.args))
    body = lists.participants_csv(event, rows, _host())
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="event-{event.id}-participants.csv"'
    )
    return response


@bp.post("/events/<int:event_id>/participants/<int:participation_id>/<any(approve,reject):answer>")
def answer(event_id: int, participation_id: int, answer: str) -> Response:
    user, event = _managed(event_id)
    participation = db.session.get(Participation, participation_id)
    if participation is None or participation.event_id != event.id:
        abort(404)
    if answer == "approve":
        signups.approve(user, participation)
        flash(_("The request is approved."), "success")
    else:
        signups.reject(user, participation)
        flash(_("The request is declined."), "success")
    return redirect(_list_url(event))


@bp.post("/events/<int:event_id>/participants/message")
def message(event_id: int) -> Response:
    user, event = _managed(event_id)
    reached = lists.message_participants(
        user, event, request.form.get("text", ""), _occurrence_arg(request.form)
    )
    flash(
        ngettext(
            "Your message is sent to %(num)d participant.",
            "Your message is sent to %(num)d participants.",
            reached,
        ),
        "success",
    )
    return redirect(_list_url(event, request.form.get("occurrence") or None))


@bp.get("/events/mine")
def mine() -> str:
    user = _logged_in()
    return render_template(
        "events/mine.html", items=lists.my_upcoming(user), filters=EventFilters()
    )


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).netloc or "localhost"


def _list_url(event: Any, key: str | None = None) -> str:
    return url_for("events.participants", event_id=event.id, occurrence=key)


def _signup_box(event: Any, occurrence: Any) -> lists.SignupBox:
    """The event page's sign-up box (a template global: the page is evcore's)."""
    return lists.signup_box(current_account(), event, occurrence)


bp.add_app_template_global(_signup_box, "event_signup_box")


def _state_label(state: str) -> str:
    """A member's own state, as "My events" shows it."""
    return str(
        {
            "going": _("You are going."),
            "interested": _("You are interested."),
            "waiting": _("You are on the waiting list."),
            "pending": _("Your request waits for the organisers."),
        }.get(state, "")
    )


def _state_heading(state: str) -> str:
    """The participant list's section headings."""
    return str(
        {
            "going": _("Going"),
            "waiting": _("Waiting list"),
            "pending": _("Requests"),
            "interested": _("Interested"),
            "rejected": _("Declined"),
        }[state]
    )


def _signed_in() -> bool:
    """For macros imported without context (they do not see ``current_user``)."""
    return current_account() is not None


bp.add_app_template_global(_signed_in, "events_signed_in")
bp.add_app_template_global(_state_label, "participation_label")
bp.add_app_template_global(_state_heading, "participation_heading")
