"""Federation policy: with which servers this node exchanges anything at all.

One question, asked by the inbox (FB), the outbox (FC) and the UI (FE): ``host_allowed``.
Admins set the answers on /admin/federation: REJECT blocks a server (and its subdomains,
as Mastodon's domain blocks do); in allowlist mode only listed servers are allowed.
"""

from __future__ import annotations

from sqlalchemy import select

from quarter_node.activitypub.models import HostPolicy, PeerHost
from quarter_node.extensions import db
from quarter_node.node.services import get_node_settings

ALLOWLIST_MODE = "allowlist"


def host_allowed(host: str) -> bool:
    """May this node fetch from, accept from and deliver to ``host`` (with port if any)?"""
    host = host.lower()
    if _rejected(host):
        return False
    if get_node_settings().federation_mode == ALLOWLIST_MODE:
        peer = db.session.scalar(select(PeerHost).where(PeerHost.host == host))
        return peer is not None and peer.allowlisted
    return True


def _rejected(host: str) -> bool:
    """The host itself or a parent domain (``social.example`` covers ``a.social.example``)."""
    name = host.split(":", 1)[0]
    labels = name.split(".")
    candidates = {host} | {".".join(labels[i:]) for i in range(len(labels) - 1)}
    return (
        db.session.scalar(
            select(PeerHost.id).where(
                PeerHost.host.in_(candidates), PeerHost.policy == HostPolicy.REJECT
            )
        )
        is not None
    )


def allowed_hosts(hosts: set[str]) -> set[str]:
    """``host_allowed`` for many hosts in two queries (the outbox fans out to hundreds)."""
    wanted = {host.lower() for host in hosts if host}
    blocked = set(
        db.session.scalars(select(PeerHost.host).where(PeerHost.policy == HostPolicy.REJECT))
    )
    allowed = {host for host in wanted if not (_parent_domains(host) & blocked)}
    if allowed and get_node_settings().federation_mode == ALLOWLIST_MODE:
        listed = db.session.scalars(
            select(PeerHost.host).where(PeerHost.host.in_(allowed), PeerHost.allowlisted)
        )
        allowed &= set(listed)
    return allowed


def _parent_domains(host: str) -> set[str]:
    """``host`` itself and every parent domain of its name (as ``_rejected`` checks)."""
    labels = host.split(":", 1)[0].split(".")
    return {host} | {".".join(labels[i:]) for i in range(len(labels) - 1)}
