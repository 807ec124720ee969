"""Web views of the posts domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("posts", __name__)


@bp.route("/", methods=["GET", "POST"])
def home(**kwargs):  # placeholder
    return "not built yet: posts.home", 501


@bp.route("/local", methods=["GET", "POST"])
def local_timeline(**kwargs):  # placeholder
    return "not built yet: posts.local_timeline", 501
