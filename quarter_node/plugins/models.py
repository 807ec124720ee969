"""Which plugins an admin switched on or off on this node."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from quarter_node.db_types import UTCDateTime, utcnow
from quarter_node.extensions import db


class PluginState(db.Model):
    """One row per plugin an admin ever switched; a plugin without a row has its default
    (built-in plugins on, installed ones off until an admin enables them)."""

    __tablename__ = "plugin_states"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
