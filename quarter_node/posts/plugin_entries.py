"""Plugins' entries in the timelines: what enabled plugins show among the posts.

A timeline page is a page of posts (keyset pagination stays as it is); the page's posts
cover a stretch of time (``Page.older_bound``/``newer_bound``). Each enabled plugin is asked
once per page, through ``quarter_timeline_items``, for its entries in that stretch, so every
entry appears on exactly one page of a walk and a page costs one query per plugin. The core
keeps only entries inside the range, whatever a plugin returns, and merges them among the
posts by time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from quarter_node.accounts.models import User
from quarter_node.groups.models import Group
from quarter_node.plugins.types import TimelineEntry, TimelineKind, TimelineWindow
from quarter_node.posts.models import Post
from quarter_node.posts.pagination import Page


@dataclass(frozen=True)
class TimelineRow:
    """One line of a timeline page: a post or a plugin's entry (the other is None)."""

    post: Post | None = None
    entry: TimelineEntry | None = None


def add_plugin_entries(
    page: Page, kind: TimelineKind, viewer: User | None, group: Group | None = None
) -> Page:
    """Ask the enabled plugins for their entries in ``page``'s range of time."""
    from quarter_node.plugins.wiring import call_hook

    window = TimelineWindow(
        kind=kind,
        viewer=viewer if viewer is not None and viewer.is_active else None,
        older_bound=page.older_bound,
        newer_bound=page.newer_bound,
        limit=current_app.config["PAGE_SIZE"],
        group=group,
    )
    answers: list[Any] = call_hook("quarter_timeline_items", timeline=window)
    found = [entry for answer in answers for entry in answer or () if window.covers(entry.at)]
    page.entries = sorted(found, key=lambda entry: entry.at, reverse=True)
    return page


def timeline_rows(page: Page) -> list[TimelineRow]:
    """The page's posts and plugin entries, newest first (a post before an entry of the
    same time, so an entry at the page's older bound closes the page)."""
    rows: list[TimelineRow] = []
    entries = list(page.entries)
    for post in page.items:
        post_at = page.listed_at.get(post.id, post.created_at)
        while entries and entries[0].at > post_at:
            rows.append(TimelineRow(entry=entries.pop(0)))
        rows.append(TimelineRow(post=post))
    rows.extend(TimelineRow(entry=entry) for entry in entries)
    return rows
