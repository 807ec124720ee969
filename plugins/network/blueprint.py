"""The network plugin's blueprint; its views live in the modules named after what they show."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "network",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/network/static",
)
