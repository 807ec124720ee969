"""Node-wide settings kept in the database, so admins change them in the browser."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from quarter_node.db_types import UTCDateTime, utcnow
from quarter_node.extensions import db


class NodeSetting(db.Model):
    """One key/value pair. Keys are namespaced (``node.name``; plugins use ``<plugin>.<key>``)."""

    __tablename__ = "node_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
