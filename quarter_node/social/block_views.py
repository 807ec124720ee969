"""Blocking from a profile (local ``/@name`` or remote ``/@name@host``) and the settings page
listing one's blocks.

Accounts are addressed by id, so one set of pages serves local and remote profiles alike.
Blocking asks first on a page of its own (no JavaScript needed); the form there does it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from quarter_node.accounts.models import Actor
from quarter_node.activitypub.ui_services import profile_handle
from quarter_node.extensions import db
from quarter_node.moderation.pagination import paginate
from quarter_node.permissions import current_account
from quarter_node.social import block_services
from quarter_node.social.blocks import block_of, blocks_by
from quarter_node.web.redirects import safe_next_url

bp = Blueprint("blocks", __name__)


@bp.get("/actors/<int:actor_id>/block")
@login_required
def confirm_block(actor_id: int) -> str | Response:
    """The question before blocking: what it does, and a button to do it."""
    target = block_services.blockable_actor(actor_id)
    user = current_account()
    if block_of(user.actor, target) is not None:
        return redirect(_profile_url(target))
    return render_template(
        "social/block_confirm.html", person=target, profile_url=_profile_url(target)
    )


@bp.post("/actors/<int:actor_id>/block")
@login_required
def block(actor_id: int) -> Response:
    target = block_services.blockable_actor(actor_id)
    block_services.block_actor(current_account(), target)
    flash(_("You blocked %(name)s.", name=target.name), "success")
    return redirect(_profile_url(target))


@bp.post("/actors/<int:actor_id>/unblock")
@login_required
def unblock(actor_id: int) -> Response:
    target = db.get_or_404(Actor, actor_id)  # also accounts gone quiet since the block
    block_services.unblock_actor(current_account(), target)
    flash(_("You no longer block %(name)s.", name=target.name), "success")
    return redirect(safe_next_url(request.form.get("next"), _profile_url(target)))


@bp.get("/settings/blocks")
@login_required
def blocked_accounts() -> str:
    page = paginate(blocks_by(current_account().actor))
    return render_template("social/blocks.html", page=page)


def _profile_url(actor: Actor) -> str:
    return url_for("social.profile", handle=profile_handle(actor))
