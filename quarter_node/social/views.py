"""Web views of the social domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("social", __name__)


@bp.route("/@<handle>", methods=["GET", "POST"])
def profile(**kwargs):  # placeholder
    return "not built yet: social.profile", 501
