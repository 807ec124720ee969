"""Time checks: a signature must be recent, and not come from the future.

Replaying a captured request is only possible within the accepted window, so the window
is a security setting; it has to allow for peers whose clocks are a little off.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from federation.signatures.errors import ExpiredSignature, MalformedSignature

DEFAULT_SKEW = timedelta(hours=1)


def utc_now() -> datetime:
    """The current time; verifiers take ``now`` as a parameter so tests can fix it."""
    return datetime.now(UTC)


def http_date(moment: datetime) -> str:
    """Format a ``Date`` header value (IMF-fixdate, always GMT)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_http_date(value: str) -> datetime:
    """Parse a ``Date`` header; raises ``MalformedSignature`` when it is not a date."""
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError) as error:
        raise MalformedSignature(f"unreadable Date header: {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def from_timestamp(value: object, what: str) -> datetime:
    """Read a ``created``/``expires`` parameter (Unix seconds)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedSignature(f"{what} must be a number")
    return datetime.fromtimestamp(value, UTC)


def check_window(moment: datetime, now: datetime, skew: timedelta, what: str) -> None:
    """Refuse a time further than ``skew`` from ``now`` in either direction."""
    if moment < now - skew:
        raise ExpiredSignature(f"{what} is too old ({moment.isoformat()})")
    if moment > now + skew:
        raise ExpiredSignature(f"{what} lies in the future ({moment.isoformat()})")


def check_not_expired(expires: datetime, now: datetime) -> None:
    """Refuse a signature whose own ``expires`` has passed."""
    if expires < now:
        raise ExpiredSignature(f"signature expired at {expires.isoformat()}")
