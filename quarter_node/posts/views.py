"""Web views of posts: timelines, the post page with its thread, writing, editing, deleting,
liking.

For other domains (profiles, group pages):
- ``timeline_page(query, page_args)`` turns a ``select(Post)`` (filter it with
  ``posts.visibility.visible_posts_filter(viewer)``!) into a ``Page`` with keyset links
  (``?before=`` / ``?after=``) back to the current endpoint, and preloads what the post cards
  need. Render ``page.items`` with ``render_post(post, viewer)`` from ``posts/_post.html`` and
  the links with ``pagination(page)`` from ``_macros.html``. The home, local and group
  timelines also show the enabled plugins' entries: ``add_plugin_entries(page, kind, viewer)``
  (``posts/plugin_entries.py``), rendered by ``timeline(page, ...)`` of ``posts/_timeline.html``.
- ``posts/_compose.html`` has ``compose(group=None)``; it posts to ``posts.create`` and comes
  back to the page it was on. ``compose(to_group=actor)`` writes into a followed remote group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import Select
from werkzeug.wrappers import Response

from quarter_node.accounts.models import Actor, User
from quarter_node.errors import ServiceError
from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupVisibility
from quarter_node.permissions import current_account
from quarter_node.plugins.types import TimelineKind
from quarter_node.posts import remote_groups, services
from quarter_node.posts.display import post_info, preload_post_info
from quarter_node.posts.forms import (
    ConfirmForm,
    EditPostForm,
    PostForm,
    visibility_hint,
    visibility_labels,
)
from quarter_node.posts.home import home_page
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.pagination import Page, paginate_posts
from quarter_node.posts.plugin_entries import add_plugin_entries, timeline_rows
from quarter_node.posts.timelines import local_query, thread_of
from quarter_node.posts.visibility import VISIBILITY_ORDER
from quarter_node.web.redirects import safe_next_url

bp = Blueprint("posts", __name__)


def timeline_page(query: Select[Any], page_args: Mapping[str, str], **link_options: Any) -> Page:
    """One page of posts for the current viewer, ready for ``render_post``."""
    page = paginate_posts(query, page_args, **link_options)
    preload_post_info(page.items, current_account())
    return page


def _home_timeline_page(viewer: User, page_args: Mapping[str, str]) -> Page:
    """The member's home timeline, shares included, ready for ``render_post``."""
    page = home_page(viewer, page_args)
    preload_post_info(page.items, viewer)
    return add_plugin_entries(page, TimelineKind.HOME, viewer)


def _local_timeline_page(viewer: User | None, page_args: Mapping[str, str], **link: Any) -> Page:
    """The quarter's first posts, with the plugins' entries for the quarter."""
    page = timeline_page(local_query(viewer), page_args, **link)
    return add_plugin_entries(page, TimelineKind.LOCAL, viewer)


# --- template helpers --------------------------------------------------------------------------


@bp.app_template_global()
def compose_form_for(
    group: Group | None = None, in_reply_to: Post | None = None, to_group: Actor | None = None
) -> PostForm:
    """A fresh compose form for the logged-in member (used by the compose partial)."""
    form = PostForm(formdata=None)
    _fill_choices(form, group=group, in_reply_to=in_reply_to, to_group=to_group)
    form.next_url.data = request.full_path.rstrip("?") if request.query_string else request.path
    return form


@bp.app_template_global()
def reply_audience(parent: Post) -> str:
    """Whom a reply to a direct post goes to (``@anna, @bert@b.example``), so the reply form
    can say it: these people are addressed whether or not the reply names them again."""
    from quarter_node.activitypub.ui_services import handle_of
    from quarter_node.posts.addressing import audience_of

    viewer = current_account()
    if viewer is None or parent.visibility != Visibility.DIRECT:
        return ""
    return ", ".join(handle_of(actor) for actor in audience_of(viewer.actor, [], parent))


bp.add_app_template_global(post_info, "post_info")
bp.add_app_template_global(visibility_hint, "visibility_hint")
bp.add_app_template_global(timeline_rows, "timeline_rows")


def _fill_choices(
    form: PostForm, *, group: Group | None, in_reply_to: Post | None, to_group: Actor | None = None
) -> None:
    labels = visibility_labels()
    target_group = in_reply_to.group if in_reply_to is not None else group
    offered = _offered_visibilities(target_group, in_reply_to)
    if to_group is not None:
        form.to_group.data = str(to_group.id)
        offered = remote_groups.offered_visibilities(to_group)
    form.visibility.choices = [(v.value, labels[v]) for v in offered]
    if form.visibility.data is None or form.visibility.data == "None":
        default = offered[0] if to_group is not None else None
        form.visibility.data = (default or _default_visibility(target_group, in_reply_to)).value
    form.group_id.choices = [("", _("No group"))] + [
        (str(g.id), g.actor.name) for g in _groups_of_viewer()
    ]
    if in_reply_to is not None:
        form.in_reply_to.data = str(in_reply_to.id)


def _offered_visibilities(group: Group | None, in_reply_to: Post | None) -> list[Visibility]:
    """Only choices the service would keep: a reply reaches no further than its parent, a
    members-only group's posts are for its members, and direct posts are outside groups."""
    if group is not None and group.visibility == GroupVisibility.MEMBERS_ONLY:
        return [Visibility.GROUP]
    explained = visibility_labels()
    offered = [v for v in VISIBILITY_ORDER if v in explained]
    offered = [v for v in offered if v != Visibility.GROUP or group is not None]
    offered = [v for v in offered if v != Visibility.DIRECT or group is None]
    if in_reply_to is not None:
        widest = VISIBILITY_ORDER.index(in_reply_to.visibility)
        offered = [v for v in offered if VISIBILITY_ORDER.index(v) >= widest]
    return offered


