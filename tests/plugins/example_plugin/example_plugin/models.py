"""One greeting, written here or received from another server."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from quarter_node.plugin_api import db


class Greeting(db.Model):
    __tablename__ = "example_plugin_greetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    text: Mapped[str] = mapped_column(Text)
