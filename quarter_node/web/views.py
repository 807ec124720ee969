"""Pages every node has: language choice and the node's own pages (about, rules, legal)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from quarter_node.extensions import db
from quarter_node.node.services import SUPPORTED_LANGUAGES
from quarter_node.permissions import current_account
from quarter_node.web.redirects import safe_next_url

bp = Blueprint("web", __name__)

NODE_PAGES = {"about": "description", "rules": "rules", "imprint": "imprint", "privacy": "privacy"}


@bp.post("/language")
def choose_language() -> Response:
    """Switch the interface language; stored on the account when logged in."""
    language = request.form.get("language", "")
    if language not in SUPPORTED_LANGUAGES:
        abort(400)
    session["locale"] = language
    user = current_account()
    if user is not None:
        user.locale = language
        db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), url_for("posts.home")))


@bp.get("/<any(about, rules, imprint, privacy):page>")
def node_page(page: str) -> str:
    return render_template("web/node_page.html", page=page, field=NODE_PAGES[page])
