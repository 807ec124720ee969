"""Web views of the admin domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.route("/admin", methods=["GET", "POST"])
def index(**kwargs):  # placeholder
    return "not built yet: admin.index", 501
