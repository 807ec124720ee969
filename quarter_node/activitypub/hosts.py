"""Reachability of other servers, so one dead host never slows delivery to the others.

Every delivery reports its outcome here. After ``UNAVAILABLE_AFTER`` failures in a row a
host is marked unavailable: its pending deliveries wait (no attempts are spent) until
``next_probe_at``, when the sweep lets one delivery through as a probe. A success from any
delivery makes the host available again and releases what waited. Counters are changed
with single UPDATE statements because several workers report about the same host at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from quarter_node.activitypub.models import PeerHost
from quarter_node.db_types import utcnow
from quarter_node.extensions import db

UNAVAILABLE_AFTER = 5  # consecutive failures
FIRST_PROBE_DELAY = timedelta(minutes=1)
MAX_PROBE_DELAY = timedelta(hours=6)


def ensure_hosts(hosts: set[str]) -> None:
    """Create missing ``PeerHost`` rows (race-free: INSERT ... ON CONFLICT DO NOTHING)."""
    if not hosts:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"host": host, "created_at": utcnow()} for host in sorted(hosts)]
    db.session.execute(
        insert(PeerHost).values(rows).on_conflict_do_nothing(index_elements=["host"])
    )


SUCCESS_NOTED_FOR = timedelta(minutes=5)  # a healthy host's success is written this rarely


# What delivery needs to know of a host, loaded with the claim (``claims.load``;
# ``record_success`` reads these from ``known``).
STATE_COLUMNS = (
    PeerHost.available,
    PeerHost.next_probe_at,
    PeerHost.consecutive_failures,
    PeerHost.signature_scheme,
    PeerHost.last_success_at,
)


def get_host(host: str) -> PeerHost | None:
    return db.session.scalar(select(PeerHost).where(PeerHost.host == host))


def probe_delay(consecutive_failures: int) -> timedelta:
    """Time until the next probe of an unavailable host: doubling, capped at six hours."""
    rounds = max(0, consecutive_failures - UNAVAILABLE_AFTER)
    return min(MAX_PROBE_DELAY, FIRST_PROBE_DELAY * 2 ** min(rounds, 20))


def claim_probe(host: str, now: datetime) -> bool:
    """Let exactly one worker probe an unavailable host whose probe time has come: moving
    ``next_probe_at`` on atomically defers every other delivery to it meanwhile."""
    row = db.session.execute(
        select(PeerHost.available, PeerHost.consecutive_failures).where(PeerHost.host == host)
    ).first()
    if row is None or row.available:
        return True
    result = db.session.execute(
        update(PeerHost)
        .where(PeerHost.host == host, PeerHost.available.is_(False))
        .where(PeerHost.next_probe_at <= now)
        .values(next_probe_at=now + probe_delay(row.consecutive_failures + 1))
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def record_success(host: str, scheme: str | None = None, known: Any = None) -> bool:
    """Note that ``host`` answered. Returns True when it had been unavailable.

    With the ``known`` state of a healthy host nothing is written unless the scheme changed
    or the last noted success is old: at hundreds of deliveries a second, one UPDATE of the
    same row per delivery would be the bottleneck.
    """
    if (
        known is not None
        and known.available
        and known.consecutive_failures == 0
        and (not scheme or scheme == known.signature_scheme)
        and known.last_success_at is not None
        and utcnow() - known.last_success_at < SUCCESS_NOTED_FOR
    ):
        return False
    was_unavailable = db.session.scalar(
        select(PeerHost.id).where(PeerHost.host == host, PeerHost.available.is_(False))
    )
    values: dict[str, object] = {
        "available": True,
        "consecutive_failures": 0,
        "first_failure_at": None,
        "next_probe_at": None,
        "last_success_at": utcnow(),
    }
    if scheme:
        values["signature_scheme"] = scheme
    db.session.execute(update(PeerHost).where(PeerHost.host == host).values(**values))
    return was_unavailable is not None


def record_failure(host: str) -> bool:
    """Count a failure of ``host``; mark it unavailable at the threshold. Returns whether
    the host is now unavailable."""
    now = utcnow()
    db.session.execute(
        update(PeerHost)
        .where(PeerHost.host == host)
        .values(consecutive_failures=PeerHost.consecutive_failures + 1)
    )
    db.session.execute(
        update(PeerHost)
        .where(PeerHost.host == host, PeerHost.first_failure_at.is_(None))
        .values(first_failure_at=now)
    )
    failures = db.session.scalar(select(PeerHost.consecutive_failures).where(PeerHost.host == host))
    if failures is None or failures < UNAVAILABLE_AFTER:
        return False
    db.session.execute(
        update(PeerHost)
        .where(PeerHost.host == host, PeerHost.available.is_(True))
        .values(available=False, next_probe_at=now + probe_delay(failures))
    )
    return True
