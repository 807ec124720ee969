"""Web views of the accounts domain (placeholder routes until built)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login(**kwargs):  # placeholder
    return "not built yet: accounts.login", 501


@bp.route("/logout", methods=["GET", "POST"])
def logout(**kwargs):  # placeholder
    return "not built yet: accounts.logout", 501


@bp.route("/register", methods=["GET", "POST"])
def register(**kwargs):  # placeholder
    return "not built yet: accounts.register", 501
