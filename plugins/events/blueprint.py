"""The events plugin's blueprint (its views are split over ``views.py`` and
``edit_views.py``) and the helpers its templates use."""

from __future__ import annotations

from flask import Blueprint

from .display import TEMPLATE_HELPERS

bp = Blueprint(
    "events",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/events/static",
)


# Globals (not a context processor) so that imported template macros see them too.
for _name, _helper in TEMPLATE_HELPERS.items():
    bp.add_app_template_global(_helper, _name)
