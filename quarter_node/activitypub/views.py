"""Serving actors, posts and collections as ActivityStreams JSON.

The ids are the HTML pages (``/@anna``, ``/groups/garten``, ``/posts/17``), owned by other
blueprints. A ``before_app_request`` hook answers those URLs with JSON when the ``Accept``
header prefers ActivityStreams, before the HTML view runs; browsers keep their pages. The
collections without an HTML page (outboxes, group followers) are plain routes here.

Visibility: an unsigned fetch sees what a visitor sees. A signed fetch sees what
``access.can_actor_view_post`` allows the signer. Whatever is refused looks exactly like
what does not exist (404), never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, g, redirect, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from quarter_node.accounts.models import AccountState, Actor, ActorKind, User
from quarter_node.activitypub import access, collections, outboxes, tombstones, urls
from quarter_node.activitypub.keys import instance_actor
from quarter_node.activitypub.models import OutboundActivity
from quarter_node.activitypub.negotiation import activity_response, not_found, wants_activity_json
from quarter_node.activitypub.serializers import actor_to_ap, group_of, post_to_ap, tombstone
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.posts.models import Post

bp = Blueprint("activitypub", __name__)

MAX_PAGE = 100_000  # deeper pages are empty anyway; keeps OFFSET within every database's range

# HTML endpoints that answer ActivityStreams fetches, and who answers them.
_NEGOTIATED: dict[str, Callable[..., Response]] = {}


def negotiated(endpoint: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    def register(view: Callable[..., Response]) -> Callable[..., Response]:
        _NEGOTIATED[endpoint] = view
        return view

    return register


@bp.before_app_request
def answer_activity_fetches() -> Response | None:
    """Route ActivityStreams fetches of the HTML pages to the JSON views."""
    view = _NEGOTIATED.get(request.endpoint or "")
    if view is None or request.method not in ("GET", "HEAD"):
        return None
    if not wants_activity_json(request):
        return None
    return _committed(view(**(request.view_args or {})))


@bp.after_app_request
def vary_on_accept(response: Response) -> Response:
    """The HTML pages that also serve JSON must tell caches that the answer depends on Accept."""
    if request.endpoint in _NEGOTIATED:
        response.vary.add("Accept")
    return response


def _committed(response: Response) -> Response:
    """Keys made on first need (actor documents) are stored with the answer."""
    db.session.commit()
    return response


# --- lookups ---------------------------------------------------------------------------------


def _local_actor(handle: str, kind: ActorKind) -> Actor | None:
    actor = db.session.scalar(
        select(Actor).where(Actor.handle == handle.lower(), Actor.domain == "", Actor.kind == kind)
    )
    if actor is not None and kind == ActorKind.PERSON and not _has_active_account(actor):
        return None
    return actor


def _has_active_account(actor: Actor) -> bool:
    return (
        db.session.scalar(
            select(User.id).where(User.actor_id == actor.id, User.state == AccountState.ACTIVE)
        )
        is not None
    )


def _signer() -> Actor | None:
    """The verified signer of this request (computed once per request)."""
    if "ap_signer" not in g:
        g.ap_signer = access.request_signer(request)
    return g.ap_signer


def _page_number() -> int | None:
    raw = request.args.get("page")
    if raw is None:
        return None
    if not raw.isdigit():
        return 1  # Mastodon's "page=true", or junk
    return MAX_PAGE if len(raw) > 6 else min(max(int(raw), 1), MAX_PAGE)


# --- actors ----------------------------------------------------------------------------------


@negotiated("social.profile")
def person(handle: str) -> Response:
    actor = _local_actor(handle, ActorKind.PERSON)
    if actor is None:
        group_actor = _local_actor(handle, ActorKind.GROUP)
        if group_actor is not None:
            return _vary(redirect(urls.actor_uri(group_actor)))
        return _gone_or_not_found(handle, ActorKind.PERSON)
    return activity_response(actor_to_ap(actor))


@negotiated("groups.view")
def group(handle: str) -> Response:
    actor = _local_actor(handle, ActorKind.GROUP)
    if actor is None:
        return _gone_or_not_found(handle, ActorKind.GROUP)
    return activity_response(actor_to_ap(actor))


def _gone_or_not_found(handle: str, kind: ActorKind) -> Response:
    """A deleted actor's id answers 410 with a Tombstone (peers drop what they cached)."""
    tombstone = tombstones.find(handle, kind)
    if tombstone is None:
        return not_found()
    return activity_response(tombstones.as_activity_streams(tombstone), 410)


@bp.get("/actor")
def application_actor() -> Response:
    """The instance actor (always JSON: it has no page of its own)."""
    return _committed(activity_response(actor_to_ap(instance_actor())))


def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


# --- posts -----------------------------------------------------------------------------------


