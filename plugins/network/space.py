"""The exchange space: a members-only group on the coordination node (FEP-1b12).

Coordinators and active members of the member initiatives keep their accounts on their own
quarter nodes and join the space by following its group actor; the coordination node's
team are local members. Everything in it is the core's members-only group machinery: posts
are addressed to the group alone, relayed by the group's ``Announce`` to its followers'
inboxes only, never public, never in an outbox. This module adds the network's rules on
top (see "The exchange space" in ``docs/network.md``):

- only people of the network's member nodes (and local accounts) may ask to join;
- announcements are the posts of the group's owners and moderators (the project team);
- a post written into the space on a quarter node is served, besides the core's audience,
  to the other member nodes' instance actors, which fetch it when the group relays it.
"""

from __future__ import annotations

from quarter_node.plugin_api import (
    Actor,
    Conflict,
    Group,
    InvalidInput,
    Post,
    User,
    _,
    create_group,
    find_group,
    group_moderators,
)

from .queries import approved_membership, current_membership, network_domains
from .settings import is_coordination, setting

SPACE_DESCRIPTION = (
    "The exchange space of the network: discussions, announcements, documents and guides, "
    "workshops, people by topic. Only for the member initiatives."
)


def space_handle() -> str:
    return setting("space_handle").lower() or "austausch"


def the_space() -> Group | None:
    """The exchange space's group on this coordination node (``None`` elsewhere)."""
    if not is_coordination():
        return None
    return find_group(space_handle())


def create_space(owner: User, display_name: str = "") -> Group:
    """Found the exchange space as a members-only group owned by ``owner``; commits."""
    if not is_coordination():
        raise InvalidInput(_("Only a coordination node hosts the exchange space."))
    if find_group(space_handle()) is not None:
        raise Conflict(_("The exchange space exists already."))
    name = display_name or _("Exchange space of %(network)s", network=network_title())
    return create_group(owner, space_handle(), name[:100], SPACE_DESCRIPTION, members_only=True)


def network_title() -> str:
    return setting("network_name") or _("the network")


def shown_in_navigation(user: User | None) -> bool:
    """The space's members here on the coordination node; on a member quarter node every
    logged-in person (the page leads to the space or says how to join it)."""
    from quarter_node.plugin_api import can_see_group_content

    if user is None:
        return False
    if is_coordination():
        found = the_space()
        return found is not None and can_see_group_content(user, found)
    return coordination_domain() is not None


# --- who may join ----------------------------------------------------------------------------


def may_join(actor: Actor, domains: set[str] | None = None) -> bool:
    """Local accounts and people of the network's member nodes (not its instance actors);
    ``domains``: ``network_domains()`` when the caller has it already."""
    if str(actor.kind) != "person":
        return False
    if actor.domain == "":
        return True
    return actor.domain.lower() in (network_domains() if domains is None else domains)


def prune_outsiders() -> list[Actor]:
    """Let go of the space's members elsewhere whose node is no longer in the network (it
    left or was removed): the group sends them ``Reject`` and announces nothing more to
    them. Returns who was removed; commits."""
    from quarter_node.plugin_api import group_audience, remove_follower

    found = the_space()
    if found is None:
        return []
    domains = network_domains()
    outsiders = [a for a in group_audience(found) if a.domain and not may_join(a, domains)]
    for actor in outsiders:
        remove_follower(found.actor, actor)
    return outsiders


# --- announcements and discussions -----------------------------------------------------------


def team_ids(space: Group) -> set[int]:
    return {actor.id for actor in group_moderators(space)}


# --- the quarter side ------------------------------------------------------------------------


def coordination_domain() -> str | None:
    """The coordination node of the network this quarter node is an approved member of."""
    membership = None if is_coordination() else approved_membership()
    return membership.domain.lower() if membership is not None else None


def remote_space_uri() -> str:
    """The space's group actor id on our coordination node (its base address + group path,
    where every Quarter Node keeps its groups)."""
    from urllib.parse import urlsplit

    membership = current_membership()
    parts = urlsplit(membership.coordination_uri if membership else "")
    return f"{parts.scheme}://{parts.netloc}/groups/{space_handle()}"


def is_network_space(group_actor: Actor) -> bool:
    """Is ``group_actor`` a closed group of our network's coordination node (its exchange
    space)? Such groups announce themselves as approving their members by hand; a public
    group of the coordination node is an ordinary group."""
    domain = coordination_domain()
    return (
        domain is not None
        and str(group_actor.kind) == "group"
        and group_actor.domain.lower() == domain
        and group_actor.manually_approves_followers
    )


def space_of_post(post: Post) -> Actor | None:
    """The coordination node's closed group ``post`` (ours, non-public) was written into."""
    from quarter_node.plugin_api import post_addressees

    if str(post.visibility) != "direct" or not post.author.is_local:
        return None
    return next((actor for actor in post_addressees(post) if is_network_space(actor)), None)


def is_member_node_fetcher(signer: Actor) -> bool:
    """An instance actor of one of the network's nodes (that is how servers fetch)."""
    return str(signer.kind) == "application" and signer.domain.lower() in network_domains()


def space_member_domains(space: Group) -> set[str]:
    """The servers of the space's members elsewhere (accepted followers of the group)."""
    from quarter_node.plugin_api import group_audience

    return {actor.domain.lower() for actor in group_audience(space) if actor.domain}


def may_fetch(signer: Actor, post: Post) -> bool:
    """The exchange space's answer to ``quarter_may_fetch_post``.

    Quarter node: a post its people wrote into the space is served to the network's nodes
    (the group's host, which relays it, and the members' servers, which fetch what the
    group announces); the author's node cannot see the group's member list, so it trusts
    the network. Coordination node: a post in the space is served to the instance actor
    of a member node that has a member of the space.
    """
    if is_coordination():
        space = the_space()
        return (
            space is not None
            and post.group_id == space.id
            and may_fetch_space_object(signer, space)
        )
    return is_member_node_fetcher(signer) and space_of_post(post) is not None


def may_fetch_space_object(signer: Actor, space: Group) -> bool:
    """Coordination node: a member node's instance actor, when the node has a member in
    the space (it fetches what the group announced to that member)."""
    return is_member_node_fetcher(signer) and signer.domain.lower() in space_member_domains(space)


def remote_space_visibilities(group_actor: Actor) -> list[str] | None:
    """Posts into the space from a quarter node are for its members only."""
    return ["group"] if is_network_space(group_actor) else None
