"""Pages for the wider fediverse: follow by address, remote profiles, sharing posts, and
answering follow requests.

A remote profile lives at ``/@name@host`` like a local one at ``/@name``: ``social.profile``
hands handles containing ``@`` to ``remote_profile`` here. Remote avatars are not loaded
(the CSP allows only our own images, and loading them would tell other servers who reads
what); the page links to the original profile instead.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, exists, or_
from werkzeug.wrappers import Response

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import ui_services as services
from quarter_node.activitypub.models import PostAddressee
from quarter_node.activitypub.policy import host_limited
from quarter_node.activitypub.ui_forms import ManualApprovalForm, RemoteFollowForm
from quarter_node.errors import InvalidInput, ServiceError
from quarter_node.extensions import db
from quarter_node.permissions import current_account
from quarter_node.posts.markdown import clean_html
from quarter_node.posts.models import Post
from quarter_node.posts.services import get_post_for
from quarter_node.posts.views import timeline_page
from quarter_node.posts.visibility import visible_posts_filter
from quarter_node.social import blocks
from quarter_node.social import services as social
from quarter_node.web.redirects import safe_next_url

bp = Blueprint("federation_ui", __name__)


# --- template helpers -----------------------------------------------------------------------


@bp.app_template_global()
def remote_follow_form() -> RemoteFollowForm:
    form = RemoteFollowForm(formdata=None)
    form.next_url.data = request.path
    return form


def _can_forward(report: object) -> bool:
    from quarter_node.activitypub.ui_admin import can_forward

    return can_forward(report)  # type: ignore[arg-type]


@bp.app_template_filter("sanitize_remote")
def sanitize_remote(html: str | None) -> Markup:
    """Text other servers wrote (bios) passes the same allowlist as our own posts."""
    return Markup(clean_html(html or ""))


bp.add_app_template_global(services.handle_of, "actor_handle")
bp.add_app_template_global(_can_forward, "can_forward_report")
bp.add_app_template_global(services.profile_handle, "profile_handle")


# --- follow by address ----------------------------------------------------------------------


@bp.route("/remote/follow", methods=["GET", "POST"])
@login_required
def remote_follow() -> Response | str | tuple[str, int]:
    form = RemoteFollowForm(request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        return render_template("activitypub/remote_follow.html", form=form)
    if not form.validate():
        return render_template("activitypub/remote_follow.html", form=form), 422
    try:
        actor, follow = services.follow_by_handle(current_account(), form.handle.data)
    except ServiceError as error:
        db.session.rollback()
        form.handle.errors = [error.message]
        return render_template("activitypub/remote_follow.html", form=form), _form_status(error)
    _flash_followed(actor, follow.state)
    return redirect(url_for("social.profile", handle=services.profile_handle(actor)))


@bp.post("/remote/actors/<int:actor_id>/unfollow")
@login_required
def remote_unfollow(actor_id: int) -> Response:
    actor = db.get_or_404(Actor, actor_id)
    social.unfollow(current_account(), actor)
    flash(_("You no longer follow %(name)s.", name=actor.name), "success")
    fallback = url_for("social.profile", handle=services.profile_handle(actor))
    return redirect(safe_next_url(request.form.get("next"), fallback))


def _flash_followed(actor: Actor, state: str) -> None:
    if state == "pending":
        flash(_("You asked to follow %(name)s. They will answer.", name=actor.name), "success")
    else:
        flash(_("You now follow %(name)s.", name=actor.name), "success")


# --- remote profiles ------------------------------------------------------------------------


def remote_profile(handle_at_host: str) -> str:
    """``/@name@host``: what we know of a remote account and its posts stored here."""
    name, _sep, host = handle_at_host.partition("@")
    actor = services.get_remote_actor(name, host)
    viewer = current_account()
    posts = db.select(Post).where(visible_posts_filter(viewer), _shown_on_profile_of(actor))
    return render_template(
        "activitypub/remote_profile.html",
        person=actor,
        viewer=viewer,
        suspended=actor.suspended_at is not None,
        limited=host_limited(actor.domain),
        page=timeline_page(posts, request.args),
        follow=social.follow_between(viewer.actor, actor) if viewer else None,
        **blocks.between(viewer, actor),
        follow_form=_prefilled_follow_form(actor),
    )


def _shown_on_profile_of(actor: Actor) -> ColumnElement[bool]:
    """A person's posts; for a group also the threads its members started in it (FEP-1b12)."""
    if actor.kind != ActorKind.GROUP:
        return Post.author_id == actor.id
    written_into = exists().where(
        PostAddressee.post_id == Post.id, PostAddressee.actor_id == actor.id
    )
    return or_(Post.author_id == actor.id, and_(written_into, Post.in_reply_to_id.is_(None)))


