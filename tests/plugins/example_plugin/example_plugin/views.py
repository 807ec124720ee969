"""The greetings page."""

from __future__ import annotations

from flask import Blueprint, render_template

from quarter_node.plugin_api import db, plugin_setting

from .models import Greeting

bp = Blueprint("example_plugin", __name__, url_prefix="/greetings", template_folder="templates")


@bp.get("")
def index() -> str:
    greetings = db.session.scalars(db.select(Greeting).order_by(Greeting.id))
    motto = plugin_setting("example_plugin", "motto")
    return render_template("example_plugin/index.html", greetings=greetings, motto=motto)