@negotiated("posts.view")
def note(post_id: int) -> Response:
    """A local post as a Note; a deleted one as a Tombstone with 410 to whoever could have
    seen it; anything else the requester may not see is a plain 404."""
    post = db.session.get(Post, post_id)
    if post is None or not post.author.is_local or post.hidden_at is not None:
        return not_found()
    try:
        signer = _signer()
    except access.BadFetchSignature:
        return activity_response({"error": "Signature verification failed"}, 401)
    if post.deleted_at is not None:
        if access.audience_allows(signer, post):
            return activity_response(tombstone(post), 410)
        return not_found()
    if not access.can_actor_view_post(signer, post) and not access.plugin_grants_fetch(
        signer, post
    ):
        return not_found()
    response = activity_response(post_to_ap(post))
    if signer is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


# --- activities ------------------------------------------------------------------------------


@bp.get("/activities/<kind>/<token>")
def sent_activity(kind: str, token: str) -> Response:
    """An activity we sent, at its id: only public ones, and with their object reduced to
    its id, so that an edited, deleted or hidden post is never served in its old form (the
    peer fetches the object itself, through the access checks of its own URL)."""
    found = db.session.scalar(
        select(OutboundActivity).where(OutboundActivity.uri == urls.activity_uri(kind, token))
    )
    if found is None or not found.public or found.actor_id is None:
        return not_found()
    document = dict(found.payload)
    embedded = document.get("object")
    if isinstance(embedded, dict) and embedded.get("id"):
        document["object"] = embedded["id"]
    return activity_response(document)


# --- collections -----------------------------------------------------------------------------


def _paged(collection_id: str, statement: Any, render: collections.PageRenderer) -> Response:
    number = _page_number()
    if number is None:
        return activity_response(collections.collection(collection_id, statement))
    return activity_response(collections.collection_page(collection_id, statement, number, render))


def _totals_only(collection_id: str, statement: Any) -> Response:
    """A collection whose members are private: the count, no pages."""
    return activity_response(collections.collection(collection_id, statement, with_pages=False))


@bp.get("/@<handle>/outbox")
def person_outbox(handle: str) -> Response:
    actor = _local_actor(handle, ActorKind.PERSON)
    if actor is None:
        return not_found()
    statement = outboxes.outbox_items(actor)
    return _paged(urls.outbox_uri(actor), statement, outboxes.render_outbox_page)


@bp.get("/groups/<handle>/outbox")
def group_outbox(handle: str) -> Response:
    found = _group(handle)
    if found is None:
        return not_found()
    statement = outboxes.group_outbox_posts(found)
    return _paged(urls.outbox_uri(found.actor), statement, outboxes.group_announces(found))


@negotiated("social.followers")
def person_followers(handle: str) -> Response:
    return _person_people(handle, collections.followers_of, urls.followers_uri)


@negotiated("social.following")
def person_following(handle: str) -> Response:
    return _person_people(handle, collections.following_of, urls.following_uri)


def _person_people(handle: str, query: Callable, uri: Callable[[Actor], str]) -> Response:
    """A person's followers or followed accounts: public lists, as on their profile page."""
    actor = _local_actor(handle, ActorKind.PERSON)
    if actor is None:
        return not_found()
    if actor.suspended_at is not None:
        return _totals_only(uri(actor), query(actor))
    return _paged(uri(actor), query(actor), collections.each(urls.actor_uri))


@bp.get("/groups/<handle>/followers")
def group_followers(handle: str) -> Response:
    """A group's followers are its remote members: listed only for public groups."""
    found = _group(handle)
    if found is None:
        return not_found()
    statement, uri = collections.followers_of(found.actor), urls.followers_uri(found.actor)
    if found.visibility != GroupVisibility.PUBLIC or found.actor.suspended_at is not None:
        return _totals_only(uri, statement)
    return _paged(uri, statement, collections.each(urls.actor_uri))


@bp.get("/groups/<handle>/following")
def group_following(handle: str) -> Response:
    found = _group(handle)
    if found is None:
        return not_found()
    statement = collections.following_of(found.actor)
    return _paged(urls.following_uri(found.actor), statement, collections.each(urls.actor_uri))


@bp.get("/actor/<any(outbox, followers, following):name>")
def application_collection(name: str) -> Response:
    """The instance actor posts nothing and follows nobody (yet): empty collections."""
    actor = instance_actor()
    uri = f"{urls.actor_uri(actor)}/{name}"
    if name == "outbox":
        statement = outboxes.outbox_items(actor)
        return _committed(_paged(uri, statement, outboxes.render_outbox_page))
    statement = collections.following_of(actor)
    if name == "followers":
        statement = collections.followers_of(actor)
    return _committed(_paged(uri, statement, collections.each(urls.actor_uri)))


def _group(handle: str) -> Group | None:
    actor = _local_actor(handle, ActorKind.GROUP)
    return group_of(actor) if actor is not None else None
