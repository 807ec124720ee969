"""Local actors and posts as ActivityStreams documents.

Addressing per visibility (what ``to``/``cc`` say is what remote servers show):

* PUBLIC: to Public, cc the author's followers (+ mentions);
* UNLISTED: to the followers, cc Public (Mastodon's "quiet public");
* FOLLOWERS: to the followers (+ in cc the mentioned people who follow the author);
* DIRECT: to the addressees only (the people mentioned, or of the conversation answered);
* GROUP: to the group actor, cc the group's followers (its remote members, FEP-1b12);
* MEMBERS: nobody. "Members of this node" has no meaning on another server, so such posts
  are local-only and never federated; ``addressing`` returns empty lists for them.

A post in a group always carries ``audience`` = the group and names the group in ``to``
(the group relays it to its followers); posts of members-only groups are never public,
whatever their own visibility says. A post written into a group on another server names
the group as addressee (in ``cc``, or ``to`` when direct) and ``audience``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from federation import vocabulary as v
from federation.activities import format_datetime
from federation.activities import tombstone as build_tombstone
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import urls
from quarter_node.activitypub.keys import ensure_key
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility, JoinMode
from quarter_node.posts.addressing import addressees_of
from quarter_node.posts.markdown import render_markdown
from quarter_node.posts.models import Post, Visibility

_RELATIVE_HREF = re.compile(r'href="/(?!/)')
LEMMY_NAMESPACE = "https://join-lemmy.org/ns#"

#: Our context plus the few terms only actor documents use.
ACTOR_CONTEXT: list[Any] = [
    v.AS_NAMESPACE,
    v.SECURITY_NAMESPACE,
    {
        **v.EXTENSION_CONTEXT,
        "lemmy": LEMMY_NAMESPACE,
        "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
        "suspended": "toot:suspended",
    },
]

_ACTOR_TYPES = {
    ActorKind.PERSON: v.PERSON,
    ActorKind.GROUP: v.GROUP,
    ActorKind.APPLICATION: v.APPLICATION,
}


def media_url(storage_name: str) -> str:
    return f"{urls.base_url()}/media/{storage_name}"


def group_of(actor: Actor) -> Group | None:
    return db.session.scalar(select(Group).where(Group.actor_id == actor.id))


# --- actors -----------------------------------------------------------------------------------


def actor_to_ap(actor: Actor) -> dict[str, Any]:
    """The actor document of a local person, group or the instance actor.

    A suspended actor keeps a minimal document with ``suspended: true`` (as Mastodon does):
    id, inbox and key stay, so peers can still verify the Delete or Undo that may follow,
    while name, bio and picture are withheld.
    """
    document = _actor_skeleton(actor)
    if actor.suspended_at is not None:
        return {"@context": ACTOR_CONTEXT, **document, "suspended": True}
    document |= _actor_profile(actor)
    if actor.kind == ActorKind.GROUP:
        document |= _group_details(actor)
    return {"@context": ACTOR_CONTEXT, **document}


def _actor_skeleton(actor: Actor) -> dict[str, Any]:
    actor_id = urls.actor_uri(actor)
    key = ensure_key(actor)
    return {
        "id": actor_id,
        "type": _ACTOR_TYPES[actor.kind],
        "preferredUsername": actor.handle,
        "inbox": urls.inbox_uri(actor),
        "outbox": urls.outbox_uri(actor),
        "followers": urls.followers_uri(actor),
        "following": urls.following_uri(actor),
        "endpoints": {"sharedInbox": urls.shared_inbox_uri()},
        "publicKey": {"id": key.key_id, "owner": actor_id, "publicKeyPem": key.public_pem},
        "url": actor_id if actor.kind != ActorKind.APPLICATION else urls.base_url() + "/about",
        "published": format_datetime(actor.created_at),
    }


def _actor_profile(actor: Actor) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "name": actor.display_name or actor.handle,
        "summary": render_markdown(actor.bio) if actor.bio else "",
        "manuallyApprovesFollowers": actor.kind == ActorKind.APPLICATION,
        # People are not listed in directories or search by default: a neighbourhood
        # network should not make residents findable across the fediverse unasked.
        "discoverable": False,
        "indexable": False,
    }
    if actor.avatar is not None:
        profile["icon"] = {
            "type": v.IMAGE,
            "mediaType": actor.avatar.mime_type,
            "url": media_url(actor.avatar.storage_name),
        }
    return profile


def _group_details(actor: Actor) -> dict[str, Any]:
    """FEP-1b12: a Group that relays its members' posts; anybody may post, approval of
    followers (= remote members) whenever local joining needs approval or content is private."""
    group = group_of(actor)
    public = group is not None and group.visibility == GroupVisibility.PUBLIC
    open_join = group is not None and group.join_mode == JoinMode.OPEN
    return {
        "manuallyApprovesFollowers": not (public and open_join),
        "discoverable": public,
        "postingRestrictedToMods": False,
    }


# --- posts ------------------------------------------------------------------------------------


def _addressees_in_audience(post: Post) -> list[Actor]:
    """The addressees who may see the post. A person merely mentioned in a followers-only
    post is not in its audience unless they follow the author; naming them in ``cc`` or a
    Mention tag would make their server show it to them all the same."""
    from quarter_node.activitypub.access import audience_allows

    return [actor for actor in addressees_of(post) if audience_allows(actor, post)]


def _remote_group_addressee(post: Post) -> Actor | None:
    """The group on another server a post was written into (``posts.remote_groups``)."""
    groups = [a for a in addressees_of(post) if a.kind == ActorKind.GROUP and not a.is_local]
    return groups[0] if groups else None


def _addressee_uris(post: Post) -> list[str]:
    return [urls.actor_uri(actor) for actor in _addressees_in_audience(post)]


def _group_is_private(post: Post) -> bool:
    return post.group is not None and post.group.visibility != GroupVisibility.PUBLIC


def addressing(post: Post) -> tuple[list[str], list[str]]:
    """``to`` and ``cc`` of a local post (see the module docstring for the rules)."""
    visibility = post.visibility
    if visibility == Visibility.MEMBERS:
        return [], []
    if visibility == Visibility.DIRECT:
        return _addressee_uris(post), []
    followers = urls.followers_uri(post.author)
    mentions = _addressee_uris(post)
    if post.group is not None:
        group = post.group.actor
        group_id, group_followers = urls.actor_uri(group), urls.followers_uri(group)
        if visibility == Visibility.GROUP or _group_is_private(post):
            return [group_id], [group_followers]
        if visibility == Visibility.PUBLIC:
            return [v.PUBLIC, group_id], _unique([followers, group_followers, *mentions])
        if visibility == Visibility.UNLISTED:
            return [followers, group_id], _unique([v.PUBLIC, group_followers, *mentions])
        return [followers, group_id], _unique([group_followers, *mentions])
    if visibility == Visibility.PUBLIC:
        return [v.PUBLIC], [followers, *mentions]
    if visibility == Visibility.UNLISTED:
        return [followers], [v.PUBLIC, *mentions]
    return [followers], mentions


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def post_to_ap(post: Post) -> dict[str, Any]:
    """A local post as a Note (with our context; strip it when embedding)."""
    to, cc = addressing(post)
    content = absolute_links(post.content_html)
    note: dict[str, Any] = {
        "id": urls.post_uri(post),
        "type": v.NOTE,
        "attributedTo": urls.actor_uri(post.author),
        "content": content,
        "url": post.url or urls.post_uri(post),
        "published": format_datetime(post.created_at),
        "to": to,
        "cc": cc,
        "sensitive": False,
        "inReplyTo": urls.post_uri(post.in_reply_to) if post.in_reply_to else None,
    }
    if post.language:
        note["contentMap"] = {post.language: content}
    if post.edited_at is not None:
        note["updated"] = format_datetime(post.edited_at)
    if post.group is not None:
        note["audience"] = urls.actor_uri(post.group.actor)
    elif remote_group := _remote_group_addressee(post):
        note["audience"] = urls.actor_uri(remote_group)
    if attachments := [_attachment(media) for media in post.media]:
        note["attachment"] = attachments
    if tags := _mention_tags(post):
        note["tag"] = tags
    return v.with_context(note)


def _attachment(media: Any) -> dict[str, Any]:
    return {
        "type": v.DOCUMENT if not media.mime_type.startswith("image/") else v.IMAGE,
        "mediaType": media.mime_type,
        "url": media_url(media.storage_name),
        "name": media.alt_text or None,
        "width": media.width,
        "height": media.height,
    }


def absolute_links(html: str) -> str:
    """Our rendered posts link mentions as ``/@anna``; on another server that path would
    point to the wrong place, so published HTML carries absolute links."""
    return _RELATIVE_HREF.sub(lambda _match: f'href="{urls.base_url()}/', html)


def _mention_tags(post: Post) -> list[dict[str, str]]:
    """Addressees in the audience (the people named, local and remote; for a direct post
    everybody it is for) and, for posts older than addressing, local people named."""
    from quarter_node.posts.mentions import find_local_mentions

    mentioned = _addressees_in_audience(post)
    if post.source and post.author.is_local:
        known = {actor.id for actor in addressees_of(post)}
        mentioned += [a for a in find_local_mentions(post.source) if a.id not in known]
    return [
        {
            "type": v.MENTION,
            "href": urls.actor_uri(actor),
            "name": f"@{actor.handle}@{actor.domain or urls.local_host()}",
        }
        for actor in mentioned
    ]


def tombstone(post: Post) -> dict[str, Any]:
    """What remains of a deleted post, served with 410 Gone."""
    deleted = post.deleted_at or post.edited_at or post.created_at
    return v.with_context(build_tombstone(urls.post_uri(post), former_type=v.NOTE, deleted=deleted))
