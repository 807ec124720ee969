"""Column types shared by all models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind of time the database holds)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without zone (SQLite has none) and always hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class StrEnumType(TypeDecorator[enum.StrEnum]):
    """Stores a ``StrEnum`` as its plain string value (no native enum: adding values needs no
    database migration, which plugins and later versions rely on)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return self.enum_class(value)


class OpenStrEnumType(StrEnumType):
    """A ``StrEnum`` column that also holds values the enum does not know (plugins add their
    own, e.g. notification kinds named ``<plugin>.<kind>``): known values come back as enum
    members, the others as plain strings."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return str(value)

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        try:
            return self.enum_class(value)
        except ValueError:
            return value