def _default_visibility(group: Group | None, in_reply_to: Post | None) -> Visibility:
    if in_reply_to is not None:
        return in_reply_to.visibility
    if group is not None and group.visibility == GroupVisibility.MEMBERS_ONLY:
        return Visibility.GROUP
    return Visibility.PUBLIC


def _groups_of_viewer() -> list[Group]:
    from quarter_node.groups.permissions import active_member_group_ids

    ids = active_member_group_ids(current_account())
    if not ids:
        return []
    return list(db.session.scalars(db.select(Group).where(Group.id.in_(ids))))


# --- timelines ---------------------------------------------------------------------------------


@bp.get("/")
def home() -> str:
    """Members: their home timeline (or the quarter's posts while it is empty). Visitors: what
    this node is, how to join, and the public posts."""
    viewer = current_account()
    if viewer is not None and viewer.is_active:
        page = _home_timeline_page(viewer, request.args)
        if page.items or page.entries or request.args:
            return render_template("posts/home.html", page=page, viewer=viewer)
    page = _local_timeline_page(viewer, request.args, endpoint="posts.local_timeline")
    return render_template("posts/home.html", page=page, viewer=viewer, intro=True)


@bp.get("/local")
def local_timeline() -> str:
    viewer = current_account()
    page = _local_timeline_page(viewer, request.args)
    return render_template("posts/local.html", page=page, viewer=viewer)


# --- one post ----------------------------------------------------------------------------------


@bp.get("/posts/<int:post_id>")
def view(post_id: int) -> str:
    viewer = current_account()
    post = services.get_post_for(viewer, post_id)
    thread = thread_of(viewer, post)
    preload_post_info(thread.posts, viewer)
    return render_template("posts/view.html", post=post, thread=thread, viewer=viewer)


@bp.post("/posts")
@login_required
def create() -> Response | tuple[str, int]:
    viewer = current_account()
    form = PostForm()
    parent = _reply_target(form.in_reply_to.data)
    group = _chosen_group(form.group_id.data) if parent is None else None
    to_group = remote_groups.find_remote_group(form.to_group.data) if form.to_group.data else None
    _fill_choices(form, group=group, in_reply_to=parent, to_group=to_group)
    if form.validate():
        try:
            post = services.publish_post(
                viewer,
                form.text.data or "",
                visibility=form.visibility.data,
                group=group,
                in_reply_to=parent,
                images=form.image_uploads(),
                to_group=to_group,
            )
        except ServiceError as error:
            if error.status_code in (403, 404):
                raise
            form.form_errors.append(error.message)
        else:
            flash(_("Your post is published."), "success")
            fallback = url_for("posts.view", post_id=post.id)
            return redirect(safe_next_url(form.next_url.data, fallback))
    page = render_template(
        "posts/compose.html",
        form=form,
        group=group,
        in_reply_to=parent,
        to_group=to_group,
        viewer=viewer,
    )
    return page, 422


def _reply_target(raw: str | None) -> Post | None:
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return services.get_post_for(current_account(), int(raw))


def _chosen_group(raw: str | None) -> Group | None:
    if not raw:
        return None
    group = db.session.get(Group, int(raw)) if raw.isdigit() else None
    if group is None:
        abort(404)
    return group


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int) -> Response | str | tuple[str, int]:
    viewer = current_account()
    post = services.get_post_for(viewer, post_id)
    if not services.can_edit_post(viewer, post):
        abort(403)
    form = EditPostForm(data={"text": post.source} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_post(viewer, post, form.text.data or "")
        except ServiceError as error:
            if error.status_code in (403, 404):
                raise
            form.text.errors = [*form.text.errors, error.message]
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("posts.view", post_id=post.id))
    page = render_template("posts/edit.html", form=form, post=post, viewer=viewer)
    return (page, 422) if request.method == "POST" else page


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int) -> Response | str:
    """GET asks "really delete?", POST deletes (works without JavaScript)."""
    viewer = current_account()
    post = services.get_post_for(viewer, post_id)
    if not services.can_delete_post(viewer, post):
        abort(403)
    form = ConfirmForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            abort(400)
        return render_template("posts/delete.html", form=form, post=post, viewer=viewer)
    parent_id = post.in_reply_to_id
    services.delete_post(viewer, post)
    flash(_("The post is deleted."), "success")
    if parent_id is not None and db.session.get(Post, parent_id) is not None:
        return redirect(url_for("posts.view", post_id=parent_id))
    return redirect(url_for("posts.home"))


@bp.post("/posts/<int:post_id>/like")
@login_required
def like(post_id: int) -> Response:
    viewer = current_account()
    services.like_post(viewer, services.get_post_for(viewer, post_id))
    return _back_to_post(post_id)


@bp.post("/posts/<int:post_id>/unlike")
@login_required
def unlike(post_id: int) -> Response:
    viewer = current_account()
    services.unlike_post(viewer, services.get_post_for(viewer, post_id))
    return _back_to_post(post_id)


def _back_to_post(post_id: int) -> Response:
    """Back where the button was pressed (the Referer, if it is on this node)."""
    fallback = url_for("posts.view", post_id=post_id)
    referrer = request.referrer or ""
    host = request.host_url.rstrip("/")
    local = referrer.removeprefix(host) if referrer.startswith(host + "/") else None
    return redirect(safe_next_url(local, fallback) + f"#post-{post_id}")
