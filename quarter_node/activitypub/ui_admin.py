"""Admins' federation policy (servers, blocks, allowlist) and forwarding reports as Flags.

Every change writes an audit-log entry in the same transaction, so the log always tells who
cut off which server and why. Enforcement lives in ``policy.host_allowed`` (inbox, outbox).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import Select, select

from federation import activities
from quarter_node.accounts.models import Role, User
from quarter_node.activitypub.models import HostPolicy, OutboundActivity, PeerHost
from quarter_node.activitypub.policy import ALLOWLIST_MODE
from quarter_node.activitypub.urls import activity_uri, actor_uri, local_host, post_uri
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.moderation import audit
from quarter_node.moderation.models import Report
from quarter_node.moderation.services import get_report
from quarter_node.node.services import get_node_settings, update_node_settings
from quarter_node.permissions import require_role

FEDERATION_BLOCK = "federation.block"
FEDERATION_UNBLOCK = "federation.unblock"
FEDERATION_ALLOW = "federation.allow"
FEDERATION_DISALLOW = "federation.disallow"
FEDERATION_MODE = "federation.mode"
REPORT_FORWARD = "report.forward"

FEDERATION_MODES = ("open", ALLOWLIST_MODE)
BLOCK_POLICIES = (HostPolicy.REJECT, HostPolicy.LIMIT)


def normalise_host(text: str) -> str:
    """``Social.Example``, ``https://social.example/about`` → ``social.example``."""
    value = (text or "").strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    value = value.strip("/").removeprefix("@")
    if not value or any(c in value for c in " /@?#") or "." not in value and ":" not in value:
        raise InvalidInput(_("Please enter a server name like social.example."))
    if value == local_host():
        raise InvalidInput(_("This is the address of this node."))
    return value


# --- peer hosts -----------------------------------------------------------------------------


def peer_hosts_query() -> Select[tuple[PeerHost]]:
    return select(PeerHost).order_by(PeerHost.host)


def blocked_hosts() -> list[PeerHost]:
    return list(
        db.session.scalars(
            select(PeerHost).where(PeerHost.policy != HostPolicy.NONE).order_by(PeerHost.host)
        )
    )


def allowlisted_hosts() -> list[PeerHost]:
    return list(
        db.session.scalars(select(PeerHost).where(PeerHost.allowlisted).order_by(PeerHost.host))
    )


def block_host(admin: User | None, host: str, policy: HostPolicy, reason: str) -> PeerHost:
    """REJECT: nothing in or out. LIMIT: only followers see what comes from there."""
    require_role(admin, Role.ADMIN)
    if policy not in BLOCK_POLICIES:
        raise InvalidInput(_("Please choose how to limit this server."))
    peer = _peer(normalise_host(host))
    peer.policy, peer.policy_reason = policy, reason.strip()
    note = f"{peer.host}: {policy.value}" + (f" – {peer.policy_reason}" if reason else "")
    audit.record(admin.actor, FEDERATION_BLOCK, note=note)  # type: ignore[union-attr]
    db.session.commit()
    return peer


def unblock_host(admin: User | None, peer_id: int) -> PeerHost:
    require_role(admin, Role.ADMIN)
    peer = _known_peer(peer_id)
    peer.policy, peer.policy_reason = HostPolicy.NONE, ""
    audit.record(admin.actor, FEDERATION_UNBLOCK, note=peer.host)  # type: ignore[union-attr]
    db.session.commit()
    return peer


def allow_host(admin: User | None, host: str) -> PeerHost:
    require_role(admin, Role.ADMIN)
    peer = _peer(normalise_host(host))
    peer.allowlisted = True
    audit.record(admin.actor, FEDERATION_ALLOW, note=peer.host)  # type: ignore[union-attr]
    db.session.commit()
    return peer


def disallow_host(admin: User | None, peer_id: int) -> PeerHost:
    require_role(admin, Role.ADMIN)
    peer = _known_peer(peer_id)
    peer.allowlisted = False
    audit.record(admin.actor, FEDERATION_DISALLOW, note=peer.host)  # type: ignore[union-attr]
    db.session.commit()
    return peer


def set_federation_mode(admin: User | None, mode: str) -> None:
    """``open``: every server that is not blocked; ``allowlist``: only the listed ones."""
    require_role(admin, Role.ADMIN)
    if mode not in FEDERATION_MODES:
        raise InvalidInput(_("Please choose a federation mode."))
    if get_node_settings().federation_mode == mode:
        return
    update_node_settings(federation_mode=mode)
    audit.record(admin.actor, FEDERATION_MODE, note=mode)  # type: ignore[union-attr]
    db.session.commit()


def _peer(host: str) -> PeerHost:
    peer = db.session.scalar(select(PeerHost).where(PeerHost.host == host))
    if peer is None:
        peer = PeerHost(host=host)
        db.session.add(peer)
    return peer


def _known_peer(peer_id: int) -> PeerHost:
    peer = db.session.get(PeerHost, peer_id)
    if peer is None:
        raise NotFound(_("This server is not known here."))
    return peer


# --- reports across nodes -------------------------------------------------------------------


def can_forward(report: Report) -> bool:
    """Only reports about remote accounts go to another server's moderators."""
    target = report.target_actor
    return target is not None and not target.is_local and bool(target.inbox_url)


def forward_report(moderator: User | None, report_id: int) -> OutboundActivity:
    """Send a Flag from the instance actor (the reporter stays anonymous, as on Mastodon)."""
    report = get_report(moderator, report_id)  # checks the moderator may see it
    require_role(moderator, Role.MODERATOR)
    if not can_forward(report):
        raise InvalidInput(_("Only reports about accounts on other servers can be forwarded."))
    from quarter_node.activitypub import outbox
    from quarter_node.activitypub.keys import instance_actor

    sender, target = instance_actor(), report.target_actor
    reported = [actor_uri(target)]
    if report.target_post is not None:
        reported.append(post_uri(report.target_post))
    flag = activities.flag(
        actor_uri(sender),
        reported,
        id=activity_uri("flag", secrets.token_urlsafe(16)),
        target_actor=actor_uri(target),
        reason=report.reason,
    )
    sent = outbox.send(sender, flag, recipients=[target])
    audit.record(moderator.actor, REPORT_FORWARD, target_actor=target, report=report)  # type: ignore[union-attr]
    db.session.commit()
    return sent


def require_admin(user: User | None) -> None:
    if user is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    require_role(user, Role.ADMIN)
