"""What residents do with the wider fediverse: follow by handle, remote profiles, shares,
answering follow requests.

Remote actors and their posts are ordinary ``Actor`` and ``Post`` rows, so most of the work
is done by the social and posts services; this module adds what only exists because other
servers exist: typing a handle, their errors, and the Announce ("share") of a post.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from federation.errors import FederationError, InvalidDocument
from federation.webfinger import Handle, parse_handle
from quarter_node import signals
from quarter_node.accounts.models import Actor, ActorKind, User
from quarter_node.activitypub.models import Share
from quarter_node.activitypub.urls import local_host
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.posts.visibility import can_view_post, is_shareable
from quarter_node.social import services as social
from quarter_node.social.models import Follow, FollowState


class ServerUnreachable(ServiceError):
    """The other server did not answer usefully (down, timed out, refused our request)."""

    status_code = 502


# --- handles --------------------------------------------------------------------------------


def handle_of(actor: Actor) -> str:
    """``@name@host`` for remote actors, ``@name`` for ours: how people write them."""
    return f"@{actor.handle}@{actor.domain}" if actor.domain else f"@{actor.handle}"


def profile_handle(actor: Actor) -> str:
    """What ``social.profile`` takes: ``name`` here, ``name@host`` for remote actors."""
    return f"{actor.handle}@{actor.domain}" if actor.domain else actor.handle


def parse_typed_handle(text: str) -> Handle | str:
    """``@name@host``, ``name@host`` or a profile URL; anything else is refused."""
    try:
        return parse_handle(text or "")
    except FederationError:
        raise InvalidInput(
            _("Please enter an address like @name@example.org or the link to a profile.")
        ) from None


def host_of(target: Handle | str) -> str:
    return target.host if isinstance(target, Handle) else urlsplit(target).netloc.lower()


def find_actor(text: str) -> Actor:
    """The actor behind what someone typed: known actors at once, others via WebFinger.

    Errors say what a person can act on: a typo (422), nobody there (404), a server this
    node does not federate with (403), a server that does not answer (502).
    """
    target = parse_typed_handle(text)
    host = host_of(target)
    if host == local_host():
        return _local_actor(target)
    if not _host_allowed(host):
        raise PermissionDenied(_("This node does not connect with %(host)s.", host=host))
    actor = _stored_actor(target) or _resolve(target)
    if actor.kind not in (ActorKind.PERSON, ActorKind.GROUP):
        raise InvalidInput(_("This address belongs to no person or group."))
    return actor


def follow_by_handle(user: User | None, text: str) -> tuple[Actor, Follow]:
    """Follow someone by their address. Remote follows wait for the other side's answer."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    actor = find_actor(text)
    return actor, social.follow(user, actor)


def get_remote_actor(handle: str, host: str) -> Actor:
    """A stored remote actor by ``name`` and ``host`` (profile pages never fetch)."""
    actor = db.session.scalar(
        select(Actor).where(Actor.handle == handle.lower(), Actor.domain == host.lower())
    )
    if actor is None:
        raise NotFound(_("We do not know this account yet. Follow it to see its posts here."))
    return actor


def _host_allowed(host: str) -> bool:
    from quarter_node.activitypub.policy import host_allowed

    return host_allowed(host)


def _local_actor(target: Handle | str) -> Actor:
    if not isinstance(target, Handle):
        path = urlsplit(target).path
        name = path.rsplit("/", 1)[-1].removeprefix("@")
    else:
        name = target.username
    return social.get_local_actor(name)


def _stored_actor(target: Handle | str) -> Actor | None:
    if isinstance(target, Handle):
        condition = (Actor.handle == target.username.lower()) & (Actor.domain == target.host)
    else:
        condition = (Actor.uri == target) | (Actor.profile_url == target)
    return db.session.scalar(select(Actor).where(condition, Actor.domain != ""))


def _resolve(target: Handle | str) -> Actor:
    from quarter_node.activitypub import remote

    try:
        return remote.resolve_handle(str(target))
    except FederationError as error:
        raise _explained(error) from None


_STATUS_RE = re.compile(r"answered (\d{3})")


def _explained(error: BaseException) -> ServiceError:
    """Turn what went wrong far away into something a person can act on: nobody has this
    address (the server said 404/410 or sent no usable document), the address is no
    person or group, or the server could not be reached."""
    chain = _causes(error)
    statuses = {getattr(e, "status", None) for e in chain}
    statuses |= {int(m.group(1)) for e in chain for m in _STATUS_RE.finditer(str(e))}
    if statuses & {404, 410} or any(isinstance(e, InvalidDocument) for e in chain):
        return NotFound(_("There is no account with this address."))
    if any("is not an actor" in str(e) for e in chain):
        return InvalidInput(_("This address belongs to no person or group."))
    return ServerUnreachable(_("The other server did not answer. Try again later."))


def _causes(error: BaseException | None) -> list[BaseException]:
    chain: list[BaseException] = []
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


# --- follow requests ------------------------------------------------------------------------


def follow_requests(user: User) -> list[Follow]:
    """Who waits for ``user`` to accept them, oldest first."""
    return list(
        db.session.scalars(
            select(Follow)
            .where(Follow.followed_id == user.actor_id, Follow.state == FollowState.PENDING)
            .order_by(Follow.created_at, Follow.id)
        )
    )


def answer_follow_request(user: User | None, follow_id: int, *, accept: bool) -> Actor:
    """Accept or refuse someone who asked to follow ``user`` (the emitters tell their node)."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    request = db.session.get(Follow, follow_id)
    if request is None or request.followed_id != user.actor_id:
        raise NotFound(_("There is no follow request to answer."))
    follower = request.follower
    if accept:
        social.accept_follow(follower, user.actor)
    else:
        social.reject_follow(follower, user.actor)
    return follower


def set_manual_approval(user: User, manual: bool) -> None:
    """Locked accounts decide about every new follower; open ones accept everybody."""
    user.actor.manually_approves_followers = manual
    signals.actor_updated.send(user.actor)
    db.session.commit()


# --- shares (Announce) ----------------------------------------------------------------------


def share_post(user: User | None, post: Post) -> Share:
    """Share a public post with one's followers. Sharing twice changes nothing."""
    _require_shareable(user, post)
    existing = share_of(user.actor, post)  # type: ignore[union-attr]
    if existing is not None:
        return existing
    share = Share(actor_id=user.actor_id, post_id=post.id)  # type: ignore[union-attr]
    db.session.add(share)
    db.session.flush()
    signals.post_shared.send(share)
    db.session.commit()
    return share


def unshare_post(user: User | None, post: Post) -> bool:
    """Take a share back; always possible, even after the post became private or hidden."""
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    existing = share_of(user.actor, post)  # type: ignore[union-attr]
    if existing is None:
        return False
    signals.post_unshared.send(existing)
    db.session.delete(existing)
    db.session.commit()
    return True


def share_of(actor: Actor, post: Post) -> Share | None:
    return db.session.scalar(
        select(Share).where(Share.actor_id == actor.id, Share.post_id == post.id)
    )


def _require_shareable(user: User | None, post: Post) -> None:
    if user is None or not user.is_active:
        raise PermissionDenied(_("You are not allowed to do this."))
    if not can_view_post(user, post) or post.deleted_at is not None:
        raise NotFound(_("This post does not exist or is not visible to you."))
    if not is_shareable(post):
        raise InvalidInput(_("Only public posts can be shared."))
