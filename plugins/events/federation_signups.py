"""The ONE place where federation meets the sign-up service (``signups.py``, written in
parallel): every call into it goes through these small functions, so adapting to its final
shape touches this module only.

Expected of ``signups`` (the agreed interface): ``sign_up(actor, event, occurrence_local,
state) -> Participation`` (the resulting state is ``going``, ``waiting``, ``pending`` or
``rejected``), ``withdraw(actor, event, occurrence_local)``, ``approve(participation)``,
``reject(participation)``; ``models.Participation`` with ``event_id``, ``actor_id``,
``occurrence_local``, ``state`` and ``uri`` (the id of the remote Join, or of the Join we
sent); and a signal in ``signals.py`` telling about a participation's state changes. Until
that service exists here, sign-ups are unavailable: Joins are ignored (not answered) and
events count no participants.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module
from types import ModuleType
from typing import Any

from quarter_node.plugin_api import db

from .models import Event

GOING_STATES = ("going",)


class SignupsUnavailable(Exception):
    """The sign-up service is not part of this tree (yet)."""


def _signups() -> ModuleType:
    try:
        return import_module(f"{__package__}.signups")
    except ImportError as error:
        raise SignupsUnavailable(str(error)) from error


def _participation_model() -> Any:
    model = getattr(import_module(f"{__package__}.models"), "Participation", None)
    if model is None:
        raise SignupsUnavailable("no Participation model")
    return model


def available() -> bool:
    try:
        _signups()
        _participation_model()
    except SignupsUnavailable:
        return False
    return True


def participant_count(event: Event) -> int:
    """People going to the event (all occurrences), as announced in ``participantCount``."""
    try:
        participation = _participation_model()
    except SignupsUnavailable:
        return 0
    return int(
        db.session.scalar(
            db.select(db.func.count(participation.id)).where(
                participation.event_id == event.id, participation.state.in_(GOING_STATES)
            )
        )
        or 0
    )


def find_by_uri(uri: str | None) -> Any:
    """The participation whose Join has id ``uri`` (theirs or ours)."""
    if not uri:
        return None
    participation = _participation_model()
    return db.session.scalar(db.select(participation).where(participation.uri == uri))


def find(actor: Any, event: Event, occurrence_local: datetime | None) -> Any:
    participation = _participation_model()
    return db.session.scalar(
        db.select(participation).where(
            participation.event_id == event.id,
            participation.actor_id == actor.id,
            participation.occurrence_local.is_(None)
            if occurrence_local is None
            else participation.occurrence_local == occurrence_local,
        )
    )


def sign_up_remote(actor: Any, event: Event, occurrence: datetime | None, join_uri: str) -> Any:
    """(a) A remote person's Join of one of our events: a sign-up as "going" (the service
    decides going, waiting, pending or rejected); the Join's id is kept for their Leave."""
    participation = _signups().sign_up(actor, event, occurrence, "going")
    participation.uri = join_uri
    return participation


def withdraw_remote(actor: Any, event: Event, occurrence: datetime | None) -> None:
    """(a) Their Leave: the place goes to the next on the waiting list (the service)."""
    _signups().withdraw(actor, event, occurrence)


def answer_from_organiser(participation: Any, accepted: bool, waiting: bool = False) -> None:
    """(b) The remote organiser's Accept or Reject of our member's Join."""
    if not accepted:
        participation.state = "rejected"
    else:
        participation.state = "waiting" if waiting else "going"


def participation_signal() -> Any:
    """The service's signal of state changes (sender: the participation), if present."""
    from . import signals

    for name in ("participation_changed", "participation_state_changed"):
        if (signal := getattr(signals, name, None)) is not None:
            return signal
    return None
