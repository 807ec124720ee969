"""``/admin/plugins``: installed plugins with buttons to switch them, and their settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from quarter_node.admin.views import admins_only
from quarter_node.permissions import current_account
from quarter_node.plugins import services
from quarter_node.plugins.forms import settings_form

bp = Blueprint("plugins_admin", __name__, url_prefix="/admin/plugins")
bp.before_request(admins_only)


@bp.get("")
def index() -> str:
    return render_template("admin/plugins.html", plugins=services.installed_plugins())


@bp.post("/<name>/enable")
def enable(name: str) -> Response:
    info = services.set_plugin_enabled(current_account(), name, True)
    flash(_("The plugin %(name)s is enabled.", name=info.name), "success")
    return redirect(url_for("plugins_admin.index"))


@bp.post("/<name>/disable")
def disable(name: str) -> Response:
    info = services.set_plugin_enabled(current_account(), name, False)
    flash(_("The plugin %(name)s is disabled.", name=info.name), "success")
    return redirect(url_for("plugins_admin.index"))


@bp.route("/<name>/settings", methods=["GET", "POST"])
def settings(name: str) -> Response | str | tuple[str, int]:
    info = services.plugin_info(name)
    form = settings_form(services.setting_fields(name), services.plugin_settings(name))
    if request.method == "GET":
        return render_template("admin/plugin_settings.html", plugin=info, form=form)
    if not form.validate():
        return render_template("admin/plugin_settings.html", plugin=info, form=form), 422
    services.save_plugin_settings(current_account(), name, form.values())
    flash(_("The settings are saved."), "success")
    return redirect(url_for("plugins_admin.settings", name=name))
