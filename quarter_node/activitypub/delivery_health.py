"""How delivery to some hosts is going, in a few grouped queries (for health overviews).

Delivery keeps one row per activity and inbox (``Delivery``) and one row per server
(``PeerHost``); an admin overview wants neither row by row but, per host, how much is stuck
and since when. Counting here keeps the overview's pages free of the delivery tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from quarter_node.activitypub.models import Delivery, DeliveryState, PeerHost
from quarter_node.extensions import db


@dataclass(frozen=True)
class HostDeliveryHealth:
    """Delivery to one host: ``failed`` gave up (retries exhausted, since the given time),
    ``retrying`` are pending after at least one failed attempt, ``pending`` all waiting
    (retrying included), ``oldest_pending`` when the oldest waiting one was planned,
    ``unavailable`` whether the node stopped trying until a probe succeeds, and
    ``last_success_at`` when the host last answered (written at most every few minutes)."""

    host: str
    failed: int = 0
    retrying: int = 0
    pending: int = 0
    oldest_pending: datetime | None = None
    unavailable: bool = False
    last_success_at: datetime | None = None

    @property
    def healthy(self) -> bool:
        return not (self.failed or self.retrying or self.unavailable)


def delivery_health(
    hosts: Iterable[str], failed_since: datetime | None = None
) -> dict[str, HostDeliveryHealth]:
    """``HostDeliveryHealth`` for each of ``hosts`` (``"host[:port]"``, lower case), also
    for hosts never delivered to (all zero)."""
    wanted = sorted({host.lower() for host in hosts})
    if not wanted:
        return {}
    pending = _pending_counts(wanted)
    failed = _failed_counts(wanted, failed_since)
    peers = _peer_states(wanted)
    health: dict[str, HostDeliveryHealth] = {}
    for host in wanted:
        waiting, retrying, oldest = pending.get(host, (0, 0, None))
        available, last_success_at = peers.get(host, (True, None))
        health[host] = HostDeliveryHealth(
            host=host,
            failed=failed.get(host, 0),
            retrying=retrying,
            pending=waiting,
            oldest_pending=oldest,
            unavailable=not available,
            last_success_at=last_success_at,
        )
    return health


def _pending_counts(hosts: list[str]) -> dict[str, tuple[int, int, datetime | None]]:
    retrying = func.sum(case((Delivery.attempts > 0, 1), else_=0))
    query = (
        select(Delivery.host, func.count(), retrying, func.min(Delivery.created_at))
        .where(Delivery.host.in_(hosts), Delivery.state == DeliveryState.PENDING)
        .group_by(Delivery.host)
    )
    rows = db.session.execute(query)
    return {host: (count, int(retry or 0), _aware(oldest)) for host, count, retry, oldest in rows}


def _failed_counts(hosts: list[str], since: datetime | None) -> dict[str, int]:
    query = select(Delivery.host, func.count()).where(
        Delivery.host.in_(hosts), Delivery.state == DeliveryState.FAILED
    )
    if since is not None:
        query = query.where(Delivery.created_at >= since)
    return {host: count for host, count in db.session.execute(query.group_by(Delivery.host))}


def _peer_states(hosts: list[str]) -> dict[str, tuple[bool, datetime | None]]:
    query = select(PeerHost.host, PeerHost.available, PeerHost.last_success_at).where(
        PeerHost.host.in_(hosts)
    )
    return {host: (available, success) for host, available, success in db.session.execute(query)}


def _aware(value: datetime | None) -> datetime | None:
    """``min()`` over a ``UTCDateTime`` column comes back without the column type's
    conversion: naive UTC (SQLite even a string)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
