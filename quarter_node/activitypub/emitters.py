"""Local changes become activities for other servers: one subscriber per core signal.

Each subscriber builds the activity and hands it to ``outbox.send`` inside the service's
transaction (a rollback takes the activity back). The rules of who hears of what:
MEMBERS posts never leave the node; a post goes to the author's remote followers (unless
direct or group-only), to remote addressees and the remote author of the post it answers
(each only if ``access`` lets them see it); a group post is also passed on by the group
actor to its remote followers as an Announce (FEP-1b12). Updates and Deletes go to every
inbox an earlier activity about the post went to. Only remote recipients get deliveries.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from federation import activities
from federation import vocabulary as v
from quarter_node import signals
from quarter_node.accounts.models import Actor
from quarter_node.activitypub import access, delivery, outbox, serializers, tombstones, urls  # noqa: F401
from quarter_node.activitypub.block_emitters import SUBSCRIBERS as BLOCK_SUBSCRIBERS
from quarter_node.activitypub.instance_relays import relay_inboxes
from quarter_node.activitypub.models import PostAddressee, Share
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.social.models import Follow

_connected: set[Any] = set()
_TO_FOLLOWERS = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.FOLLOWERS)


def init_app(app: Flask) -> None:
    """Connect every subscriber, once per process however many apps are made (each would
    otherwise send every activity once more)."""
    for signal, subscriber in _SUBSCRIBERS:
        if subscriber not in _connected:
            signal.connect(_receiver(subscriber), weak=False)
            _connected.add(subscriber)


def _receiver(subscriber: Any) -> Any:
    def receive(sender: Any, **_details: Any) -> None:
        subscriber(sender)

    return receive


# --- posts ------------------------------------------------------------------------------------


def _federates(post: Post) -> bool:
    return post.author.is_local and post.uri is None and post.visibility != Visibility.MEMBERS


def _group_only(post: Post) -> bool:
    group = post.group
    return group is not None and (
        post.visibility == Visibility.GROUP or group.visibility != GroupVisibility.PUBLIC
    )


def post_activity_prefix(post: Post, kind: str) -> str:
    """Ids of activities about a post start with ``.../<kind>/p<id>-`` so Update/Delete find
    their audience and the outbox collection finds the id a Create was sent with."""
    return urls.activity_uri(kind, f"p{post.id}-")


def _post_activity_uri(post: Post, kind: str) -> str:
    return outbox.post_activity_uri(post.id, kind)


def _addressed(post: Post) -> list[Actor]:
    """Remote addressees and the remote author replied to, if they may see the post."""
    actors = list(
        db.session.scalars(
            select(Actor)
            .join(PostAddressee, PostAddressee.actor_id == Actor.id)
            .where(PostAddressee.post_id == post.id, Actor.domain != "")
        )
    )
    parent = post.in_reply_to
    if parent is not None and not parent.author.is_local:
        actors.append(parent.author)
    return [actor for actor in actors if access.can_actor_view_post(actor, post)]


def _send_about_post(post: Post, activity: dict[str, Any], inboxes: list[str] = ()) -> None:
    """Send ``activity`` by the author to the post's audience, and relay it via its group."""
    followers = post.visibility in _TO_FOLLOWERS and not _group_only(post)
    public = post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED) and not _group_only(post)
    if post.visibility == Visibility.PUBLIC and not _group_only(post):
        inboxes = [*inboxes, *relay_inboxes()]  # as Mastodon does
    outbox.send(
        post.author,
        activity,
        recipients=_addressed(post),
        followers_of=post.author if followers else None,
        inboxes=inboxes,
        public=public,
    )
    if post.group is not None:
        group_actor = post.group.actor
        relay = activities.announce(
            urls.actor_uri(group_actor),
            activity,
            id=_post_activity_uri(post, "announce"),
            to=[urls.followers_uri(group_actor)],
            cc=[v.PUBLIC] if public else [],
        )
        outbox.send(group_actor, relay, followers_of=group_actor, public=public)


