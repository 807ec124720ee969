"""Who changes the network: an admin on the pages, or the operator on the command line
(who has the server, so no account is asked; the audit log then names no moderator)."""

from __future__ import annotations

from typing import Final

from quarter_node.plugin_api import Actor, Role, User, require_role


class Operator:
    """The person at the node's command line."""


OPERATOR: Final = Operator()
Acting = User | Operator | None


def acting_actor(by: Acting) -> Actor | None:
    """The audit log's moderator after checking ``by`` may administer the node."""
    if isinstance(by, Operator):
        return None
    require_role(by, Role.ADMIN)
    return by.actor  # type: ignore[union-attr]
