"""Profile pages (/@handle), following and the lists of followers and followed accounts.

A group's handle shares the namespace with persons, so /@group leads to the group's page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from quarter_node.accounts.models import Actor, ActorKind, User
from quarter_node.extensions import db
from quarter_node.groups.queries import groups_shown_on_profile
from quarter_node.moderation.pagination import paginate
from quarter_node.permissions import current_account
from quarter_node.posts.models import Post
from quarter_node.posts.views import timeline_page
from quarter_node.posts.visibility import visible_posts_filter
from quarter_node.social import blocks, services
from quarter_node.web.redirects import safe_next_url

bp = Blueprint("social", __name__)


@bp.get("/@<handle>")
def profile(handle: str) -> str | Response:
    if "@" in handle:  # name@host: a remote account (federation's page)
        from quarter_node.activitypub.ui_views import remote_profile

        return remote_profile(handle)
    actor = services.get_local_actor(handle)
    if actor.kind == ActorKind.GROUP:
        return redirect(url_for("groups.view", handle=actor.handle))
    viewer = current_account()
    suspended = actor.suspended_at is not None
    page = None
    if not suspended:
        page = timeline_page(_posts_by(actor, viewer), request.args)
    return render_template(
        "social/profile.html",
        person=actor,
        member_since=format_date(actor.created_at, "long"),
        viewer=viewer,
        suspended=suspended,
        page=page,
        groups=[] if suspended else groups_shown_on_profile(actor, viewer),
        follow=services.follow_between(viewer.actor, actor) if viewer else None,
        **blocks.between(viewer, actor),
        follower_count=services.follower_count(actor),
        following_count=services.following_count(actor),
    )


@bp.get("/@<handle>/followers")
def followers(handle: str) -> str | Response:
    return _people_page(handle, "followers")


@bp.get("/@<handle>/following")
def following(handle: str) -> str | Response:
    return _people_page(handle, "following")


@bp.post("/@<handle>/follow")
@login_required
def follow(handle: str) -> Response:
    target = services.get_local_actor(handle)
    services.follow(current_account(), target)
    flash(_("You now follow %(name)s.", name=target.name), "success")
    return _back(target)


@bp.post("/@<handle>/unfollow")
@login_required
def unfollow(handle: str) -> Response:
    target = services.get_local_actor(handle)
    services.unfollow(current_account(), target)
    flash(_("You no longer follow %(name)s.", name=target.name), "success")
    return _back(target)


# --- helpers --------------------------------------------------------------------------------


def _posts_by(actor: Actor, viewer: User | None):  # noqa: ANN202  (a Select[Post])
    """The person's posts the viewer may see: the same rule as every timeline."""
    return db.select(Post).where(visible_posts_filter(viewer), Post.author_id == actor.id)


def _people_page(handle: str, which: str) -> str | Response:
    actor = services.get_local_actor(handle)
    if actor.kind == ActorKind.GROUP:
        return redirect(url_for("groups.view", handle=actor.handle))
    if actor.suspended_at is not None:
        return redirect(url_for("social.profile", handle=actor.handle))
    query = (
        services.followers_query(actor) if which == "followers" else services.following_query(actor)
    )
    return render_template("social/people.html", person=actor, which=which, page=paginate(query))


def _back(target: Actor) -> Response:
    """Back to the page the button was on (a profile, a group page), else the profile."""
    endpoint = "groups.view" if target.kind == ActorKind.GROUP else "social.profile"
    fallback = url_for(endpoint, handle=target.handle)
    return redirect(safe_next_url(request.form.get("next"), fallback))
