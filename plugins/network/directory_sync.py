"""A member quarter's copy of the coordination node's directory (``network_nodes``).

Fetched after approval, whenever the coordination node announces a change (``Add`` /
``Remove``), and once an hour. The copy holds the other approved members only (not this
node), so ``queries.network_domains`` answers which servers belong to the network.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from quarter_node.plugin_api import (
    InvalidInput,
    crontab,
    db,
    is_enabled,
    periodic_job,
)

from . import discovery, entries
from .models import MembershipStatus, NetworkNode, NodeStatus
from .queries import current_membership
from .settings import is_coordination

log = logging.getLogger(__name__)


def sync_directory() -> int | None:
    """Mirror the directory of the network this node belongs to (uncommitted); the number
    of members copied, ``None`` when there is no approved membership or no answer."""
    membership = current_membership()
    if is_coordination() or membership is None:
        return None
    if membership.status != MembershipStatus.APPROVED:
        return None
    parts = urlsplit(membership.coordination_uri)
    try:
        directory = discovery.fetch_directory(f"{parts.scheme}://{parts.netloc}")
    except InvalidInput as error:
        log.info("directory of %s not mirrored: %s", membership.domain, error.message)
        return None
    if directory.get("network"):
        membership.network_name = str(directory["network"])[:200]
    return mirror(directory.get("members"))


def mirror(members: Any) -> int:
    """Replace the copy with ``members`` (entries of ``/network/directory.json``)."""
    listed = _valid_entries(members)
    for node in db.session.query(NetworkNode).all():
        if node.domain not in listed:
            db.session.delete(node)
    for domain, entry in listed.items():
        node = db.session.query(NetworkNode).filter_by(domain=domain).one_or_none()
        if node is None:
            node = NetworkNode(domain=domain, actor_uri=entry["actor"])
            db.session.add(node)
        node.actor_uri, node.status = entry["actor"], NodeStatus.APPROVED
        entries.read_entry(node, entry)
    return len(listed)


def _valid_entries(members: Any) -> dict[str, dict[str, Any]]:
    """Entries with a domain and an actor on that domain; this node left out."""
    own = entries.own_domain()
    found: dict[str, dict[str, Any]] = {}
    for entry in members if isinstance(members, list) else []:
        if not isinstance(entry, dict):
            continue
        domain, actor = str(entry.get("domain") or "").lower(), str(entry.get("actor") or "")
        if domain and domain != own and urlsplit(actor).netloc.lower() == domain:
            found[domain[:255]] = entry
    return found


@periodic_job(crontab(minute="23"))
def refresh_directory() -> None:
    """Once an hour, in case a notice of the coordination node was lost."""
    if is_enabled("network") and sync_directory() is not None:
        db.session.commit()
