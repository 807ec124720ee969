"""Who a post's text names: ``@anna`` here and ``@bert@b.example`` elsewhere.

Mentions are how a post finds its explicit audience, as on Mastodon: every person named
becomes a ``PostAddressee`` (so a direct post is theirs to see), gets a ``Mention`` tag and,
when remote, a delivery to their inbox. Local handles are looked up in the database; remote
ones in the cache of known actors first, and only when publishing or editing
(``look_up=True``) by WebFinger through the guarded client with short timeouts. A handle that
cannot be resolved (unknown, unreachable, on a server this node does not federate with)
stays plain text: a typo or a slow server must not make a post fail.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from federation.errors import FederationError
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.extensions import db
from quarter_node.posts.markdown import mentioned_handles, mentioned_remote_handles, render_markdown

log = logging.getLogger(__name__)

#: WebFinger lookups per post at most, and the seconds they may take together: each may
#: take a few seconds while the writer waits; the rest of the handles then stay text.
MAX_LOOKUPS = 5
LOOKUP_BUDGET = 10.0


@dataclass
class Mentions:
    """The people a text names: local ones, and remote ones by ``name@host`` as written
    (lower-cased) so the renderer can link exactly what the writer typed."""

    local: list[Actor] = field(default_factory=list)
    remote: dict[str, Actor] = field(default_factory=dict)

    @property
    def actors(self) -> list[Actor]:
        """Everybody named, each once, in the order they were found."""
        return list({actor.id: actor for actor in [*self.local, *self.remote.values()]}.values())

    def render(self, text: str) -> str:
        """``text`` as sanitised HTML with every resolved mention linked to a profile."""
        links = {written: _profile_link(actor) for written, actor in self.remote.items()}
        return render_markdown(
            text, mentions={actor.handle for actor in self.local}, remote_mentions=links
        )


def find_local_mentions(text: str) -> list[Actor]:
    """Local people written as ``@handle`` in ``text``."""
    handles = mentioned_handles(text)
    if not handles:
        return []
    return list(
        db.session.scalars(
            select(Actor).where(
                Actor.handle.in_(handles), Actor.domain == "", Actor.kind == ActorKind.PERSON
            )
        )
    )


def find_mentions(text: str, *, look_up: bool = False) -> Mentions:
    """Everybody ``text`` names. With ``look_up`` unknown remote handles are resolved (and
    the actors cached, uncommitted); without it only known actors count."""
    mentions = Mentions(local=find_local_mentions(text))
    lookups, deadline = 0, time.monotonic() + LOOKUP_BUDGET
    for written in mentioned_remote_handles(text):
        name, host = written.rsplit("@", 1)
        actor = _known_actor(name, host)
        may_look_up = lookups < MAX_LOOKUPS and time.monotonic() < deadline
        if actor is None and look_up and may_look_up:
            lookups += 1
            actor = _looked_up(written, host)
        if actor is not None and _mentionable(actor):
            mentions.remote[written.lower()] = actor
    return mentions


def _known_actor(name: str, host: str) -> Actor | None:
    """A person of this node written with its full address, or a cached remote actor."""
    from quarter_node.activitypub.urls import local_host

    domain = "" if host == local_host() else host
    return db.session.scalar(
        select(Actor).where(Actor.domain == domain, Actor.handle == name.lower())
    )


def _looked_up(written: str, host: str) -> Actor | None:
    """WebFinger and the actor document, quickly; ``None`` whatever goes wrong (logged)."""
    from quarter_node.activitypub import remote
    from quarter_node.activitypub.policy import host_allowed

    if not host_allowed(host):
        return None
    try:
        with db.session.begin_nested():  # a failed store must not spoil the post's transaction
            return remote.resolve_handle(f"@{written}", client=remote.quick_http_client())
    except (FederationError, IntegrityError, ValueError) as error:
        log.info("mention @%s stays text: %s", written, error)
        return None


def _mentionable(actor: Actor) -> bool:
    """People only (a group would pass the post on to all its members), not suspended, and
    not on a server this node does not exchange anything with."""
    from quarter_node.activitypub.policy import host_allowed

    if actor.kind != ActorKind.PERSON or actor.suspended_at is not None:
        return False
    return actor.is_local or host_allowed(actor.domain)


def _profile_link(actor: Actor) -> str:
    """Where a mention points: the profile page the actor's server gives, else its id."""
    if actor.is_local:
        return f"/@{actor.handle}"
    return actor.profile_url or actor.uri or ""
