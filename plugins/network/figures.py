"""The dashboard's figures: activity of each member initiative per week or month.

Everything is counted from what the coordination node itself holds: the public posts of
members' people (core ``Post`` rows by remote actors of member domains), the records the
enabled plugins answer to ``activity_records`` (events and their participants, from the
events plugin) and the daily NodeInfo snapshots (accounts, active people as each node
counts them). Each figure is a list with one value per period; ``None`` means unknown
(no snapshot), which a chart shows as a gap rather than a zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from quarter_node.plugin_api import ActivityRecord, Actor, Post, _l, activity_records, db

from .models import NetworkNode, NodeSnapshot
from .periods import Choice, as_moment, bucket_of, bucket_sql, buckets, next_bucket

# The figures in the order the dashboard shows them; the last three come from NodeInfo or
# first appearances and are not simple counts of rows in a period.
METRICS = {
    "posts": _l("Posts"),
    "events": _l("Events"),
    "participants": _l("Participants at events"),
    "active_authors": _l("Active members (people who posted or organised)"),
    "active_month": _l("Active members in the last month (NodeInfo)"),
    "new_accounts": _l("New accounts (NodeInfo)"),
    "new_authors": _l("New members (first post here)"),
}
ADDITIVE = ("posts", "events", "participants", "active_authors", "new_authors")

Cells = dict[str, dict[date, int]]  # metric -> period -> value


@dataclass
class Figures:
    """One initiative's figures (or the total): ``values[metric]`` has one entry per period."""

    domain: str
    label: str
    values: dict[str, list[int | None]] = field(default_factory=dict)

    def sum(self, metric: str) -> int | None:
        known = [value for value in self.values[metric] if value is not None]
        return sum(known) if known else None


@dataclass(frozen=True)
class Window:
    choice: Choice
    periods: list[date]

    @property
    def start(self) -> datetime:
        return as_moment(self.periods[0])

    @property
    def end(self) -> datetime:
        return as_moment(next_bucket(self.periods[-1], self.choice.unit))


def window(choice: Choice, now: datetime) -> Window:
    return Window(choice, buckets(choice, now))


def figures_for(nodes: list[NetworkNode], span: Window) -> list[Figures]:
    """The figures of each of ``nodes`` over ``span``, in the order given."""
    cells: dict[str, Cells] = {node.domain: defaultdict(dict) for node in nodes}
    records = _plugin_records(cells, span)
    _add_posts(cells, span, records)
    _add_new_authors(cells, span)
    _add_plugin_records(cells, span, records)
    _add_snapshots(cells, nodes, span)
    return [
        _as_figures(node.domain, node.name or node.domain, cells[node.domain], span)
        for node in nodes
    ]


def total_of(parts: Iterable[Figures], label: str, span: Window) -> Figures:
    """All initiatives together: counts add up; NodeInfo figures add up over the nodes
    that reported one (unknown only when none did)."""
    total = Figures("", label, {metric: [None] * len(span.periods) for metric in METRICS})
    for part in parts:
        for metric, values in part.values.items():
            for index, value in enumerate(values):
                if value is not None:
                    total.values[metric][index] = (total.values[metric][index] or 0) + value
    for metric in ADDITIVE:
        total.values[metric] = [value or 0 for value in total.values[metric]]
    return total


def _as_figures(domain: str, label: str, cells: Cells, span: Window) -> Figures:
    values: dict[str, list[int | None]] = {}
    for metric in METRICS:
        default = 0 if metric in ADDITIVE else None
        values[metric] = [cells[metric].get(period, default) for period in span.periods]
    return Figures(domain, label, values)


def _add_posts(cells: dict[str, Cells], span: Window, records: list[ActivityRecord]) -> None:
    """Posts per period, and the distinct people who posted or made one of ``records``
    (organised an event), with one grouped query."""
    period = bucket_sql(Post.created_at, span.choice.unit)
    query = (
        select(period, Actor.domain, Post.author_id, func.count())
        .join(Actor, Actor.id == Post.author_id)
        .where(*_public_posts(cells), Post.created_at >= span.start, Post.created_at < span.end)
        .group_by(period, Actor.domain, Post.author_id)
    )
    authors: dict[tuple[str, date], set[int]] = defaultdict(set)
    for day, domain, author_id, count in db.session.execute(query):
        start = date.fromisoformat(str(day)[:10])
        cells[domain]["posts"][start] = cells[domain]["posts"].get(start, 0) + count
        authors[(domain, start)].add(author_id)
    for record in records:
        authors[(record.domain, bucket_of(record.at, span.choice.unit))].add(record.actor_id)
    for (domain, start), people in authors.items():
        cells[domain]["active_authors"][start] = len(people)


