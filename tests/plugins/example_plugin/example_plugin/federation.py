"""Greetings over ActivityPub: a ``Note`` that carries ``greeting: true`` in our namespace."""

from __future__ import annotations

from typing import Any

from quarter_node.plugin_api import HandlerContext, db

from .models import Greeting

GREETING = "https://quarter-node.example/ns#greeting"


def is_greeting(ctx: HandlerContext) -> bool:
    obj = ctx.object
    return isinstance(obj, dict) and obj.get(GREETING) is True


def receive_greeting(ctx: HandlerContext) -> bool:
    """Store a received greeting once (peers deliver the same activity again)."""
    obj = ctx.object
    uri = str(obj.get("id", ""))
    if not uri or db.session.scalar(db.select(Greeting.id).where(Greeting.uri == uri)):
        return False
    db.session.add(Greeting(author_id=ctx.actor.id, uri=uri, text=str(obj.get("content", ""))))
    return True


def greeting_to_ap(greeting: Greeting) -> dict[str, Any]:
    return {"type": "Note", "id": greeting.uri, "content": greeting.text, GREETING: True}
