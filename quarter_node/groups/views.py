"""Web views of the groups domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("groups", __name__)


@bp.route("/groups", methods=["GET", "POST"])
def index(**kwargs):  # placeholder
    return "not built yet: groups.index", 501