def _public_posts(cells: dict[str, Cells]) -> list[Any]:
    return [
        Actor.domain.in_(list(cells)),
        Post.visibility == "public",
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
    ]


def _add_new_authors(cells: dict[str, Cells], span: Window) -> None:
    """People counted in the period of their first public post the coordination node has."""
    first = func.min(Post.created_at)
    query = (
        select(Actor.domain, first)
        .join(Actor, Actor.id == Post.author_id)
        .where(*_public_posts(cells))
        .group_by(Actor.domain, Post.author_id)
        .having(first >= span.start, first < span.end)
    )
    for domain, moment in db.session.execute(query):
        start = bucket_of(_instant(moment), span.choice.unit)
        cells[domain]["new_authors"][start] = cells[domain]["new_authors"].get(start, 0) + 1


def _plugin_records(cells: dict[str, Cells], span: Window) -> list[ActivityRecord]:
    return [
        record
        for record in activity_records(span.start)
        if record.domain in cells and record.at < span.end
    ]


def _add_plugin_records(
    cells: dict[str, Cells], span: Window, records: list[ActivityRecord]
) -> None:
    for record in records:
        if record.kind != "event":
            continue
        start = bucket_of(record.at, span.choice.unit)
        metric = cells[record.domain]
        metric["events"][start] = metric["events"].get(start, 0) + 1
        metric["participants"][start] = metric["participants"].get(start, 0) + record.participants


def _add_snapshots(cells: dict[str, Cells], nodes: list[NetworkNode], span: Window) -> None:
    """Per period the last reading in it. New accounts are its growth over the reading
    before (the last of an earlier period; never below zero: accounts that went are not
    subtracted), unknown for a node's very first reading; growth during a gap in the
    readings counts in the period of the next reading."""
    by_id = {node.id: node.domain for node in nodes}
    baseline = _totals_before(list(by_id), span.start)
    last: dict[tuple[int, date], NodeSnapshot] = {}
    for snapshot in _readings_within(list(by_id), span):
        last[(snapshot.node_id, bucket_of(snapshot.taken_at, span.choice.unit))] = snapshot
    for (node_id, start), snapshot in sorted(last.items(), key=lambda item: item[0][1]):
        metric = cells[by_id[node_id]]
        if snapshot.active_month is not None:
            metric["active_month"][start] = snapshot.active_month
        if snapshot.users_total is None:
            continue
        if baseline.get(node_id) is not None:
            metric["new_accounts"][start] = max(snapshot.users_total - baseline[node_id], 0)
        baseline[node_id] = snapshot.users_total


def _readings_within(node_ids: list[int], span: Window) -> list[NodeSnapshot]:
    """The nodes' successful readings in the window, oldest first."""
    query = (
        select(NodeSnapshot)
        .where(
            NodeSnapshot.node_id.in_(node_ids),
            NodeSnapshot.reachable.is_(True),
            NodeSnapshot.taken_at >= span.start,
            NodeSnapshot.taken_at < span.end,
        )
        .order_by(NodeSnapshot.taken_at, NodeSnapshot.id)
    )
    return list(db.session.scalars(query))


def _totals_before(node_ids: list[int], start: datetime) -> dict[int, int | None]:
    """Each node's account count at its last successful reading before ``start``."""
    latest = (
        select(NodeSnapshot.node_id, func.max(NodeSnapshot.taken_at).label("taken_at"))
        .where(
            NodeSnapshot.node_id.in_(node_ids),
            NodeSnapshot.reachable.is_(True),
            NodeSnapshot.users_total.is_not(None),
            NodeSnapshot.taken_at < start,
        )
        .group_by(NodeSnapshot.node_id)
        .subquery()
    )
    query = select(NodeSnapshot.node_id, NodeSnapshot.users_total).join(
        latest,
        (latest.c.node_id == NodeSnapshot.node_id) & (latest.c.taken_at == NodeSnapshot.taken_at),
    )
    return {node_id: total for node_id, total in db.session.execute(query)}


def _instant(value: datetime | str) -> datetime:
    """``min()`` of a timestamp as the database gives it back (SQLite: sometimes text)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