def _earlier_inboxes(post: Post) -> list[str]:
    """Every inbox an activity about ``post`` was planned for (they must hear of changes)."""
    return outbox.inboxes_reached(f"p{post.id}")


def on_post_published(post: Post) -> None:
    if not _federates(post):
        return
    db.session.flush()
    note = serializers.post_to_ap(post)
    create = activities.create(
        urls.actor_uri(post.author), note, id=_post_activity_uri(post, "create")
    )
    _send_about_post(post, create)


def on_post_edited(post: Post) -> None:
    if not _federates(post):
        return
    note = serializers.post_to_ap(post)
    update = activities.update(
        urls.actor_uri(post.author),
        note,
        id=_post_activity_uri(post, "update"),
        updated=post.edited_at or utcnow(),
    )
    _send_about_post(post, update, _earlier_inboxes(post))


def on_post_deleted(post: Post) -> None:
    if not _federates(post):
        return
    inboxes = _earlier_inboxes(post)
    if not inboxes:
        return  # it never left the node
    to, cc = serializers.addressing(post)
    delete = activities.delete_with_tombstone(
        urls.actor_uri(post.author),
        urls.post_uri(post),
        id=_post_activity_uri(post, "delete"),
        to=to or [v.PUBLIC],
        cc=cc,
        former_type=v.NOTE,
        deleted=utcnow(),
    )
    outbox.send(post.author, delete, inboxes=inboxes)


# --- likes and shares -------------------------------------------------------------------------


def _like_activity(like: Like, post: Post) -> dict[str, Any]:
    liker = db.session.get(Actor, like.actor_id)
    return activities.like(
        urls.actor_uri(liker), urls.post_uri(post), id=like.uri, author=urls.actor_uri(post.author)
    )


def on_post_liked(like: Like) -> None:
    post = db.session.get(Post, like.post_id)
    if post is None or post.author.is_local:
        return
    like.uri = like.uri or outbox.new_activity_uri("like")
    outbox.send(
        db.session.get(Actor, like.actor_id),
        _like_activity(like, post),
        recipients=[post.author],
    )


def on_post_unliked(like: Like) -> None:
    post = db.session.get(Post, like.post_id)
    if post is None or post.author.is_local or not like.uri:
        return
    liker = db.session.get(Actor, like.actor_id)
    undo = activities.undo(
        urls.actor_uri(liker), _like_activity(like, post), id=outbox.new_activity_uri("undo")
    )
    outbox.send(liker, undo, recipients=[post.author])


def _share_sides(share: Share) -> tuple[Actor, Post]:
    sharer, post = db.session.get(Actor, share.actor_id), db.session.get(Post, share.post_id)
    assert sharer is not None and post is not None
    return sharer, post


def announce_of_share(share: Share) -> dict[str, Any]:
    """The Announce of a share, as sent and as listed in the sharer's outbox."""
    sharer, post = _share_sides(share)
    return activities.announce(
        urls.actor_uri(sharer),
        urls.post_uri(post),
        id=share.uri,
        to=[v.PUBLIC],
        cc=[urls.followers_uri(sharer), urls.actor_uri(post.author)],
        published=share.created_at or utcnow(),
    )


def on_post_shared(share: Share) -> None:
    share.uri = share.uri or outbox.new_activity_uri("announce")
    sharer, post = _share_sides(share)
    recipients = [] if post.author.is_local else [post.author]
    outbox.send(
        sharer,
        announce_of_share(share),
        recipients=recipients,
        followers_of=sharer,
        public=True,
    )


def on_post_unshared(share: Share) -> None:
    if not share.uri:
        return
    sharer, post = _share_sides(share)
    undo = activities.undo(
        urls.actor_uri(sharer), announce_of_share(share), id=outbox.new_activity_uri("undo")
    )
    recipients = [] if post.author.is_local else [post.author]
    outbox.send(sharer, undo, recipients=recipients, followers_of=sharer)


# --- follows ----------------------------------------------------------------------------------


