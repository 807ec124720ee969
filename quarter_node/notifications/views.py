"""Web views of the notifications domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)


@bp.route("/notifications", methods=["GET", "POST"])
def index(**kwargs):  # placeholder
    return "not built yet: notifications.index", 501
