"""The group's side of FEP-1b12: a local group passes on what its remote members send it.

Remote people join one of our groups by following its actor. When one of them writes into
the group (a post addressed to it, or a reply in one of its threads) and later edits or
deletes it, their server tells only us; the group then ``Announce``s the received activity
(Create, Update or Delete) to all its followers, so every member sees everything. Our own
members' posts are announced by ``emitters`` instead.

The Announce embeds the member's activity as received. Servers of the other members cannot
trust content from a third origin, so they fetch the object from its author's server
(``handlers.relays``); what we send is the pointer, not the proof.
"""

from __future__ import annotations

from typing import Any

from federation import activities
from federation import vocabulary as v
from quarter_node.activitypub import access, outbox, urls
from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Post, Visibility


def relay(post: Post, activity: dict[str, Any]) -> bool:
    """Announce ``activity`` (about ``post`` of a local group) to the group's followers.

    Only what a member of the group's audience wrote is relayed; anybody else merely
    addressed the group. Returns whether an Announce was sent.
    """
    group = post.group
    if group is None or post.author.is_local or not access.in_group_audience(post.author, group):
        return False
    group_actor = group.actor
    public = group.visibility == GroupVisibility.PUBLIC and post.visibility in (
        Visibility.PUBLIC,
        Visibility.UNLISTED,
    )
    announce = activities.announce(
        urls.actor_uri(group_actor),
        activity,
        id=outbox.post_activity_uri(post.id, "announce"),
        to=[urls.followers_uri(group_actor)],
        cc=[v.PUBLIC] if public else [],
    )
    outbox.send(group_actor, announce, followers_of=group_actor, public=public)
    return True
