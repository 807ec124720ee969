"""A one-off ``.ics`` upload: the file's events become events of the member (or of a
group she belongs to). Uploading the same file again updates them (matched by UID),
nothing is deleted. Bad files are refused with a message in the reader's language."""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import InvalidInput, PermissionDenied, _, db

from .ical import IcalError, parse_calendar
from .ical_import import ImportCounts, ImportTarget, import_calendar
from .models import EventJoinMode
from .permissions import can_create_event

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def upload_calendar(user: Any, data: bytes, group: Any = None) -> ImportCounts:
    if not can_create_event(user, group):
        raise PermissionDenied(_("Only members of this group can add events to it."))
    if not data.strip():
        raise InvalidInput(_("Please choose an iCalendar file (.ics)."))
    try:
        parsed = parse_calendar(data, max_bytes=MAX_UPLOAD_BYTES)
    except IcalError as error:
        raise InvalidInput(problem_text(error)) from error
    if not parsed.events:
        raise InvalidInput(_("The file contains no events."))
    target = ImportTarget(
        organizer_id=group.actor_id if group is not None else user.actor_id,
        created_by_id=user.actor_id,
        group=group,
        join_mode=EventJoinMode.FREE,
    )
    counts = import_calendar(parsed, target)
    db.session.commit()
    return counts


def problem_text(error: IcalError) -> str:
    """What is wrong with a file, translated (the parser's own message is English)."""
    reason = error.reason
    if reason == "too_large":
        return _("The file is too large (at most %(size)d KiB).", size=(error.limit or 0) // 1024)
    if reason == "too_many_events":
        return _("The file has too many events (at most %(count)d).", count=error.limit or 0)
    if reason == "not_calendar":
        return _("This is not an iCalendar file (.ics).")
    if reason == "incomplete":
        return _("The calendar file is incomplete.")
    return _("The calendar file could not be read.")
