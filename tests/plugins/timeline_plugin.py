"""A plugin module for the timeline tests: entries at times the test sets, and a record of
every page it was asked about."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from quarter_node.plugin_api import TimelineEntry, TimelineWindow, hookimpl

# (time, label) of the entries the plugin shows; set by the test.
ENTRIES: list[tuple[datetime, str]] = []
# Every window the core asked about, in order.
ASKED: list[TimelineWindow] = []


@hookimpl
def quarter_timeline_items(timeline: TimelineWindow) -> list[TimelineEntry]:
    ASKED.append(timeline)
    found = [
        TimelineEntry(
            at, Markup('<article class="card sample-entry" id="entry-{}"></article>').format(label)
        )
        for at, label in ENTRIES
        if timeline.covers(at)
    ]
    return sorted(found, key=lambda entry: entry.at, reverse=True)[: timeline.limit]