def _sides(follow: Follow) -> tuple[Actor, Actor]:
    """Follower and followed, also for a row just added (its relationships are not loaded)."""
    follower = db.session.get(Actor, follow.follower_id)
    followed = db.session.get(Actor, follow.followed_id)
    assert follower is not None and followed is not None
    return follower, followed


def _follow_activity(follow: Follow, follower: Actor, followed: Actor) -> dict[str, Any]:
    return activities.follow(
        urls.actor_uri(follower), urls.actor_uri(followed), id=follow.uri or ""
    )


def on_follow_requested(follow: Follow) -> None:
    follower, followed = _sides(follow)
    if followed.is_local or not follower.is_local:
        return
    follow.uri = follow.uri or outbox.new_activity_uri("follow")
    outbox.send(follower, _follow_activity(follow, follower, followed), recipients=[followed])


def on_follow_undone(follow: Follow) -> None:
    follower, followed = _sides(follow)
    if followed.is_local or not follower.is_local or not follow.uri:
        return
    undo = activities.undo(
        urls.actor_uri(follower),
        _follow_activity(follow, follower, followed),
        id=outbox.new_activity_uri("undo"),
    )
    outbox.send(follower, undo, recipients=[followed])


def _answer_follow(follow: Follow, build: Any, kind: str) -> None:
    """Accept/Reject a remote follower's request, embedding it as Mastodon matches it."""
    follower, followed = _sides(follow)
    if follower.is_local or not followed.is_local:
        return
    request = {
        key: value
        for key, value in _follow_activity(follow, follower, followed).items()
        if key in ("id", "type", "actor", "object") and value
    }
    answer = build(urls.actor_uri(followed), request, id=outbox.new_activity_uri(kind))
    outbox.send(followed, answer, recipients=[follower])


def on_follow_accepted(follow: Follow) -> None:
    _answer_follow(follow, activities.accept, "accept")


def on_follow_rejected(follow: Follow) -> None:
    _answer_follow(follow, activities.reject, "reject")


# --- actors -----------------------------------------------------------------------------------


def on_actor_updated(actor: Actor) -> None:
    if not actor.is_local:
        return
    document = serializers.actor_to_ap(actor)
    update = activities.update(
        urls.actor_uri(actor), document, id=outbox.new_activity_uri("update"), updated=utcnow()
    )
    update["to"] = [v.PUBLIC]
    outbox.send(actor, update, followers_of=actor, public=True)


def on_actor_deleted(actor: Actor) -> None:
    """Tell followers and every server we know: the account is gone for good. The actor
    leaves a tombstone with its key, so the worker can sign the Delete after the row is
    gone; an actor that never had a key was never seen by another server (its document and
    every signature would have made one), so nobody needs telling."""
    if not actor.is_local:
        return
    tombstone = tombstones.bury(actor)
    if tombstone.private_pem is None:
        return
    uri = urls.actor_uri(actor)
    delete = activities.activity(
        v.DELETE, id=outbox.new_activity_uri("delete"), actor=uri, object=uri, to=[v.PUBLIC]
    )
    shared = db.session.scalars(
        select(Actor.shared_inbox_url)
        .where(Actor.domain != "", Actor.shared_inbox_url != "")
        .distinct()
    )
    outbox.send(actor, delete, followers_of=actor, inboxes=list(shared), public=True)


_SUBSCRIBERS = (
    (signals.post_published, on_post_published),
    (signals.post_edited, on_post_edited),
    (signals.post_deleted, on_post_deleted),
    (signals.post_liked, on_post_liked),
    (signals.post_unliked, on_post_unliked),
    (signals.post_shared, on_post_shared),
    (signals.post_unshared, on_post_unshared),
    (signals.follow_requested, on_follow_requested),
    (signals.follow_undone, on_follow_undone),
    (signals.follow_accepted, on_follow_accepted),
    (signals.follow_rejected, on_follow_rejected),
    (signals.actor_updated, on_actor_updated),
    (signals.actor_deleted, on_actor_deleted),
    *BLOCK_SUBSCRIBERS,
)
