"""Federation policy: with which servers this node exchanges anything at all.

One question, asked by the inbox (FB), the outbox (FC) and the UI (FE): ``host_allowed``.
Admins set the answers on /admin/federation: REJECT blocks a server (and its subdomains,
as Mastodon's domain blocks do); in allowlist mode only listed servers are allowed.

LIMIT (Mastodon's "limit"/"silence") keeps exchanging, but what comes from there is shown
only to people who follow its author. It is enforced where content is read
(``posts.visibility``), not when it arrives, so changing the policy also changes what
is shown of content stored before: ``limited_hosts`` / ``domain_in`` for queries,
``host_limited`` for one actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, false, or_, select

from quarter_node.activitypub.models import HostPolicy, PeerHost
from quarter_node.extensions import db
from quarter_node.node.models import NodeSetting
from quarter_node.node.services import get_node_settings, stored_key

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


@dataclass(frozen=True)
class InboxGate:
    """What the inbox must know before any work: is the node set up, and does it federate
    with the sender's host (``host_allowed``)."""

    set_up: bool
    host_allowed: bool


def inbox_gate(host: str) -> InboxGate:
    """``is_setup_complete()`` and ``host_allowed(host)`` in ONE prebuilt query: the inbox
    asks both on every request, and each separate ORM query cost more Python time than
    the database needed to answer all of them. Same rules as ``host_allowed``."""
    host = host.lower()
    params = {"hosts": sorted(_parent_domains(host)), "host": host}
    rejected, mode, set_up, allowlisted = (
        db.session.connection().execute(_gate_statement(), params).one()
    )
    allowed = not rejected and (mode != ALLOWLIST_MODE or bool(allowlisted))
    return InboxGate(set_up=bool(set_up), host_allowed=allowed)


@cache
def _gate_statement() -> Any:
    """Built once (values travel as parameters); a missing setting means its default
    (not set up, open federation), as in ``NodeSettings``."""

    def setting(name: str) -> Any:
        return select(NodeSetting.value).where(NodeSetting.key == stored_key(name))

    return select(
        exists().where(
            PeerHost.host.in_(bindparam("hosts", expanding=True)),
            PeerHost.policy == HostPolicy.REJECT,
        ),
        setting("federation_mode").scalar_subquery(),
        setting("setup_complete").scalar_subquery(),
        select(PeerHost.allowlisted).where(PeerHost.host == bindparam("host")).scalar_subquery(),
    )


def _rejected(host: str) -> bool:
    """The host itself or a parent domain (``social.example`` covers ``a.social.example``)."""
    return _has_policy(host, HostPolicy.REJECT)


def host_limited(host: str) -> bool:
    """Is content from ``host`` (or a parent domain of it) only for its authors' followers?
    Local actors (``host`` empty) never are."""
    return bool(host) and _has_policy(host.lower(), HostPolicy.LIMIT)


def _has_policy(host: str, policy: HostPolicy) -> bool:
    return (
        db.session.scalar(
            select(PeerHost.id).where(
                PeerHost.host.in_(_parent_domains(host)), PeerHost.policy == policy
            )
        )
        is not None
    )


def limited_hosts() -> list[str]:
    """Every host with the LIMIT policy (few: admins list them by hand)."""
    return list(
        db.session.scalars(select(PeerHost.host).where(PeerHost.policy == HostPolicy.LIMIT))
    )


def domain_in(domain: ColumnElement[str], hosts: list[str]) -> ColumnElement[bool]:
    """SQL form of ``_parent_domains(domain) & hosts``: the domain is one of ``hosts`` or a
    subdomain of one (with any port) — the same matching as ``host_limited``."""
    conditions: list[ColumnElement[bool]] = [domain.in_(hosts)] if hosts else [false()]
    for host in hosts:
        if ":" in host or "." not in host:
            continue  # a port pins the exact host; a bare top-level name covers nothing
        pattern = _like_literal(host)
        conditions.append(domain.like(f"%.{pattern}", escape="\\"))
        conditions.append(domain.like(f"{pattern}:%", escape="\\"))
        conditions.append(domain.like(f"%.{pattern}:%", escape="\\"))
    return or_(*conditions)


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
