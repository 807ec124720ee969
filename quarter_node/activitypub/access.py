"""Who outside this node may see a post, and who signed a fetch.

``can_actor_view_post`` is the federation counterpart of ``posts.visibility.can_view_post``:
it asks about an ``Actor`` (often remote) instead of a logged-in ``User``. Serving objects and
choosing delivery recipients both use it, so a post reaches nobody it would not be shown to.

``None`` stands for an unsigned request: it sees what anybody on the web sees.
"""

from __future__ import annotations

import logging

from flask import Request
from sqlalchemy import select, true

from federation.signatures import (
    HttpMessage,
    MissingSignature,
    SignatureError,
    verify_request,
)
from quarter_node.accounts.models import AccountState, Actor, User
from quarter_node.activitypub import remote_keys, urls
from quarter_node.activitypub.models import ActorKey, PostAddressee
from quarter_node.activitypub.policy import host_allowed
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility, Membership, MembershipState
from quarter_node.posts.models import Post, Visibility
from quarter_node.social.blocks import blocked_either_way
from quarter_node.social.models import Follow, FollowState

log = logging.getLogger(__name__)

_OPEN = (Visibility.PUBLIC, Visibility.UNLISTED)


class BadFetchSignature(Exception):
    """A fetch carried a signature that does not verify (answer 401, so the peer refreshes
    its view of our key or notices its own problem)."""


def can_actor_view_post(actor: Actor | None, post: Post) -> bool:
    """May ``actor`` (None: an unsigned request) see ``post``?

    Hidden, deleted and suspended authors' posts are shown to nobody outside. Members-only
    group content goes only to the group's audience; MEMBERS posts are local-only.
    """
    if post.deleted_at is not None or post.hidden_at is not None:
        return False
    return audience_allows(actor, post)


def audience_allows(actor: Actor | None, post: Post) -> bool:
    """The audience rule alone, without the removal checks: tells whether a deleted post's
    Tombstone may be shown (to whoever could see the post) or must look like nothing."""
    if post.author.suspended_at is not None:
        return False
    viewer = actor if actor is not None and actor.suspended_at is None else None
    if viewer is not None and viewer.id == post.author_id:
        return True
    if viewer is not None and blocked_either_way(viewer.id, post.author_id):
        return False  # as ``posts.visibility``: a block keeps the two sides' posts apart
    if post.group is not None and post.group.visibility != GroupVisibility.PUBLIC:
        if viewer is None or not in_group_audience(viewer, post.group):
            return False
    return _in_audience(viewer, post)


def _in_audience(viewer: Actor | None, post: Post) -> bool:
    if post.visibility in _OPEN:
        return True
    if viewer is None:
        return False
    if post.visibility == Visibility.MEMBERS:
        return viewer.is_local and _has_active_account(viewer)
    if post.visibility == Visibility.FOLLOWERS:
        return follows(viewer, post.author_id)
    if post.visibility == Visibility.DIRECT:
        return _is_addressee(viewer, post)
    if post.visibility == Visibility.GROUP:
        return post.group is not None and in_group_audience(viewer, post.group)
    return False


def plugin_grants_fetch(signer: Actor | None, post: Post) -> bool:
    """Does an enabled plugin let ``signer`` fetch ``post`` although the audience rules above
    refuse (``quarter_may_fetch_post``)? Only signed fetches of live posts by authors in
    good standing are asked; delivery never asks, so nothing is *sent* further."""
    if signer is None or signer.suspended_at is not None or post.author.suspended_at:
        return False
    if post.deleted_at is not None or post.hidden_at is not None:
        return False
    if blocked_either_way(signer.id, post.author_id):
        return False
    from quarter_node.plugins.wiring import call_hook

    return any(call_hook("quarter_may_fetch_post", signer=signer, post=post))


def in_group_audience(actor: Actor, group: Group) -> bool:
    """Active local members and remote actors whose Follow of the group was accepted
    (FEP-1b12: following a group is how a remote actor joins it)."""
    if actor.is_local:
        return _exists(
            Membership.group_id == group.id,
            Membership.actor_id == actor.id,
            Membership.state == MembershipState.ACTIVE,
        )
    return follows(actor, group.actor_id)


def follows(actor: Actor, followed_id: int) -> bool:
    return _exists(
        Follow.follower_id == actor.id,
        Follow.followed_id == followed_id,
        Follow.state == FollowState.ACCEPTED,
    )


def _is_addressee(actor: Actor, post: Post) -> bool:
    return _exists(PostAddressee.post_id == post.id, PostAddressee.actor_id == actor.id)


def _has_active_account(actor: Actor) -> bool:
    return _exists(User.actor_id == actor.id, User.state == AccountState.ACTIVE)


def _exists(*conditions) -> bool:  # noqa: ANN002
    return db.session.scalar(select(true()).where(*conditions).limit(1)) is not None


# --- signed fetches ---------------------------------------------------------------------------


def request_message(request: Request) -> HttpMessage:
    """The request as the signer saw it: our public URL (``BASE_URL``) and host, not the
    address a reverse proxy forwarded to, so ``@target-uri`` and ``host`` match what was
    signed for this node."""
    query = request.query_string.decode("latin-1")
    url = urls.base_url() + request.path + (f"?{query}" if query else "")
    message = HttpMessage.build(request.method, url, list(request.headers.items()), b"")
    return message.with_headers({"Host": urls.local_host()})


def request_signer(request: Request) -> Actor | None:
    """The actor whose valid HTTP signature the request carries; None when unsigned.

    Raises ``BadFetchSignature`` when a signature is present but does not verify.
    """
    try:
        verified = verify_request(request_message(request), remote_keys.key_lookup)
    except MissingSignature:
        return None
    except SignatureError as error:
        log.info("refused signed fetch: %s", error)
        raise BadFetchSignature(str(error)) from error
    key = db.session.scalar(select(ActorKey).where(ActorKey.key_id == verified.key_id))
    signer = key.actor if key is not None else None
    if signer is None and verified.owner:
        signer = db.session.scalar(select(Actor).where(Actor.uri == verified.owner))
    if signer is not None and not signer.is_local and not host_allowed(signer.domain):
        return None  # a blocked server sees no more than anybody on the web
    return signer
