"""Web views of the moderation domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)


@bp.route("/moderation", methods=["GET", "POST"])
def queue(**kwargs):  # placeholder
    return "not built yet: moderation.queue", 501
