"""The events plugin's own domain events, sent by the services inside their transaction.

Federation and feeds (wave 2) subscribe to them, as the core's outbox subscribes to
``quarter_node.signals``. Each sends the ``Event`` as sender.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

event_created = _signals.signal("events.event-created")
event_updated = _signals.signal("events.event-updated")  # also postponed, occurrences changed
event_cancelled = _signals.signal("events.event-cancelled")
event_deleted = _signals.signal("events.event-deleted")

# A participation changed state: sent with the ``Participation`` as sender and the keyword
# arguments ``previous`` (the state before, None for a new sign-up) and ``state`` (None when
# the person withdrew and the row is gone), and ``by_origin`` (True when a remote event's
# origin answered). Federation sends Accept/Reject/Join/Leave from it.
participation_changed = _signals.signal("events.participation-changed")

# The organisers wrote to the participants: sent with the ``Event`` as sender and ``sender``
# (the organiser's Actor), ``text`` and ``recipients`` (the REMOTE participants' Actors;
# local ones got a notification already). Federation delivers the text as a direct Note.
participants_messaged = _signals.signal("events.participants-messaged")