def _prefilled_follow_form(actor: Actor) -> RemoteFollowForm:
    form = RemoteFollowForm(formdata=None)
    form.handle.data = services.handle_of(actor)
    return form


# --- shares ---------------------------------------------------------------------------------


@bp.post("/posts/<int:post_id>/share")
@login_required
def share(post_id: int) -> Response:
    user = current_account()
    services.share_post(user, get_post_for(user, post_id))
    flash(_("You shared the post with your followers."), "success")
    return _back_to_post(post_id)


@bp.post("/posts/<int:post_id>/unshare")
@login_required
def unshare(post_id: int) -> Response:
    services.unshare_post(current_account(), db.get_or_404(Post, post_id))
    flash(_("You no longer share this post."), "success")
    return _back_to_post(post_id)


def _back_to_post(post_id: int) -> Response:
    fallback = url_for("posts.view", post_id=post_id)
    return redirect(safe_next_url(request.form.get("next"), fallback) + f"#post-{post_id}")


# --- reports across nodes ------------------------------------------------------------------


@bp.post("/moderation/reports/<int:report_id>/forward")
@login_required
def forward_report(report_id: int) -> Response:
    """Node moderators send a report about a remote account to its server (as a Flag)."""
    from quarter_node.activitypub.ui_admin import forward_report as forward

    forward(current_account(), report_id)
    flash(_("The report was sent to the moderators of the other server."), "success")
    return redirect(url_for("moderation.report", report_id=report_id))


# --- follow requests ------------------------------------------------------------------------


@bp.get("/followers/requests")
@login_required
def follow_requests() -> str:
    user = current_account()
    form = ManualApprovalForm(data={"manual": user.actor.manually_approves_followers})
    return render_template(
        "activitypub/follow_requests.html",
        requests=services.follow_requests(user),
        approval_form=form,
    )


@bp.post("/followers/requests/<int:follow_id>/accept")
@login_required
def accept_request(follow_id: int) -> Response:
    follower = services.answer_follow_request(current_account(), follow_id, accept=True)
    flash(_("%(name)s now follows you.", name=follower.name), "success")
    return redirect(url_for("federation_ui.follow_requests"))


@bp.post("/followers/requests/<int:follow_id>/reject")
@login_required
def reject_request(follow_id: int) -> Response:
    follower = services.answer_follow_request(current_account(), follow_id, accept=False)
    flash(_("You declined the request of %(name)s.", name=follower.name), "success")
    return redirect(url_for("federation_ui.follow_requests"))


@bp.post("/followers/approval")
@login_required
def manual_approval() -> Response:
    form = ManualApprovalForm()
    if form.validate():
        services.set_manual_approval(current_account(), bool(form.manual.data))
        flash(_("Your follower setting is saved."), "success")
    return redirect(url_for("federation_ui.follow_requests"))


def _form_status(error: ServiceError) -> int:
    """Typing mistakes re-render the form with 422; other refusals keep their status."""
    return 422 if isinstance(error, InvalidInput) else error.status_code
