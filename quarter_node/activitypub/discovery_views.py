"""Discovery: WebFinger, NodeInfo and host-meta.

These are how other servers find our actors (``@anna@quartier.example``) and learn what our
node is. The documents come from the ``federation`` library; this module only looks up what
to put in them.
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, request
from sqlalchemy import func, select

from federation.errors import InvalidDocument
from federation.hostmeta import XRD_XML, build_host_meta
from federation.nodeinfo import PROFILE_21, Usage, build_nodeinfo, build_well_known
from federation.webfinger import JRD_JSON, Handle, build_jrd, parse_handle
from quarter_node.accounts.models import AccountState, Actor, ActorKind, User
from quarter_node.activitypub import tombstones, urls
from quarter_node.activitypub.keys import instance_actor
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.node.services import RegistrationMode, get_node_settings
from quarter_node.posts.models import Post

bp = Blueprint("discovery", __name__)

SOFTWARE_NAME = "quarter-node"


def _json(document: Any, content_type: str, status: int = 200) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False), status, content_type=content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int) -> Response:
    return _json({"error": message}, "application/json", status)


# --- WebFinger --------------------------------------------------------------------------------


@bp.get("/.well-known/webfinger")
def webfinger() -> Response:
    """``acct:handle@host`` (or an actor's URL) of a person, group or the instance actor."""
    resource = request.args.get("resource", "").strip()
    try:
        parsed = parse_handle(resource) if resource else None
    except InvalidDocument:
        parsed = None
    if parsed is None:
        return _error("resource must be acct:name@host or an actor URL", 400)
    handle = _handle_from_url(parsed) if isinstance(parsed, str) else parsed
    if handle is None or handle.host != urls.local_host().lower():
        return _error("unknown resource", 404)
    actor = _actor_for(handle.username.lower())
    if actor is None:
        if tombstones.handle_reserved(handle.username):
            return _error("deleted", 410)  # as Mastodon answers for deleted accounts
        return _error("unknown resource", 404)
    db.session.commit()  # the instance actor may just have been made
    subject = Handle(actor.handle, urls.local_host())
    actor_id = urls.actor_uri(actor)
    profile = None if actor.kind == ActorKind.APPLICATION else actor_id
    return _json(build_jrd(subject, actor_id, profile_url=profile), JRD_JSON)


def _handle_from_url(url: str) -> Handle | None:
    """The handle behind one of our actor URLs (``/@anna``, ``/groups/garten``, ``/actor``)."""
    if not urls.is_local_uri(url):
        return None
    path = urlsplit(url).path
    for prefix in ("/@", "/groups/"):
        name = path.removeprefix(prefix)
        if path.startswith(prefix) and name and "/" not in name:
            return Handle(name, urls.local_host().lower())
    if path == "/actor":
        return Handle(urls.INSTANCE_ACTOR_HANDLE, urls.local_host().lower())
    return None


def _actor_for(username: str) -> Actor | None:
    if username == urls.INSTANCE_ACTOR_HANDLE:
        return instance_actor()
    actor = db.session.scalar(
        select(Actor).where(
            Actor.handle == username,
            Actor.domain == "",
            Actor.kind.in_([ActorKind.PERSON, ActorKind.GROUP]),
        )
    )
    if actor is None or (actor.kind == ActorKind.PERSON and not _active(actor)):
        return None
    return actor


def _active(actor: Actor) -> bool:
    return actor.user is not None and actor.user.state == AccountState.ACTIVE


# --- NodeInfo ---------------------------------------------------------------------------------


@bp.get("/.well-known/nodeinfo")
def nodeinfo_links() -> Response:
    """The links document, with the FEP-2677 link to our application actor."""
    document = build_well_known(urls.base_url() + "/nodeinfo/2.1", urls.base_url() + "/actor")
    return _json(document, "application/json")


@bp.get("/nodeinfo/2.1")
def nodeinfo() -> Response:
    settings = get_node_settings()
    document = build_nodeinfo(
        software_name=SOFTWARE_NAME,
        version=software_version(),
        # As Mastodon counts it: anybody can apply (approval included), not only by invitation.
        open_registrations=settings.registration_mode
        in (RegistrationMode.OPEN.value, RegistrationMode.APPROVAL.value),
        usage=_usage(),
        metadata={"nodeName": settings.name, "nodeDescription": settings.description},
    )
    return _json(document, PROFILE_21)


def software_version() -> str:
    try:
        return metadata.version(SOFTWARE_NAME)
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _usage() -> Usage:
    people = (
        select(func.count(User.id))
        .join(Actor, Actor.id == User.actor_id)
        .where(User.state == AccountState.ACTIVE, Actor.suspended_at.is_(None))
    )
    now = utcnow()

    def active_since(days: int) -> int:
        since = now - timedelta(days=days)
        return db.session.scalar(people.where(User.last_login_at >= since)) or 0

    local_posts = (
        select(func.count(Post.id))
        .join(Actor, Actor.id == Post.author_id)
        .where(Actor.domain == "", Post.deleted_at.is_(None))
    )
    return Usage(
        users_total=db.session.scalar(people) or 0,
        active_month=active_since(30),
        active_halfyear=active_since(180),
        local_posts=db.session.scalar(local_posts) or 0,
    )


# --- host-meta --------------------------------------------------------------------------------


@bp.get("/.well-known/host-meta")
def host_meta() -> Response:
    response = Response(build_host_meta(urls.base_url()), content_type=XRD_XML)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
